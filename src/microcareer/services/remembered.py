"""``Remembered``: answers read from the store, remembered in this process for a few seconds.

The one structure behind ``services/token_cache.py`` (whom a bearer token acts for) and
``services/recent_reads.py`` (job board pages). Each entry lives for ``ttl_seconds`` and only while
``changes()`` (a count of commits in this process, wired by ``bootstrap``) stays what it was *before*
the store was read: a commit that lands while the answer is read makes it lapse at once. Thread-safe;
at most ``max_entries`` answers, and when full, lapsed entries go first, then the oldest. A
``ttl_seconds`` of 0 remembers nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def no_changes() -> int:
    return 0


@dataclass(frozen=True, slots=True)
class _Entry(Generic[V]):
    value: V
    until: float  # monotonic seconds after which the store is asked again
    changes: int  # the count of commits before the store was read


class Remembered(Generic[K, V]):
    """A small thread-safe map from a read's key to its answer, each for ``ttl_seconds`` and only while
    ``changes()`` stays what it was before the store was read."""

    def __init__(
        self,
        ttl_seconds: float,
        *,
        changes: Callable[[], int] = no_changes,
        max_entries: int,
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
        self._entries: dict[K, _Entry[V]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.ttl_seconds > 0

    def lookup(self, key: K, still_good: Callable[[V], bool] | None = None) -> tuple[bool, V | None]:
        """``(True, answer)`` when ``key``'s answer is remembered, has not lapsed (time or a commit) and
        passes ``still_good``; else ``(False, None)``, the lapsed entry forgotten."""
        if not self.enabled:
            return False, None
        entry = self._entries.get(key)
        if entry is None:
            return False, None
        if (
            self._monotonic() < entry.until
            and entry.changes == self.changes()
            and (still_good is None or still_good(entry.value))
        ):
            return True, entry.value
        with self._lock:
            if self._entries.get(key) is entry:
                del self._entries[key]
        return False, None

    def put(self, key: K, value: V, *, changes: int) -> None:
        """Remember ``value``; ``changes``: the count read *before* the store was."""
        if not self.enabled:
            return
        now = self._monotonic()
        entry = _Entry(value, now + self.ttl_seconds, changes)
        with self._lock:
            if key not in self._entries and len(self._entries) >= self.max_entries:
                self._make_room(now)
            self._entries[key] = entry

    def read(self, key: K, load: Callable[[], V]) -> V:
        """The answer remembered for ``key``, else ``load()``'s (remembered if no commit landed)."""
        if not self.enabled:
            return load()
        found, value = self.lookup(key)
        if found:
            return value  # type: ignore[return-value]  # found: the remembered V, which may be None
        before = self.changes()  # read first: a commit during load() makes what it read lapse
        loaded = load()
        self.put(key, loaded, changes=before)
        return loaded

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


__all__ = ["Remembered", "no_changes"]
