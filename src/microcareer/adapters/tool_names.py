"""The bundled tool names (``data/tool_names.csv.gz``, built from O*NET by ``scripts/build_tool_names.py``).

Each row names a tool as postings write it ("Docker", "Microsoft Excel") and an ESCO skill it stands
for; the extraction lexicon takes them as labels of kind ``tool``. Lines starting with ``#`` are the
file's attribution. The data is O*NET's (USDOL/ETA), used under CC BY 4.0: see NOTICE.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
from importlib import resources

from microcareer.domain.extraction.lexicon import LabelRow
from microcareer.errors import DataFileError

FILE_NAME = "tool_names.csv.gz"
COLUMNS = ("name", "uri", "commodity", "hot", "in_demand")


class BundledToolNames:
    """The tool names shipped with microcareer (or those in ``data``, for tests): read once, lazily."""

    def __init__(self, data: bytes | None = None, *, source: str = FILE_NAME) -> None:
        self._data = data
        self._source = source
        self._rows: list[LabelRow] | None = None

    def _bytes(self) -> bytes:
        if self._data is None:
            self._data = resources.files("microcareer.data").joinpath(FILE_NAME).read_bytes()
        return self._data

    @property
    def digest(self) -> str:
        return hashlib.sha256(self._bytes()).hexdigest()[:16]

    def label_rows(self) -> list[LabelRow]:
        if self._rows is None:
            self._rows = parse_tool_names(self._bytes(), self._source)
        return self._rows


def parse_tool_names(data: bytes, source: str = FILE_NAME) -> list[LabelRow]:
    """``(uri, name, "tool", None)`` for every row; a malformed file is an error naming the line."""
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise DataFileError(source, None, None, f"not a gzip'd UTF-8 CSV file ({error})") from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if not line.startswith("#")]
    if not lines or tuple(next(csv.reader([lines[0][1]]))) != COLUMNS:
        raise DataFileError(
            source, lines[0][0] if lines else None, None, f"header must be {','.join(COLUMNS)}"
        )
    rows: list[LabelRow] = []
    for number, line in lines[1:]:
        fields = next(csv.reader([line]), [])
        if len(fields) != len(COLUMNS):
            raise DataFileError(source, number, None, f"expected {len(COLUMNS)} fields, found {len(fields)}")
        name, uri = fields[0].strip(), fields[1].strip()
        if not name:
            raise DataFileError(source, number, "name", "empty tool name")
        if not uri.startswith(("http://", "https://")):
            raise DataFileError(source, number, "uri", f"{uri!r} is not a skill URI")
        rows.append((uri, name, "tool", None))
    return rows
