"""PDF to text with pypdf: the text layer of each page, pages set apart by a blank line.

No OCR is done, so a scanned PDF (images only) is refused with a message that says so rather than read
as an empty document. The page count is checked before any text is extracted, and extraction stops at
the character and time limits, page by page.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from microcareer.adapters.documents.limits import (
    Deadline,
    DocumentLimits,
    check_text_length,
    default_limits,
    over_limit,
)
from microcareer.adapters.documents.plain import normalise_newlines
from microcareer.errors import UnreadableDocument

# pypdf logs every robustness fix it applies to a damaged file ("EOF marker not found"); Python's
# last-resort handler would print them mid-progress-bar. Our errors say what matters. A level set by
# the application before this import is left alone.
_PYPDF_LOG = logging.getLogger("pypdf")
if _PYPDF_LOG.level == logging.NOTSET:
    _PYPDF_LOG.setLevel(logging.CRITICAL)

# Typesetting ligatures and soft hyphens split words ("ﬁnance", "manage\xadment") for any matcher.
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "\xad": None}
)


def pdf_to_text(data: bytes, source: str, limits: DocumentLimits | None = None) -> str:
    limits = limits or default_limits()
    deadline = Deadline(limits.max_seconds, source)
    # pypdf raises many exception types on damaged input (its own, and KeyError, ValueError,
    # RecursionError ...): any failure to parse is the file's fault, and is reported as such.
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _decrypt(reader, source)
        pages = _page_texts(reader, source, limits, deadline)
    except UnreadableDocument:
        raise
    except DependencyError:
        # AES needs a crypto package; pypdf may only find out when it reaches the first stream.
        raise UnreadableDocument(
            source,
            None,
            None,
            "the PDF is AES-encrypted, and opening it needs the 'cryptography' package, which is not "
            "installed; save an unencrypted copy",
        ) from None
    except Exception as exc:
        raise UnreadableDocument(
            source, None, None, f"the PDF cannot be parsed: damaged or truncated ({_describe(exc)})"
        ) from None
    if not pages:
        raise UnreadableDocument(
            source,
            None,
            None,
            "the PDF has no text layer (perhaps a scanned image); OCR is not done, so it gives no text",
        )
    return "\n\n".join(pages)


def _decrypt(reader: PdfReader, source: str) -> None:
    """Many PDFs are encrypted only to restrict printing or editing: the empty password opens them."""
    try:
        opened = reader.decrypt("")
    except NotImplementedError as exc:
        raise UnreadableDocument(
            source, None, None, f"the PDF uses an encryption method that cannot be opened ({exc})"
        ) from None
    if opened == PasswordType.NOT_DECRYPTED:
        raise UnreadableDocument(
            source,
            None,
            None,
            "the PDF is encrypted and needs a password to open; save an unprotected copy and try again",
        )


def _page_texts(reader: PdfReader, source: str, limits: DocumentLimits, deadline: Deadline) -> list[str]:
    too_many = f"the PDF has more than the limit of {limits.max_pages:,} pages for a document"
    # The page tree's own count, read without walking the tree (pypdf's len() flattens all of it:
    # 9 s for 60,000 pages): refused before extracting anything.
    if _declared_pages(reader) > limits.max_pages:
        raise over_limit(source, too_many)
    pages: list[str] = []
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        if number > limits.max_pages:  # a page tree whose count lies
            raise over_limit(source, too_many)
        deadline.check()
        text = unicodedata.normalize("NFC", normalise_newlines(page.extract_text()).translate(_LIGATURES))
        text = text.strip()
        if text:
            total += len(text) + (2 if pages else 0)  # as joined below, with a blank line between
            pages.append(text)
            # Checked page by page so a huge PDF is refused without extracting all of it.
            check_text_length(total, source, limits=limits)
    return pages


def _declared_pages(reader: PdfReader) -> int:
    """The /Count of the root page tree; where it is missing or not a number, the pages counted."""
    try:
        trailer: Any = reader.trailer  # pypdf types each step as a PdfObject, which it indexes at runtime
        return int(trailer["/Root"]["/Pages"]["/Count"])
    except Exception:  # pypdf raises many kinds on a damaged tree: count the pages instead
        return len(reader.pages)


def _describe(exc: Exception) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
