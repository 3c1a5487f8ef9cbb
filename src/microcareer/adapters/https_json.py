"""Fetch a small JSON document over HTTPS: a timeout, a size limit, no redirects, a TTL cache.

Used by the credential verifier for did:web documents and status list credentials; each caller
turns :class:`FetchFailed` into its own error.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx

DEFAULT_TIMEOUT = 5.0
"""Seconds for connecting and for each read."""
DEFAULT_CACHE_SECONDS = 300.0


class FetchFailed(Exception):
    """The document could not be fetched or parsed; the message says why (no URL in it)."""


class JsonFetcher:
    """GETs ``https://`` URLs as JSON, keeping each parsed answer for ``ttl`` seconds."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        max_bytes: int = 256 * 1024,
        ttl: float = DEFAULT_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client or httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=False)
        self._max_bytes = max_bytes
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, Any]] = {}

    def get(self, url: str) -> Any:
        if not url.startswith("https://"):
            raise FetchFailed("only https:// URLs are fetched")
        cached = self._cache.get(url)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        document = self._fetch(url)
        self._cache[url] = (self._clock() + self._ttl, document)
        return document

    def _fetch(self, url: str) -> Any:
        try:
            with self._client.stream("GET", url, headers={"Accept": "application/json"}) as response:
                if response.status_code != 200:
                    raise FetchFailed(f"HTTP {response.status_code}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self._max_bytes:
                        raise FetchFailed(f"larger than {self._max_bytes} bytes")
        except httpx.TimeoutException:
            raise FetchFailed("timed out") from None
        except httpx.HTTPError as error:
            raise FetchFailed(f"{type(error).__name__}: {error}") from None
        try:
            return json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            raise FetchFailed("not JSON") from None

    def close(self) -> None:
        self._client.close()
