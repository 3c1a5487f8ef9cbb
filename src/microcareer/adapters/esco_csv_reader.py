"""Streaming CSV reading that knows where each record starts, so every error can name file, line, column.

ESCO's CSVs hold multi-line quoted fields (alternative labels are newline-separated), so a record's
line is counted from the physical lines the ``csv`` module consumed, not from the record number.
"""

from __future__ import annotations

import csv
import gzip
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from microcareer.errors import DataFileError

# conceptSchemes lists every top concept in one field: far past csv's 128 KiB default.
csv.field_size_limit(2**31 - 1)

_URI = re.compile(r"^https?://[^\s/?#]+/\S*$")


@dataclass(frozen=True, slots=True)
class LocatedRow:
    """One CSV record as a column -> value mapping, with the physical line where it starts."""

    file: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        """The value, stripped; empty when the column is absent from this file."""
        return self.values.get(column, "").strip()

    def required(self, column: str) -> str:
        value = self.get(column)
        if not value:
            raise self.error(column, "is empty but required")
        return value

    def uri(self, column: str) -> str:
        value = self.required(column)
        if not _URI.match(value):
            raise self.error(column, f"{value[:80]!r} is not an absolute http(s) URI")
        return value

    def optional_uri(self, column: str) -> str | None:
        value = self.get(column)
        if not value:
            return None
        return self.uri(column)

    def choice(self, column: str, allowed: Iterable[str]) -> str:
        value = self.required(column)
        options = tuple(allowed)
        if value not in options:
            raise self.error(column, f"{value!r} is not one of {', '.join(options)}")
        return value

    def error(self, column: str | None, problem: str) -> DataFileError:
        return DataFileError(self.file, self.line, column, problem)


def split_labels(value: str) -> tuple[str, ...]:
    """ESCO's multi-valued fields: one value per line inside the quoted field; blanks and repeats dropped."""
    seen: dict[str, None] = {}
    for part in value.split("\n"):
        label = part.strip()
        if label:
            seen.setdefault(label, None)
    return tuple(seen)


class _LineCounter:
    """Iterates a text stream line by line, counting the physical lines handed out."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.lines = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._stream)
        self.lines += 1
        return line


def _open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open("r", encoding="utf-8-sig", newline="")


def read_rows(
    path: Path, display: str, required_columns: Iterable[str], *, ragged: bool = False
) -> Iterator[LocatedRow]:
    """Yield each record of ``path`` (``.csv`` or ``.csv.gz``); ``display`` is the name errors show.

    ``ragged`` accepts rows shorter than the header (the official ``skillsHierarchy`` has them).
    """
    with _open_text(path) as stream:
        counter = _LineCounter(stream)
        reader = csv.reader(counter, strict=True)
        start = 1
        try:
            header = next(reader, None)
            if header is None:
                raise DataFileError(display, 1, None, "the file is empty (no header line)")
            header = [name.strip() for name in header]
            for column in required_columns:
                if column not in header:
                    raise DataFileError(display, 1, column, "required column is missing from the header")
            width = len(header)
            start = counter.lines + 1
            for fields in reader:
                if not fields:  # a blank line
                    start = counter.lines + 1
                    continue
                if ragged and len(fields) < width:
                    fields += [""] * (width - len(fields))
                if len(fields) != width:
                    missing = header[len(fields)] if len(fields) < width else None
                    raise DataFileError(
                        display,
                        start,
                        missing,
                        f"expected {width} fields as in the header, found {len(fields)} "
                        "(a truncated row, a stray comma or an unbalanced quote?)",
                    )
                yield LocatedRow(display, start, dict(zip(header, fields, strict=True)))
                start = counter.lines + 1
        except csv.Error as exc:
            raise DataFileError(
                display, start, None, f"malformed CSV ({exc}): an unterminated quote?"
            ) from None
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise DataFileError(
                display, counter.lines + 1, None, f"the gzip stream is truncated or corrupt ({exc})"
            ) from None
        except UnicodeDecodeError as exc:
            raise DataFileError(display, counter.lines + 1, None, f"not UTF-8 text ({exc.reason})") from None
