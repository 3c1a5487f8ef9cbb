"""Parquet corpora: one document per row, its id and its text in two named columns (``doc_id``, ``text``).

Rows are read a record batch at a time, so a file far larger than memory streams through. A file that
cannot be used at all (not Parquet, a column missing or of the wrong type) raises an
``UnreadableDocument`` naming the file and the column; a bad row (a null id or text, a duplicate id,
a text over the limit) is yielded as one in that row's place, and reading goes on, as for JSON Lines.
pyarrow is imported here only, so commands that read no Parquet do not pay for it at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from microcareer.adapters.documents import limits, model
from microcareer.adapters.documents.model import Document
from microcareer.adapters.documents.plain import normalise_newlines
from microcareer.errors import UnreadableDocument

PARQUET_EXTENSIONS = frozenset({".parquet", ".pq"})
BATCH_ROWS = 1024


def is_parquet_corpus(path: Path) -> bool:
    """Whether ``path`` names a Parquet corpus (by its extension: the content is checked when read)."""
    return path.suffix.lower() in PARQUET_EXTENSIONS


def count_parquet(path: Path) -> int | None:
    """The number of rows, from the file's footer (nothing else is read); None if it cannot be opened."""
    try:
        return int(pq.ParquetFile(path).metadata.num_rows)
    except (OSError, pa.ArrowException):
        return None


def iter_parquet(
    path: Path, *, id_column: str = "doc_id", text_column: str = "text"
) -> Iterator[Document | UnreadableDocument]:
    """One document per row, in file order; a document's ``source`` is ``path:row`` (rows from 1).

    The id column holds strings or integers (turned into strings); the text column holds strings.
    """
    source = str(path)
    parquet = _open(path)
    _check_columns(parquet.schema_arrow, source, id_column, text_column)
    first_row: dict[str, int] = {}
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=[id_column, text_column]):
            ids, texts = batch.column(0).to_pylist(), batch.column(1).to_pylist()
            for doc_id, text in zip(ids, texts, strict=True):
                row += 1
                try:
                    document = _row_document(doc_id, text, source, row, id_column, text_column)
                except UnreadableDocument as error:
                    yield error
                    continue
                if document.doc_id in first_row:
                    yield _row_error(
                        source,
                        row,
                        id_column,
                        f"duplicate id {document.doc_id!r} (first in row {first_row[document.doc_id]})",
                    )
                    continue
                first_row[document.doc_id] = row
                yield document
    except (OSError, pa.ArrowException) as exc:  # a truncated or damaged row group mid-file
        raise UnreadableDocument(source, None, None, f"reading stopped after row {row} ({exc})") from None


def _open(path: Path) -> Any:
    if not path.exists():
        raise UnreadableDocument(str(path), None, None, "no such file")
    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise UnreadableDocument(str(path), None, None, f"not a readable Parquet file ({exc})") from None


def _check_columns(schema: Any, source: str, id_column: str, text_column: str) -> None:
    names = list(schema.names)
    for column, option in ((id_column, "--id-column"), (text_column, "--text-column")):
        if column not in names:
            raise UnreadableDocument(
                source,
                None,
                column,
                f"no such column; the file has {', '.join(map(repr, names)) or 'no columns'} "
                f"(name another with {option})",
            )
    id_type, text_type = schema.field(id_column).type, schema.field(text_column).type
    if not (_is_string(id_type) or pa.types.is_integer(id_type)):
        raise UnreadableDocument(source, None, id_column, f"holds {id_type}, not strings or integers")
    if not _is_string(text_type):
        raise UnreadableDocument(source, None, text_column, f"holds {text_type}, not strings")


def _is_string(arrow_type: Any) -> bool:
    is_ = pa.types
    return bool(
        is_.is_string(arrow_type) or is_.is_large_string(arrow_type) or is_.is_string_view(arrow_type)
    )


def _row_document(
    doc_id: object, text: object, source: str, row: int, id_column: str, text_column: str
) -> Document:
    if isinstance(doc_id, int):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise _row_error(source, row, id_column, "the document id is missing or blank")
    if not isinstance(text, str):
        raise _row_error(source, row, text_column, "the text is missing (null)")
    try:
        limits.check_text_length(len(text), source, None, text_column)
    except UnreadableDocument as error:
        raise _row_error(source, row, text_column, error.problem) from None
    return Document(
        doc_id=doc_id, text=normalise_newlines(text), source=f"{source}:{row}", media_type=model.PLAIN_TEXT
    )


def _row_error(source: str, row: int, column: str, problem: str) -> UnreadableDocument:
    """Parquet has rows, not lines: the row goes into the message, the column into its field."""
    return UnreadableDocument(source, None, column, f"row {row}: {problem}")
