"""The platform a command runs on, built from settings (``MICROCAREER_DATABASE_URL``, ...)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from microcareer.bootstrap import Platform, bootstrap, bootstrap_without_database, database_exists
from microcareer.config import Settings

if TYPE_CHECKING:
    from microcareer.services.ports import ExtractionSource


@contextmanager
def open_platform(*, require_ready: bool = True) -> Iterator[Platform]:
    platform = bootstrap(Settings())
    try:
        if require_ready:
            platform.ensure_ready()
        yield platform
    finally:
        platform.dispose()


@contextmanager
def open_extraction() -> Iterator[tuple[Platform, ExtractionSource]]:
    """The platform and the taxonomy extraction reads: the database's once ``init`` has made it, else
    the bundled ESCO directly (a SQLite file that is not there is not made)."""
    settings = Settings()
    platform = bootstrap(settings) if database_exists(settings) else bootstrap_without_database(settings)
    try:
        yield platform, platform.extraction_source()
    finally:
        platform.dispose()
