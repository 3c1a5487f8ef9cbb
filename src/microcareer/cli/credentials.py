"""``microcareer credentials``: verifiable credentials; ``verify`` works alone, with no database.

Other modules add commands to :data:`credentials_app` (issuing, revoking).
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

import typer

from microcareer.adapters.credential_keys import CredentialKeys, load_trusted_keys
from microcareer.adapters.did_web import DidWebResolver
from microcareer.adapters.https_json import JsonFetcher
from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.adapters.outbound_http import Outbound
from microcareer.adapters.status_lists_http import MAX_STATUS_LIST_BYTES, StatusLists, load_status_list_files
from microcareer.bootstrap import outbound_policy
from microcareer.cli.output import fail, print_json
from microcareer.config import Settings
from microcareer.domain.credentials.verification import MAX_INPUT_BYTES, VerificationReport, verify_credential
from microcareer.errors import MicrocareerError

credentials_app = typer.Typer(
    help="Verifiable credentials (Open Badges 3.0, W3C VC): verify them.", no_args_is_help=True
)

USAGE_ERROR = 2
_MARKS = {"pass": ("✓", "green"), "fail": ("✗", "red"), "warn": ("!", "yellow"), "skip": ("-", None)}


def _read_input(file: str) -> bytes:
    """The credential's bytes (one more than the limit at most, so an oversized input is refused)."""
    try:
        if file == "-":
            return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        with Path(file).open("rb") as handle:
            return handle.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot read {file}: {error.strerror or error}", USAGE_ERROR) from None


def _print_report(report: VerificationReport) -> None:
    for check in report.checks:
        mark, colour = _MARKS[check.outcome]
        typer.echo(f"{typer.style(mark, fg=colour, bold=True)} {check.name}: {check.reason}")
    verdict = "VALID" if report.valid else "INVALID"
    typer.echo(typer.style(verdict, fg="green" if report.valid else "red", bold=True))


@credentials_app.command("verify")
def verify(
    file: str = typer.Argument(
        ..., help="The credential: JSON, a VC-JWT, or a baked PNG/SVG; '-' reads stdin."
    ),
    trusted_keys: Path = typer.Option(
        ...,
        "--trusted-keys",
        help="JSON file mapping verificationMethod URL → publicKeyMultibase of keys you trust.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    status_list: list[Path] = typer.Option(
        [], "--status-list", help="A status list credential file to use instead of fetching it (repeatable)."
    ),
    require_status: bool = typer.Option(
        False, "--require-status", help="Fail when the revocation status cannot be checked."
    ),
    offline: bool = typer.Option(
        False, "--offline", help="Fetch nothing: no did:web, no status lists over HTTPS."
    ),
) -> None:
    """Verify a credential and print every check; exit 0 when valid, 1 when not, 2 on a usage error."""
    try:
        keys_text = trusted_keys.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise fail(f"cannot read {trusted_keys}: {error}", USAGE_ERROR) from None
    try:
        trusted = load_trusted_keys(keys_text, source=str(trusted_keys))
        local_lists = load_status_list_files(status_list)
    except MicrocareerError as error:
        raise fail(str(error), USAGE_ERROR) from None
    raw = _read_input(file)
    # Only the MICROCAREER_OUTBOUND_* settings matter here: the verifier signs and stores nothing, so a
    # production environment without a secret key (refused by Settings) must not stop it.
    outbound = None if offline else Outbound(outbound_policy(Settings(environment="development")))
    did_fetcher = None if outbound is None else JsonFetcher(outbound)
    list_fetcher = None if outbound is None else JsonFetcher(outbound, max_bytes=MAX_STATUS_LIST_BYTES)
    try:
        with outbound.window() if outbound is not None else nullcontext():
            report = verify_credential(
                raw,
                keys=CredentialKeys(trusted, did_web=DidWebResolver(did_fetcher) if did_fetcher else None),
                status=StatusLists(local_lists, fetcher=list_fetcher),
                contexts=pinned_contexts(),
                schemas=pinned_schemas(),
                now=datetime.now(UTC),
                require_status=require_status,
            )
    finally:
        if outbound is not None:
            outbound.close()
    if as_json:
        print_json(report.as_json())
    else:
        _print_report(report)
    if not report.valid:
        raise typer.Exit(1)
