"""``microcareer wallet``: a person's credentials, issued here or imported, and a signed CLR export.

As in ``profile``, the CLI is the local operator and ``--user EMAIL`` (or ``MICROCAREER_USER``) names
whose wallet it is. ``import`` verifies first and exits 1 when the credential is refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from microcareer.adapters.credential_keys import CredentialKeys
from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.status_lists_http import StatusLists
from microcareer.api.schemas.wallet import WalletEntryPublic
from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.output import console, fail, handle_errors, print_json
from microcareer.cli.profiles import user_id_of
from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.verification_model import VerificationReport
from microcareer.errors import NotFound
from microcareer.services import wallet
from microcareer.services.credential_verification import VerifierSources
from microcareer.services.wallet import MAX_IMPORT_BYTES, WalletItem

wallet_app = typer.Typer(
    help="A person's credential wallet (as the local operator; --user names the person).",
    no_args_is_help=True,
)

_MARKS = {
    "pass": ("✓", "green"),
    "fail": ("✗", "red"),
    "warn": ("!", "yellow"),
    "skip": ("-", "dim"),
    "unknown": ("?", "yellow"),
}


def user_option() -> str:
    """``--user EMAIL``, read from ``MICROCAREER_USER`` when not given."""
    email: str = typer.Option(
        ..., "--user", "-u", envvar="MICROCAREER_USER", help="Email of the person whose wallet it is."
    )
    return email


def _say(markup: str) -> None:
    """One line of console markup; what comes from a credential must be escaped by the caller."""
    console.print(markup, highlight=False, soft_wrap=True, emoji=False)


def _entry_argument() -> int:
    entry: int = typer.Argument(..., min=1, help="The entry's id (see `wallet list`).")
    return entry


def _own(platform: Platform, user_id: int, entry_id: int) -> WalletItem:
    item = wallet.wallet_entry(platform.uow(), actor=Actor.system(), entry_id=entry_id)
    if item.entry.user_id != user_id:
        raise NotFound(f"no wallet entry {entry_id} in this person's wallet")
    return item


def _state(item: WalletItem) -> str:
    entry, details = item.entry, item.entry.details
    if item.pending:
        return "[yellow]pending: accept or decline it[/]"
    if entry.issued_id is not None:
        return {"active": "issued here", "suspended": "[yellow]issued here, suspended[/]"}.get(
            item.issued_status or "", "[red]issued here, revoked[/]"
        )
    if entry.source_format == "ob2":
        return "[yellow]unverifiable (Open Badges 2.0)[/]"
    if details.get("valid"):
        return "[green]verified[/]"
    if details.get("verdict") == "status_unknown":
        return "[yellow]signature valid, status unknown when added[/]"
    return "[red]not valid when added[/]"


@wallet_app.command("list")
@handle_errors
def list_(
    user: str = user_option(),
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON (as the API gives it) instead of a table."
    ),
) -> None:
    """Every credential in the wallet: issued here or imported, shown publicly or not."""
    with open_platform() as platform:
        items = wallet.wallet(platform.uow(), actor=Actor.system(), user_id=user_id_of(platform, user))
    if as_json:
        print_json([WalletEntryPublic.of(i).model_dump(mode="json") for i in items])
        return
    table = Table(title=f"{len(items)} credentials", title_justify="left")
    for column in ("id", "title", "issuer", "format", "state", "public", "added"):
        table.add_column(column, justify="right" if column == "id" else "left")
    for item in items:
        entry = item.entry
        table.add_row(
            str(entry.id),
            Text(entry.title),
            Text(item.shown_issuer),
            entry.source_format,
            Text.from_markup(_state(item)),
            "yes" if entry.public else "no",
            entry.added_at.date().isoformat(),
        )
    console.print(table)  # cells are Text: no markup or emoji codes read from them


def _offline_sources() -> VerifierSources:
    return VerifierSources(keys=CredentialKeys({}), status=StatusLists({}), schemas=pinned_schemas())


def _print_report(report: VerificationReport) -> None:
    for check in report.checks:
        mark, colour = _MARKS[check.outcome]
        _say(f"[{colour} bold]{mark}[/] {check.name}: {escape(check.reason)}")


@wallet_app.command("import")
@handle_errors
def import_(
    file: Path = typer.Argument(
        ..., help="The credential: JSON, a VC-JWT, a baked PNG/SVG, or Open Badges 2.0."
    ),
    user: str = user_option(),
    offline: bool = typer.Option(
        False, "--offline", help="Fetch nothing: no did:web documents, no other issuers' status lists."
    ),
) -> None:
    """Verify a credential and add it to the wallet; exit 1 when it is refused.

    Refused: unreadable, tampered with, or already there. Its aligned skills get evidence when it
    names this person; an Open Badges 2.0 assertion is kept for display, unverified."""
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot read {file}: {error.strerror or error}") from None
    with open_platform() as platform:
        entry, report = wallet.import_credential(
            platform.uow(),
            platform.key_vault,
            actor=Actor.system(),
            user_id=user_id_of(platform, user),
            data=data,
            source=str(file),
            publication=platform.publication,
            sources=_offline_sources() if offline else platform.verifier_sources,
            now=platform.clock(),
        )
    if report is None:
        _say(
            f"[yellow]kept for display, not verified:[/] {escape(str(entry.details.get('reason', '')))}",
        )
    else:
        _print_report(report)
        if report.verdict == "status_unknown":
            _say("[yellow]imported: signature valid, but its revocation status could not be checked[/]")
        elif not report.valid:
            _say("[yellow]imported, but it does not verify now (see the failed checks)[/]")
        if entry.details.get("recipient_matches"):
            _say(f"names this person: {entry.details.get('skills_evidenced', 0)} skills got evidence")
        else:
            _say("[yellow]does not name this person: no skill evidence added[/]")
    _say(f"added entry {entry.id}: {escape(entry.title)} ({escape(entry.issuer_name)})")


@wallet_app.command("show")
@handle_errors
def show(
    entry: int = _entry_argument(),
    user: str = user_option(),
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON (as the API gives it), credential included."
    ),
) -> None:
    """One entry: what it is, who issued it, what verifying it found, and the credential itself."""
    with open_platform() as platform:
        item = _own(platform, user_id_of(platform, user), entry)
    if as_json:
        print_json(WalletEntryPublic.of(item).model_dump(mode="json"))
        return
    found = item.entry
    _say(f"[bold]{escape(found.title)}[/]  from {escape(item.shown_issuer)}")
    _say(
        f"entry {found.id} · {found.source_format} · {_state(item)} · "
        f"{'public' if found.public else 'private'} · added {found.added_at.date().isoformat()}",
    )
    for key, value in sorted(found.details.items()):
        if value in ({}, [], None, ""):
            continue
        _say(f"[dim]{escape(key)}:[/] {escape(str(value))}")
    if item.credential is not None:
        typer.echo(json.dumps(item.credential, ensure_ascii=False, indent=2))


@wallet_app.command("public")
@handle_errors
def public(
    entry: int = _entry_argument(),
    show_it: bool = typer.Option(..., "--on/--off", help="Show the entry on the public profile, or hide it."),
    user: str = user_option(),
) -> None:
    """Show an entry on the person's public profile, or hide it."""
    with open_platform() as platform:
        _own(platform, user_id_of(platform, user), entry)
        updated = wallet.set_public(platform.uow(), actor=Actor.system(), entry_id=entry, public=show_it)
    _say(f"entry {updated.id} is now {'public' if updated.public else 'private'}")


