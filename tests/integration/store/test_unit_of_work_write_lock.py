"""Why SQLite writes answered 409 under load, and that they no longer do (``store/write_gate.py``).

Units of work read first and write afterwards. In WAL mode a transaction that already holds a read
snapshot and then writes after another connection committed fails at once (SQLITE_BUSY_SNAPSHOT,
without waiting for ``busy_timeout``). Python's driver opens no transaction for reads (legacy
transaction control), so a unit of work never holds such a snapshot: its first write begins a fresh
transaction, which waits. What did answer 409 was the wait itself: a writer polling for the lock ran
out of its 5 s. The writers of one process now queue at a gate before SQLite is asked.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from microcareer.bootstrap import Platform
from microcareer.errors import Conflict
from microcareer.store.write_gate import WriteGate, gate_of


def _add_user(platform: Platform, email: str) -> int:
    with platform.uow() as uow:
        user = uow.accounts.add_user(
            email=email, display_name=email, password_hash="x", roles=[], created_at=platform.clock()
        )
        uow.commit()
    return user.id


def _engine(platform: Platform) -> Engine:
    assert platform.engine is not None
    return platform.engine


@pytest.fixture
def impatient(platform: Platform, backend: str) -> Platform:
    """On SQLite, connections that never wait for another's write lock (``busy_timeout=0``): two
    writers of this process that met at SQLite's lock would fail at once."""
    engine = _engine(platform)
    if backend == "sqlite":
        engine.dispose()

        def no_patience(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA busy_timeout=0")

        event.listen(engine, "connect", no_patience)
    return platform


def test_a_unit_that_read_before_another_commit_still_writes(platform: Platform) -> None:
    """The schedule the hypothesis of a stale snapshot needs: read, another unit commits, write."""
    with platform.uow() as uow:
        assert uow.accounts.get_user_by_email("late@x.test") is None  # the unit has read
        _add_user(platform, "meanwhile@x.test")  # another unit commits after that read
        uow.accounts.add_user(
            email="late@x.test", display_name="Late", password_hash="x", roles=[], created_at=platform.clock()
        )
        uow.commit()
    with platform.uow() as uow:
        assert uow.accounts.get_user_by_email("late@x.test") is not None
        assert uow.accounts.get_user_by_email("meanwhile@x.test") is not None


def test_a_transaction_holding_a_stale_snapshot_is_refused_without_waiting(tmp_path: Path) -> None:
    """SQLite alone (no store fixture: its rule, not ours): had a unit of work begun its transaction at
    its first read (``BEGIN`` from SQLAlchemy, or the driver's modern transaction control), its write
    after another commit would be SQLITE_BUSY_SNAPSHOT, however long ``busy_timeout`` is."""
    path = tmp_path / "snapshot.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("CREATE TABLE t (v INTEGER)")
        reader.execute("PRAGMA busy_timeout=60000")
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (0,)
        writer.execute("INSERT INTO t VALUES (1)")  # commits after the reader's snapshot
        with pytest.raises(sqlite3.OperationalError, match="database is locked") as refused:
            reader.execute("INSERT INTO t VALUES (2)")
        assert refused.value.sqlite_errorname == "SQLITE_BUSY_SNAPSHOT"
    finally:
        reader.close()
        writer.close()


def test_a_second_writer_waits_for_the_first_to_commit_instead_of_answering_409(
    impatient: Platform, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the database: two inserts do not wait for each other")
    gate = gate_of(_engine(impatient))
    assert isinstance(gate, WriteGate)
    errors: list[BaseException] = []

    def second() -> None:
        try:
            _add_user(impatient, "second@x.test")
        except BaseException as exc:
            errors.append(exc)

    with impatient.uow() as first:
        first.accounts.add_user(
            email="first@x.test",
            display_name="1st",
            password_hash="x",
            roles=[],
            created_at=impatient.clock(),
        )  # holds SQLite's write lock until it commits
        thread = threading.Thread(target=second)
        thread.start()
        assert gate.wait_for_waiters(1, timeout=60), "the second writer never queued"
        first.commit()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert errors == []
    with impatient.uow() as uow:
        assert uow.accounts.get_user_by_email("second@x.test") is not None


def test_a_unit_that_only_reads_never_waits_for_a_writer(impatient: Platform, backend: str) -> None:
    """A reader beside an uncommitted write reads what was committed, in the same thread (had it
    queued for the write lock, it would wait for itself)."""
    _add_user(impatient, "old@x.test")
    with impatient.uow() as writer:
        writer.accounts.add_user(
            email="new@x.test", display_name="New", password_hash="x", roles=[], created_at=impatient.clock()
        )
        with impatient.uow() as reader:
            assert reader.accounts.get_user_by_email("old@x.test") is not None
            assert reader.accounts.get_user_by_email("new@x.test") is None
        gate = gate_of(_engine(impatient))
        assert gate is None if backend == "postgresql" else gate is not None and gate.waiting == 0
        writer.commit()


def test_many_writers_at_once_all_commit(impatient: Platform) -> None:
    """Eight threads each read then write twenty times at once: no write answers 409 (on SQLite they
    would meet at its lock with no patience at all, were they not queued before it)."""
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        barrier.wait()
        for i in range(20):
            try:
                with impatient.uow() as uow:
                    assert uow.accounts.get_user_by_email(f"w{n}-{i}@x.test") is None
                    uow.accounts.add_user(
                        email=f"w{n}-{i}@x.test",
                        display_name=f"W{n} {i}",
                        password_hash="x",
                        roles=[],
                        created_at=impatient.clock(),
                    )
                    uow.commit()
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == [], errors[:3]
    with impatient.uow() as uow:
        assert uow.accounts.list_users(offset=0, limit=1)[1] == 160


def test_a_writer_that_waited_too_long_at_the_gate_is_a_409() -> None:
    gate = WriteGate(wait_s=0)
    gate.enter()
    try:
        with pytest.raises(Conflict, match="busy"):
            gate.enter()
    finally:
        gate.leave()
    assert gate.waiting == 0
