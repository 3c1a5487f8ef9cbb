"""``microcareer credentials issue``, ``issue-batch``, ``revoke``, ``suspend``, ``reinstate``, ``show``,
``status-list``: issuing Open Badges 3.0 credentials and changing their status.

``--user EMAIL`` (or ``MICROCAREER_USER``) acts as that user, whose rights over the issuer are
checked; without it the command acts as the local operator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from microcareer.cli import credential_revocation
from microcareer.cli.batch_rows import print_row_errors
from microcareer.cli.context import open_platform
from microcareer.cli.issuers import acting_actor, acting_user_option
from microcareer.cli.output import console, handle_errors, print_json, progress_bars
from microcareer.domain.credentials import baking
from microcareer.domain.credentials.issue_rows import BatchRejected, IssueRequest, parse_issue_csv
from microcareer.domain.credentials.open_badges import EvidenceItem, Recipient
from microcareer.domain.credentials.records import IssuedCredential
from microcareer.domain.spreadsheet_cells import FormulaSafeWriter
from microcareer.errors import InvalidInput
from microcareer.services import achievements, credential_issuing
from microcareer.services.credential_issuing import StatusAction

PROGRESS_FROM = 25
"""Batches of at least this many recipients show progress bars."""
SUMMARY_ROWS = 100
"""At most this many credentials are listed after a batch (the rest are in --out-dir's index.csv)."""


class ProofChoice(StrEnum):
    """How a credential is signed."""

    EDDSA_RDFC = "eddsa-rdfc-2022"
    EDDSA_JCS = "eddsa-jcs-2022"
    JWT = "jwt"


def _format_option() -> ProofChoice:
    choice: ProofChoice = typer.Option(
        ProofChoice.EDDSA_RDFC,
        "--format",
        help="Data Integrity proof (eddsa-rdfc-2022, eddsa-jcs-2022) or a VC-JWT (jwt).",
    )
    return choice


def _results(pairs: list[str]) -> dict[str, str]:
    results: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise typer.BadParameter(f"--result {pair!r}: expected NAME=VALUE")
        results[name.strip()] = value.strip()
    return results


def _check_bake(image: Path, out: Path | None) -> bytes:
    """The image's bytes, checked by baking a placeholder into it (before anything is issued)."""
    if out is None:
        raise typer.BadParameter("--bake needs -o OUT (where the baked badge goes)")
    suffix = image.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise typer.BadParameter(f"--bake {image}: a .png or .svg image is expected")
    try:
        data = image.read_bytes()
    except OSError as error:
        raise typer.BadParameter(f"--bake {image}: cannot read it ({error.strerror or error})") from None
    try:
        _bake(data, suffix, "{}")
    except InvalidInput as error:
        raise InvalidInput(f"{image}: {error.detail}", field="bake") from None
    return data


def _bake(image: bytes, suffix: str, payload: str) -> bytes:
    if suffix == ".png":
        return baking.bake_png(image, payload)
    try:
        svg = image.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("image: an SVG must be UTF-8 text", field="image") from None
    return baking.bake_svg(svg, payload).encode("utf-8")


def _check_out(out: Path | None) -> None:
    if out is not None and not out.parent.is_dir():
        raise typer.BadParameter(f"-o {out}: the folder {out.parent} does not exist")


def _file_name(record: IssuedCredential) -> str:
    return f"{record.id}.jwt" if record.proof_format == "jwt" else f"{record.id}.json"


def issue(
    achievement_id: int = typer.Argument(..., help="The achievement's id."),
    email: str | None = typer.Option(
        None, "--email", help="The recipient's e-mail (hashed in the credential)."
    ),
    did: str | None = typer.Option(None, "--did", help="The recipient's DID."),
    name: str | None = typer.Option(
        None, "--name", help="The recipient's name (kept out of the credential)."
    ),
    evidence: str | None = typer.Option(None, "--evidence", help="Evidence of the achievement, a narrative."),
    evidence_url: str | None = typer.Option(None, "--evidence-url", help="A link to the evidence."),
    result: list[str] = typer.Option(
        [], "--result", help="A result the achievement defines, NAME=VALUE (repeatable)."
    ),
    proof_format: ProofChoice = _format_option(),
    out: Path | None = typer.Option(
        None, "--out", "-o", dir_okay=False, help="Write the credential (or, with --bake, the badge) here."
    ),
    bake: Path | None = typer.Option(
        None, "--bake", dir_okay=False, help="Bake the credential into this PNG or SVG image (needs -o)."
    ),
    user: str | None = acting_user_option(),
) -> None:
    """Issue an achievement to one recipient; print the signed credential, or write it or a baked badge."""
    if email is None and did is None:
        raise typer.BadParameter("give the recipient's --email or --did")
    _check_out(out)
    image = None if bake is None else _check_bake(bake, out)
    items: tuple[EvidenceItem, ...] = ()
    if evidence or evidence_url:
        items = (EvidenceItem(narrative=evidence or "", url=evidence_url),)
    request = IssueRequest(Recipient(email=email, did=did, name=name), items, _results(result))
    with open_platform() as platform:
        (record,) = credential_issuing.issue_credentials(
            platform.uow(),
            platform.key_vault,
            actor=acting_actor(platform, user),
            achievement_id=achievement_id,
            requests=[request],
            proof_format=proof_format.value,
            publication=platform.publication,
            now=platform.clock(),
        )
    if out is None:
        typer.echo(record.document)
        return
    data = record.document.encode("utf-8")
    if bake is not None and image is not None:
        data = _bake(image, bake.suffix.lower(), record.document)
    try:
        out.write_bytes(data)
    except OSError as error:
        raise InvalidInput(
            f"issued urn:uuid:{record.id} but cannot write {out} ({error.strerror or error}); "
            f"`credentials show {record.id} --json` has it",
            field="out",
        ) from None
    what = "baked badge" if bake is not None else "credential"
    console.print(
        f"issued urn:uuid:{record.id}; {what} written to {escape(str(out))}", highlight=False, emoji=False
    )


def issue_batch(
    achievement_id: int = typer.Argument(..., help="The achievement's id."),
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="CSV with a header: email and/or did, name, narrative, evidence_narrative, evidence_url, "
        "evidence_name, result:NAME.",
    ),
    proof_format: ProofChoice = _format_option(),
    out_dir: Path | None = typer.Option(
        None,
        "--out-dir",
        file_okay=False,
        help="Write each credential to DIR/ID.json (or .jwt), with DIR/index.csv naming the recipients.",
    ),
    user: str | None = acting_user_option(),
) -> None:
    """Issue an achievement to every row of a CSV: all are issued, or (on any bad row) none."""
    source = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{source}: not UTF-8 text", field="file") from None
    with open_platform() as platform:
        achievement = achievements.get_achievement(platform.uow(), achievement_id)
        names = [r.name for r in achievement.definition.results]
        try:
            requests = parse_issue_csv(text, source=source, result_names=names)
            if out_dir is not None:
                out_dir.mkdir(parents=True, exist_ok=True)
            with progress_bars(quiet=len(requests) < PROGRESS_FROM) as bars:
                bars.stage(f"signing {len(requests)} credentials")
                issued = credential_issuing.issue_credentials(
                    platform.uow(),
                    platform.key_vault,
                    actor=acting_actor(platform, user),
                    achievement_id=achievement_id,
                    requests=requests,
                    proof_format=proof_format.value,
                    publication=platform.publication,
                    now=platform.clock(),
                    source=source,
                )
                if out_dir is not None:
                    bars.stage(f"writing {out_dir}", total=len(issued))
                    _write_batch(out_dir, requests, issued, advance=bars.advance)
        except BatchRejected as rejected:
            print_row_errors(rejected, source)
            raise typer.Exit(1) from None
    _print_batch(achievement.definition.name, requests, issued, out_dir)


