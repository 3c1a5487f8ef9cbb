"""The document every reader returns: the text the extractor reads and users see, and where it came from."""

from __future__ import annotations

from dataclasses import dataclass

PLAIN_TEXT = "text/plain"
MARKDOWN = "text/markdown"
HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True, slots=True)
class Document:
    """One readable document.

    ``text`` is exactly what is shown back to users: mention offsets found later index into it, so
    no later step may reformat it. ``source`` says where it came from (a path, ``<stdin>:3`` for line
    3 of a JSON Lines stream, an upload's file name); ``media_type`` is the format it was read as,
    which may differ from what its name suggests when the content said otherwise.
    """

    doc_id: str
    text: str
    source: str
    media_type: str
