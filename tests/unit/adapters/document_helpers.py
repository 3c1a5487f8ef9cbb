"""Fixture documents made at test time: PDFs with fpdf2, DOCX with python-docx, all from our own text."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from fpdf import FPDF
from fpdf.enums import EncryptionMethod

DATA = Path(__file__).resolve().parents[2] / "data" / "documents"

PAGE_ONE = "Senior data engineer wanted. You will build ETL pipelines in Python and Airflow."
PAGE_TWO = "Nice to have: experience with Terraform and a calm approach to on-call incidents."


def pdf_bytes(*pages: str, user_password: str | None = None, owner_password: str | None = None) -> bytes:
    """A PDF with one page per text; encrypted (RC4, which pypdf opens without extra packages) on request."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text=text)
    if user_password is not None or owner_password is not None:
        pdf.set_encryption(
            owner_password=owner_password or "owner-secret",
            user_password=user_password,
            encryption_method=EncryptionMethod.RC4,
        )
    return bytes(pdf.output())


def drawing_only_pdf_bytes() -> bytes:
    """A page with a drawn rectangle and no text at all: what a scan looks like to a text extractor."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 80, 40, style="F")
    return bytes(pdf.output())


def docx_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def simple_docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    return docx_bytes(document)
