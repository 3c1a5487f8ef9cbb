"""Bulk revocation input: one CSV row per credential, or per recipient whose credentials all go.

Columns (a header row names them, in any order): ``credential_id`` (``urn:uuid:…`` or the bare
uuid), ``email``, ``did``: each row fills exactly one of them; ``reason`` (optional) is kept with
the revocation. Every row is checked before anything is revoked; the errors name the line and the
column, and a batch with any error revokes nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from microcareer.domain.credentials.issue_rows import MAX_ROWS, RowError, open_csv, reject
from microcareer.errors import InvalidInput

KNOWN_COLUMNS = ("credential_id", "email", "did", "reason")
TARGETS = ("credential_id", "email", "did")
MAX_REASON = 500
NOTHING_REVOKED = "nothing was revoked"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class RevokeRow:
    """One line of the file: what to revoke (a credential, or everything issued to a recipient)."""

    line: int
    column: str
    """Which of ``credential_id``, ``email``, ``did`` names the target."""
    value: str
    reason: str = ""


def parse_revoke_csv(text: str, *, source: str) -> list[RevokeRow]:
    """Every row as a ``RevokeRow``; raise ``BatchRejected`` listing every bad row and column."""
    rows, errors = read_revoke_csv(text, source=source)
    if errors:
        raise reject(errors, source=source, outcome=NOTHING_REVOKED)
    return rows


def read_revoke_csv(text: str, *, source: str) -> tuple[list[RevokeRow], list[RowError]]:
    """The well-formed rows, and what is wrong with the others (checked against the store later,
    the good rows can then be reported with them). A file that cannot be read at all (no header,
    unknown columns, not text, too many rows) raises at once."""
    reader = open_csv(text, source=source)
    header = list(reader.fieldnames or [])
    errors = [
        RowError(1, column, f"unknown column (known: {', '.join(KNOWN_COLUMNS)})")
        for column in header
        if column not in KNOWN_COLUMNS
    ]
    if not any(column in header for column in TARGETS):
        errors.append(RowError(1, "credential_id", "a credential_id, email or did column is required"))
    if errors:
        raise reject(errors, source=source, outcome=NOTHING_REVOKED)
    rows: list[RevokeRow] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if len(rows) >= MAX_ROWS:
            raise InvalidInput(f"{source}: more than {MAX_ROWS} rows; split the file", field="file")
        if None in row:
            errors.append(RowError(line, "(row)", "more cells than header columns"))
            continue
        cells = {column: (row.get(column) or "").strip() for column in KNOWN_COLUMNS}
        filled = [column for column in TARGETS if cells[column]]
        if len(filled) != 1:
            message = (
                "fill one of credential_id, email, did"
                if not filled
                else f"fill only one of {', '.join(filled)}"
            )
            errors.append(RowError(line, filled[-1] if filled else TARGETS[0], message))
            continue
        column = filled[0]
        value = cells[column]
        problem = _check(column, value)
        if problem is None and len(cells["reason"]) > MAX_REASON:
            column, problem = "reason", f"longer than {MAX_REASON} characters"
        if problem is not None:
            errors.append(RowError(line, column, problem))
            continue
        key = (column, value.lower() if column == "email" else credential_uuid(value) or value)
        if key in seen:
            errors.append(RowError(line, column, f"same {column} as line {seen[key]}"))
            continue
        seen[key] = line
        rows.append(RevokeRow(line, column, value, cells["reason"]))
    if not rows and not errors:
        raise InvalidInput(f"{source}: no rows under the header", field="file")
    return rows, errors


def credential_uuid(value: str) -> str | None:
    """The bare uuid of ``urn:uuid:…`` or of a uuid, in canonical form; None if it is neither."""
    try:
        return str(uuid.UUID(value.removeprefix("urn:uuid:")))
    except ValueError:
        return None


def _check(column: str, value: str) -> str | None:
    if column == "credential_id" and credential_uuid(value) is None:
        return f"{value[:60]!r} is not a credential id (urn:uuid:… or a uuid)"
    if column == "email" and not _EMAIL.fullmatch(value):
        return f"{value[:60]!r} is not an e-mail address"
    if column == "did" and not value.startswith("did:"):
        return f"{value[:60]!r} is not a DID (did:…)"
    return None
