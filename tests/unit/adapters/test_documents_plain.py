"""Plain text and Markdown, and what every format shares: dispatch, sniffing, limits and file errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcareer.adapters.documents import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    SUPPORTED_EXTENSIONS,
    Document,
    read_document,
    read_document_bytes,
)
from microcareer.errors import DataFileError, UnreadableDocument
from tests.unit.adapters.document_helpers import PAGE_ONE, pdf_bytes, simple_docx_bytes


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path: Path) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as caught:
        read_document(path)
    assert str(path) in str(caught.value)
    return caught.value


def test_utf8_text_keeps_its_characters_and_unifies_line_ends(tmp_path: Path) -> None:
    path = _write(tmp_path, "brief.txt", "\ufeffZadanie: tłumaczenie\r\nSłownik\rKoniec\n".encode())
    document = read_document(path)
    assert document == Document(
        doc_id="brief.txt",
        text="Zadanie: tłumaczenie\nSłownik\nKoniec\n",
        source=str(path),
        media_type="text/plain",
    )


def test_windows_1252_text_is_decoded_when_it_is_not_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path, "cv.text", "Café manager – “agile” coach, 5 €".encode("cp1252"))
    assert read_document(path).text == "Café manager – “agile” coach, 5 €"


def test_utf16_with_a_bom_is_decoded(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.txt", "Kanban board\r\n".encode("utf-16"))
    assert read_document(path).text == "Kanban board\n"


def test_text_that_is_neither_utf8_nor_cp1252_names_file_line_and_byte(tmp_path: Path) -> None:
    # 0x81 is invalid UTF-8 here and one of the five bytes cp1252 leaves undefined.
    path = _write(tmp_path, "broken.txt", b"first line\nsecond \x81 line\n")
    error = _refused(path)
    assert error.line == 2
    assert "byte offset 18" in str(error)
    assert "0x81" in str(error)


def test_a_binary_file_under_a_text_name_is_refused(tmp_path: Path) -> None:
    error = _refused(_write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert "binary" in str(error)


def test_markdown_is_kept_raw_so_offsets_point_into_the_file(tmp_path: Path) -> None:
    source = "# Role\r\n\r\n- **Python** and *SQL*\r\n- [Docker](https://docker.example)\r\n"
    document = read_document(_write(tmp_path, "post.MD", source.encode()))
    assert document.text == source.replace("\r\n", "\n")
    assert document.media_type == "text/markdown"


def test_the_doc_id_can_be_given(tmp_path: Path) -> None:
    assert read_document(_write(tmp_path, "a.txt", b"x"), doc_id="posting-17").doc_id == "posting-17"


def test_uploaded_bytes_are_read_by_their_file_name() -> None:
    document = read_document_bytes(b"<p>Team <b>lead</b></p>", filename="C:\\Users\\ana\\post.HTM")
    assert (document.text, document.media_type) == ("Team lead", "text/html")
    assert document.doc_id == document.source == "C:\\Users\\ana\\post.HTM"


def test_content_wins_over_a_lying_extension(tmp_path: Path) -> None:
    pdf = read_document(_write(tmp_path, "cv.txt", pdf_bytes(PAGE_ONE)))
    assert pdf.media_type == "application/pdf"
    assert "ETL pipelines" in pdf.text
    word = read_document_bytes(simple_docx_bytes("Scrum master"), filename="cv")
    assert (word.text, word.media_type[-8:]) == ("Scrum master", "document")


def test_a_file_without_extension_is_sniffed_as_html_or_text(tmp_path: Path) -> None:
    html = read_document(_write(tmp_path, "page", b"\n<!DOCTYPE html><p>Budgeting</p><script>x()</script>"))
    assert (html.text, html.media_type) == ("Budgeting", "text/html")
    assert read_document(_write(tmp_path, "README", b"<b> is bold")).media_type == "text/plain"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("cv.rtf", b"{\\rtf1 hello}", "unsupported file type '.rtf'"),
        ("cv.pdf", b"<html>404 Not Found</html>", "not a PDF"),
        ("cv.docx", b"plain words", "not a DOCX"),
        ("cv.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "password-protected"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_wrong_or_unsupported_content_is_refused_by_name(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    assert words in str(_refused(_write(tmp_path, name, data)))


def test_missing_files_and_folders_are_named(tmp_path: Path) -> None:
    assert "no such file" in str(_refused(tmp_path / "nowhere.txt"))
    (tmp_path / "folder.txt").mkdir()
    assert "folder" in str(_refused(tmp_path / "folder.txt"))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: the limit must be checked on the size alone
    assert "25 MiB limit" in str(_refused(path))
    with pytest.raises(UnreadableDocument, match=r"^upload\.txt: .*25 MiB limit"):
        read_document_bytes(bytes(MAX_FILE_BYTES + 1), filename="upload.txt")


def test_text_over_the_character_limit_is_refused(tmp_path: Path) -> None:
    at_limit = _write(tmp_path, "at.txt", b"a" * MAX_TEXT_CHARS)
    assert len(read_document(at_limit).text) == MAX_TEXT_CHARS
    error = _refused(_write(tmp_path, "over.txt", b"a" * (MAX_TEXT_CHARS + 1)))
    assert "2,000,000 characters" in str(error)


def test_the_error_is_a_data_file_error_with_its_own_code(tmp_path: Path) -> None:
    error = _refused(_write(tmp_path, "x.odt", b"zzz"))
    assert isinstance(error, DataFileError)
    assert (error.code, error.status, error.file) == ("unreadable_document", 422, str(tmp_path / "x.odt"))


def test_supported_extensions_are_the_documented_ones() -> None:
    assert {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"} == SUPPORTED_EXTENSIONS


def test_the_byte_offset_counts_the_bom_as_a_hex_editor_does(tmp_path: Path) -> None:
    error = _refused(_write(tmp_path, "bom.txt", b"\xef\xbb\xbfab\x81"))
    assert "byte offset 5" in str(error)
    assert error.line == 1
