"""Corpora: a folder or JSON Lines; a bad document is reported in its place and the run goes on."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from microcareer.adapters.documents import (
    Document,
    count_corpus,
    is_jsonl_corpus,
    iter_corpus,
    iter_jsonl,
)
from microcareer.errors import UnreadableDocument
from tests.unit.adapters.document_helpers import PAGE_ONE, pdf_bytes

GOOD = json.dumps({"doc_id": "p1", "text": "Forklift operation\r\nand stock control"})
LINES = [
    GOOD,
    "",
    "   ",
    '{"doc_id": "p2", "text": "Cut off',
    '["p3", "an array"]',
    '{"text": "no id"}',
    '{"doc_id": "p5"}',
    '{"doc_id": "p6", "text": 42}',
    '{"doc_id": 7.5, "text": "float id"}',
    '{"doc_id": true, "text": "bool id"}',
    '{"doc_id": "  ", "text": "blank id"}',
    '{"doc_id": "p1", "text": "duplicate"}',
    '{"id": 12, "text": "numeric id by its short name", "lang": "en"}',
    '{"doc_id": "p14", "text": "broken \\ud800 escape"}',
    '{"doc_id": "p15", "text": "still read after all that"}',
    "[" * 100_000 + "]" * 100_000,
    '{"doc_id": ' + "9" * 5000 + ', "text": "an id of 5000 digits"}',
]


def _errors(results: list[Document | UnreadableDocument]) -> dict[int | None, UnreadableDocument]:
    return {item.line: item for item in results if isinstance(item, UnreadableDocument)}


def test_jsonl_reads_good_lines_and_reports_each_bad_one() -> None:
    results = list(iter_jsonl(LINES, source="jobs.jsonl"))
    documents = [item for item in results if isinstance(item, Document)]
    assert [(d.doc_id, d.source) for d in documents] == [
        ("p1", "jobs.jsonl:1"),
        ("12", "jobs.jsonl:13"),
        ("p15", "jobs.jsonl:15"),
    ]
    assert documents[0].text == "Forklift operation\nand stock control"
    assert documents[0].media_type == "text/plain"
    errors = _errors(results)
    assert sorted(line for line in errors if line is not None) == [4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17]
    expected = {
        4: (None, "not valid JSON"),
        5: (None, "expected a JSON object, found array"),
        6: ("doc_id", "missing"),
        7: ("text", "missing"),
        8: ("text", "must be a string, found number"),
        9: ("doc_id", "found number 7.5"),
        10: ("doc_id", "found boolean true"),
        11: ("doc_id", "non-empty"),
        12: ("doc_id", "duplicate doc_id 'p1' (first on line 1)"),
        14: ("text", "lone surrogate"),
        16: (None, "not usable JSON"),
        17: (None, "not usable JSON"),
    }
    for line, (field, words) in expected.items():
        error = errors[line]
        assert (error.file, error.column) == ("jobs.jsonl", field)
        assert str(error).startswith(f"jobs.jsonl, line {line}")
        assert words in str(error)


def test_jsonl_text_over_the_limit_is_reported_on_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("microcareer.adapters.documents.limits.MAX_TEXT_CHARS", 10)
    lines = ['{"id": 1, "text": "short"}', '{"id": 2, "text": "far too long for the limit"}']
    first, second = iter_jsonl(lines, source="<stdin>")
    assert isinstance(first, Document)
    assert isinstance(second, UnreadableDocument)
    assert str(second).startswith("<stdin>, line 2, column 'text': ")


def test_a_jsonl_file_with_a_bom_and_a_non_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "corpus.JSONL"
    path.write_bytes(
        b'\xef\xbb\xbf{"id": "a", "text": "Caf\xc3\xa9 staff"}\n'
        b'{"id": "b", "text": "Caf\xe9 staff"}\r\n'
        b'{"id": "c", "text": "Barista"}\n\n'
    )
    assert is_jsonl_corpus(path)
    results = list(iter_corpus(path))
    assert [item.doc_id for item in results if isinstance(item, Document)] == ["a", "c"]
    assert isinstance(results[0], Document)
    assert results[0].text == "Café staff"
    error = results[1]
    assert isinstance(error, UnreadableDocument)
    assert str(error).startswith(f"{path}, line 2: ")
    assert "UTF-8" in str(error)
    assert count_corpus(path) == 3


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "postings" / "2024").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b-cv.txt").write_text("Bookkeeping and payroll", encoding="utf-8")
    (root / "a-brief.md").write_text("# Brief\nTranslate a user manual", encoding="utf-8")
    (root / "postings" / "2024" / "nurse.html").write_text("<p>Wound care</p>", encoding="utf-8")
    (root / "postings" / "scan.pdf").write_bytes(b"%PDF-1.7\n garbage")
    (root / "postings" / "welder.PDF").write_bytes(pdf_bytes(PAGE_ONE))
    (root / "postings" / "notes.csv").write_text("not,a,document", encoding="utf-8")
    (root / ".hidden.txt").write_text("secret", encoding="utf-8")
    (root / ".git" / "config.txt").write_text("secret", encoding="utf-8")
    (root / "~$b-cv.docx").write_bytes(b"lock")
    return root


def test_a_folder_is_read_in_order_and_goes_on_past_a_bad_file(folder: Path) -> None:
    results = list(iter_corpus(folder))
    assert [item.doc_id if isinstance(item, Document) else item.file for item in results] == [
        "a-brief.md",
        "b-cv.txt",
        "postings/2024/nurse.html",
        str(folder / "postings" / "scan.pdf"),
        "postings/welder.PDF",
    ]
    error = results[3]
    assert isinstance(error, UnreadableDocument)
    assert "cannot be parsed" in str(error)
    nurse = results[2]
    assert isinstance(nurse, Document)
    assert (nurse.text, nurse.source) == ("Wound care", str(folder / "postings" / "2024" / "nurse.html"))
    assert count_corpus(folder) == 5


def test_a_single_file_is_a_corpus_of_one(folder: Path) -> None:
    path = folder / "b-cv.txt"
    (result,) = iter_corpus(path)
    assert isinstance(result, Document)
    assert result.doc_id == "b-cv.txt"
    assert count_corpus(path) == 1


def test_a_missing_corpus_raises_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.jsonl"
    with pytest.raises(UnreadableDocument) as caught:
        list(iter_corpus(missing))
    assert str(caught.value) == f"{missing}: no such file or folder"
    assert count_corpus(missing) is None
    assert count_corpus(tmp_path / "nowhere") is None


def test_jsonl_corpus_names() -> None:
    assert is_jsonl_corpus(Path("a/b.ndjson"))
    assert not is_jsonl_corpus(Path("a/b.json"))


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private = tmp_path / "private"

    def walk(top: Path, onerror: Callable[[OSError], None]) -> Iterator[tuple[str, list[str], list[str]]]:
        onerror(PermissionError(13, "Permission denied", str(private)))
        yield str(top), [], ["ok.txt"]

    (tmp_path / "ok.txt").write_text("Payroll", encoding="utf-8")
    monkeypatch.setattr("microcareer.adapters.documents.corpus.os.walk", walk)
    error, document = iter_corpus(tmp_path)
    assert isinstance(error, UnreadableDocument)
    assert str(error) == f"{private}: cannot list folder (Permission denied)"
    assert isinstance(document, Document)
    assert count_corpus(tmp_path) == 2
