"""Bulk issuing input: one CSV row per recipient, with per-row evidence and results.

Columns (a header row names them, in any order): ``email`` and/or ``did`` (one is required),
``name``, ``narrative`` (this recipient's own account of the achievement, Markdown: Open Badges
3.0's ``credentialSubject.narrative``), ``evidence_narrative``, ``evidence_url``, ``evidence_name``
(one ``Evidence`` item of the credential), and ``result:NAME`` for each result the achievement
defines. Every row is checked before anything is issued; the errors name the
line and the column, and a batch with any error issues nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from microcareer.domain.credentials.open_badges import MAX_NARRATIVE, EvidenceItem, Recipient
from microcareer.errors import InvalidInput, MicrocareerError

MAX_ROWS = 10_000
KNOWN_COLUMNS = frozenset(
    {"email", "did", "name", "narrative", "evidence_narrative", "evidence_url", "evidence_name"}
)
RESULT_PREFIX = "result:"


@dataclass(frozen=True, slots=True)
class IssueRequest:
    """One credential to issue: who, with what evidence, results and narrative."""

    recipient: Recipient
    evidence: tuple[EvidenceItem, ...] = ()
    results: Mapping[str, str] = field(default_factory=dict)
    narrative: str = ""


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    column: str
    message: str

    def as_json(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "message": self.message}


class BatchRejected(InvalidInput):
    """A batch with bad rows: nothing was issued; ``extra['rows']`` lists every problem."""

    code = "batch_rejected"
    title = "Batch rejected"


def reject(errors: Sequence[RowError], *, source: str, outcome: str = "nothing was issued") -> BatchRejected:
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return BatchRejected(
        f"{source}: line {first.line}, {first.column}: {first.message}{more}; {outcome}",
        field="rows",
        rows=[e.as_json() for e in errors],
    )


def _cell(row: Mapping[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()


_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
"""What no store takes (PostgreSQL refuses NUL), refused with its line before any row is read."""


def open_csv(text: str, *, source: str) -> csv.DictReader[str]:
    """A reader over a batch CSV (issuing or revoking) whose header names are stripped; text no store
    takes and a file without a header row are refused at once, naming the line."""
    unstorable = _NOT_TEXT.search(text)
    if unstorable is not None:
        line = text.count("\n", 0, unstorable.start()) + 1
        raise InvalidInput(
            f"{source}: line {line} holds a NUL character or a lone surrogate (not text)", field="file"
        )
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    if not header:
        raise InvalidInput(f"{source}: empty file (a header row is expected)", field="file")
    reader.fieldnames = header
    return reader


def parse_issue_csv(text: str, *, source: str, result_names: Sequence[str]) -> list[IssueRequest]:
    """Every row as an ``IssueRequest``; raise ``BatchRejected`` listing every bad row and column."""
    reader = open_csv(text, source=source)
    header = list(reader.fieldnames or [])
    errors: list[RowError] = []
    for column in header:
        if column in KNOWN_COLUMNS:
            continue
        if column.startswith(RESULT_PREFIX) and column[len(RESULT_PREFIX) :] in result_names:
            continue
        allowed = sorted(KNOWN_COLUMNS) + [RESULT_PREFIX + n for n in result_names]
        errors.append(RowError(1, column, f"unknown column (known: {', '.join(allowed)})"))
    if "email" not in header and "did" not in header:
        errors.append(RowError(1, "email", "an email or a did column is required"))
    if errors:
        raise reject(errors, source=source)
    requests: list[IssueRequest] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if len(requests) >= MAX_ROWS:
            raise InvalidInput(f"{source}: more than {MAX_ROWS} rows; split the file", field="file")
        if None in row:
            errors.append(RowError(line, "(row)", "more cells than header columns"))
            continue
        email, did = _cell(row, "email") or None, _cell(row, "did") or None
        recipient = Recipient(email=email, did=did, name=_cell(row, "name") or None)
        evidence: tuple[EvidenceItem, ...] = ()
        if _cell(row, "evidence_narrative") or _cell(row, "evidence_url"):
            evidence = (
                EvidenceItem(
                    narrative=_cell(row, "evidence_narrative"),
                    url=_cell(row, "evidence_url") or None,
                    name=_cell(row, "evidence_name"),
                ),
            )
        narrative = _cell(row, "narrative")
        if len(narrative) > MAX_NARRATIVE:
            errors.append(RowError(line, "narrative", f"longer than {MAX_NARRATIVE} characters"))
            continue
        results = {
            column[len(RESULT_PREFIX) :]: _cell(row, column)
            for column in header
            if column.startswith(RESULT_PREFIX) and _cell(row, column)
        }
        try:
            recipient.validate(where="recipient")
            for item in evidence:
                item.validate("evidence")
        except MicrocareerError as error:
            column = (
                str(error.extra.get("field", "")).replace("recipient.", "").replace("evidence.", "evidence_")
            )
            if column in ("recipient", "evidence"):
                column = "email" if column == "recipient" else "evidence_narrative"
            errors.append(RowError(line, column, error.detail.split(": ", 1)[-1]))
            continue
        key = (email or "").lower() or (did or "")
        if key in seen:
            errors.append(RowError(line, "email" if email else "did", f"same recipient as line {seen[key]}"))
            continue
        seen[key] = line
        requests.append(IssueRequest(recipient, evidence, results, narrative))
    if errors:
        raise reject(errors, source=source)
    if not requests:
        raise InvalidInput(f"{source}: no rows under the header", field="file")
    return requests
