"""``TokenIdentities``: remembered for its seconds, until a change is counted, never past expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from microcareer.domain.accounts import Actor, Role, User
from microcareer.services.identity import Identity
from microcareer.services.token_cache import TokenIdentities

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def identity(user_id: int) -> Identity:
    user = User(
        id=user_id,
        email=f"u{user_id}@example.org",
        display_name=f"U{user_id}",
        roles=frozenset({Role.PROFESSIONAL}),
        is_active=True,
        created_at=NOW,
    )
    return Identity(user=user, actor=Actor(user_id=user_id, roles=user.roles))


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0
        self.changes = 0

    def monotonic(self) -> float:
        return self.now

    def count(self) -> int:
        return self.changes


def cache(ticks: Ticks, ttl: float = 5.0, max_entries: int = 100) -> TokenIdentities:
    return TokenIdentities(ttl, changes=ticks.count, monotonic=ticks.monotonic, max_entries=max_entries)


def test_remembered_for_its_seconds_then_read_again() -> None:
    ticks = Ticks()
    remembered = cache(ticks)
    remembered.remember("h1", identity(1), expires_at=None, changes=0)
    assert remembered.get("h1", now=NOW) == identity(1)
    ticks.now += 4.9
    assert remembered.get("h1", now=NOW) == identity(1)
    ticks.now += 0.1
    assert remembered.get("h1", now=NOW) is None
    assert len(remembered) == 0


def test_a_change_counted_after_the_read_makes_every_entry_lapse() -> None:
    ticks = Ticks()
    remembered = cache(ticks)
    remembered.remember("h1", identity(1), expires_at=None, changes=0)
    remembered.remember("h2", identity(2), expires_at=None, changes=0)
    ticks.changes += 1  # a role, membership or token change committed in this process
    assert remembered.get("h1", now=NOW) is None
    assert remembered.get("h2", now=NOW) is None


def test_an_entry_read_before_a_change_it_missed_is_never_used() -> None:
    ticks = Ticks()
    remembered = cache(ticks)
    seen = ticks.count()  # read before the store was asked
    ticks.changes += 1  # a change committed while the store was being read
    remembered.remember("h1", identity(1), expires_at=None, changes=seen)
    assert remembered.get("h1", now=NOW) is None


def test_the_tokens_own_expiry_holds_while_remembered() -> None:
    ticks = Ticks()
    remembered = cache(ticks)
    remembered.remember("h1", identity(1), expires_at=NOW + timedelta(seconds=1), changes=0)
    assert remembered.get("h1", now=NOW) == identity(1)
    assert remembered.get("h1", now=NOW + timedelta(seconds=1)) is None


def test_zero_seconds_remembers_nothing() -> None:
    ticks = Ticks()
    remembered = cache(ticks, ttl=0)
    remembered.remember("h1", identity(1), expires_at=None, changes=0)
    assert remembered.get("h1", now=NOW) is None
    assert not remembered.enabled


def test_bounded_lapsed_entries_go_first_then_the_oldest() -> None:
    ticks = Ticks()
    remembered = cache(ticks, max_entries=3)
    remembered.remember("old", identity(1), expires_at=None, changes=0)
    ticks.now += 3
    remembered.remember("a", identity(2), expires_at=None, changes=0)
    remembered.remember("b", identity(3), expires_at=None, changes=0)
    ticks.now += 2.5  # "old" lapsed, "a" and "b" not
    remembered.remember("c", identity(4), expires_at=None, changes=0)
    assert len(remembered) == 3
    assert remembered.get("old", now=NOW) is None
    remembered.remember("d", identity(5), expires_at=None, changes=0)  # nothing lapsed: the oldest goes
    assert len(remembered) == 3
    assert remembered.get("a", now=NOW) is None
    assert [remembered.get(k, now=NOW) is not None for k in ("b", "c", "d")] == [True, True, True]


def test_refuses_a_negative_time() -> None:
    with pytest.raises(ValueError, match="ttl_seconds"):
        TokenIdentities(-1)