def _recipient(request: IssueRequest) -> str:
    return request.recipient.email or request.recipient.did or ""


def _write_batch(
    out_dir: Path,
    requests: list[IssueRequest],
    issued: list[IssuedCredential],
    *,
    advance: Callable[[], None],
) -> None:
    try:
        with (out_dir / "index.csv").open("w", encoding="utf-8", newline="") as index:
            writer = FormulaSafeWriter(index)
            writer.writerow(["email", "did", "name", "credential_id", "file"])
            for request, record in zip(requests, issued, strict=True):
                (out_dir / _file_name(record)).write_text(record.document, encoding="utf-8")
                r = request.recipient
                writer.writerow(
                    [r.email or "", r.did or "", r.name or "", f"urn:uuid:{record.id}", _file_name(record)]
                )
                advance()
    except OSError as error:
        raise InvalidInput(
            f"issued {len(issued)} credentials but cannot write {out_dir} ({error.strerror or error})",
            field="out_dir",
        ) from None


def _print_batch(
    title: str, requests: list[IssueRequest], issued: list[IssuedCredential], out_dir: Path | None
) -> None:
    batch = issued[0].batch_id if issued else None
    table = Table(
        title=f"issued {len(issued)} × {escape(title)}" + (f" (batch {batch})" if batch else ""),
        title_justify="left",
    )
    for column in ("#", "recipient", "credential", "file" if out_dir else "format"):
        table.add_column(column, justify="right" if column == "#" else "left", overflow="fold")
    for number, (request, record) in enumerate(zip(requests, issued, strict=True), start=1):
        if number > SUMMARY_ROWS:
            break
        last = str(out_dir / _file_name(record)) if out_dir else record.proof_format
        table.add_row(str(number), Text(_recipient(request)), f"urn:uuid:{record.id}", Text(last))
    console.print(table)
    if len(issued) > SUMMARY_ROWS:
        rest = f"; all are in {out_dir / 'index.csv'}" if out_dir else ""
        console.print(f"... and {len(issued) - SUMMARY_ROWS} more{rest}", highlight=False, emoji=False)


def _change(credential_id: str, action: StatusAction, reason: str, user: str | None) -> IssuedCredential:
    with open_platform() as platform:
        return credential_issuing.change_status(
            platform.uow(),
            actor=acting_actor(platform, user),
            credential_id=credential_id,
            action=action,
            reason=reason,
            now=platform.clock(),
        )


