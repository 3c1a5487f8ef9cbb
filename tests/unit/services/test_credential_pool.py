"""The credential pool: chunks shared between this process and fork-server workers, in order."""

from __future__ import annotations

import time

import pytest

from microcareer import forkserver
from microcareer.services.credential_pool import WorkerClock, map_chunks, pool_cpu_seconds, worker_clock


def _nothing() -> None:
    return None


def _squares_here(chunk: list[int]) -> list[int]:
    time.sleep(0.01)  # leaves the feeder time to send chunks to the worker
    return [n * n for n in chunk]


def _squares_there(chunk: list[int]) -> tuple[list[int], WorkerClock]:
    return [n * n for n in chunk], worker_clock()


def _fails_there(chunk: list[int]) -> tuple[list[int], WorkerClock]:
    raise ValueError(f"chunk {chunk[0]}")


def test_chunks_come_back_in_order_from_this_process_and_a_worker() -> None:
    chunks = [list(range(start, start + 3)) for start in range(0, 90, 3)]
    results, clocks = map_chunks(
        chunks, _squares_here, _squares_there, workers=2, initializer=_nothing, initargs=()
    )
    assert results == [[n * n for n in chunk] for chunk in chunks]
    assert clocks  # the worker took chunks too, and its clock came back with each
    assert pool_cpu_seconds(clocks) > 0


def test_a_workers_failure_is_raised_to_the_caller() -> None:
    chunks = [[n] for n in range(40)]
    with pytest.raises(ValueError, match="chunk"):
        map_chunks(chunks, _squares_here, _fails_there, workers=2, initializer=_nothing, initargs=())


def test_each_workers_last_clock_counts_once() -> None:
    assert pool_cpu_seconds([(1, 0.5), (2, 0.25), (1, 0.75)]) == 1.0


def test_the_fork_server_preloads_what_every_pool_asked_for() -> None:
    forkserver.worker_context(["json"])
    context = forkserver.worker_context(["csv"])
    assert context.get_start_method() == "forkserver"
    assert {"json", "csv"} <= set(forkserver._preload)
