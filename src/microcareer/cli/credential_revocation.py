"""``microcareer credentials revoke-batch FILE.csv --issuer SLUG``: revoke many credentials at once.

Each row names a credential id, or a recipient's e-mail or DID (everything the issuer issued to
them), and optionally a reason. All or nothing: every bad row is printed as ``FILE:LINE: COLUMN:
message`` and then nothing is revoked.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from microcareer.cli.batch_rows import print_row_errors
from microcareer.cli.context import open_platform
from microcareer.cli.issuers import acting_actor, acting_user_option
from microcareer.cli.output import console
from microcareer.domain.credentials.issue_rows import BatchRejected
from microcareer.domain.credentials.revoke_rows import NOTHING_REVOKED
from microcareer.errors import InvalidInput
from microcareer.services import credential_revocation

SUMMARY_ROWS = 100
"""At most this many revoked credentials are listed."""


def revoke_batch(
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="CSV with a header: credential_id, email or did (one filled a row), and reason.",
    ),
    issuer: str = typer.Option(..., "--issuer", help="The issuer's slug (whose credentials these are)."),
    user: str | None = acting_user_option(),
) -> None:
    """Revoke every credential a CSV names, for good: all of them, or (on any bad row) none."""
    source = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{source}: not UTF-8 text", field="file") from None
    with open_platform() as platform:
        try:
            revoked = credential_revocation.revoke_csv(
                platform.uow(),
                actor=acting_actor(platform, user),
                issuer_slug=issuer,
                text=text,
                source=source,
                now=platform.clock(),
            )
        except BatchRejected as rejected:
            print_row_errors(rejected, source, outcome=NOTHING_REVOKED)
            raise typer.Exit(1) from None
    for record in revoked[:SUMMARY_ROWS]:
        who = record.recipient_email or record.recipient_did or ""
        console.print(f"revoked urn:uuid:{record.id} {escape(who)}", highlight=False, emoji=False)
    if len(revoked) > SUMMARY_ROWS:
        console.print(f"… and {len(revoked) - SUMMARY_ROWS} more", highlight=False, emoji=False)
    console.print(
        f"{len(revoked)} credentials revoked, as {escape(source)} lists",
        highlight=False,
        emoji=False,
    )
