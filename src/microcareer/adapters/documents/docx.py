"""DOCX to text: body paragraphs and tables in document order; headers and footers skipped.

The zip is read here, not by python-docx, so that nothing trusts a size the archive declares: only
the main document part is inflated, in chunks, counting the bytes it really gives, and reading stops
at a cap on those bytes and at a ratio to the part's compressed size (a zip bomb). The XML is parsed
as it streams in (``lxml.etree.iterparse``), counting elements, paragraphs and characters and watching
the clock, and every element the text does not use (run and paragraph properties, drawings, tracked
changes) is dropped as soon as it ends, so a document of millions of paragraphs is refused after the
first ``max_paragraphs`` rather than built whole in memory.

The text is what python-docx gives for the same file: a paragraph's text is that of its own runs and
hyperlinks' runs (``w:t``, tabs, line breaks, non-breaking hyphens). The body is walked in order
rather than as separate paragraph and table lists, and through content controls (``w:sdt``), in which
Word's own CV templates wrap whole sections.
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

from microcareer.adapters.documents.limits import (
    RATIO_FLOOR_BYTES,
    Deadline,
    DocumentLimits,
    default_limits,
    over_limit,
)
from microcareer.adapters.documents.plain import normalise_newlines
from microcareer.errors import UnreadableDocument

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_SDT, _SDT_CONTENT, _BODY = f"{_W}sdt", f"{_W}sdtContent", f"{_W}body"
_R, _HYPERLINK, _T, _BR = f"{_W}r", f"{_W}hyperlink", f"{_W}t", f"{_W}br"
# What one run's children stand for in its text (python-docx's CT_R.text); w:br by its type.
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_BR_TYPE = f"{_W}type"
# Elements the text is made of; any other is dropped, with all it holds, once parsed.
_KEPT = frozenset(
    {f"{_W}document", _BODY, _P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT, _R, _HYPERLINK, _T, _BR} | set(_RUN_TEXT)
)
_SPACES = re.compile(r"[ \t]+")
_CONTENT_TYPES = "[Content_Types].xml"
_PACKAGE_RELS = "_rels/.rels"
_DEFAULT_MAIN_PART = "word/document.xml"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_WORD_MAIN_PART = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_SMALL_PART_BYTES = 1024 * 1024  # [Content_Types].xml and the relationships: a few KB in any real file
_CHUNK = 64 * 1024
_CLOCK_EVERY = 4096  # elements between two looks at the clock

# lxml ships no type information, so XML elements are ``Any`` here.
_Element = Any


def docx_to_text(data: bytes, source: str, limits: DocumentLimits | None = None) -> str:
    limits = limits or default_limits()
    deadline = Deadline(limits.max_seconds, source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile mostly; a mangled central directory can also raise ValueError or OSError
        raise _damaged(source) from None
    with archive:
        types = _read_small_part(archive, _CONTENT_TYPES, source)
        if _WORD_MAIN_PART not in types:
            # An .xlsx, .odt, .epub, a macro-enabled .docm or a plain zip of files.
            raise UnreadableDocument(source, None, None, "a zip archive but not a Word (.docx) document")
        main = _main_part_name(archive, source)
        try:
            info = archive.getinfo(main)
        except KeyError:
            raise UnreadableDocument(
                source, None, None, f"not a valid DOCX: its document part {main} is missing"
            ) from None
        body = _parse_body(archive, info, source, limits, deadline)
    lines = list(_block_lines(body))
    return unicodedata.normalize("NFC", _squeeze_blank_lines(lines))


def _damaged(source: str) -> UnreadableDocument:
    return UnreadableDocument(source, None, None, "not a valid DOCX: the zip archive is damaged or truncated")


def _read_small_part(archive: zipfile.ZipFile, name: str, source: str) -> bytes:
    """A package part read whole but never past ``_SMALL_PART_BYTES`` of real output; b"" if absent."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return b""
    try:
        with archive.open(info) as stream:
            data = stream.read(_SMALL_PART_BYTES + 1)
    except Exception:
        raise _damaged(source) from None
    if len(data) > _SMALL_PART_BYTES:
        size = f"{_SMALL_PART_BYTES // 1024} KiB"
        raise over_limit(source, f"the DOCX part {name} is over {size} (a zip bomb?)")
    return data


def _main_part_name(archive: zipfile.ZipFile, source: str) -> str:
    """The part the package's relationships name as the office document (as python-docx finds it)."""
    rels = _read_small_part(archive, _PACKAGE_RELS, source)
    if rels:
        try:
            root = etree.fromstring(rels, _small_parser())
        except etree.XMLSyntaxError:
            raise UnreadableDocument(
                source, None, None, "the DOCX cannot be parsed (its _rels/.rels is not valid XML)"
            ) from None
        for relation in root:
            if relation.get("Type") == _OFFICE_DOCUMENT and relation.get("TargetMode") != "External":
                target = str(relation.get("Target", "")).lstrip("/")
                if target:
                    return posixpath.normpath(target)
    return _DEFAULT_MAIN_PART


