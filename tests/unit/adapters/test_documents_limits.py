"""Bounded work per document (issue 15): hostile files are refused early, with the limit named, and
the document pool's workers are killed past their time and stopped at their memory.

No assertion here is on wall time: each hostile file would take minutes or gigabytes if read whole,
and the tests prove the refusal comes from the limit (its message), from reading only a bounded part.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcareer.adapters.documents import iter_corpus, read_document, read_document_bytes
from microcareer.adapters.documents.limits import DocumentLimits
from microcareer.adapters.documents.pool import DocumentPool
from microcareer.errors import UnreadableDocument
from tests.unit.adapters.document_helpers import pdf_bytes, simple_docx_bytes
from tests.unit.adapters.hostile_documents import (
    big_html,
    element_flood_docx,
    empty_paragraphs_docx,
    inflating_docx,
    lying_docx,
    many_pages_pdf,
    text_docx,
)

# Tests about other limits leave time enough that a loaded machine cannot hit the time limit first.
UNHURRIED = DocumentLimits(max_seconds=600)


def _refused(data: bytes, filename: str, limits: DocumentLimits = UNHURRIED) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_document_bytes(data, filename=filename, limits=limits)
    assert str(caught.value).startswith(f"{filename}: ")  # the error names the file
    return caught.value.problem


def test_millions_of_empty_paragraphs_stop_at_the_paragraph_limit() -> None:
    data = empty_paragraphs_docx(3_000_000)
    assert len(data) < 200_000  # small on the wire, as in the issue
    assert "more than the limit of 100,000 paragraphs" in _refused(data, "spacing.docx")


def test_a_zip_bomb_stops_at_the_bytes_it_really_inflates_to() -> None:
    limits = DocumentLimits(max_unpacked_bytes=2 * 1024**2, max_compression_ratio=10**6, max_seconds=600)
    problem = _refused(inflating_docx(), "bomb.docx", limits)
    assert "the DOCX part word/document.xml inflates past the limit of 2 MiB (a zip bomb?)" in problem


def test_a_zip_bomb_stops_at_the_compression_ratio() -> None:
    problem = _refused(inflating_docx(), "bomb.docx")  # the default limits: a ratio of 200 past 1 MiB
    assert "inflates more than 200 times its compressed size" in problem


def test_a_flood_of_empty_elements_stops_at_the_element_limit() -> None:
    # this flood compresses past any ratio too; the time limit is not what this test is about
    limits = DocumentLimits(max_compression_ratio=10**6, max_seconds=600)
    problem = _refused(element_flood_docx(), "flood.docx", limits)
    assert "more than the limit of 1,000,000 XML elements" in problem


@pytest.mark.parametrize("declared", [1000, 2**32 - 1])
def test_declared_sizes_are_not_trusted(declared: int) -> None:
    """Declared small, the entry would unpack past it (refused as damaged: its checksum fails);
    declared huge, the real bytes are counted and stop at the limit."""
    data = lying_docx(declared)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("word/document.xml").file_size == declared
    problem = _refused(data, "liar.docx")
    assert "damaged" in problem or "(a zip bomb?)" in problem


def test_docx_text_past_the_character_limit_is_refused_while_parsing() -> None:
    data = text_docx(["x" * 1000] * 50)
    assert "over the limit of 20,000 characters" in _refused(
        data, "long.docx", DocumentLimits(max_chars=20_000, max_seconds=600)
    )


def test_a_docx_past_its_time_limit_is_refused() -> None:
    data = empty_paragraphs_docx(200_000)
    problem = _refused(data, "slow.docx", DocumentLimits(max_seconds=0.0, max_paragraphs=10**6))
    assert "took longer than the limit of 0 s" in problem


def test_a_docx_within_the_limits_reads_as_before() -> None:
    assert read_document_bytes(text_docx(["Forklift", "", "", "SAP"]), filename="cv.docx").text == (
        "Forklift\n\nSAP"
    )
    assert read_document_bytes(simple_docx_bytes("One", "Two"), filename="cv.docx").text == "One\nTwo"


def test_a_pdf_over_the_page_limit_is_refused_before_extracting() -> None:
    assert "more than the limit of 1,000 pages" in _refused(many_pages_pdf(1001), "book.pdf")
    small = DocumentLimits(max_pages=2, max_seconds=600)
    assert "more than the limit of 2 pages" in _refused(pdf_bytes("a", "b", "c"), "three.pdf", small)
    assert read_document_bytes(pdf_bytes("a", "b"), filename="two.pdf", limits=small).text == "a\n\nb"


def test_an_html_file_over_its_size_is_refused_before_parsing() -> None:
    problem = _refused(big_html(6 * 1024 * 1024), "page.html")
    assert "over the 5 MiB limit for an HTML document" in problem


def test_html_text_past_the_character_limit_is_refused_while_walking() -> None:
    problem = _refused(big_html(100_000), "page.html", DocumentLimits(max_chars=1000, max_seconds=600))
    assert "over the limit of 1,000 characters" in problem


def test_the_corpus_reader_reports_each_file_over_a_limit_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a-spacing.docx").write_bytes(empty_paragraphs_docx(200_000))
    (tmp_path / "b-book.pdf").write_bytes(many_pages_pdf(30))
    (tmp_path / "c-page.html").write_bytes(big_html(300_000))
    (tmp_path / "d-cv.txt").write_text("Forklift and SAP", encoding="utf-8")
    limits = DocumentLimits(max_paragraphs=1000, max_pages=10, max_html_bytes=100_000, max_seconds=600)
    results = list(iter_corpus(tmp_path, limits))
    problems = [str(item) for item in results if isinstance(item, UnreadableDocument)]
    assert len(problems) == 3
    assert "a-spacing.docx" in problems[0]
    assert "1,000 paragraphs" in problems[0]
    assert "b-book.pdf" in problems[1]
    assert "10 pages" in problems[1]
    assert "c-page.html" in problems[2]
    assert "HTML document" in problems[2]
    assert [d.text for d in results if not isinstance(d, UnreadableDocument)] == ["Forklift and SAP"]
    with pytest.raises(UnreadableDocument, match="1,000 paragraphs"):
        read_document(tmp_path / "a-spacing.docx", limits=limits)


@pytest.fixture
def pool() -> Iterator[DocumentPool]:
    pool = DocumentPool(workers=1, memory_bytes=1024 * 2**20)
    yield pool
    pool.close()


def test_the_pool_reads_as_the_reader_does(pool: DocumentPool) -> None:
    data = simple_docx_bytes("Forklift licence", "SAP MM")
    assert pool.read_bytes(data, filename="cv.docx") == read_document_bytes(data, filename="cv.docx")
    assert "more than the limit of 100,000 paragraphs" in _pool_refused(
        pool, empty_paragraphs_docx(), "spacing.docx"
    )


def _pool_refused(
    pool: DocumentPool, data: bytes, filename: str, limits: DocumentLimits | None = None
) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        pool.read_bytes(data, filename=filename, limits=limits or UNHURRIED)
    assert str(caught.value).startswith(f"{filename}: ")
    return caught.value.problem


def test_a_worker_past_its_time_is_killed_and_replaced(pool: DocumentPool) -> None:
    # Parsing 4 MB of HTML is one library call the reader's own clock cannot interrupt: only the kill
    # ends it. The limit is tiny so that the test does not depend on how fast this machine is.
    tiny = DocumentLimits(max_seconds=0.01)
    problem = _pool_refused(pool, big_html(4 * 1024 * 1024), "page.html", tiny)
    assert "took longer than the limit of 0.01 s" in problem
    assert pool.read_bytes(b"still here", filename="next.txt").text == "still here"


def test_a_document_needing_more_memory_than_a_worker_has_is_refused() -> None:
    pool = DocumentPool(workers=1, memory_bytes=160 * 2**20)  # a worker starts in about 75 MiB
    try:
        assert pool.read_bytes(b"small", filename="a.txt").text == "small"
        limits = DocumentLimits(max_seconds=600)
        problem = _pool_refused(pool, big_html(4 * 1024 * 1024), "page.html", limits)
        assert "memory" in problem
        assert pool.read_bytes(b"after", filename="b.txt").text == "after"
    finally:
        pool.close()


def test_an_upload_over_the_size_limit_is_not_sent_to_a_worker(pool: DocumentPool) -> None:
    limits = DocumentLimits(max_file_bytes=2**20)
    assert "over the 1 MiB limit" in _pool_refused(pool, bytes(2**20 + 1), "big.txt", limits)
