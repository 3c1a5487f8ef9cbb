"""Job-posting files read lazily, record by record, each with its line (CSV, JSON Lines) or row number
(Parquet, counted from 1). A line that cannot be read is passed on as a record holding only
``BAD_KEY`` (what was wrong), so the ingest reports it with its line and goes on.

``PostingFile`` is one such file as ``services/market_ingest.ingest_file`` reads it (the CLI's path, or
an upload of the API or the web spooled to a temporary file by ``spooled_upload``, within a byte cap);
what cannot be read at all is an ``InvalidInput`` naming ``file`` or ``format``."""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from microcareer.domain.market.postings import BAD_KEY
from microcareer.errors import FileTooLarge, InvalidInput

FORMATS = ("csv", "jsonl", "parquet")
CSV_FIELD_LIMIT = 1_000_000


PARQUET_ROW_GROUP = 10_000  # rows per row group written: the partitions Dask workers read


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


@dataclass(frozen=True, slots=True)
class PostingFile:
    """A postings file on disk in a known format; ``name`` is what messages call it."""

    path: Path
    format: str
    name: str

    @classmethod
    def at(cls, path: Path, given: str | None = None, *, name: str | None = None) -> PostingFile:
        """The file at ``path``, its format as given or from the suffix of ``name`` (else of ``path``)."""
        try:
            kind = format_of(Path(name or path.name), given or None)
        except ValueError as error:
            raise InvalidInput(str(error), field="format") from None
        if not path.is_file():
            raise InvalidInput(f"{path}: no such file", field="file")
        return cls(path, kind, name or path.name)

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    def count(self) -> int | None:
        """How many records: Parquet's metadata, CSV rows as parsed, JSON Lines' non-blank lines."""
        try:
            if self.format == "csv":
                return _csv_rows(self.path)
            if self.format == "jsonl":
                with self.path.open("rb") as handle:
                    return sum(1 for raw in handle if raw.strip())
            return count_records(self.path, self.format)
        except (OSError, ValueError) as error:
            raise InvalidInput(
                f"{self.name}: cannot be read as {self.format} ({error})", field="file"
            ) from None

    def text_bytes(self) -> int:
        """Bytes of text the records hold: the file's size for CSV and JSON Lines; for Parquet, whose
        size on disk says little (compressed, repeated strings stored once), its text columns decoded."""
        try:
            if self.format != "parquet":
                return self.path.stat().st_size
            import pyarrow as pa
            import pyarrow.compute as pc
            import pyarrow.parquet as pq

            total = 0
            for batch in pq.ParquetFile(self.path).iter_batches(batch_size=2_000):
                for column in batch.columns:
                    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                        total += pc.sum(pc.binary_length(column)).as_py() or 0
            return total
        except (OSError, ValueError) as error:
            raise self._unreadable(error) from None

    def columns(self) -> list[str] | None:
        """The columns every record has (CSV header, Parquet schema); None for JSON Lines."""
        try:
            if self.format == "csv":
                with self.path.open(encoding="utf-8-sig", newline="") as handle:
                    return next(csv.reader(handle), [])
            if self.format == "parquet":
                import pyarrow.parquet as pq

                return list(pq.ParquetFile(self.path).schema_arrow.names)
        except (OSError, ValueError, csv.Error) as error:
            raise InvalidInput(
                f"{self.name}: cannot be read as {self.format} ({error})", field="file"
            ) from None
        return None

    def records(self) -> Iterator[tuple[int, dict[str, object]]]:
        return read_records(self.path, self.format)

    def _unreadable(self, error: Exception) -> InvalidInput:
        return InvalidInput(f"file: {self.name} cannot be read as {self.format} ({error})", field="file")


def _csv_rows(path: Path) -> int:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            return max(0, sum(1 for _ in csv.reader(handle)) - 1)
        except csv.Error:  # a broken row: count lines instead (it is reported as bad when read)
            handle.seek(0)
            return max(0, sum(1 for _ in handle) - 1)


@contextmanager
def spooled_upload(
    stream: BinaryIO, *, filename: str, given: str | None, max_bytes: int
) -> Iterator[PostingFile]:
    """An uploaded file copied to a temporary file (removed after), refused past ``max_bytes``."""
    name = Path(filename or "upload").name[:200] or "upload"
    with tempfile.TemporaryDirectory(prefix="microcareer-postings-") as folder:
        path = Path(folder) / "upload"
        copied = 0
        with path.open("wb") as out:
            while chunk := stream.read(1 << 20):
                copied += len(chunk)
                if copied > max_bytes:
                    raise FileTooLarge(
                        f"file: {name} is larger than {max_bytes:,} bytes, the most one upload may hold",
                        field="file",
                    )
                out.write(chunk)
        yield PostingFile.at(path, given, name=name)


def kept_upload(stream: BinaryIO, *, filename: str, given: str | None, max_bytes: int) -> PostingFile:
    """An uploaded file copied, ``max_bytes`` checked as it streams, to a temporary folder of its own
    that outlives the request (for a background job); ``discard`` removes it. Nothing is left behind
    when it is refused."""
    name = Path(filename or "upload").name[:200] or "upload"
    folder = Path(tempfile.mkdtemp(prefix="microcareer-ingest-"))
    try:
        path = folder / "upload"
        copied = 0
        with path.open("wb") as out:
            while chunk := stream.read(1 << 20):
                copied += len(chunk)
                if copied > max_bytes:
                    raise FileTooLarge(
                        f"file: {name} is larger than {max_bytes:,} bytes, the most one upload may hold",
                        field="file",
                    )
                out.write(chunk)
        return PostingFile.at(path, given, name=name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def discard(file: PostingFile) -> None:
    """Remove a file ``kept_upload`` made, and its folder."""
    if file.path.parent.name.startswith("microcareer-ingest-"):
        shutil.rmtree(file.path.parent, ignore_errors=True)


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
    pq.write_table(table, path, row_group_size=PARQUET_ROW_GROUP)
    return len(listed)
