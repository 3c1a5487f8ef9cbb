"""``microcareer extract --format parquet``: mentions (or skill sets) as a Parquet file, one row each.

Rows are buffered and written a row group at a time, so memory stays bounded on any corpus; the file
is complete (its footer written) once ``close`` returns, also after a run that stopped early.
Columns match the JSON Lines stream protocol, with the matched text and the method added:

- mentions: ``doc_id, uri, label, start, end, score, matched_text, method``
- skills: ``doc_id, uri, label, count, score, methods`` (methods a list of strings)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from microcareer.cli.extraction_output import OutputFormat
from microcareer.domain.extraction.mentions import DocumentExtraction

ROWS_PER_GROUP = 50_000

MENTION_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("uri", pa.string()),
        ("label", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("score", pa.float64()),
        ("matched_text", pa.string()),
        ("method", pa.string()),
    ]
)
SKILL_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("uri", pa.string()),
        ("label", pa.string()),
        ("count", pa.int64()),
        ("score", pa.float64()),
        ("methods", pa.list_(pa.string())),
    ]
)


class ParquetExtractionWriter:
    """Writes each document's mentions (``parquet``) or skills (``skills-parquet``) as rows of ``path``."""

    def __init__(self, path: Path, output: OutputFormat, *, rows_per_group: int = ROWS_PER_GROUP) -> None:
        self.skills = output is OutputFormat.SKILLS_PARQUET
        self.schema: Any = SKILL_SCHEMA if self.skills else MENTION_SCHEMA
        self.rows_per_group = rows_per_group
        self._columns: dict[str, list[Any]] = {name: [] for name in self.schema.names}
        self._file: Any = pq.ParquetWriter(path, self.schema)

    def write(self, found: DocumentExtraction) -> None:
        columns = self._columns
        if self.skills:
            for skill in found.skills:
                for name, value in zip(
                    self.schema.names,
                    (
                        found.doc_id,
                        skill.uri,
                        skill.label,
                        skill.count,
                        skill.confidence,
                        [m.value for m in skill.methods],
                    ),
                    strict=True,
                ):
                    columns[name].append(value)
        else:
            for m in found.mentions:
                for name, value in zip(
                    self.schema.names,
                    (
                        found.doc_id,
                        m.uri,
                        m.label,
                        m.start,
                        m.end,
                        m.confidence,
                        m.matched_text,
                        m.method.value,
                    ),
                    strict=True,
                ):
                    columns[name].append(value)
        if len(columns["doc_id"]) >= self.rows_per_group:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._file.close()

    def _flush(self) -> None:
        if self._columns["doc_id"]:
            self._file.write_table(pa.table(self._columns, schema=self.schema))
            self._columns = {name: [] for name in self.schema.names}
