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
- Bounded: at most ``max_entries`` tokens; when full, lapsed entries go first, then the oldest
  (``services/remembered.py``, the structure it shares with ``services/recent_reads.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from microcareer.services.identity import Identity
from microcareer.services.remembered import Remembered, no_changes

DEFAULT_TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000

_Resolved = tuple[Identity, datetime | None]  # the identity and the token's own expiry


class TokenIdentities(Remembered[str, _Resolved]):
    """Token hash to the identity it resolved to, each for ``ttl_seconds`` and only while ``changes()``
    stays what it was before the store was read; the token's own expiry checked on every ``get``."""

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        *,
        changes: Callable[[], int] = no_changes,
        max_entries: int = MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(ttl_seconds, changes=changes, max_entries=max_entries, monotonic=monotonic)

    def get(self, token_hash: str, *, now: datetime) -> Identity | None:
        """The remembered identity, or None: none remembered, it lapsed (time or a change), or the token
        expired."""
        found, resolved = self.lookup(
            token_hash, lambda remembered: remembered[1] is None or now < remembered[1]
        )
        return resolved[0] if found and resolved is not None else None

    def remember(
        self, token_hash: str, identity: Identity, *, expires_at: datetime | None, changes: int
    ) -> None:
        """Remember ``identity``; ``changes``: the count read *before* the store was (a change committed
        since makes the entry lapse at once)."""
        self.put(token_hash, (identity, expires_at), changes=changes)


__all__ = ["DEFAULT_TTL_SECONDS", "TokenIdentities"]
