"""Admission for the costly classes of request (issue 15): credential verifications, which may wait on
another issuer's server, and uploads, which wait for a document reader process.

Each class has a :class:`Gate`: at most ``capacity`` requests of the class run at once in a server
process, at most ``per_key`` of them for one key (the client's address for verifications, the signed-in
user for uploads), so one client never holds every slot. (Background ingests of postings are bounded
in the store instead, across processes: ``services/market_ingest_jobs.start``.) A request that finds
no free slot waits, on the event
loop and holding no thread, in a bounded queue: a waiting place is handed to the first waiter
whose key is under its share when a slot frees (first come first served among keys with room), and a
wait ends after ``wait_seconds`` with 503 ``busy`` and ``Retry-After``. A queue that is full answers at
once: 503 ``busy`` when all places are taken, else 429 ``too_many_at_once`` when the key has its own
share of places taken; both with ``Retry-After``.

The work itself runs in a worker thread outside the default thread pool's tokens (anyio's 40, which
every ``def`` route of the API and the web uses), so a class that waits on the network or on a reader
process can hold at most ``capacity`` threads, and normal reads and writes keep the whole default pool.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request

from microcareer.api.client_address import client_address
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import Busy, TooManyAtOnce

T = TypeVar("T")

POLL_SECONDS = 0.5
"""A waiter re-checks its place this often as well as when woken (a safety net, not the mechanism)."""


@dataclass(frozen=True, slots=True)
class GateLimits:
    """How many of one class of request may run and wait, in one server process."""

    capacity: int
    per_key: int
    max_waiting: int
    per_key_waiting: int
    wait_seconds: float

    def __post_init__(self) -> None:
        if self.capacity < 1 or self.per_key < 1 or self.max_waiting < 0 or self.per_key_waiting < 0:
            raise ValueError("a gate needs at least one slot, one per key, and no negative queue")


@dataclass(eq=False, slots=True)
class _Waiter:
    key: str
    event: anyio.Event = field(default_factory=anyio.Event)
    granted: bool = False


class Gate:
    """Slots for one class of request: a global bound, a share per key, a bounded, timed queue."""

    def __init__(self, name: str, limits: GateLimits, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()  # state only; never held across an await
        self._running = 0
        self._running_by_key: Counter[str] = Counter()
        self._waiting: deque[_Waiter] = deque()
        self._waiting_by_key: Counter[str] = Counter()

    @property
    def retry_after(self) -> int:
        """Seconds a refused client is told to wait (``Retry-After``)."""
        return max(1, math.ceil(self.limits.wait_seconds))

    def running(self, key: str | None = None) -> int:
        with self._lock:
            return self._running if key is None else self._running_by_key[key]

    def waiting(self, key: str | None = None) -> int:
        with self._lock:
            return len(self._waiting) if key is None else self._waiting_by_key[key]

    def _has_room(self, key: str) -> bool:
        return self._running < self.limits.capacity and self._running_by_key[key] < self.limits.per_key

    def _take(self, key: str) -> None:
        self._running += 1
        self._running_by_key[key] += 1

    def _dequeue(self, waiter: _Waiter) -> None:
        self._waiting.remove(waiter)
        self._waiting_by_key[waiter.key] -= 1
        if not self._waiting_by_key[waiter.key]:
            del self._waiting_by_key[waiter.key]

    def _hand_on(self) -> None:
        """Give free slots to the first waiters whose key has room (under the lock)."""
        for waiter in list(self._waiting):
            if self._running >= self.limits.capacity:
                return
            if self._has_room(waiter.key):
                self._dequeue(waiter)
                self._take(waiter.key)
                waiter.granted = True
                waiter.event.set()

    def _release(self, key: str) -> None:
        with self._lock:
            self._running -= 1
            self._running_by_key[key] -= 1
            if not self._running_by_key[key]:
                del self._running_by_key[key]
            self._hand_on()

    def _refusal(self, detail: str) -> Busy:
        return Busy(f"{detail}; try again in {self.retry_after} s", retry_after=self.retry_after)

    async def _acquire(self, key: str) -> None:
        with self._lock:
            if self._has_room(key):  # granting is eager: a waiter left waiting has no room now
                self._take(key)
                return
            if len(self._waiting) >= self.limits.max_waiting:
                raise self._refusal(f"the server is busy with other {self.name}")
            if self._waiting_by_key[key] >= self.limits.per_key_waiting:
                raise TooManyAtOnce(
                    f"too many {self.name} of yours at once ({self.limits.per_key} at a time); "
                    f"try again in {self.retry_after} s",
                    retry_after=self.retry_after,
                )
            waiter = _Waiter(key)
            self._waiting.append(waiter)
            self._waiting_by_key[key] += 1
        deadline = self._clock() + self.limits.wait_seconds
        try:
            while True:
                left = deadline - self._clock()
                if left > 0:
                    with anyio.move_on_after(min(POLL_SECONDS, left)):
                        await waiter.event.wait()
                with self._lock:
                    if waiter.granted:
                        return
                    if self._clock() >= deadline:
                        self._dequeue(waiter)
                        raise self._refusal(f"no slot for {self.name} came free in time")
        except BaseException:  # cancelled (the client went away) or refused: give back what was given
            with self._lock:
                if waiter in self._waiting:
                    self._dequeue(waiter)
                granted = waiter.granted
            if granted:
                self._release(key)
            raise

    @asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        """Hold one slot for ``key``, waiting as described above; raises ``Busy`` or ``TooManyAtOnce``."""
        await self._acquire(key)
        try:
            yield
        finally:
            self._release(key)

    async def run(self, key: str, work: Callable[[], T]) -> T:
        """``work()`` in a worker thread once a slot is held, outside the default thread pool's tokens."""
        async with self.slot(key):
            # a limiter of its own: the gate bounds how many run; the default pool's tokens stay free
            return await anyio.to_thread.run_sync(work, limiter=anyio.CapacityLimiter(1))


