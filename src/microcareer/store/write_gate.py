"""``WriteGate``: SQLite's one writer at a time, queued inside this process instead of polled for.

SQLite lets one connection write at a time. Python's driver (legacy transaction control) begins a
transaction at a unit of work's first INSERT/UPDATE/DELETE, and a connection that finds the write lock
taken sleeps and polls (``busy_timeout``: 1, 2, 5 ... then 100 ms naps until 5 s of them were slept),
then answers "database is locked", which the unit of work turns into a 409. Under load on a small
machine the connection holding the lock gives the GIL back on every statement and waits its turn for
it among the server's request threads, so its transaction can last seconds; pollers that lose the
race for the freed lock again and again, or that all wait behind one stalled holder, ran out of their
5 s and answered 409 although nothing conflicted (4 of 22,812 writes in the 600 s mixed load).

The gate takes the lock's place inside the process: a connection takes it just before its
transaction's first write and gives it back when the connection returns to the pool (after its
COMMIT or ROLLBACK), so the writers of one server wait in a queue, are woken the moment the writer
before them is done, and only ever meet SQLite's lock when another process holds it (``busy_timeout``
still covers those). Reads never take it: a unit of work that only reads runs beside the writer as
before (WAL). A writer that waited ``WAIT_S`` for the gate gives up with the same 409 as before.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from sqlalchemy import Engine, event

from microcareer.errors import Conflict

# How long a write waits for the writer before it in this process: far beyond any healthy
# transaction, short of a client's patience (a stuck writer must still end in an answer).
WAIT_S = 30.0
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_HOLDS = "microcareer_write_gate"
_GATES: weakref.WeakKeyDictionary[Engine, WriteGate] = weakref.WeakKeyDictionary()


class WriteGate:
    """One writer at a time among the connections of one engine."""

    def __init__(self, wait_s: float = WAIT_S) -> None:
        self._lock = threading.Lock()
        self._count = threading.Condition()
        self._wait_s = wait_s
        self.waiting = 0
        """How many connections wait for the gate now (read by tests and diagnostics)."""

    def enter(self) -> None:
        with self._count:
            self.waiting += 1
            self._count.notify_all()
        try:
            taken = self._lock.acquire(timeout=self._wait_s)
        finally:
            with self._count:
                self.waiting -= 1
        if not taken:
            raise Conflict("the database is busy with a change to the same thing: try again")

    def leave(self) -> None:
        self._lock.release()

    def wait_for_waiters(self, count: int, timeout: float) -> bool:
        """True once ``count`` connections wait for the gate (False if they did not within ``timeout``)."""
        with self._count:
            return self._count.wait_for(lambda: self.waiting >= count, timeout)


def install(engine: Engine, gate: WriteGate | None = None) -> WriteGate:
    """Put ``engine``'s writes behind a gate (a new one unless given) and return it."""
    gate = gate or WriteGate()

    def before_write(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if conn.info.get(_HOLDS) or not statement.lstrip()[:7].upper().startswith(_WRITES):
            return
        gate.enter()
        conn.info[_HOLDS] = True

    def returned(_dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_HOLDS, False):
            gate.leave()

    event.listen(engine, "before_cursor_execute", before_write)
    event.listen(engine.pool, "checkin", returned)
    _GATES[engine] = gate
    return gate


def gate_of(engine: Engine) -> WriteGate | None:
    """The gate ``install`` put on ``engine`` (None on PostgreSQL, which queues writers itself)."""
    return _GATES.get(engine)
