"""Documents in, text out: CVs, job postings and project briefs as plain text for skill extraction.

Reads plain text, Markdown, HTML, PDF and DOCX, one at a time or as a corpus (a folder, or JSON Lines).
Every failure is an ``UnreadableDocument`` that names the file (and, for JSON Lines, the line and
field); no library exception leaves this package.
"""

from __future__ import annotations

from microcareer.adapters.documents.corpus import JSONL_EXTENSIONS, count_corpus, is_jsonl_corpus, iter_corpus
from microcareer.adapters.documents.jsonl import iter_jsonl
from microcareer.adapters.documents.limits import MAX_FILE_BYTES, MAX_TEXT_CHARS
from microcareer.adapters.documents.model import Document
from microcareer.adapters.documents.reader import (
    SUPPORTED_EXTENSIONS,
    read_document,
    read_document_bytes,
)

__all__ = [
    "JSONL_EXTENSIONS",
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_EXTENSIONS",
    "Document",
    "count_corpus",
    "is_jsonl_corpus",
    "iter_corpus",
    "iter_jsonl",
    "read_document",
    "read_document_bytes",
]
