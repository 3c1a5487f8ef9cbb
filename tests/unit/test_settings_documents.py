"""The document and request-body settings: documented defaults, read from the environment, wired into
the limits every reader and the document pool use."""

from __future__ import annotations

import pytest

from microcareer.adapters.documents.limits import DocumentLimits
from microcareer.bootstrap import document_limits, document_pool
from microcareer.config import Settings


def test_the_defaults_are_the_readers_own_limits() -> None:
    assert document_limits(Settings()) == DocumentLimits()


def test_each_limit_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "DOCUMENT_MAX_BYTES": "2048",
        "DOCUMENT_MAX_CHARS": "5000",
        "DOCUMENT_MAX_UNPACKED_BYTES": "2097152",
        "DOCUMENT_MAX_COMPRESSION_RATIO": "50",
        "DOCUMENT_MAX_PARAGRAPHS": "500",
        "DOCUMENT_MAX_PAGES": "7",
        "DOCUMENT_MAX_HTML_BYTES": "4096",
        "DOCUMENT_SECONDS": "2.5",
        "DOCUMENT_MEMORY_MIB": "300",
        "DOCUMENT_WORKERS": "3",
        "MAX_BODY_BYTES": "10000",
        "MAX_UPLOAD_BODY_BYTES": "20000",
    }.items():
        monkeypatch.setenv(f"MICROCAREER_{name}", value)
    settings = Settings()
    assert document_limits(settings) == DocumentLimits(
        max_file_bytes=2048,
        max_chars=5000,
        max_unpacked_bytes=2 * 2**20,
        max_compression_ratio=50,
        max_paragraphs=500,
        max_pages=7,
        max_html_bytes=4096,
        max_seconds=2.5,
    )
    pool = document_pool(settings)  # nothing starts until a document is read
    assert (pool.workers, pool.memory_bytes) == (3, 300 * 2**20)
    assert (settings.max_body_bytes, settings.max_upload_body_bytes) == (10000, 20000)


def test_a_time_limit_of_zero_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCAREER_DOCUMENT_SECONDS", "0")
    with pytest.raises(ValueError, match="document_seconds"):
        Settings()
