"""DOCX to text with python-docx: body paragraphs and tables in document order; headers and footers skipped.

The body is walked as XML rather than through ``Document.paragraphs``/``tables`` because those lists
lose the order between paragraphs and tables, and skip content controls (``w:sdt``), in which Word's
own CV templates wrap whole sections.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn

from microcareer.adapters.documents.plain import normalise_newlines
from microcareer.errors import UnreadableDocument

MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""A DOCX whose parts unpack to more than this is refused: a zip bomb would exhaust memory."""

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_SDT, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
_SPACES = re.compile(r"[ \t]+")
_CONTENT_TYPES = "[Content_Types].xml"
_WORD_MAIN_PART = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

# lxml ships no type information, so XML elements are ``Any`` here; only ``.tag``, ``.text`` (on w:p,
# from python-docx) and ``iterchildren`` are used.
_Element = Any


def docx_to_text(data: bytes, source: str) -> str:
    _check_archive(data, source)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
        lines = list(_block_lines(body))
    except Exception as exc:  # damaged XML or parts: lxml and python-docx raise many kinds
        raise UnreadableDocument(
            source, None, None, f"the DOCX cannot be parsed ({type(exc).__name__}: {exc})"
        ) from None
    return unicodedata.normalize("NFC", _squeeze_blank_lines(lines))


def _check_archive(data: bytes, source: str) -> None:
    """Refuse, before python-docx unpacks anything, a damaged zip, a zip bomb and other zip formats."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            types = archive.read(_CONTENT_TYPES) if _CONTENT_TYPES in archive.namelist() else b""
    except Exception:  # BadZipFile mostly; a mangled central directory can also raise ValueError or OSError
        raise UnreadableDocument(
            source, None, None, "not a valid DOCX: the zip archive is damaged or truncated"
        ) from None
    if _WORD_MAIN_PART not in types:
        # An .xlsx, .odt, .epub, a macro-enabled .docm or a plain zip of files.
        raise UnreadableDocument(source, None, None, "a zip archive but not a Word (.docx) document")
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableDocument(
            source,
            None,
            None,
            f"the DOCX unpacks to {unpacked / 2**20:.0f} MiB, over the "
            f"{MAX_UNPACKED_BYTES / 2**20:g} MiB limit (a zip bomb?)",
        )


def _children(element: _Element, *tags: str) -> Iterator[_Element]:
    """Children with one of ``tags``, looking through content controls as if they were not there."""
    for child in element.iterchildren():
        if child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _children(content, *tags)
        elif child.tag in tags:
            yield child


def _block_lines(container: _Element) -> Iterator[str]:
    for block in _children(container, _P, _TBL):
        if block.tag == _P:
            yield normalise_newlines(str(block.text))
        else:
            yield from _table_lines(block)


def _table_lines(table: _Element) -> Iterator[str]:
    """A data table gives one line per row, cells joined by `` | ``.

    A layout table (CV templates put whole columns of text in one cell) would become one endless
    line that way, so a row with any cell of several lines gives its cells' lines in turn instead.
    """
    for row in _children(table, _TR):
        cells = [_cell_lines(cell) for cell in _children(row, _TC)]
        if all(len(lines) <= 1 for lines in cells):
            line = " | ".join(lines[0] for lines in cells if lines)
            if line:
                yield line
        else:
            for lines in cells:
                yield from lines


def _cell_lines(cell: _Element) -> list[str]:
    lines: list[str] = []
    for text in _block_lines(cell):
        lines.extend(part for line in text.split("\n") if (part := _SPACES.sub(" ", line).strip()))
    return lines


def _squeeze_blank_lines(lines: list[str]) -> str:
    """Empty paragraphs used as spacing become at most one blank line."""
    kept: list[str] = []
    for line in "\n".join(lines).split("\n"):
        stripped = line.rstrip()
        if stripped or (kept and kept[-1]):
            kept.append(stripped)
    return "\n".join(kept).strip("\n")
