"""How ``microcareer extract`` writes what it found: mention lines, document JSON, CSV or tables.

Parquet, a binary file format, is written by ``cli/extraction_parquet.py``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import IO, Any

from rich.console import Console
from rich.table import Table

from microcareer.domain.extraction.mentions import DocumentExtraction, SkillMention
from microcareer.domain.spreadsheet_cells import FormulaSafeWriter

MENTION_CSV_COLUMNS = ("doc_id", "uri", "label", "start", "end", "matched_text", "method", "confidence")
SKILL_CSV_COLUMNS = ("doc_id", "uri", "label", "count", "confidence", "methods")


class OutputFormat(StrEnum):
    TABLE = "table"  # for people: the mentions and the skill set of each document
    MENTIONS = "mentions"  # JSON Lines, one mention a line: the interface evaluation tools plug into
    JSON = "json"  # JSON Lines, one document a line, with its mentions and its skill set
    CSV = "csv"  # one mention a row
    SKILLS_CSV = "skills-csv"  # one row per skill of each document's skill set
    PARQUET = "parquet"  # one mention a row, to a file (cli/extraction_parquet.py)
    SKILLS_PARQUET = "skills-parquet"  # one row per skill of each document's skill set, to a file


PARQUET_FORMATS = frozenset({OutputFormat.PARQUET, OutputFormat.SKILLS_PARQUET})


def mention_line(doc_id: str, mention: SkillMention) -> dict[str, Any]:
    """The stream protocol's six fields: doc_id, uri, label, start, end, score."""
    return {
        "doc_id": doc_id,
        "uri": mention.uri,
        "label": mention.label,
        "start": mention.start,
        "end": mention.end,
        "score": mention.confidence,
    }


def mention_dict(mention: SkillMention) -> dict[str, Any]:
    return {
        "uri": mention.uri,
        "label": mention.label,
        "start": mention.start,
        "end": mention.end,
        "matched_text": mention.matched_text,
        "matched_label": mention.matched_label,
        "method": mention.method.value,
        "confidence": mention.confidence,
    }


def document_dict(found: DocumentExtraction) -> dict[str, Any]:
    return {
        "doc_id": found.doc_id,
        "mentions": [mention_dict(m) for m in found.mentions],
        "skills": [
            {
                "uri": s.uri,
                "label": s.label,
                "count": s.count,
                "confidence": s.confidence,
                "methods": [m.value for m in s.methods],
            }
            for s in found.skills
        ],
    }


class ExtractionWriter:
    """Writes each document's results as soon as it is done (streams stay streams)."""

    def __init__(self, out: IO[str], output: OutputFormat, console: Console) -> None:
        self.out = out
        self.output = output
        self.console = console
        self._csv: Any = None
        if output in (OutputFormat.CSV, OutputFormat.SKILLS_CSV):
            self._csv = FormulaSafeWriter(out, lineterminator="\n")
            self._csv.writerow(MENTION_CSV_COLUMNS if output is OutputFormat.CSV else SKILL_CSV_COLUMNS)

    def write(self, found: DocumentExtraction) -> None:
        if self.output is OutputFormat.MENTIONS:
            for mention in found.mentions:
                self.out.write(json.dumps(mention_line(found.doc_id, mention), ensure_ascii=False) + "\n")
        elif self.output is OutputFormat.JSON:
            self.out.write(json.dumps(document_dict(found), ensure_ascii=False) + "\n")
        elif self.output is OutputFormat.CSV:
            for m in found.mentions:
                self._csv.writerow(
                    (
                        found.doc_id,
                        m.uri,
                        m.label,
                        m.start,
                        m.end,
                        m.matched_text,
                        m.method.value,
                        m.confidence,
                    )
                )
        elif self.output is OutputFormat.SKILLS_CSV:
            for s in found.skills:
                self._csv.writerow(
                    (
                        found.doc_id,
                        s.uri,
                        s.label,
                        s.count,
                        s.confidence,
                        " ".join(m.value for m in s.methods),
                    )
                )
        else:
            self._table(found)
        self.out.flush()

    def _table(self, found: DocumentExtraction) -> None:
        table = Table(
            title=f"{found.doc_id}: {len(found.skills)} skills, {len(found.mentions)} mentions",
            title_justify="left",
        )
        for column in ("skill", "count", "confidence", "found as"):
            table.add_column(column, justify="right" if column in ("count", "confidence") else "left")
        for skill in found.skills:
            written = sorted({m.matched_text for m in found.mentions if m.uri == skill.uri})
            table.add_row(skill.label, str(skill.count), f"{skill.confidence:.2f}", "; ".join(written[:4]))
        self.console.print(table)
