"""The process pool on which large credential batches are signed and verified.

Workers are forked from this process's fork server (``microcareer.forkserver``), which preloads the
credential modules (JSON-LD and RDF canonicalisation, JCS, JSON Schema, Ed25519, JWT): a worker
starts in milliseconds with them imported, where a spawned one spent about a second of CPU
importing them (on two cores that ate most of what the second core gave: bench/bench_batch_scaling.py),
and a later batch in the same process finds the server running. Inputs go out in chunks; each
chunk's answer also carries its worker's clock (``worker_clock``): the workers are the fork
server's children, not this process's, so ``RUSAGE_CHILDREN`` never counts their CPU time.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

from microcareer.forkserver import worker_context

PRELOAD = (
    "microcareer.domain.credentials.verification",
    "microcareer.domain.credentials.data_integrity",
    "microcareer.domain.credentials.vc_jwt",
    "microcareer.services.credential_signing",
    "microcareer.services.credential_batch_verification",
)
"""What a worker needs imported (each imports its own dependencies), preloaded by the fork server."""

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")
WorkerClock = tuple[int, float]
"""A worker's process id and the CPU seconds it has used since it started."""


def credential_pool(
    workers: int, initializer: Callable[..., object], initargs: tuple[Any, ...]
) -> ProcessPoolExecutor:
    """``workers`` processes from the fork server, each set up by ``initializer(*initargs)``."""
    return ProcessPoolExecutor(
        workers, mp_context=worker_context(PRELOAD), initializer=initializer, initargs=initargs
    )


def worker_clock() -> WorkerClock:
    """This process's id and CPU time: sent back with each chunk a worker answers."""
    return os.getpid(), time.process_time()


def pool_cpu_seconds(clocks: Iterable[WorkerClock]) -> float:
    """The CPU seconds the workers used, from the clocks their chunks sent back (each worker's last)."""
    latest: dict[int, float] = {}
    for pid, seconds in clocks:
        latest[pid] = max(seconds, latest.get(pid, 0.0))
    return sum(latest.values())


def map_chunks(
    chunks: Sequence[Chunk],
    here: Callable[[Chunk], Result],
    there: Callable[[Chunk], tuple[Result, WorkerClock]],
    *,
    workers: int,
    initializer: Callable[..., object],
    initargs: tuple[Any, ...],
) -> tuple[list[Result], list[WorkerClock]]:
    """Each chunk's result, in order, from this process and ``workers - 1`` pool processes together.

    This process takes chunks (``here``) while a feeder thread keeps each worker two chunks ahead
    (``there``, a module-level function: it is pickled by name): the work starts at once, while the
    fork server and the workers start, and this process, already set up, is one of the cores.
    Returns the results and the clocks the workers' chunks sent back; a worker's failure (or a
    broken pool) is raised here, as ``Executor.map`` raises it."""
    results: dict[int, Result] = {}
    clocks: list[WorkerClock] = []
    taken = iter(range(len(chunks)))
    lock = threading.Lock()
    sent: dict[Future[tuple[Result, WorkerClock]], int] = {}
    failures: list[BaseException] = []

    def take() -> int | None:
        with lock:
            return None if failures else next(taken, None)

    with credential_pool(workers - 1, initializer, initargs) as pool:

        def feed() -> None:
            outstanding: set[Future[tuple[Result, WorkerClock]]] = set()
            try:
                while (index := take()) is not None:
                    future = pool.submit(there, chunks[index])
                    sent[future] = index
                    outstanding.add(future)
                    if len(outstanding) >= 2 * (workers - 1):
                        outstanding = wait(outstanding, return_when=FIRST_COMPLETED).not_done
            except BaseException as error:  # raised in the caller's thread, below
                with lock:
                    failures.append(error)

        feeder = threading.Thread(target=feed, name="credential-pool-feeder", daemon=True)
        feeder.start()
        try:
            while (index := take()) is not None:
                results[index] = here(chunks[index])
        finally:
            feeder.join()
        if failures:
            raise failures[0]
        for future, index in sent.items():
            results[index], clock = future.result()
            clocks.append(clock)
    return [results[index] for index in range(len(chunks))], clocks
