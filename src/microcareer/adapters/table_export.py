"""Tables written as CSV (cells neutralised against spreadsheet formulas) or Parquet (pyarrow)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence

from microcareer.domain.spreadsheet_cells import FormulaSafeWriter

EXPORT_FORMATS = ("csv", "parquet")


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    out = io.StringIO()
    writer = FormulaSafeWriter(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return out.getvalue().encode("utf-8")


def to_parquet(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    listed = list(rows)
    table = pa.table({c: [row.get(c) for row in listed] for c in columns})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def export(columns: Sequence[str], rows: Iterable[Mapping[str, object]], file_format: str) -> bytes:
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"format: {file_format!r} is not one of {', '.join(EXPORT_FORMATS)}")
    return to_csv(columns, rows) if file_format == "csv" else to_parquet(columns, rows)