@wallet_app.command("accept")
@handle_errors
def accept(entry: int = _entry_argument(), user: str = user_option()) -> None:
    """Accept a pending credential issued to the person: its skills get evidence, weighted by the
    issuer's standing (docs/trust.md)."""
    with open_platform() as platform:
        _own(platform, user_id_of(platform, user), entry)
        item = wallet.accept_entry(platform.uow(), actor=Actor.system(), entry_id=entry)
    _say(f"accepted entry {entry}: {escape(item.entry.title)} from {escape(item.shown_issuer)}")


@wallet_app.command("decline")
@handle_errors
def decline(entry: int = _entry_argument(), user: str = user_option()) -> None:
    """Decline a pending credential: it leaves the wallet."""
    with open_platform() as platform:
        _own(platform, user_id_of(platform, user), entry)
        wallet.decline_entry(platform.uow(), actor=Actor.system(), entry_id=entry)
    _say(f"declined entry {entry}")


@wallet_app.command("remove")
@handle_errors
def remove(entry: int = _entry_argument(), user: str = user_option()) -> None:
    """Remove any credential (issued here or imported) and the skill evidence it gave."""
    with open_platform() as platform:
        _own(platform, user_id_of(platform, user), entry)
        wallet.remove_entry(platform.uow(), actor=Actor.system(), entry_id=entry)
    _say(f"removed entry {entry}")


@wallet_app.command("export-clr")
@handle_errors
def export_clr(
    user: str = user_option(),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write the CLR to this file (default: stdout)."
    ),
    entries: list[int] = typer.Option(
        [], "--entry", min=1, help="An entry to include (repeatable; default: every one that can be)."
    ),
) -> None:
    """Export the wallet as a signed Comprehensive Learner Record 2.0.

    It holds the Open Badges 3.0 credentials with an embedded proof, each keeping its own proof, and
    is signed by this platform's did:key."""
    with open_platform() as platform:
        clr = wallet.export_clr(
            platform.uow(),
            platform.key_vault,
            actor=Actor.system(),
            user_id=user_id_of(platform, user),
            entry_ids=entries or None,
            publication=platform.publication,
            now=platform.clock(),
        )
    if out is None:
        print_json(clr)
        return
    try:
        out.write_text(json.dumps(clr, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise fail(f"cannot write {out}: {error.strerror or error}") from None
    count = len(clr["credentialSubject"]["verifiableCredential"])
    _say(f"wrote {escape(str(out))}: {count} credentials, signed by {clr['issuer']['id']}")
