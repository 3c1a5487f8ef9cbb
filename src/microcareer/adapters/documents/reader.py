"""One document from a path or from uploaded bytes, read as the format its content or its name says.

Content wins over the name because files get misnamed: a CV saved as ``cv.txt`` that is really a PDF,
a download saved without an extension. Magic bytes are checked first; the extension decides only for
formats that have none (text, Markdown, HTML).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

from microcareer.adapters.documents import model
from microcareer.adapters.documents.limits import (
    DocumentLimits,
    check_file_size,
    check_text_length,
    default_limits,
)
from microcareer.adapters.documents.model import Document
from microcareer.adapters.documents.plain import decode_text
from microcareer.errors import UnreadableDocument


@dataclass(frozen=True, slots=True)
class _Format:
    media_type: str
    to_text: Callable[[bytes, str, DocumentLimits], str]


def _plain_to_text(data: bytes, source: str, limits: DocumentLimits) -> str:
    return decode_text(data, source)


_TEXT = _Format(model.PLAIN_TEXT, _plain_to_text)
_MARKDOWN = _Format(model.MARKDOWN, _plain_to_text)


# The converters import pypdf, lxml and Beautiful Soup when first needed: a run over plain text
# (``extract --jsonl -``) starts without them.
def _html_to_text(data: bytes, source: str, limits: DocumentLimits) -> str:
    from microcareer.adapters.documents.html import html_to_text

    return html_to_text(data, source, limits)


def _pdf_to_text(data: bytes, source: str, limits: DocumentLimits) -> str:
    from microcareer.adapters.documents.pdf import pdf_to_text

    return pdf_to_text(data, source, limits)


def _docx_to_text(data: bytes, source: str, limits: DocumentLimits) -> str:
    from microcareer.adapters.documents.docx import docx_to_text

    return docx_to_text(data, source, limits)


_HTML = _Format(model.HTML, _html_to_text)
_PDF = _Format(model.PDF, _pdf_to_text)
_DOCX = _Format(model.DOCX, _docx_to_text)
_BY_EXTENSION = {
    ".txt": _TEXT,
    ".text": _TEXT,
    ".md": _MARKDOWN,
    ".markdown": _MARKDOWN,
    ".html": _HTML,
    ".htm": _HTML,
    ".pdf": _PDF,
    ".docx": _DOCX,
}
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(_BY_EXTENSION)
"""File name extensions read as documents (lower case, with the dot); matching ignores case."""

_ZIP = b"PK\x03\x04"
# Compound File Binary: legacy .doc, and also what Office makes of any password-protected .docx.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_document(path: Path, *, doc_id: str | None = None, limits: DocumentLimits | None = None) -> Document:
    """Read one file; ``doc_id`` defaults to the file name. Raises ``UnreadableDocument`` naming it.

    ``limits`` bound what it may cost (``limits.default_limits()`` when None)."""
    source = str(path)
    limits = limits or default_limits()
    try:
        check_file_size(path.stat().st_size, source, limits)
        data = path.read_bytes()
    except IsADirectoryError:
        raise UnreadableDocument(source, None, None, "is a folder, not a document") from None
    except FileNotFoundError:
        raise UnreadableDocument(source, None, None, "no such file") from None
    except OSError as exc:
        raise UnreadableDocument(source, None, None, f"cannot be read ({exc.strerror or exc})") from None
    return _document(data, path.name, source, path.name if doc_id is None else doc_id, limits)


def read_document_bytes(
    data: bytes, *, filename: str, doc_id: str | None = None, limits: DocumentLimits | None = None
) -> Document:
    """Read an upload; ``filename`` (as the client sent it) names it in errors and is the default id.

    In this thread: a server reads uploads through ``DocumentPool`` instead, out of its process."""
    limits = limits or default_limits()
    check_file_size(len(data), filename, limits)
    return _document(data, filename, filename, filename if doc_id is None else doc_id, limits)


def _document(data: bytes, name: str, source: str, doc_id: str, limits: DocumentLimits) -> Document:
    if not data:
        raise UnreadableDocument(source, None, None, "the file is empty")
    found = _format(data, PurePath(name.replace("\\", "/")).suffix.lower(), source)
    text = found.to_text(data, source, limits)
    check_text_length(len(text), source, limits=limits)
    return Document(doc_id=doc_id, text=text, source=source, media_type=found.media_type)


def _format(data: bytes, extension: str, source: str) -> _Format:
    head = data[:1024]
    if head.startswith(_ZIP):
        return _DOCX
    if head.lstrip().startswith(b"%PDF-"):
        return _PDF
    if head.startswith(_OLE):
        raise UnreadableDocument(
            source,
            None,
            None,
            "a password-protected Office document or an old binary .doc file, which cannot be read; "
            "save it as an unprotected .docx or PDF",
        )
    named = _BY_EXTENSION.get(extension)
    if named is _PDF and b"%PDF-" not in head:
        raise UnreadableDocument(
            source, None, None, "not a PDF (no %PDF- header): another format, or a failed download?"
        )
    if named is _DOCX:
        raise UnreadableDocument(source, None, None, "not a DOCX file: a DOCX is a zip archive, this is not")
    if named is not None:
        return named
    if not extension:
        return _HTML if _looks_like_html(head) else _TEXT
    supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
    raise UnreadableDocument(
        source, None, None, f"unsupported file type {extension!r}; supported: {supported}"
    )


def _looks_like_html(head: bytes) -> bool:
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()[:15].lower()
    return start.startswith((b"<!doctype html", b"<html"))
