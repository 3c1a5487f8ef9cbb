"""Verifying several credentials in one request (REST API and web page), bounded in number, size and
concurrency, on the batch service the CLI uses.

A batch is up to ``MAX_DOCUMENTS`` credentials (each as one verification would take it: JSON, a
VC-JWT, a baked PNG or SVG) of at most ``MAX_DOCUMENT_BYTES`` each and ``MAX_BATCH_BYTES`` in all;
a JSON file holding an array counts as its elements. Each is verified exactly as
``credential_verification.verify`` verifies one (this platform's keys and status lists from the
store, everything else through the SSRF-safe outbound sources, one deadline per credential, status
failing closed) by ``credential_batch_verification.verify_documents``, the service behind
``credentials verify FILE... --workers N``, and the verdicts come back in the order sent.

A batch is for signed-in users (``Action.CREDENTIALS_VERIFY_BATCH``; one credential stays public),
one batch per user at a time and ``CONCURRENT_BATCHES`` per process: more answers ``Busy`` (503).
Batches this small (below ``credential_batch_verification.PARALLEL_FROM``) run in the request's own
worker thread: the server's process is not forked for them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.verification_model import VerificationReport
from microcareer.errors import Busy, InvalidInput
from microcareer.services.access import Action, authorize
from microcareer.services.credential_batch_verification import VerificationJob, verify_documents
from microcareer.services.credential_issuing import Publication
from microcareer.services.credential_ports import KeyVault
from microcareer.services.credential_verification import VerifierSources, batch_sources
from microcareer.services.ports import UnitOfWork

MAX_DOCUMENTS = 50
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_BATCH_BYTES = 10 * 1024 * 1024
CONCURRENT_BATCHES = 2
WAIT_SECONDS = 5.0
"""How long a batch waits for one of the ``CONCURRENT_BATCHES`` places before it is refused."""
MAX_NAME = 200

_PLACES = threading.BoundedSemaphore(CONCURRENT_BATCHES)
_RUNNING: set[int | None] = set()
_RUNNING_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One credential of a batch as sent, and what to call it (a file name, or its place)."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class BatchVerdict:
    """One credential's report, under the name it was sent with."""

    name: str
    report: VerificationReport


def _as_bytes(value: Any, name: str) -> bytes:
    if isinstance(value, str):
        return value.strip().encode("utf-8")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    raise InvalidInput(f"{name}: a credential is a JSON object or a string (JWT or JSON text)", field=name)


def items_of_values(values: Any) -> list[BatchItem]:
    """The credentials of a JSON batch: a list of JSON objects and/or strings (JWT or JSON text)."""
    if not isinstance(values, list):
        raise InvalidInput("credentials: a list of credentials", field="credentials")
    if len(values) > MAX_DOCUMENTS:
        raise _too_many(len(values))
    return [
        BatchItem(f"credentials[{index}]", _as_bytes(value, f"credentials[{index}]"))
        for index, value in enumerate(values)
    ]


def items_of_file(name: str, data: bytes) -> list[BatchItem]:
    """The credentials of one uploaded file: the file itself, or each element of a JSON array in it."""
    name = name[:MAX_NAME] or "file"
    if data.lstrip()[:1] != b"[":
        return [BatchItem(name, data)]
    try:
        values = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise InvalidInput(f"{name}: not JSON ({error})", field="files") from None
    if not isinstance(values, list):
        raise InvalidInput(f"{name}: not JSON", field="files")
    if len(values) > MAX_DOCUMENTS:
        raise _too_many(len(values))
    return [
        BatchItem(f"{name}[{index}]", _as_bytes(value, f"{name}[{index}]"))
        for index, value in enumerate(values)
    ]


def _too_many(count: int) -> InvalidInput:
    return InvalidInput(
        f"credentials: {count} in one batch, more than the {MAX_DOCUMENTS} allowed", field="credentials"
    )


def check_items(items: Sequence[BatchItem]) -> None:
    """Refuse (``InvalidInput``, naming what) a batch that is empty, too long, or too large."""
    if not items:
        raise InvalidInput("credentials: send at least one credential", field="credentials")
    if len(items) > MAX_DOCUMENTS:
        raise _too_many(len(items))
    for item in items:
        if not item.data.strip():
            raise InvalidInput(f"{item.name}: empty", field="credentials")
        if len(item.data) > MAX_DOCUMENT_BYTES:
            raise InvalidInput(
                f"{item.name}: larger than {MAX_DOCUMENT_BYTES // 2**20} MiB", field="credentials"
            )
    total = sum(len(item.data) for item in items)
    if total > MAX_BATCH_BYTES:
        raise InvalidInput(
            f"credentials: {total:,} bytes in all, more than {MAX_BATCH_BYTES // 2**20} MiB",
            field="credentials",
        )


@contextmanager
def _place(actor: Actor) -> Iterator[None]:
    """One of the process's places for a batch, and the actor's one batch at a time; else ``Busy``."""
    with _RUNNING_LOCK:
        if actor.user_id in _RUNNING:
            raise Busy("you already have a batch being verified: wait for its verdicts, then send the next")
        _RUNNING.add(actor.user_id)
    try:
        if not _PLACES.acquire(timeout=WAIT_SECONDS):
            raise Busy(f"{CONCURRENT_BATCHES} batches are being verified: try again in a few seconds")
        try:
            yield
        finally:
            _PLACES.release()
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(actor.user_id)


def verify_batch(
    uow: UnitOfWork,
    vault: KeyVault,
    *,
    actor: Actor,
    items: Sequence[BatchItem],
    publication: Publication,
    sources: VerifierSources,
    now: datetime,
    status_cache: dict[tuple[int, datetime], str] | None = None,
    accept_key_only_issuer: bool = False,
) -> list[BatchVerdict]:
    """Every check on each credential of ``items``, the verdicts in the order sent (see the module)."""
    authorize(actor, Action.CREDENTIALS_VERIFY_BATCH)
    check_items(items)
    job = VerificationJob(
        # built in this process only: a batch this small is never sent to a pool (workers=1)
        sources=lambda: batch_sources(
            uow, vault, publication=publication, sources=sources, status_cache=status_cache
        ),
        contexts=publication.contexts,
        schemas=sources.schemas,
        now=now,
        accept_key_only_issuer=accept_key_only_issuer,
    )
    with _place(actor):
        reports = verify_documents([item.data for item in items], job, workers=1)
    return [BatchVerdict(item.name, report) for item, report in zip(items, reports, strict=True)]
