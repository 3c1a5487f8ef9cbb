"""Size limits, so one oversized upload or corpus file cannot exhaust memory or stall a run.

The checks read the constants at call time, so a deployment (or a test) can change them in one place.
"""

from __future__ import annotations

from microcareer.errors import UnreadableDocument

MAX_FILE_BYTES = 25 * 1024 * 1024
"""A document file larger than this is refused before it is read: 25 MiB holds any real CV or posting."""

MAX_TEXT_CHARS = 2_000_000
"""Text longer than this is refused: about a thousand pages, far past any CV, posting or brief."""


def check_file_size(size: int, source: str) -> None:
    if size > MAX_FILE_BYTES:
        raise UnreadableDocument(
            source,
            None,
            None,
            f"the file is {size:,} bytes, over the {MAX_FILE_BYTES / 2**20:g} MiB limit for a document",
        )


def check_text_length(length: int, source: str, line: int | None = None, field: str | None = None) -> None:
    if length > MAX_TEXT_CHARS:
        raise UnreadableDocument(
            source,
            line,
            field,
            f"the text is over the limit of {MAX_TEXT_CHARS:,} characters for a document",
        )
