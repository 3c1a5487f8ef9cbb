"""Postings files as the ingest reads them: records counted as parsed (the row cap of an upload counts
these), the columns a format fixes, and uploads spooled within their byte cap; what cannot be read is
refused naming ``format`` or ``file``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from microcareer.adapters.posting_files import PostingFile, spooled_upload, write_records
from microcareer.errors import FileTooLarge, InvalidInput

CSV = 'id,title,text,date\n1,Dev,"Python\nand SQL\nevery day",2026-01-01\n2,Dev,Haskell,2026-01-02\n'


def test_records_are_counted_as_parsed_with_the_columns_the_format_fixes(tmp_path: Path) -> None:
    csv_file = tmp_path / "p.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    lines = tmp_path / "p.jsonl"
    lines.write_text('{"id": 1}\n\n{"id": 2}\n', encoding="utf-8")
    parquet = tmp_path / "p.parquet"
    write_records(parquet, [{"id": "1", "title": "Dev"}, {"id": "2", "title": "Dev"}])
    found = {path.suffix: PostingFile.at(path) for path in (csv_file, lines, parquet)}
    assert {suffix: file.count() for suffix, file in found.items()} == {".csv": 2, ".jsonl": 2, ".parquet": 2}
    assert found[".csv"].columns() == ["id", "title", "text", "date"]
    assert found[".parquet"].columns() == ["id", "title"]
    assert found[".jsonl"].columns() is None
    assert [line for line, _ in found[".csv"].records()] == [4, 5]  # a record ends on its last line


def test_unknown_formats_missing_files_and_oversized_uploads_are_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text(CSV, encoding="utf-8")
    for path, given in ((tmp_path / "p.txt", None), (tmp_path / "p.txt", "xml")):
        with pytest.raises(InvalidInput) as refused:
            PostingFile.at(path, given)
        assert refused.value.extra["field"] == "format"
    with pytest.raises(InvalidInput) as missing:
        PostingFile.at(tmp_path / "none.csv")
    assert missing.value.extra["field"] == "file"
    with spooled_upload(io.BytesIO(CSV.encode()), filename="../up.csv", given=None, max_bytes=len(CSV)) as up:
        assert (up.name, up.stem, up.count()) == ("up.csv", "up", 2)
        spooled = up.path
    assert not spooled.exists()  # removed after
    too_big = spooled_upload(io.BytesIO(CSV.encode()), filename="up.csv", given=None, max_bytes=10)
    with pytest.raises(FileTooLarge) as too_large, too_big:
        pass
    assert (too_large.value.status, too_large.value.extra["field"]) == (413, "file")
    broken = spooled_upload(io.BytesIO(b"not parquet"), filename="up.parquet", given=None, max_bytes=100)
    with broken as up, pytest.raises(InvalidInput) as unreadable:
        up.count()
    assert unreadable.value.extra["field"] == "file"


def test_the_text_of_a_parquet_file_is_measured_decoded(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    write_records(path, [{"id": str(n), "text": "Python " * 500} for n in range(20)])
    measured = PostingFile.at(path).text_bytes()
    assert measured >= 20 * len("Python " * 500) > 4 * path.stat().st_size  # compressed on disk
