"""Job-posting files read lazily, record by record, each with its line (CSV, JSON Lines) or row number
(Parquet, counted from 1). A line that cannot be read is passed on as a record holding only
``BAD_KEY`` (what was wrong), so the ingest reports it with its line and goes on."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from microcareer.domain.market.postings import BAD_KEY

FORMATS = ("csv", "jsonl", "parquet")
CSV_FIELD_LIMIT = 1_000_000


def format_of(path: Path, given: str | None = None) -> str:
    """The file's format: as given, else from its suffix (.csv, .jsonl/.ndjson/.json, .parquet)."""
    if given:
        if given not in FORMATS:
            raise ValueError(f"format: {given!r} is not one of {', '.join(FORMATS)}")
        return given
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise ValueError(f"{path.name}: cannot tell the format from the suffix; give --format csv|jsonl|parquet")


def read_records(path: Path, file_format: str | None = None) -> Iterator[tuple[int, dict[str, object]]]:
    kind = format_of(path, file_format)
    if kind == "csv":
        return _csv(path)
    if kind == "jsonl":
        return _jsonl(path)
    return _parquet(path)


def count_records(path: Path, file_format: str | None = None) -> int | None:
    """How many records (for a progress bar): Parquet's metadata, lines otherwise; None if unknown."""
    kind = format_of(path, file_format)
    if kind == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    with path.open("rb") as handle:
        lines = sum(1 for _ in handle)
    return max(0, lines - 1) if kind == "csv" else lines


def _csv(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        line = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                yield reader.line_num or line, {BAD_KEY: f"unreadable CSV: {error}"}
                continue
            line = reader.line_num
            if None in row:
                yield line, {BAD_KEY: "more cells than the header has columns"}
                continue
            yield line, {k: v for k, v in row.items() if k is not None}


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    with path.open("rb") as handle:
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                yield line, {BAD_KEY: f"not JSON: {error}"}
                continue
            if not isinstance(value, dict):
                yield line, {BAD_KEY: "not a JSON object"}
                continue
            yield line, value


def _parquet(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    import pyarrow.parquet as pq

    row = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=2_000):
        for record in batch.to_pylist():
            row += 1
            yield row, record


def write_records(path: Path, records: Iterable[dict[str, object]], file_format: str | None = None) -> int:
    """Write records as CSV, JSON Lines or Parquet (by suffix); how many were written."""
    kind = format_of(path, file_format)
    written = 0
    if kind == "jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
        return written
    listed = list(records)
    columns = list(dict.fromkeys(k for r in listed for k in r))
    if kind == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(listed)
        return len(listed)
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {c: [None if r.get(c) in ("", None) else str(r.get(c)) for r in listed] for c in columns}
    )
    pq.write_table(table, path)
    return len(listed)
