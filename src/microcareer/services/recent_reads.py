"""``RecentReads``: answers of hot read queries (the job board) remembered in this process for a moment.

A job board page costs about ten queries (the page, its total, the jobs' skills, five facet counts)
and most of a read's server time under load (issue 17), and many people ask for the same page. Each
server process remembers a page's answer, keyed by everything the query depends on (the words, the
filters, the states, the page, and the viewer's visibility: the organisations whose internal jobs they
may see and their own id), for ``ttl_seconds`` (``MICROCAREER_READ_CACHE_SECONDS``, 2 by default; 0
turns it off).

What this costs, and what it does not:

- Any unit of work committed through this process (a job posted, closed or edited, an application, a
  membership) makes everything remembered lapse at once: ``changes`` is wired by ``bootstrap`` to the
  store's count of commits in this process, read *before* the store is asked, so an answer read while
  a commit landed is never kept past that commit.
- The same change made through another process (``serve --workers N``, the CLI, another machine)
  shows on this process's board within ``ttl_seconds``: a job closed there can still be listed here for
  up to 2 s (opening it, applying to it and every write ask the store and are refused as before).
- Authorisation is unchanged: the caller asks ``access`` for the viewer's visibility first, and that
  visibility is part of the key, so an answer is only ever given back to a viewer who would be given
  the same rows by the store.
- Bounded: at most ``max_entries`` answers; when full, lapsed entries go first, then the oldest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_TTL_SECONDS = 2.0
MAX_ENTRIES = 2_048


def _no_changes() -> int:
    return 0


@dataclass(frozen=True, slots=True)
class _Entry:
    value: Any
    until: float  # monotonic seconds after which the store is asked again
    changes: int  # the count of commits before the store was read


class RecentReads:
    """A small thread-safe map from a read's key to its answer, each for ``ttl_seconds`` and only while
    ``changes()`` stays what it was before the store was read."""

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
        self._entries: dict[Hashable, _Entry] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.ttl_seconds > 0

    def read(self, key: Hashable, load: Callable[[], T]) -> T:
        """The answer remembered for ``key``, else ``load()``'s (remembered if no commit landed)."""
        if not self.enabled:
            return load()
        entry = self._entries.get(key)
        if entry is not None:
            if self._monotonic() < entry.until and entry.changes == self.changes():
                value: T = entry.value
                return value
            with self._lock:
                if self._entries.get(key) is entry:
                    del self._entries[key]
        before = self.changes()  # read first: a commit during load() makes what it read lapse
        value = load()
        now = self._monotonic()
        with self._lock:
            if key not in self._entries and len(self._entries) >= self.max_entries:
                self._make_room(now)
            self._entries[key] = _Entry(value, now + self.ttl_seconds, before)
        return value

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


__all__ = ["DEFAULT_TTL_SECONDS", "RecentReads"]
