"""A count, in this process, of committed changes of one kind: remembered reads made before the last
change are not used again (``services/token_cache.py``, ``services/recent_reads.py``)."""

from __future__ import annotations

import threading


class ChangeCount:
    """Read without a lock (an int read is atomic); bumped under one."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    def __call__(self) -> int:
        return self._count

    def bump(self) -> None:
        with self._lock:
            self._count += 1