def address_key(request: Request, platform: Platform) -> str:
    """The client's address as a gate key; an IPv6 client counts by its /64 (one host's usual share)."""
    address = client_address(request, platform.settings)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return f"address:{address}"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return f"address:{parsed.ipv4_mapped}"
        return f"address:{ipaddress.ip_network(f'{parsed}/64', strict=False)}"
    return f"address:{parsed}"


def user_key(request: Request, platform: Platform, actor: Actor) -> str:
    """The signed-in user as a gate key; the address when nobody is signed in."""
    return f"user:{actor.user_id}" if actor.user_id is not None else address_key(request, platform)


def verification_gate(platform: Platform) -> Gate:
    """The gate of credential verifications (the API's and the web's verify, wallet imports)."""
    return _gate(platform, "verifications", _verification_limits)


def upload_gate(platform: Platform) -> Gate:
    """The gate of uploaded documents read by the document pool (extraction, CV import)."""
    return _gate(platform, "uploads", _upload_limits)


_gates_lock = threading.Lock()


def _gate(platform: Platform, name: str, limits: Callable[[Platform], GateLimits]) -> Gate:
    with _gates_lock:
        gate = platform.caches.get(f"gate:{name}")
        if not isinstance(gate, Gate):
            gate = Gate(name, limits(platform))
            platform.caches[f"gate:{name}"] = gate
        return gate


def _verification_limits(platform: Platform) -> GateLimits:
    settings = platform.settings
    capacity = settings.outbound_max_in_flight  # one fetch at a time per verification: never over it
    return GateLimits(
        capacity=capacity,
        per_key=min(capacity, settings.verifications_per_address),
        max_waiting=16 * capacity,
        per_key_waiting=4 * capacity,
        wait_seconds=settings.busy_wait_seconds,
    )


def _upload_limits(platform: Platform) -> GateLimits:
    settings = platform.settings
    capacity = settings.document_workers
    return GateLimits(
        capacity=capacity,
        per_key=max(1, capacity // 2),  # one person never holds every reader
        max_waiting=32 * capacity,
        per_key_waiting=16 * capacity,
        wait_seconds=settings.busy_wait_seconds,
    )


async def run_verification(request: Request, platform: Platform, work: Callable[[], T]) -> T:
    """A verification's ``work`` through the verification gate, keyed by the client's address."""
    return await verification_gate(platform).run(address_key(request, platform), work)


async def run_upload(request: Request, platform: Platform, actor: Actor, work: Callable[[], T]) -> T:
    """An upload's reading ``work`` through the upload gate, keyed by the signed-in user."""
    return await upload_gate(platform).run(user_key(request, platform, actor), work)


__all__ = [
    "Gate",
    "GateLimits",
    "address_key",
    "run_upload",
    "run_verification",
    "upload_gate",
    "user_key",
    "verification_gate",
]
