"""PDFs: the text layer page by page; encrypted, scanned and damaged files refused with the reason."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader
from pypdf.errors import DependencyError

from microcareer.adapters.documents import read_document, read_document_bytes
from microcareer.errors import UnreadableDocument
from tests.unit.adapters.document_helpers import PAGE_ONE, PAGE_TWO, drawing_only_pdf_bytes, pdf_bytes

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _write(tmp_path: Path, data: bytes, name: str = "posting.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path: Path) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    return message


def test_pages_are_joined_with_a_blank_line(tmp_path: Path) -> None:
    document = read_document(_write(tmp_path, pdf_bytes(PAGE_ONE, PAGE_TWO)))
    assert document.text == f"{PAGE_ONE}\n\n{PAGE_TWO}"
    assert (document.doc_id, document.media_type) == ("posting.pdf", "application/pdf")


def test_a_pdf_locked_only_against_editing_opens_with_the_empty_password(tmp_path: Path) -> None:
    path = _write(tmp_path, pdf_bytes(PAGE_ONE, owner_password="only-the-owner"))
    assert PdfReader(path).is_encrypted
    assert read_document(path).text == PAGE_ONE


def test_a_pdf_that_needs_a_password_says_so(tmp_path: Path) -> None:
    message = _refused(_write(tmp_path, pdf_bytes(PAGE_ONE, user_password="letmein"), "locked.pdf"))
    assert "encrypted" in message
    assert "password" in message


def test_aes_without_a_crypto_package_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    def needs_cryptography(self: PdfReader, password: str) -> None:
        raise DependencyError("cryptography is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", needs_cryptography)
    data = pdf_bytes(PAGE_ONE, user_password="")
    with pytest.raises(UnreadableDocument, match=r"^aes\.pdf: .*AES-encrypted.*'cryptography'"):
        read_document_bytes(data, filename="aes.pdf")


def test_a_pdf_without_a_text_layer_is_called_a_possible_scan(tmp_path: Path) -> None:
    message = _refused(_write(tmp_path, drawing_only_pdf_bytes(), "scan.pdf"))
    assert "no text layer" in message
    assert "OCR" in message


@pytest.mark.parametrize("keep", [20, 400, -40])
def test_a_truncated_pdf_cannot_be_parsed(tmp_path: Path, keep: int) -> None:
    data = pdf_bytes(PAGE_ONE, PAGE_TWO)
    assert "cannot be parsed" in _refused(_write(tmp_path, data[:keep], "cut.pdf"))


def test_pypdf_logs_nothing_about_a_damaged_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path, pdf_bytes(PAGE_ONE)[:-40], "cut.pdf")
    with caplog.at_level(logging.DEBUG):
        _refused(path)
    assert [record for record in caplog.records if record.name.startswith("pypdf")] == []


@pytest.mark.skipif(not UNICODE_FONT.exists(), reason="needs the DejaVu Sans font to set a ligature")
def test_typographic_ligatures_become_letters(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(UNICODE_FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    pdf.cell(text="Corporate ﬁnance and work\ufb02ow design")
    path = _write(tmp_path, bytes(pdf.output()))
    assert read_document(path).text == "Corporate finance and workflow design"
