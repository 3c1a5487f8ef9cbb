"""``microcareer credentials``: verifiable credentials; ``verify`` works alone, with no database.

Other modules add commands to :data:`credentials_app` (issuing, revoking).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import typer

from microcareer.adapters.credential_keys import CredentialKeys, load_trusted_keys
from microcareer.adapters.did_web import DidWebResolver
from microcareer.adapters.https_json import JsonFetcher
from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.adapters.outbound_http import Outbound, OutboundPolicy
from microcareer.adapters.status_lists_http import MAX_STATUS_LIST_BYTES, StatusLists, load_status_list_files
from microcareer.bootstrap import outbound_policy
from microcareer.cli.output import fail, print_json
from microcareer.config import Settings
from microcareer.domain.credentials.verification import MAX_INPUT_BYTES, VerificationReport
from microcareer.errors import MicrocareerError
from microcareer.services.credential_batch_verification import (
    BatchSources,
    VerificationJob,
    verify_documents,
)

credentials_app = typer.Typer(
    help="Verifiable credentials (Open Badges 3.0, W3C VC): verify them.", no_args_is_help=True
)

EXIT_VALID = 0
EXIT_INVALID = 1
USAGE_ERROR = 2
EXIT_STATUS_UNKNOWN = 3
"""Every check passed but the revocation status could not be checked: signature valid, status unknown."""
EXIT_CODES = {"valid": EXIT_VALID, "invalid": EXIT_INVALID, "status_unknown": EXIT_STATUS_UNKNOWN}
_EXIT_SEVERITY = (EXIT_VALID, EXIT_STATUS_UNKNOWN, EXIT_INVALID)
"""Several files exit with the worst of their codes: invalid over status unknown over valid."""
_MARKS = {
    "pass": ("✓", "green"),
    "fail": ("✗", "red"),
    "warn": ("!", "yellow"),
    "skip": ("-", None),
    "unknown": ("?", "yellow"),
}
_VERDICT_COLOURS = {"valid": "green", "status_unknown": "yellow", "invalid": "red"}


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
    typer.echo(typer.style(report.verdict_label, fg=_VERDICT_COLOURS[report.verdict], bold=True))


def _trusted(path: Path | None) -> dict[str, bytes]:
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise fail(f"cannot read {path}: {error}", USAGE_ERROR) from None
    return load_trusted_keys(text, source=str(path))


def verifier_sources(
    trusted: Mapping[str, bytes],
    local_lists: Mapping[str, Mapping[str, Any]],
    policy: OutboundPolicy | None,
) -> BatchSources:
    """The CLI's key and status sources, built in the process that verifies (``policy`` None: offline).

    Module-level and fed plain configuration, so a worker process of a batch can build its own."""
    outbound = None if policy is None else Outbound(policy)
    allow_http = policy is not None and policy.allow_http
    did_fetcher = None if outbound is None else JsonFetcher(outbound)
    list_fetcher = None if outbound is None else JsonFetcher(outbound, max_bytes=MAX_STATUS_LIST_BYTES)
    did_web = None if did_fetcher is None else DidWebResolver(did_fetcher, allow_http=allow_http)
    keys = CredentialKeys(trusted, did_web=did_web)
    status = StatusLists(local_lists, fetcher=list_fetcher, allow_http=allow_http)
    if outbound is None:
        return BatchSources(keys, status)
    return BatchSources(keys, status, window=outbound.window, close=outbound.close)


def _print_reports(files: list[str], reports: list[VerificationReport], as_json: bool) -> None:
    if len(files) == 1:
        if as_json:
            print_json(reports[0].as_json())
        else:
            _print_report(reports[0])
        return
    if as_json:
        print_json([{"file": file, **report.as_json()} for file, report in zip(files, reports, strict=True)])
        return
    for file, report in zip(files, reports, strict=True):
        typer.echo(typer.style(f"{file}:", bold=True))
        _print_report(report)


@credentials_app.command("verify")
def verify(
    files: list[str] = typer.Argument(
        ...,
        help="The credentials: JSON, VC-JWTs, or baked PNG/SVG files (several are verified on every "
        "core); '-' reads one from stdin.",
    ),
    trusted_keys: Path | None = typer.Option(
        None,
        "--trusted-keys",
        help="JSON file mapping verificationMethod URL → publicKeyMultibase of keys you trust (needed "
        "only for https keys: did:key and did:web verify without it).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON (with its 'verdict')."),
    status_list: list[Path] = typer.Option(
        [], "--status-list", help="A status list credential file to use instead of fetching it (repeatable)."
    ),
    require_status: bool = typer.Option(
        False, "--require-status", help="Status that cannot be checked is a failure (exit 1), not exit 3."
    ),
    accept_unknown_status: bool = typer.Option(
        False,
        "--accept-unknown-status",
        help="Opt out of failing closed: status that cannot be checked is only a warning (exit 0).",
    ),
    accept_key_only_issuer: bool = typer.Option(
        False,
        "--accept-key-only-issuer",
        help="Policy: accept an urn:uuid or https issuer signed by a did:key it does not list (an issuer "
        "identified only by its key), reported as a warning on the key check. Off: refused.",
    ),
    allow_http: bool = typer.Option(
        False,
        "--allow-http",
        help="For local development: fetch http:// status lists and did:web documents over http:// "
        "(reported as warnings; private addresses still need MICROCAREER_OUTBOUND_ALLOW_PRIVATE_ADDRESSES).",
    ),
    offline: bool = typer.Option(
        False, "--offline", help="Fetch nothing: no did:web, no status lists over HTTPS."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Processes for a large batch of files (default: every core)."
    ),
) -> None:
    """Verify credentials and print every check of each.

    Exit codes: 0 valid; 1 invalid; 2 usage error; 3 signature valid, status unknown (its
    revocation status could not be checked: see --accept-unknown-status and --require-status).
    With several files, the worst of theirs: 1 if any is invalid, else 3 if any is status unknown.
    """
    if require_status and accept_unknown_status:
        raise fail("--require-status and --accept-unknown-status contradict each other", USAGE_ERROR)
    if offline and allow_http:
        raise fail("--offline fetches nothing: --allow-http has no effect with it", USAGE_ERROR)
    try:
        trusted = _trusted(trusted_keys)
        local_lists = load_status_list_files(status_list)
    except MicrocareerError as error:
        raise fail(str(error), USAGE_ERROR) from None
    if workers is not None and workers < 1:
        raise fail("--workers: at least 1", USAGE_ERROR)
    if files.count("-") > 1:
        raise fail("stdin ('-') can be read only once", USAGE_ERROR)
    raws = [_read_input(file) for file in files]
    # Only the MICROCAREER_OUTBOUND_* settings matter here: the verifier signs and stores nothing, so a
    # production environment without a secret key (refused by Settings) must not stop it.
    policy = replace(outbound_policy(Settings(environment="development")), allow_http=allow_http)
    job = VerificationJob(
        sources=partial(verifier_sources, trusted, local_lists, None if offline else policy),
        contexts=pinned_contexts(),
        schemas=pinned_schemas(),
        now=datetime.now(UTC),
        require_status=require_status,
        accept_unknown_status=accept_unknown_status,
        accept_key_only_issuer=accept_key_only_issuer,
        http_allowed=allow_http,
    )
    reports = verify_documents(raws, job, workers=workers)
    _print_reports(files, reports, as_json)
    code = max((EXIT_CODES[report.verdict] for report in reports), key=_EXIT_SEVERITY.index)
    if code != EXIT_VALID:
        raise typer.Exit(code)
