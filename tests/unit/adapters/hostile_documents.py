"""Hostile documents made at test time (in milliseconds): what issue 15 sent to a server.

Each is small on the wire and costly to read naively: a DOCX of millions of empty paragraphs, zip
entries whose declared sizes lie, a PDF of thousands of pages, an HTML file of megabytes.
"""

from __future__ import annotations

import io
import struct
import zipfile

from pypdf import PdfWriter

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
DOCUMENT_END = b"</w:body></w:document>"


def docx_of_body(body: bytes) -> bytes:
    """A minimal Word package whose document body is ``body`` (raw WordprocessingML)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("word/document.xml", DOCUMENT_START + body + DOCUMENT_END)
    return buffer.getvalue()


def empty_paragraphs_docx(count: int = 3_000_000) -> bytes:
    """Millions of empty paragraphs: a few hundred KB zipped (issue 15: 153 KB, minutes of CPU, 2 GB)."""
    return docx_of_body(b"<w:p/>" * count)


def text_docx(paragraphs: list[str]) -> bytes:
    runs = b"".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode() for text in paragraphs)
    return docx_of_body(runs)


def with_declared_size(data: bytes, name: str, declared: int) -> bytes:
    """The archive with ``name``'s uncompressed size in its local and central headers set to ``declared``."""
    patched = bytearray(data)
    encoded = name.encode()
    local = patched.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", patched, local + 26)[0]
        if patched[local + 30 : local + 30 + name_length] == encoded:
            struct.pack_into("<I", patched, local + 22, declared)
        local = patched.find(b"PK\x03\x04", local + 4)
    central = patched.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + name_length] == encoded:
            struct.pack_into("<I", patched, central + 24, declared)
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


def inflating_docx(inflated_bytes: int = 64 * 1024 * 1024) -> bytes:
    """A document part of ``inflated_bytes`` in a few elements' long attributes: a zip bomb (~64 KB
    zipped) that only the inflated bytes or their ratio can stop."""
    piece = 4 * 1024 * 1024
    element = b'<x a="' + b"a" * piece + b'"/>'
    return docx_of_body(b"<w:p>" + element * (inflated_bytes // piece) + b"</w:p>")


def element_flood_docx(elements: int = 3_000_000) -> bytes:
    """Millions of empty elements in one paragraph: a few KB each megabyte, microseconds each to parse."""
    return docx_of_body(b"<w:p>" + b"<x/>" * elements + b"</w:p>")


def lying_docx(declared: int, inflated_bytes: int = 64 * 1024 * 1024) -> bytes:
    """The zip bomb with its document part declaring ``declared`` bytes instead of what it inflates to."""
    return with_declared_size(inflating_docx(inflated_bytes), "word/document.xml", declared)


def many_pages_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def big_html(size: int) -> bytes:
    """An HTML page of about ``size`` bytes of paragraphs."""
    paragraph = b"<p>word word word</p>\n"
    return b"<!doctype html><html><body>" + paragraph * (size // len(paragraph) + 1) + b"</body></html>"