def _id_argument() -> str:
    value: str = typer.Argument(..., help="The credential's id (urn:uuid:... or the bare UUID).")
    return value


def revoke(
    credential_id: str = _id_argument(),
    reason: str = typer.Option("", "--reason", help="Why (kept with the record)."),
    user: str | None = acting_user_option(),
) -> None:
    """Revoke a credential for good; its status list changes at once."""
    record = _change(credential_id, "revoke", reason, user)
    console.print(f"revoked urn:uuid:{record.id}", highlight=False, emoji=False)


def suspend(
    credential_id: str = _id_argument(),
    reason: str = typer.Option("", "--reason", help="Why (kept with the record)."),
    user: str | None = acting_user_option(),
) -> None:
    """Suspend a credential until it is reinstated (its achievement must be suspendable)."""
    record = _change(credential_id, "suspend", reason, user)
    console.print(f"suspended urn:uuid:{record.id}", highlight=False, emoji=False)


def reinstate(credential_id: str = _id_argument(), user: str | None = acting_user_option()) -> None:
    """Reinstate a suspended credential."""
    record = _change(credential_id, "reinstate", "", user)
    console.print(f"reinstated urn:uuid:{record.id}", highlight=False, emoji=False)


def credential_row(record: IssuedCredential, achievement_name: str) -> dict[str, Any]:
    def at(moment: Any) -> str | None:
        return None if moment is None else moment.isoformat()

    document: Any = record.document
    if record.proof_format != "jwt":
        document = json.loads(record.document)
    return {
        "id": f"urn:uuid:{record.id}",
        "status": record.status,
        "status_reason": record.status_reason,
        "achievement_id": record.achievement_id,
        "achievement": achievement_name,
        "recipient_did": record.recipient_did,
        "recipient_email_hash": record.recipient_email_hash,
        "recipient_email": record.recipient_email,
        "recipient_name": record.recipient_name,
        "recipient_has_account": record.recipient_user_id is not None,
        "proof_format": record.proof_format,
        "key_id": record.key_id,
        "issued_at": at(record.issued_at),
        "valid_until": at(record.valid_until),
        "revoked_at": at(record.revoked_at),
        "status_list": {
            "id": record.status_list_id,
            "index": record.status_index,
            "purpose": record.status_purpose,
        },
        "batch_id": record.batch_id,
        "document": document,
    }


_STATUS_STYLE = {"active": "green", "suspended": "yellow", "revoked": "red"}


def show(
    credential_id: str = _id_argument(),
    as_json: bool = typer.Option(False, "--json", help="Print JSON, with the signed document."),
) -> None:
    """Show an issued credential's record: status, recipient, where its status bits are."""
    with open_platform() as platform:
        record = credential_issuing.credential_record(platform.uow(), credential_id)
        achievement = achievements.get_achievement(platform.uow(), record.achievement_id)
    row = credential_row(record, achievement.definition.name)
    if as_json:
        print_json(row)
        return
    style = _STATUS_STYLE.get(record.status, "")
    reason = f" ({escape(record.status_reason)})" if record.status_reason else ""
    console.print(f"[bold]{row['id']}[/]: [{style}]{record.status}[/]{reason}", highlight=False, emoji=False)
    entered = " ".join(
        part
        for part in (record.recipient_name, record.recipient_email and f"<{record.recipient_email}>")
        if part
    )
    recipient = (
        " · ".join(p for p in (entered, record.recipient_did) if p) or record.recipient_email_hash or ""
    )
    lines = {
        "achievement": f"{row['achievement']} ({record.achievement_id})",
        "recipient": recipient + (" (has an account here)" if row["recipient_has_account"] else ""),
        "format": record.proof_format,
        "issued": row["issued_at"],
        "valid until": row["valid_until"] or "no expiry",
        "status list": f"{record.status_list_id}, index {record.status_index} ({record.status_purpose})",
        "batch": record.batch_id,
    }
    for label, value in lines.items():
        if value:
            console.print(f"{label}: {escape(str(value))}", highlight=False, emoji=False, soft_wrap=True)


def status_list(list_id: int = typer.Argument(..., help="The status list's id.")) -> None:
    """Print a signed BitstringStatusListCredential, as served at /status-lists/LIST_ID."""
    with open_platform() as platform:
        text = credential_issuing.status_list_document(
            platform.uow(),
            platform.key_vault,
            list_id=list_id,
            publication=platform.publication,
            cache=platform.status_list_cache,
        )
    typer.echo(text)


def register(app: typer.Typer) -> None:
    """Add the issuing and status commands to the ``credentials`` group."""
    app.command("issue")(handle_errors(issue))
    app.command("issue-batch")(handle_errors(issue_batch))
    app.command("revoke")(handle_errors(revoke))
    app.command("revoke-batch")(handle_errors(credential_revocation.revoke_batch))
    app.command("suspend")(handle_errors(suspend))
    app.command("reinstate")(handle_errors(reinstate))
    app.command("show")(handle_errors(show))
    app.command("status-list")(handle_errors(status_list))
