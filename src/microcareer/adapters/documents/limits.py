"""Limits on the work one document may cost, so one hostile upload or corpus file cannot exhaust memory
or stall a run: bytes in, bytes unpacked, paragraphs, pages, characters and seconds.

Every reader takes a ``DocumentLimits``; ``default_limits()`` reads the module constants at call time,
so a deployment (from its settings) or a test can change them in one place. Each refusal is an
``UnreadableDocument`` that names the file and the limit it went over.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from microcareer.errors import UnreadableDocument

MAX_FILE_BYTES = 25 * 1024 * 1024
"""A document file larger than this is refused before it is read: 25 MiB holds any real CV or posting."""

MAX_TEXT_CHARS = 2_000_000
"""Text longer than this is refused: about a thousand pages, far past any CV, posting or brief."""

MAX_UNPACKED_BYTES = 32 * 1024 * 1024
"""A DOCX whose document part really inflates past this is refused (counted while inflating)."""

MAX_COMPRESSION_RATIO = 200
"""A DOCX part inflating past 1 MiB at more than this many bytes per compressed byte is refused."""

MAX_PARAGRAPHS = 100_000
"""A DOCX of more paragraphs (empty ones and table cells' included) is refused."""

MAX_XML_ELEMENTS = 1_000_000
"""A DOCX whose document part holds more XML elements is refused: a real CV holds a few thousand, and
each element costs the parser a few microseconds however little it weighs zipped."""

MAX_PAGES = 1_000
"""A PDF of more pages is refused before any text is extracted."""

MAX_HTML_BYTES = 5 * 1024 * 1024
"""An HTML file larger than this is refused before it is parsed (a parsed page costs ~35x its size)."""

MAX_SECONDS = 20.0
"""Reading one document stops after this many seconds."""

RATIO_FLOOR_BYTES = 1024 * 1024
"""The compression ratio is judged only past this many inflated bytes: a small part may compress well."""


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """What reading one document may cost; every field is a hard stop."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_chars: int = MAX_TEXT_CHARS
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_compression_ratio: float = MAX_COMPRESSION_RATIO
    max_paragraphs: int = MAX_PARAGRAPHS
    max_xml_elements: int = MAX_XML_ELEMENTS
    max_pages: int = MAX_PAGES
    max_html_bytes: int = MAX_HTML_BYTES
    max_seconds: float = MAX_SECONDS


def default_limits() -> DocumentLimits:
    """The limits of the module constants as they are now (a test may have changed one)."""
    return DocumentLimits(
        max_file_bytes=MAX_FILE_BYTES,
        max_chars=MAX_TEXT_CHARS,
        max_unpacked_bytes=MAX_UNPACKED_BYTES,
        max_compression_ratio=MAX_COMPRESSION_RATIO,
        max_paragraphs=MAX_PARAGRAPHS,
        max_xml_elements=MAX_XML_ELEMENTS,
        max_pages=MAX_PAGES,
        max_html_bytes=MAX_HTML_BYTES,
        max_seconds=MAX_SECONDS,
    )


def over_limit(source: str, problem: str) -> UnreadableDocument:
    return UnreadableDocument(source, None, None, problem)


def _mib(size: int) -> str:
    return f"{size / 2**20:g} MiB"


def check_file_size(size: int, source: str, limits: DocumentLimits | None = None) -> None:
    limit = (limits or default_limits()).max_file_bytes
    if size > limit:
        raise over_limit(source, f"the file is {size:,} bytes, over the {_mib(limit)} limit for a document")


def check_text_length(
    length: int,
    source: str,
    line: int | None = None,
    field: str | None = None,
    *,
    limits: DocumentLimits | None = None,
) -> None:
    limit = (limits or default_limits()).max_chars
    if length > limit:
        raise UnreadableDocument(
            source, line, field, f"the text is over the limit of {limit:,} characters for a document"
        )


class Deadline:
    """The time one document may take, checked between pages, paragraphs and elements.

    A cooperative stop: it cannot interrupt one long library call, which the document pool's worker
    (``pool.py``) ends by killing the process.
    """

    def __init__(self, seconds: float, source: str) -> None:
        self.seconds = seconds
        self.source = source
        self._ends = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self._ends:
            raise over_limit(self.source, time_limit_problem(self.seconds))


def time_limit_problem(seconds: float) -> str:
    return f"reading it took longer than the limit of {seconds:g} s for a document"
