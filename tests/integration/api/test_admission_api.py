"""Verifications and uploads through their own slots (issue 15), over HTTP, on each database.

A fake key source (and a fake document pool) holds the work until the test lets it go, so the slots
are full for as long as the test needs, with no wall-time waits: the test waits on the fakes' own
signals. Requests go through the ASGI app on one event loop (httpx's ASGI transport), each client with
the address the test gives it.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any

import anyio
import anyio.to_thread
import httpx

from microcareer.adapters.documents.model import Document
from microcareer.adapters.documents.pool import DocumentPool
from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.status_lists_http import StatusLists
from microcareer.api.admission import Gate, GateLimits
from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.credentials.verification_model import KeyNotResolved, ResolvedKey
from microcareer.services.credential_verification import VerifierSources
from tests.integration.api.test_extraction_api import bearer
from tests.integration.taxonomy_helpers import PYTHON, make_organisation

DATA = Path(__file__).resolve().parents[2] / "data"
CREDENTIAL = (DATA / "ob-v3p0" / "ob-signed-credential.json").read_bytes()
VERIFY = "/api/v1/credentials/verify"
JSON = {"Content-Type": "application/json"}


class Held:
    """Counts the calls that reach it, and holds each until ``release`` is set."""

    def __init__(self) -> None:
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()

    def hold(self) -> None:
        self.entered.release()
        if not self.release.wait(timeout=120):  # a safety net: the test sets it long before
            raise AssertionError("never released")

    async def arrivals(self, count: int) -> None:
        """Until ``count`` calls have reached the fake (waited for in a thread of its own)."""
        for _ in range(count):
            await anyio.to_thread.run_sync(self.entered.acquire, limiter=anyio.CapacityLimiter(1))


class HeldKeys(Held):
    """A key source as slow as a did:web host that does not answer, until released."""

    def resolve(self, verification_method: str) -> ResolvedKey:
        self.hold()
        raise KeyNotResolved("the test's key source has no key")


class HeldPool(DocumentPool):
    """A document pool whose reads are held until released, then give a short CV."""

    def __init__(self, held: Held) -> None:
        super().__init__(workers=2)
        self.held = held

    def read_upload(self, stream: IO[bytes], *, filename: str, doc_id: str | None = None) -> Document:
        self.held.hold()
        return Document(doc_id or filename, "Python developer.", filename, "text/plain")


def held_verifications(platform: Platform, limits: GateLimits) -> HeldKeys:
    keys = HeldKeys()
    platform.caches["verifier_sources"] = VerifierSources(
        keys=keys, status=StatusLists({}), schemas=pinned_schemas()
    )
    platform.caches["gate:verifications"] = Gate("verifications", limits)
    return keys


def client_at(platform: Platform, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(platform), client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def run(test: Callable[[], Awaitable[None]], released: Held) -> None:
    """``test`` on one event loop; whatever happens, the fakes are let go (no thread left held)."""

    async def bounded() -> None:
        try:
            with anyio.fail_after(120):  # a safety net against a hang, not a timing
                await test()
        finally:
            released.release.set()

    anyio.run(bounded)


def test_full_verification_slots_answer_503_with_retry_after_and_other_requests_are_served(
    platform: Platform,
) -> None:
    keys = held_verifications(
        platform, GateLimits(capacity=2, per_key=2, max_waiting=0, per_key_waiting=0, wait_seconds=9)
    )
    answers: list[httpx.Response] = []

    async def test() -> None:
        # as few threads in the default pool as there are verifications held: were verifications
        # waiting in that pool, nothing else could be answered
        anyio.to_thread.current_default_thread_limiter().total_tokens = 2
        async with client_at(platform, "198.51.100.1") as client, anyio.create_task_group() as tasks:

            async def verify() -> None:
                answers.append(await client.post(VERIFY, content=CREDENTIAL, headers=JSON))

            tasks.start_soon(verify)
            tasks.start_soon(verify)
            await keys.arrivals(2)  # both slots held, waiting on the key source

            refused = await client.post(VERIFY, content=CREDENTIAL, headers=JSON)
            assert refused.status_code == 503, refused.text
            assert refused.headers["Retry-After"] == "9"
            assert refused.json()["code"] == "busy"

            health = await client.get("/api/v1/health")  # a sync route, in the default pool
            assert health.status_code == 200, health.text
            keys.release.set()
        assert [a.status_code for a in answers] == [200, 200]
        assert all(a.json()["verdict"] == "invalid" for a in answers)  # the fake had no key

    run(test, keys)


def test_one_address_has_its_share_of_verifications_and_another_address_still_gets_in(
    platform: Platform,
) -> None:
    keys = held_verifications(
        platform, GateLimits(capacity=4, per_key=1, max_waiting=8, per_key_waiting=0, wait_seconds=9)
    )
    answers: list[httpx.Response] = []

    async def test() -> None:
        async with (
            client_at(platform, "198.51.100.1") as greedy,
            client_at(platform, "203.0.113.5") as other,
            anyio.create_task_group() as tasks,
        ):

            async def verify(client: httpx.AsyncClient) -> None:
                answers.append(await client.post(VERIFY, content=CREDENTIAL, headers=JSON))

            tasks.start_soon(verify, greedy)
            await keys.arrivals(1)
            refused = await greedy.post(VERIFY, content=CREDENTIAL, headers=JSON)
            assert refused.status_code == 429, refused.text
            assert refused.headers["Retry-After"] == "9"
            assert refused.json()["code"] == "too_many_at_once"

            tasks.start_soon(verify, other)
            await keys.arrivals(1)  # the other address's verification reached the key source
            keys.release.set()
        assert [a.status_code for a in answers] == [200, 200]

    run(test, keys)


def test_an_upload_waits_for_the_reader_its_user_has_not_taken_and_a_second_user_gets_the_other(
    taxonomy_platform: Platform,
) -> None:
    platform = taxonomy_platform
    held = Held()
    platform.caches["documents"] = HeldPool(held)
    platform.caches["gate:uploads"] = Gate(
        "uploads", GateLimits(capacity=2, per_key=1, max_waiting=8, per_key_waiting=0, wait_seconds=9)
    )
    org = make_organisation(platform)
    first, second = bearer(platform, org.admin.user_id), bearer(platform, org.outsider.user_id)
    answers: list[httpx.Response] = []

    def upload(client: httpx.AsyncClient, headers: dict[str, str]) -> Any:
        return client.post(
            "/api/v1/extract/file",
            headers=headers,
            files={"file": ("cv.txt", b"Python developer.", "text/plain")},
            data={"methods": "lexical"},
        )

    async def test() -> None:
        async with client_at(platform, "198.51.100.1") as client, anyio.create_task_group() as tasks:

            async def send(headers: dict[str, str]) -> None:
                answers.append(await upload(client, headers))

            tasks.start_soon(send, first)
            await held.arrivals(1)
            refused = await upload(client, first)  # the same person: their one reader is taken
            assert refused.status_code == 429, refused.text
            assert refused.headers["Retry-After"] == "9"

            tasks.start_soon(send, second)  # another person, same address: the other reader
            await held.arrivals(1)
            held.release.set()
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        assert all(PYTHON in {s["uri"] for s in a.json()["skills"]} for a in answers)

    run(test, held)


def test_a_batch_of_verifications_takes_a_verification_slot_and_waits_for_one_like_a_single_one(
    taxonomy_platform: Platform,
) -> None:
    platform = taxonomy_platform
    keys = held_verifications(
        platform, GateLimits(capacity=1, per_key=1, max_waiting=0, per_key_waiting=0, wait_seconds=9)
    )
    org = make_organisation(platform)
    signed_in = bearer(platform, org.admin.user_id) | JSON
    batch = b'{"credentials": [' + CREDENTIAL + b"]}"
    answers: list[httpx.Response] = []

    async def test() -> None:
        async with (
            client_at(platform, "198.51.100.1") as first,
            client_at(platform, "203.0.113.5") as second,
            anyio.create_task_group() as tasks,
        ):

            async def verify() -> None:
                answers.append(await first.post(VERIFY, content=CREDENTIAL, headers=JSON))

            tasks.start_soon(verify)
            await keys.arrivals(1)  # the only slot is held by a single verification
            refused = await second.post("/api/v1/credentials/verify-batch", content=batch, headers=signed_in)
            assert refused.status_code == 503, refused.text
            assert refused.headers["Retry-After"] == "9"
            keys.release.set()
        assert [a.status_code for a in answers] == [200]
        keys.release.set()  # the slot is free again: the batch goes through
        async with client_at(platform, "203.0.113.5") as second:
            answered = await second.post("/api/v1/credentials/verify-batch", content=batch, headers=signed_in)
        assert answered.status_code == 200, answered.text
        assert [r["verdict"] for r in answered.json()["results"]] == ["invalid"]  # the fake has no key

    run(test, keys)


def test_checking_a_credential_issued_here_takes_a_verification_slot_not_the_shared_pool(
    platform: Platform,
) -> None:
    keys = held_verifications(
        platform, GateLimits(capacity=1, per_key=1, max_waiting=0, per_key_waiting=0, wait_seconds=7)
    )
    unknown = "/api/v1/credentials/00000000-0000-0000-0000-000000000000/verification"
    answers: list[httpx.Response] = []

    async def test() -> None:
        async with client_at(platform, "198.51.100.1") as client, anyio.create_task_group() as tasks:

            async def verify() -> None:
                answers.append(await client.post(VERIFY, content=CREDENTIAL, headers=JSON))

            tasks.start_soon(verify)
            await keys.arrivals(1)  # the one slot is held
            refused = await client.get(unknown)
            assert refused.status_code == 503, refused.text
            assert refused.headers["Retry-After"] == "7"
            keys.release.set()
        assert [a.status_code for a in answers] == [200]
        async with client_at(platform, "198.51.100.1") as client:
            assert (await client.get(unknown)).status_code == 404  # a free slot: the check itself ran

    run(test, keys)
