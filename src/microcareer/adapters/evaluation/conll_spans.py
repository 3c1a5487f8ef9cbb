"""BIO tags of one column turned into token spans, with the URI each span's first token carries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from microcareer.adapters.evaluation.conll_blocks import TokenRow
from microcareer.adapters.evaluation.labels import PLACEHOLDERS, is_uri
from microcareer.errors import DataFileError

_TAG = re.compile(r"^(?:O|(?P<kind>[BI])(?:-(?P<type>\S+))?)$")


@dataclass(frozen=True, slots=True)
class TokenSpan:
    """Tokens ``first..last`` (inclusive) of a sentence form one span."""

    first: int
    last: int
    uri: str | None


@dataclass(slots=True)
class _Open:
    first: int
    type: str | None
    uri: str | None


def decode_bio(rows: Sequence[TokenRow], column: int, uri_column: int | None, file: str) -> set[TokenSpan]:
    """The spans of tag column ``column``; an ``I-`` continues only an open span of the same type."""
    spans: set[TokenSpan] = set()
    current: _Open | None = None
    for i, row in enumerate(rows):
        match = _TAG.match(row.cells[column])
        if match is None:
            raise DataFileError(
                file, row.line, f"tag (column {column + 1})", f"{row.cells[column]!r} is not B-*, I-* or O"
            )
        kind, tag_type = match.group("kind"), match.group("type")
        uri = _uri(row, uri_column, file)
        continues = kind == "I" and current is not None and current.type == tag_type
        if current is not None and not continues:
            spans.add(TokenSpan(current.first, i - 1, current.uri))
            current = None
        if continues and current is not None and uri not in (None, current.uri):
            raise DataFileError(
                file, row.line, uri_field(uri_column), "differs from the URI of its span's first token"
            )
        if kind is not None and not continues:
            current = _Open(i, tag_type, uri)
    if current is not None:
        spans.add(TokenSpan(current.first, len(rows) - 1, current.uri))
    return spans


def _uri(row: TokenRow, uri_column: int | None, file: str) -> str | None:
    if uri_column is None or row.cells[uri_column] in PLACEHOLDERS:
        return None
    value = row.cells[uri_column]
    if not is_uri(value):
        raise DataFileError(file, row.line, uri_field(uri_column), f"{value[:80]!r} is not a URI")
    return value


def is_tag(value: str) -> bool:
    return _TAG.match(value) is not None


def uri_field(uri_column: int | None) -> str:
    """How errors name the URI column (1-based, as editors count)."""
    return f"URI (column {(uri_column or 0) + 1})"
