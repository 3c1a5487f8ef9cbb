"""Parquet corpora: a document per row from two named columns; a bad row is reported in its place."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from microcareer.adapters.documents import Document, limits
from microcareer.adapters.documents import parquet as parquet_corpus
from microcareer.adapters.documents.parquet import count_parquet, is_parquet_corpus, iter_parquet
from microcareer.errors import UnreadableDocument


def write(path: Path, columns: dict[str, list[object]], **types: pa.DataType) -> Path:
    schema = pa.schema([(name, types.get(name, pa.string())) for name in columns])
    pq.write_table(pa.table(columns, schema=schema), path)
    return path


def test_each_row_is_a_document_with_its_row_as_source(tmp_path: Path) -> None:
    path = write(tmp_path / "c.parquet", {"doc_id": ["a", "b"], "text": ["Forklift\r\noperation", "SQL"]})
    assert list(iter_parquet(path)) == [
        Document("a", "Forklift\noperation", f"{path}:1", "text/plain"),
        Document("b", "SQL", f"{path}:2", "text/plain"),
    ]
    assert count_parquet(path) == 2
    assert is_parquet_corpus(path)
    assert not is_parquet_corpus(tmp_path / "c.jsonl")


def test_integer_ids_become_strings_and_other_columns_are_ignored(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.parquet",
        {"id": [7, 12], "body": ["Python", "welding"], "lang": ["en", "en"]},
        id=pa.int64(),
    )
    found = list(iter_parquet(path, id_column="id", text_column="body"))
    assert [(d.doc_id, d.text) for d in found if isinstance(d, Document)] == [
        ("7", "Python"),
        ("12", "welding"),
    ]


def test_bad_rows_are_reported_in_place_and_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet_corpus, "BATCH_ROWS", 2)  # rows numbered across record batches
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 10)
    path = write(
        tmp_path / "c.parquet",
        {
            "doc_id": ["a", None, "c", "a", "  ", "f", "g"],
            "text": ["ok", "no id", None, "duplicate", "blank id", "x" * 11, "still read"],
        },
    )
    found = list(iter_parquet(path))
    assert [d.doc_id for d in found if isinstance(d, Document)] == ["a", "g"]
    errors = [str(e) for e in found if isinstance(e, UnreadableDocument)]
    assert errors == [
        f"{path}, column 'doc_id': row 2: the document id is missing or blank",
        f"{path}, column 'text': row 3: the text is missing (null)",
        f"{path}, column 'doc_id': row 4: duplicate id 'a' (first in row 1)",
        f"{path}, column 'doc_id': row 5: the document id is missing or blank",
        f"{path}, column 'text': row 6: the text is over the limit of 10 characters for a document",
    ]


def test_a_missing_column_names_the_file_the_column_and_what_is_there(tmp_path: Path) -> None:
    path = write(tmp_path / "c.parquet", {"doc_id": ["a"], "body": ["Python"]})
    with pytest.raises(UnreadableDocument) as raised:
        list(iter_parquet(path))
    assert str(raised.value) == (
        f"{path}, column 'text': no such column; the file has 'doc_id', 'body' "
        "(name another with --text-column)"
    )


def test_columns_of_the_wrong_type_are_refused(tmp_path: Path) -> None:
    texts = write(tmp_path / "t.parquet", {"doc_id": ["a"], "text": [1.5]}, text=pa.float64())
    with pytest.raises(UnreadableDocument, match=r"column 'text': holds double, not strings"):
        list(iter_parquet(texts))
    ids = write(tmp_path / "i.parquet", {"doc_id": [1.5], "text": ["x"]}, doc_id=pa.float64())
    with pytest.raises(UnreadableDocument, match=r"column 'doc_id': holds double, not strings or integers"):
        list(iter_parquet(ids))


def test_a_file_that_is_not_parquet_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    path.write_text('{"doc_id": "a", "text": "JSON, misnamed"}\n', encoding="utf-8")
    with pytest.raises(UnreadableDocument, match=r"c\.parquet: not a readable Parquet file"):
        list(iter_parquet(path))
    assert count_parquet(path) is None
    with pytest.raises(UnreadableDocument, match="no such file"):
        list(iter_parquet(tmp_path / "missing.parquet"))
