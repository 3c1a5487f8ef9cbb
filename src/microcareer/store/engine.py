"""Engines for the two supported stores: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

from microcareer.store import write_gate

# Connections per server process. A request runs in one of the server's worker threads (anyio's 40 by
# default) and holds one connection at a time. SQLAlchemy's default pool keeps 5 and opens up to 10
# more, closing each again when it is returned, so a busy server opened, set up (the pragmas below)
# and closed a connection on most checkouts. SQLite: the same 15 at most (more only queue on its one
# writer lock: in two short pairs of bench_mixed_load --mix writes at 64 connections on a loaded
# machine, 40 gave 0.93-1.04x the writes/s at 1.2-1.7x the p99), all kept open.
SQLITE_POOL = {"pool_size": 15, "max_overflow": 0}
# PostgreSQL: each connection is a server process, costly to start; 20 kept and 20 more on demand
# (one per worker thread) stays well under its default max_connections (100) with two server workers.
POSTGRES_POOL = {"pool_size": 20, "max_overflow": 20}
# A PostgreSQL connection that lay in the pool longer than this is pinged before it is handed out
# (a dead one is replaced, and every connection older than it with it); one back sooner is not. See
# ``_ping_after_idle``.
PING_AFTER_IDLE_SECONDS = 2.0


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def build_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        pool = SQLITE_POOL if database and database != ":memory:" else {}
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        write_gate.install(engine)  # this process's writers queue for SQLite's one write lock
        return engine
    engine = create_engine(url, echo=echo, **POSTGRES_POOL)
    _ping_after_idle(engine, PING_AFTER_IDLE_SECONDS)
    return engine


def _ping_after_idle(engine: Engine, idle_seconds: float, *, clock: Any = time.monotonic) -> None:
    """Ping a pooled connection at checkout only when it lay idle in the pool ``idle_seconds`` or more.

    ``pool_pre_ping`` pinged at every checkout: a round trip to PostgreSQL before each unit of work,
    most of them on a connection handed back a few milliseconds before (issue 17). What the ping
    catches, a connection the server or the network closed (a restart, an idle timeout, a failover),
    happens to connections that lie idle; a busy pool's connections are pinged by their own queries.
    A failed ping invalidates this connection and every one made before it (as ``pool_pre_ping`` does)
    and the pool hands out a fresh one. **The price:** a connection that dies within ``idle_seconds``
    of being handed back fails the one statement that finds out; SQLAlchemy then invalidates the
    pool's older connections too, so the requests after it reconnect.
    """
    dialect = engine.dialect

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in_at"] = clock()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("checked_in_at", None)
        if since is None or clock() - since < idle_seconds:
            return  # fresh, or back a moment ago
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            raise exc.InvalidatePoolError("the connection was closed while it lay in the pool")

    event.listen(engine, "checkin", checked_in)
    event.listen(engine, "checkout", checkout)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # first, so that the pragmas below wait for another process's lock too; within this process the
    # writers queue at the write gate and never wait here
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # pages read through a 64 MiB memory map and 16 MiB of cache per connection instead of read() calls
    # into SQLite's default 2 MiB: the job board and profiles are read again and again
    cursor.execute("PRAGMA mmap_size=67108864")
    cursor.execute("PRAGMA cache_size=-16384")
    cursor.close()
