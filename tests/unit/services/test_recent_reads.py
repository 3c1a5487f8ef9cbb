"""``RecentReads``: an answer remembered for its seconds, lapsing at a commit counted, bounded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from microcareer.services.recent_reads import RecentReads


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0
        self.commits = 0
        self.loads = 0

    def monotonic(self) -> float:
        return self.now

    def count(self) -> int:
        return self.commits

    def loader(self, value: str) -> Callable[[], str]:
        def load() -> str:
            self.loads += 1
            return f"{value}#{self.loads}"

        return load


def reads(ticks: Ticks, ttl: float = 2.0, max_entries: int = 100) -> RecentReads:
    return RecentReads(ttl, changes=ticks.count, max_entries=max_entries, monotonic=ticks.monotonic)


def test_an_answer_is_given_back_within_its_seconds_then_read_again() -> None:
    ticks = Ticks()
    cache = reads(ticks)
    assert cache.read("board", ticks.loader("a")) == "a#1"
    ticks.now += 1.9
    assert cache.read("board", ticks.loader("a")) == "a#1"
    ticks.now += 0.2
    assert cache.read("board", ticks.loader("a")) == "a#2"


def test_a_commit_in_this_process_makes_every_answer_lapse_at_once() -> None:
    ticks = Ticks()
    cache = reads(ticks)
    cache.read("board", ticks.loader("a"))
    cache.read(("board", 2), ticks.loader("b"))
    ticks.commits += 1
    assert cache.read("board", ticks.loader("a")) == "a#3"
    assert cache.read(("board", 2), ticks.loader("b")) == "b#4"


def test_an_answer_read_while_a_commit_landed_is_not_kept_past_it() -> None:
    ticks = Ticks()
    cache = reads(ticks)

    def load_during_commit() -> str:
        ticks.commits += 1  # the commit lands while the store is being read
        return "stale"

    assert cache.read("board", load_during_commit) == "stale"
    assert cache.read("board", ticks.loader("a")) == "a#1"  # counted before the read: lapsed


def test_keys_are_apart_so_viewers_with_other_visibility_never_share_an_answer() -> None:
    ticks = Ticks()
    cache = reads(ticks)
    outsider = ("jobs", frozenset[int](), 7)
    member = ("jobs", frozenset({3}), 8)
    assert cache.read(outsider, ticks.loader("public")) == "public#1"
    assert cache.read(member, ticks.loader("internal")) == "internal#2"
    assert cache.read(outsider, ticks.loader("public")) == "public#1"


def test_off_at_zero_seconds_and_bounded_in_entries() -> None:
    ticks = Ticks()
    off = reads(ticks, ttl=0)
    assert off.read("board", ticks.loader("a")) == "a#1"
    assert off.read("board", ticks.loader("a")) == "a#2"
    assert len(off) == 0
    small = reads(ticks, max_entries=3)
    for n in range(10):
        small.read(n, ticks.loader(str(n)))
    assert len(small) == 3
    assert small.read(9, ticks.loader("9")) == "9#12"  # the newest kept


def test_refuses_nonsense_settings() -> None:
    with pytest.raises(ValueError, match="negative"):
        RecentReads(-1)
    with pytest.raises(ValueError, match="at least 1"):
        RecentReads(1, max_entries=0)


def test_an_empty_answer_is_remembered_like_any_other() -> None:
    # ``None`` is an answer too (``services/remembered.py`` tells "remembered: None" from "not remembered")
    ticks = Ticks()
    cache = reads(ticks)
    loads: list[int] = []

    def nothing() -> None:
        loads.append(1)

    cache.read("empty", nothing)
    cache.read("empty", nothing)
    assert len(loads) == 1
    ticks.now += 2.0
    cache.read("empty", nothing)
    assert len(loads) == 2


def test_read_async_remembers_an_awaited_answer_and_forgets_one_a_commit_overtook() -> None:
    ticks = Ticks()
    cache = reads(ticks)
    load = ticks.loader("me")

    async def read() -> str:
        return load()

    async def committing() -> str:
        ticks.commits += 1  # a commit through this process while the store is read
        return load()

    assert asyncio.run(cache.read_async("me", read)) == "me#1"
    assert asyncio.run(cache.read_async("me", read)) == "me#1"
    ticks.commits += 1
    assert asyncio.run(cache.read_async("me", committing)) == "me#2"
    assert asyncio.run(cache.read_async("me", read)) == "me#3"  # the answer read across a commit lapsed
    assert asyncio.run(cache.read_async("me", read)) == "me#3"
