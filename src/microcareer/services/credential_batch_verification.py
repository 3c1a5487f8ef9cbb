"""Verifying many credentials at once, on every core when the batch is large enough to pay for it.

Verifying is mostly computation (JSON-LD expansion, RDFC-1.0 or JCS, Ed25519), so a large batch is
split over a process pool, as ``credential_signing`` does for signing: each worker is forked from the
fork server that preloads the credential modules (``credential_pool``; never plain ``fork`` of this
process), set up once with the job, builds its own key and status sources from the job's
picklable recipe (``VerificationJob.sources``: a module-level function, or a ``functools.partial`` of
one, over plain configuration such as trusted keys, status list documents and the outbound policy),
then verifies chunks of inputs; this process verifies chunks too, from the start (``map_chunks``), so
``workers`` cores are this process and ``workers - 1`` pool workers. Reports come back in the order
of the inputs, each whole (a report is never an exception). Below ``PARALLEL_FROM`` inputs, or with
one core, everything is verified in this process with sources built once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime
from multiprocessing import util
from typing import Any

from microcareer.domain.credentials.verification import verify_credential
from microcareer.domain.credentials.verification_model import KeySource, StatusSource, VerificationReport
from microcareer.services.credential_pool import WorkerClock, map_chunks, pool_cpu_seconds, worker_clock
from microcareer.services.credential_signing import usable_cores

Contexts = Mapping[str, Mapping[str, Any]]
PARALLEL_FROM = 1_000
"""Batches of at least this many inputs are verified on a process pool. A worker forked from the
fork server starts in milliseconds, but the server itself imports the credential modules when this
process first needs it (a few tenths of a second of CPU), while one core verifies about 500
eddsa-rdfc-2022 credentials a second in full (bench/bench_credentials.py, bench/bench_batch_scaling.py)."""
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


def _verify_chunk(raws: Sequence[bytes | str]) -> tuple[list[VerificationReport], WorkerClock]:
    assert _WORKER is not None, "the pool's initializer sets the job"
    job, sources = _WORKER
    return [verify_one(raw, job, sources) for raw in raws], worker_clock()


@dataclass(frozen=True, slots=True)
class BatchRun:
    """A batch's reports, in the order of its inputs, and what verifying it took."""

    reports: list[VerificationReport]
    workers: int
    """Processes that verified it: this one and ``workers - 1`` pool workers (1: this one alone)."""
    worker_cpu_seconds: float = 0.0
    """CPU time the pool's workers used, as their own clocks read it (their start-up included, the
    fork server's once-per-process imports not); this process's own is not in it."""


def verify_batch_run(
    raws: Sequence[bytes | str], job: VerificationJob, *, workers: int | None = None
) -> BatchRun:
    """Each input verified, on up to ``workers`` cores (all by default), with what that took."""
    workers = min(workers or usable_cores(), max(1, len(raws) // CHUNK))
    if len(raws) < PARALLEL_FROM or workers < 2:
        sources = job.sources()
        try:
            return BatchRun([verify_one(raw, job, sources) for raw in raws], workers=1)
        finally:
            sources.close()
    chunks = [raws[start : start + CHUNK] for start in range(0, len(raws), CHUNK)]
    portable = replace(  # the pinned sets are read-only mapping proxies, which do not pickle
        job,
        contexts={url: dict(document) for url, document in job.contexts.items()},
        schemas={url: dict(document) for url, document in job.schemas.items()},
    )
    sources = job.sources()
    try:
        answers, clocks = map_chunks(
            chunks,
            lambda chunk: [verify_one(raw, job, sources) for raw in chunk],
            _verify_chunk,
            workers=workers,
            initializer=_start_worker,
            initargs=(portable,),
        )
    finally:
        sources.close()
    return BatchRun(
        [report for reports in answers for report in reports],
        workers=workers,
        worker_cpu_seconds=pool_cpu_seconds(clocks),
    )


def verify_documents(
    raws: Sequence[bytes | str], job: VerificationJob, *, workers: int | None = None
) -> list[VerificationReport]:
    """The report of each input, in order, verified on up to ``workers`` cores (all by default)."""
    return verify_batch_run(raws, job, workers=workers).reports
