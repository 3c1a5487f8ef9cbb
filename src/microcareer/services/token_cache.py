"""``TokenIdentities``: whom a bearer token acts for, remembered in this process for a few seconds.

Resolving a token reads the store four times (the token, its user, the user's roles, their
organisation memberships): about a quarter of a simple read's server time under load (issue 17). An
API client sends the same token with request after request, so each server process remembers what a
token resolved to, keyed by the token's SHA-256 (never the token itself), for ``ttl_seconds``
(``MICROCAREER_TOKEN_CACHE_SECONDS``, 5 by default; 0 turns it off).

What this costs, and what it does not:

- A change committed through this process to roles, organisation memberships or tokens (a revoked
  token included) applies to the very next request: ``changes`` (wired by ``bootstrap`` to the store's
  count of such commits in this process) moves on, and everything remembered before it lapses.
- The same change made through another process (``serve --workers``, another machine, the CLI) reaches
  this one within ``ttl_seconds``: until then a revoked token still works here, and an actor keeps the
  roles and memberships it had.
- The token's own expiry is checked on every request against the clock, remembered or not.
- Authorisation is unchanged: the remembered ``Actor`` is what the store gave, and every service still
  asks ``access.authorize`` for every read and write.
- Bounded: at most ``max_entries`` tokens; when full, lapsed entries go first, then the oldest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from microcareer.services.identity import Identity

DEFAULT_TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000


def _no_changes() -> int:
    return 0


@dataclass(frozen=True, slots=True)
class _Entry:
    identity: Identity
    expires_at: datetime | None  # the token's own expiry, checked on every use
    until: float  # monotonic seconds after which the store is asked again
    changes: int  # the count of changes before the store was read


class TokenIdentities:
    """A small thread-safe map from token hash to the identity it resolved to, each for ``ttl_seconds``
    and only while ``changes()`` stays what it was before the store was read."""

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        *,
        changes: Callable[[], int] = _no_changes,
        max_entries: int = MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl_seconds < 0:
            raise ValueError("ttl_seconds must not be negative")
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.ttl_seconds = ttl_seconds
        self.changes = changes
        self.max_entries = max_entries
        self._monotonic = monotonic
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.ttl_seconds > 0

    def get(self, token_hash: str, *, now: datetime) -> Identity | None:
        """The remembered identity, or None: none remembered, it lapsed (time or a change), or the token
        expired."""
        if not self.enabled:
            return None
        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        if (
            self._monotonic() >= entry.until
            or entry.changes != self.changes()
            or (entry.expires_at is not None and now >= entry.expires_at)
        ):
            with self._lock:
                if self._entries.get(token_hash) is entry:
                    del self._entries[token_hash]
            return None
        return entry.identity

    def put(self, token_hash: str, identity: Identity, *, expires_at: datetime | None, changes: int) -> None:
        """Remember ``identity``; ``changes``: the count read *before* the store was (a change committed
        since makes the entry lapse at once)."""
        if not self.enabled:
            return
        now = self._monotonic()
        entry = _Entry(identity, expires_at, now + self.ttl_seconds, changes)
        with self._lock:
            if token_hash not in self._entries and len(self._entries) >= self.max_entries:
                self._make_room(now)
            self._entries[token_hash] = entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _make_room(self, now: float) -> None:
        current = self.changes()
        for key in [k for k, e in self._entries.items() if now >= e.until or e.changes != current]:
            del self._entries[key]
        while len(self._entries) >= self.max_entries:
            del self._entries[next(iter(self._entries))]
