"""Verifying many credentials at once, on every core when the batch is large enough to pay for it.

Verifying is mostly computation (JSON-LD expansion, RDFC-1.0 or JCS, Ed25519), so a large batch is
split over a process pool, as ``credential_signing`` does for signing: each worker is started once
(``spawn``, never ``fork``) with the job, builds its own key and status sources from the job's
picklable recipe (``VerificationJob.sources``: a module-level function, or a ``functools.partial`` of
one, over plain configuration such as trusted keys, status list documents and the outbound policy),
then verifies chunks of inputs. Reports come back in the order of the inputs, each whole (a report
is never an exception). Below ``PARALLEL_FROM`` inputs, or with one core, everything is verified in
this process with sources built once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime
from multiprocessing import util
from typing import Any

from microcareer.domain.credentials.verification import verify_credential
from microcareer.domain.credentials.verification_model import KeySource, StatusSource, VerificationReport
from microcareer.services.credential_signing import usable_cores

Contexts = Mapping[str, Mapping[str, Any]]
PARALLEL_FROM = 1_000
"""Batches of at least this many inputs are verified on a process pool. Starting one costs about a
second of imports per worker (in parallel), while one core verifies about 500 eddsa-rdfc-2022
credentials a second in full (bench/bench_credentials.py, bench/bench_batch_scaling.py: a worker's
start costs about a second of CPU): below this, one process is as quick."""
CHUNK = 25


def _nothing() -> None:
    return None


@dataclass(frozen=True, slots=True)
class BatchSources:
    """Where one process reads keys and status lists, the window each verification runs in (its
    fetches share one deadline), and what closes them when the process is done."""

    keys: KeySource
    status: StatusSource | None
    window: Callable[[], AbstractContextManager[object]] = nullcontext
    close: Callable[[], None] = _nothing


@dataclass(frozen=True, slots=True)
class VerificationJob:
    """What every input of a batch is verified with; picklable, so a worker process can rebuild it."""

    sources: Callable[[], BatchSources]
    """Builds the sources in the process that verifies: a module-level function or a partial of one."""
    contexts: Contexts
    schemas: Mapping[str, Mapping[str, Any]]
    now: datetime
    require_status: bool = False
    accept_unknown_status: bool = False
    accept_key_only_issuer: bool = False
    http_allowed: bool = False


def verify_one(raw: bytes | str, job: VerificationJob, sources: BatchSources) -> VerificationReport:
    """Every check on one input, its fetches inside one window of ``sources``."""
    with sources.window():
        return verify_credential(
            raw,
            keys=sources.keys,
            status=sources.status,
            contexts=job.contexts,
            schemas=job.schemas,
            now=job.now,
            require_status=job.require_status,
            accept_unknown_status=job.accept_unknown_status,
            accept_key_only_issuer=job.accept_key_only_issuer,
            http_allowed=job.http_allowed,
        )


_WORKER: tuple[VerificationJob, BatchSources] | None = None


def _start_worker(job: VerificationJob) -> None:
    global _WORKER  # one job per worker process, set once when it starts
    sources = job.sources()
    _WORKER = (job, sources)
    util.Finalize(None, sources.close, exitpriority=10)  # run as the worker exits normally


def _verify_chunk(raws: Sequence[bytes | str]) -> list[VerificationReport]:
    assert _WORKER is not None, "the pool's initializer sets the job"
    job, sources = _WORKER
    return [verify_one(raw, job, sources) for raw in raws]


def verify_documents(
    raws: Sequence[bytes | str], job: VerificationJob, *, workers: int | None = None
) -> list[VerificationReport]:
    """The report of each input, in order, verified on up to ``workers`` cores (all by default)."""
    workers = min(workers or usable_cores(), max(1, len(raws) // CHUNK))
    if len(raws) < PARALLEL_FROM or workers < 2:
        sources = job.sources()
        try:
            return [verify_one(raw, job, sources) for raw in raws]
        finally:
            sources.close()
    chunks = [raws[start : start + CHUNK] for start in range(0, len(raws), CHUNK)]
    context = multiprocessing.get_context("spawn")
    portable = replace(  # the pinned sets are read-only mapping proxies, which do not pickle
        job,
        contexts={url: dict(document) for url, document in job.contexts.items()},
        schemas={url: dict(document) for url, document in job.schemas.items()},
    )
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(portable,)
    ) as pool:
        return [report for chunk in pool.map(_verify_chunk, chunks) for report in chunk]