def _small_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class _CountedStream:
    """The inflated bytes of one zip entry, counted as they come: never trusts the declared sizes."""

    def __init__(
        self, stream: IO[bytes], compressed: int, name: str, source: str, limits: DocumentLimits
    ) -> None:
        self._stream = stream
        self._compressed = max(compressed, 1)
        self._name = name
        self._source = source
        self._limits = limits
        self.inflated = 0

    def read(self, size: int = _CHUNK) -> bytes:
        chunk = self._stream.read(min(size if size > 0 else _CHUNK, _CHUNK))
        self.inflated += len(chunk)
        limits = self._limits
        if self.inflated > limits.max_unpacked_bytes:
            raise over_limit(
                self._source,
                f"the DOCX part {self._name} inflates past the limit of "
                f"{limits.max_unpacked_bytes / 2**20:g} MiB (a zip bomb?)",
            )
        # Against the part's whole compressed size: it may never give more than the ratio times that.
        ratio = self.inflated / self._compressed
        if self.inflated > RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            raise over_limit(
                self._source,
                f"the DOCX part {self._name} inflates more than {limits.max_compression_ratio:g} times "
                "its compressed size, over the limit (a zip bomb?)",
            )
        return chunk


def _parse_body(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    source: str,
    limits: DocumentLimits,
    deadline: Deadline,
) -> _Element:
    paragraphs = chars = seen = 0
    try:
        with archive.open(info) as raw:
            stream = _CountedStream(raw, info.compress_size, info.filename, source, limits)
            # As python-docx parses: whitespace between elements dropped, no entity expanded.
            events = etree.iterparse(
                stream,
                events=("end",),
                remove_blank_text=True,
                resolve_entities=False,
                no_network=True,
                huge_tree=False,
            )
            for _, element in events:
                tag = element.tag
                seen += 1
                if seen % _CLOCK_EVERY == 0:
                    deadline.check()
                    if seen > limits.max_xml_elements:
                        raise over_limit(
                            source,
                            f"the DOCX has more than the limit of {limits.max_xml_elements:,} XML elements "
                            "for a document",
                        )
                if tag not in _KEPT:
                    parent = element.getparent()
                    if parent is not None:
                        parent.remove(element)  # what the text does not use is not kept
                elif tag == _P:
                    paragraphs += 1
                    if paragraphs > limits.max_paragraphs:
                        raise over_limit(
                            source,
                            f"the DOCX has more than the limit of {limits.max_paragraphs:,} paragraphs "
                            "for a document",
                        )
                elif tag == _T and element.text:
                    chars += len(element.text)
                    if chars > limits.max_chars:
                        raise over_limit(
                            source,
                            f"the text is over the limit of {limits.max_chars:,} characters for a document",
                        )
            root = events.root
    except UnreadableDocument:
        raise
    except (zipfile.BadZipFile, EOFError, OSError):  # a bad CRC, a truncated entry
        raise _damaged(source) from None
    except Exception as exc:  # damaged XML, a bad compression stream: lxml and zlib raise many kinds
        raise UnreadableDocument(
            source, None, None, f"the DOCX cannot be parsed ({type(exc).__name__}: {exc})"
        ) from None
    body = root.find(_BODY) if root is not None else None
    if body is None:
        raise UnreadableDocument(source, None, None, "the DOCX cannot be parsed (its document has no body)")
    return body


def _children(element: _Element, *tags: str) -> Iterator[_Element]:
    """Children with one of ``tags``, looking through content controls as if they were not there."""
    for child in element.iterchildren():
        if child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _children(content, *tags)
        elif child.tag in tags:
            yield child


def _paragraph_text(paragraph: _Element) -> str:
    """Its runs' text and its hyperlinks' runs' text, as python-docx's ``Paragraph.text``."""
    pieces: list[str] = []
    for child in paragraph.iterchildren(_R, _HYPERLINK):
        runs = [child] if child.tag == _R else child.iterchildren(_R)
        for run in runs:
            for item in run.iterchildren():
                if item.tag == _T:
                    pieces.append(item.text or "")
                elif item.tag == _BR:
                    pieces.append("\n" if item.get(_BR_TYPE, "textWrapping") == "textWrapping" else "")
                else:
                    pieces.append(_RUN_TEXT.get(item.tag, ""))
    return "".join(pieces)


def _block_lines(container: _Element) -> Iterator[str]:
    for block in _children(container, _P, _TBL):
        if block.tag == _P:
            yield normalise_newlines(_paragraph_text(block))
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
