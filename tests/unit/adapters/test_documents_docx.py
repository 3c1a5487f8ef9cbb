"""DOCX CVs: body paragraphs and tables in document order; headers, footers and damage handled."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement

from microcareer.adapters.documents import limits, read_document, read_document_bytes
from microcareer.errors import UnreadableDocument
from tests.unit.adapters.document_helpers import docx_bytes, simple_docx_bytes


def _cv() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "CONFIDENTIAL HEADER"
    document.sections[0].footer.paragraphs[0].text = "Page footer"
    document.add_heading("Nadia Haddad", level=1)
    document.add_paragraph("Logistics coordinator with\tSAP experience.")
    skills = document.add_table(rows=3, cols=3)
    for row, cells in enumerate(
        [("Skill", "Level", "Years"), ("Forklift", "", "4"), ("SAP MM", "Advanced", "6")]
    ):
        for column, text in enumerate(cells):
            skills.cell(row, column).text = text
    document.add_paragraph("")
    document.add_paragraph("")
    document.add_paragraph("Languages: Arabic, French, English")
    return docx_bytes(document)


def test_paragraphs_and_tables_come_in_document_order(tmp_path: Path) -> None:
    path = tmp_path / "cv.docx"
    path.write_bytes(_cv())
    document = read_document(path)
    assert document.text == (
        "Nadia Haddad\n"
        "Logistics coordinator with\tSAP experience.\n"
        "Skill | Level | Years\n"
        "Forklift | 4\n"
        "SAP MM | Advanced | 6\n"
        "\n"
        "Languages: Arabic, French, English"
    )
    assert document.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_merged_cell_is_read_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Team leadership"
    table.cell(0, 2).text = "8 people"
    assert read_document_bytes(docx_bytes(document), filename="m.docx").text == "Team leadership | 8 people"


def test_a_layout_table_flows_as_lines_instead_of_one_long_row() -> None:
    document = docx.Document()
    layout = document.add_table(rows=1, cols=2)
    left = layout.cell(0, 0)
    left.text = "EXPERIENCE"
    left.add_paragraph("Warehouse lead, 2019-2024")
    inner = left.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Excel"
    inner.cell(0, 1).text = "Expert"
    layout.cell(0, 1).text = "CONTACT"
    text = read_document_bytes(docx_bytes(document), filename="two-column.docx").text
    assert text == "EXPERIENCE\nWarehouse lead, 2019-2024\nExcel | Expert\nCONTACT"


def test_content_controls_are_looked_through() -> None:
    document = docx.Document()
    document.add_paragraph("Before")
    inside = document.add_paragraph("Inside a content control")
    document.add_paragraph("After")
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    inside._p.addprevious(control)
    control.append(content)
    content.append(inside._p)
    text = read_document_bytes(docx_bytes(document), filename="template.docx").text
    assert text == "Before\nInside a content control\nAfter"


def _refused(data: bytes, name: str = "cv.docx") -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_document_bytes(data, filename=name)
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    return message


def test_a_truncated_docx_is_refused() -> None:
    data = simple_docx_bytes("Forklift licence")
    assert "damaged or truncated" in _refused(data[: len(data) // 2])


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "not a Word (.docx) document" in _refused(buffer.getvalue())


def test_a_docx_that_unpacks_too_far_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = simple_docx_bytes("Forklift licence")
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 256)
    assert "inflates past the limit of" in _refused(data)
    assert "zip bomb" in _refused(data)


def test_a_spreadsheet_is_not_taken_for_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "not a Word (.docx) document" in _refused(buffer.getvalue(), "budget.docx")


def test_damaged_xml_inside_a_valid_zip_cannot_be_parsed() -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(simple_docx_bytes("Forklift licence"))) as source,
        zipfile.ZipFile(buffer, "w") as archive,
    ):
        for info in source.infolist():
            content = source.read(info)
            archive.writestr(info, content[:-50] if info.filename == "word/document.xml" else content)
    assert "the DOCX cannot be parsed" in _refused(buffer.getvalue())
