"""Extraction results as flat rows: the CSV shapes every front end writes (CLI, web downloads).

One row per mention (``MENTION_COLUMNS``) or one per skill of a document's skill set
(``SKILL_COLUMNS``); a skill's methods are one space-separated cell.
"""

from __future__ import annotations

from collections.abc import Iterator

from microcareer.domain.extraction.mentions import DocumentExtraction

Cell = str | int | float

MENTION_COLUMNS = ("doc_id", "uri", "label", "start", "end", "matched_text", "method", "confidence")
SKILL_COLUMNS = ("doc_id", "uri", "label", "count", "confidence", "methods")


def mention_rows(found: DocumentExtraction) -> Iterator[tuple[Cell, ...]]:
    """One row per mention, in text order, in ``MENTION_COLUMNS`` order."""
    for m in found.mentions:
        yield (found.doc_id, m.uri, m.label, m.start, m.end, m.matched_text, m.method.value, m.confidence)


def skill_rows(found: DocumentExtraction) -> Iterator[tuple[Cell, ...]]:
    """One row per skill, most confident first, in ``SKILL_COLUMNS`` order."""
    for s in found.skills:
        yield (found.doc_id, s.uri, s.label, s.count, s.confidence, " ".join(m.value for m in s.methods))
