"""PostgreSQL's pool pings a connection only after it lay idle (``store/engine.py``, issue 17).

A connection handed back a moment ago is handed out again without a round trip; one that lay idle
past ``PING_AFTER_IDLE_SECONDS`` is pinged, and when the server closed it meanwhile a fresh one is
handed out instead (the request does not fail).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text

from microcareer.store import engine as engines
from microcareer.store.engine import build_engine


@pytest.fixture
def pg_url(postgres_schema_url: str) -> str:
    return postgres_schema_url


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pinged_engine(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Engine, Clock, list[str]]]:
    clock = Clock()
    real = engines._ping_after_idle
    monkeypatch.setattr(engines, "_ping_after_idle", lambda engine, idle: real(engine, idle, clock=clock))
    engine = build_engine(pg_url)
    pings: list[str] = []
    real_ping = engine.dialect.do_ping

    def counted_ping(dbapi_connection: Any) -> bool:
        pings.append("ping")
        return bool(real_ping(dbapi_connection))

    monkeypatch.setattr(engine.dialect, "do_ping", counted_ping)
    assert engine.pool._pre_ping is False
    yield engine, clock, pings
    engine.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_no_ping_for_a_connection_back_a_moment_ago(pinged_engine: tuple[Engine, Clock, list[str]]) -> None:
    engine, clock, pings = pinged_engine
    first = _backend_pid(engine)
    clock.now += engines.PING_AFTER_IDLE_SECONDS / 2
    assert _backend_pid(engine) == first
    assert pings == []


def test_an_idle_connection_is_pinged(pinged_engine: tuple[Engine, Clock, list[str]]) -> None:
    engine, clock, pings = pinged_engine
    first = _backend_pid(engine)
    clock.now += engines.PING_AFTER_IDLE_SECONDS + 1
    assert _backend_pid(engine) == first  # alive: kept
    assert pings == ["ping"]


def test_an_idle_connection_closed_by_the_server_is_replaced(
    pinged_engine: tuple[Engine, Clock, list[str]], pg_url: str
) -> None:
    engine, clock, pings = pinged_engine
    first = _backend_pid(engine)
    killer = build_engine(pg_url)
    try:
        with killer.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar_one()
    finally:
        killer.dispose()
    clock.now += engines.PING_AFTER_IDLE_SECONDS + 1
    second = _backend_pid(engine)  # no error: the dead connection was found at checkout and replaced
    assert second != first
    assert pings == ["ping"]
