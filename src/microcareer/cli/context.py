"""The platform a command runs on, built from settings (``MICROCAREER_DATABASE_URL``, ...)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings


@contextmanager
def open_platform(*, require_ready: bool = True) -> Iterator[Platform]:
    platform = bootstrap(Settings())
    try:
        if require_ready:
            platform.ensure_ready()
        yield platform
    finally:
        platform.dispose()
