"""CoNLL-style BIO files (as SkillSpan uses) read as a ``LabelledDataset`` with character spans.

A sentence's text is its tokens joined by single spaces, and each span's offsets point into that
text. Tags are ``B-*``, ``I-*`` and ``O``; as conlleval does, an ``I-`` after ``O`` or after a span of
another type starts a new span. An optional URI column gives each span's ESCO URI on its first token
(``_``, ``-`` or empty elsewhere); when no column is named, the first column after the token that
holds a URI and no tag is taken as the URI column, so a malformed URI in it is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from microcareer.adapters.evaluation.conll_blocks import Block, TokenRow, split_blocks
from microcareer.adapters.evaluation.conll_spans import TokenSpan, decode_bio, is_tag, uri_field
from microcareer.adapters.evaluation.labels import PLACEHOLDERS, SentenceIds, is_uri, read_text
from microcareer.domain.evaluation.datasets import DatasetFormat, GoldSpan, LabelledDataset, LabelledSentence
from microcareer.errors import DataFileError


@dataclass(frozen=True, slots=True)
class ConllColumns:
    """Which columns hold tags and URIs (0-based; negative counts from the end).

    ``tag_column`` defaults to the last column that is not the URI column; ``merge_tag_columns`` reads
    every column after the token (the URI column aside) as tags and keeps the spans of all of them,
    for files with one tag column per kind of span (SkillSpan's skill and knowledge columns).
    """

    tag_column: int | None = None
    uri_column: int | None = None
    merge_tag_columns: bool = False


def read_conll(path: Path, columns: ConllColumns = ConllColumns()) -> LabelledDataset:
    file = str(path)
    blocks = split_blocks(read_text(path), file)
    if not blocks:
        raise DataFileError(file, None, None, "holds no sentence (no token lines)")
    width = len(blocks[0].rows[0].cells)
    if width < 2:
        raise DataFileError(file, blocks[0].first_line, None, "a token line needs a token and a tag column")
    rows = [row for block in blocks for row in block.rows]
    uri_column = _uri_column(columns, width, rows, file)
    tag_columns = _tag_columns(columns, width, uri_column, file)
    ids = SentenceIds(file)
    sentences = tuple(_sentence(block, ids, tag_columns, uri_column, file) for block in blocks)
    return LabelledDataset(path.name, DatasetFormat.BIO, sentences)


def _index(column: int, width: int, file: str, what: str) -> int:
    index = column % width if -width <= column < width else None
    if index is None or index == 0:
        raise DataFileError(
            file, None, None, f"{what} {column} is not a column after the token ({width} in all)"
        )
    return index


def _uri_column(columns: ConllColumns, width: int, rows: list[TokenRow], file: str) -> int | None:
    if columns.uri_column is not None:
        return _index(columns.uri_column, width, file, "URI column")
    for index in range(1, width):
        values = [row.cells[index] for row in rows]
        if any(is_uri(v) for v in values) and not any(is_tag(v) for v in values):
            return index
    return None


def _tag_columns(columns: ConllColumns, width: int, uri_column: int | None, file: str) -> tuple[int, ...]:
    candidates = tuple(i for i in range(1, width) if i != uri_column)
    if not candidates:
        raise DataFileError(file, None, None, "has no tag column besides the token and URI columns")
    if columns.merge_tag_columns:
        return candidates
    if columns.tag_column is None:
        return (candidates[-1],)
    index = _index(columns.tag_column, width, file, "tag column")
    if index == uri_column:
        raise DataFileError(file, None, None, f"column {columns.tag_column} cannot hold both tags and URIs")
    return (index,)


def _sentence(
    block: Block, ids: SentenceIds, tag_columns: tuple[int, ...], uri_column: int | None, file: str
) -> LabelledSentence:
    sentence_id = ids.take(block.given_id, block.first_line, None)
    tokens = [row.cells[0] for row in block.rows]
    spans: set[TokenSpan] = set()
    for column in tag_columns:
        spans |= decode_bio(block.rows, column, uri_column, file)
    if uri_column is not None:
        _check_uris_inside_spans(block.rows, spans, uri_column, file)
    starts = [0, *accumulate(len(token) + 1 for token in tokens[:-1])]  # tokens joined by one space
    ordered = sorted(spans, key=lambda s: (s.first, s.last, s.uri or ""))
    gold = [GoldSpan(starts[s.first], starts[s.last] + len(tokens[s.last]), s.uri) for s in ordered]
    uris = frozenset(span.uri for span in gold if span.uri)
    return LabelledSentence(sentence_id, " ".join(tokens), tuple(gold), uris)


def _check_uris_inside_spans(rows: list[TokenRow], spans: set[TokenSpan], column: int, file: str) -> None:
    for i, row in enumerate(rows):
        if row.cells[column] not in PLACEHOLDERS and not any(s.first <= i <= s.last for s in spans):
            raise DataFileError(file, row.line, uri_field(column), "a URI on a token outside every span")
