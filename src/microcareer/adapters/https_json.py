"""Fetch a small JSON document over HTTPS through the SSRF-safe :class:`Outbound` gate, with a TTL cache.

Used by the credential verifier for did:web documents and status list credentials; each caller
turns :class:`FetchFailed` into its own error. A failed fetch, a non-200 answer, a body over the
size limit and a body that is not JSON all give the same neutral reason (details: debug log).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from microcareer.adapters.outbound_http import FetchFailed, Outbound

__all__ = ["DEFAULT_CACHE_SECONDS", "FetchFailed", "JsonFetcher"]

DEFAULT_CACHE_SECONDS = 300.0
DEFAULT_CACHE_ENTRIES = 256
"""Documents kept at most (the oldest goes first): anyone can make the server fetch distinct URLs."""
log = logging.getLogger(__name__)


class JsonFetcher:
    """GETs ``https://`` URLs (``http://`` too where its ``Outbound`` allows) as JSON, keeping each parsed
    answer for ``ttl`` seconds (a bounded cache)."""

    def __init__(
        self,
        outbound: Outbound | None = None,
        *,
        max_bytes: int = 256 * 1024,
        ttl: float = DEFAULT_CACHE_SECONDS,
        max_entries: int = DEFAULT_CACHE_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._owns_outbound = outbound is None
        self._outbound = outbound or Outbound()
        self._max_bytes = max_bytes
        self._ttl = ttl
        self._clock = clock
        self._max_entries = max_entries
        self._cache: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> Any:
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        body = self._outbound.get(url, accept="application/json", max_bytes=self._max_bytes)
        try:
            document = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            log.debug("outbound fetch of %s: the answer is not JSON", url)
            raise FetchFailed from None
        with self._lock:
            self._cache[url] = (self._clock() + self._ttl, document)
            self._cache.move_to_end(url)
            while len(self._cache) > self._max_entries:
                self._cache.popitem(last=False)
        return document

    def close(self) -> None:
        if self._owns_outbound:
            self._outbound.close()
