"""The admission gate of costly requests (issue 15): a share per key, a bounded queue, a timed wait.

Everything runs on one event loop with ``anyio.run``; waits are on the gate's own counts (checkpoints),
never on the wall clock, and the timed wait is driven by a fake clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import cast

import anyio
import pytest
from starlette.requests import Request

from microcareer.api.admission import Gate, GateLimits, address_key
from microcareer.api.problems import problem
from microcareer.bootstrap import Platform
from microcareer.config import Settings
from microcareer.errors import Busy, TooManyAtOnce


async def until(condition: Callable[[], bool]) -> None:
    """Yield to other tasks until ``condition`` holds, a bounded number of times. Some waits need the
    gate's own poll (``POLL_SECONDS`` of real time) to pass, so the yields give time too: up to about a
    minute in all, a safety net, not a timing (100,000 bare yields took under half a second)."""
    for _ in range(60_000):
        if condition():
            return
        await anyio.sleep(0.001)
    raise AssertionError("the condition never held")


def limits(**given: float) -> GateLimits:
    values: dict[str, float] = {
        "capacity": 2,
        "per_key": 1,
        "max_waiting": 8,
        "per_key_waiting": 8,
        "wait_seconds": 60,
    }
    values.update(given)
    return GateLimits(
        capacity=int(values["capacity"]),
        per_key=int(values["per_key"]),
        max_waiting=int(values["max_waiting"]),
        per_key_waiting=int(values["per_key_waiting"]),
        wait_seconds=values["wait_seconds"],
    )


class Holder:
    """Holds a slot of ``gate`` for ``key`` from ``start`` until ``leave`` is set."""

    def __init__(self, gate: Gate, key: str) -> None:
        self.gate, self.key = gate, key
        self.entered = anyio.Event()
        self.leave = anyio.Event()
        self.refused: Exception | None = None

    async def run(self) -> None:
        try:
            async with self.gate.slot(self.key):
                self.entered.set()
                await self.leave.wait()
        except (Busy, TooManyAtOnce) as error:
            self.refused = error


def run(test: Callable[[], Awaitable[None]]) -> None:
    """``test`` on a fresh event loop; a gate that never lets a waiter in fails it rather than hangs."""

    async def bounded() -> None:
        with anyio.fail_after(120):  # a safety net against a hang, not a timing
            await test()

    anyio.run(bounded)


def test_one_key_never_holds_more_than_its_share_and_another_key_gets_the_free_slot() -> None:
    async def test() -> None:
        gate = Gate("verifications", limits(capacity=3, per_key=2))
        a1, a2, a3, b1 = (Holder(gate, k) for k in ("a", "a", "a", "b"))
        async with anyio.create_task_group() as tasks:
            for holder in (a1, a2):
                tasks.start_soon(holder.run)
                await holder.entered.wait()
            tasks.start_soon(a3.run)
            await until(lambda: gate.waiting("a") == 1)
            assert gate.running("a") == 2
            assert not a3.entered.is_set()
            tasks.start_soon(b1.run)
            await b1.entered.wait()  # the third slot goes to b at once, past a's waiter
            assert gate.running() == 3
            b1.leave.set()
            await until(lambda: gate.running() == 2)
            assert not a3.entered.is_set()  # a slot is free, but a still has its share
            a1.leave.set()
            await a3.entered.wait()  # a's own slot freed: its waiter gets it
            for holder in (a2, a3):
                holder.leave.set()
        assert gate.running() == 0
        assert gate.waiting() == 0

    run(test)


def test_a_freed_slot_goes_to_the_first_waiter_whose_key_has_room() -> None:
    async def test() -> None:
        gate = Gate("uploads", limits(capacity=2, per_key=1))
        a1, b1, a2, c1 = (Holder(gate, k) for k in ("a", "b", "a", "c"))
        async with anyio.create_task_group() as tasks:
            for holder in (a1, b1):
                tasks.start_soon(holder.run)
                await holder.entered.wait()
            tasks.start_soon(a2.run)
            await until(lambda: gate.waiting() == 1)
            tasks.start_soon(c1.run)
            await until(lambda: gate.waiting() == 2)
            b1.leave.set()  # a2 waited longer, but a already has its one slot: c goes first
            await c1.entered.wait()
            assert not a2.entered.is_set()
            a1.leave.set()
            await a2.entered.wait()
            a2.leave.set()
            c1.leave.set()
        assert gate.running() == 0
        assert gate.waiting() == 0

    run(test)


def test_a_full_queue_answers_at_once_busy_or_too_many_with_retry_after() -> None:
    async def test() -> None:
        gate = Gate(
            "verifications", limits(capacity=1, per_key=1, max_waiting=1, per_key_waiting=1, wait_seconds=7)
        )
        holder, waiter = Holder(gate, "a"), Holder(gate, "a")
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(holder.run)
            await holder.entered.wait()
            tasks.start_soon(waiter.run)
            await until(lambda: gate.waiting("a") == 1)
            with pytest.raises(Busy) as busy:  # every waiting place is taken
                async with gate.slot("b"):
                    pass
            assert busy.value.retry_after == 7
            assert busy.value.status == 503
            gate.limits = limits(capacity=1, per_key=1, max_waiting=8, per_key_waiting=1, wait_seconds=7)
            with pytest.raises(TooManyAtOnce) as too_many:  # a's own share of the queue is taken
                async with gate.slot("a"):
                    pass
            assert too_many.value.retry_after == 7
            assert too_many.value.status == 429
            holder.leave.set()
            await waiter.entered.wait()
            waiter.leave.set()
        assert gate.running() == 0
        assert gate.waiting() == 0

    run(test)


def test_a_wait_ends_busy_once_its_time_is_up_and_leaves_the_queue() -> None:
    now = [0.0]

    async def test() -> None:
        gate = Gate("uploads", limits(capacity=1, wait_seconds=5), clock=lambda: now[0])
        holder, waiter = Holder(gate, "a"), Holder(gate, "b")
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(holder.run)
            await holder.entered.wait()
            tasks.start_soon(waiter.run)
            await until(lambda: gate.waiting() == 1)
            now[0] = 5.0  # the fake clock passes the wait
            await until(lambda: waiter.refused is not None)
            assert isinstance(waiter.refused, Busy)
            assert not waiter.entered.is_set()
            assert "came free in time" in str(waiter.refused)
            assert gate.waiting() == 0
            assert gate.running() == 1
            holder.leave.set()
        assert gate.running() == 0

    run(test)


def test_a_waiter_that_goes_away_leaves_nothing_behind() -> None:
    async def test() -> None:
        gate = Gate("verifications", limits(capacity=1))
        holder = Holder(gate, "a")
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(holder.run)
            await holder.entered.wait()
            with anyio.CancelScope() as scope:

                async def wait() -> None:
                    async with gate.slot("b"):
                        raise AssertionError("never granted")

                async with anyio.create_task_group() as inner:
                    inner.start_soon(wait)
                    await until(lambda: gate.waiting() == 1)
                    scope.cancel()  # the client went away
            assert gate.waiting() == 0
            assert gate.running() == 1
            holder.leave.set()
        assert gate.running() == 0

    run(test)


def test_work_runs_in_a_thread_once_a_slot_is_held() -> None:
    async def test() -> None:
        gate = Gate("verifications", limits())
        seen: list[int] = []

        def work() -> int:
            seen.append(gate.running())
            return 42

        assert await gate.run("a", work) == 42
        assert seen == [1]
        assert gate.running() == 0

    run(test)


def test_gate_limits_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="at least one slot"):
        GateLimits(capacity=0, per_key=1, max_waiting=0, per_key_waiting=0, wait_seconds=1)


def test_busy_and_too_many_answers_carry_retry_after() -> None:
    for status in (429, 503):
        response = problem(status, "x", "X", "wait", "/p", retry_after=5)
        assert response.headers["Retry-After"] == "5"
    assert "Retry-After" not in problem(503, "busy", "Busy", "x", "/p").headers


def _key(peer: str) -> str:
    request = Request({"type": "http", "client": (peer, 1), "headers": []})
    platform = cast(Platform, SimpleNamespace(settings=Settings()))
    return address_key(request, platform)


def test_clients_are_keyed_by_address_and_ipv6_by_its_64() -> None:
    assert _key("203.0.113.7") == "address:203.0.113.7"
    assert _key("::ffff:203.0.113.7") == "address:203.0.113.7"
    assert _key("2001:db8:1:2::1") == _key("2001:db8:1:2:ffff::9") == "address:2001:db8:1:2::/64"
    assert _key("2001:db8:1:3::1") != _key("2001:db8:1:2::1")
