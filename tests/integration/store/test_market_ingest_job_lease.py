"""One background ingest job at a time across every process sharing the store, and the sweep of jobs
whose process is gone (issue 19), on each database. Two service instances are two platforms, each
with its own engine and connections, on one database, as two server processes (or the CLI and a
server) would be."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcareer.adapters.posting_files import PostingFile
from microcareer.asgi import create_app
from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor
from microcareer.domain.market.ingest_jobs import STALE_AFTER, IngestJob, JobOwner, JobState
from microcareer.domain.progress import NoProgress
from microcareer.errors import Busy
from microcareer.services import market_ingest, market_ingest_jobs
from microcareer.services.market_ingest import CheckedFile
from tests.conftest import FAST_HASHER
from tests.integration.job_market_helpers import NOW
from tests.integration.market_postings import COLUMNS, write_postings

ROOT = Actor.system()
HERE = JobOwner("web-1", 4242, "here")
THERE = JobOwner("web-2", 4242, "there")  # another host: only its heartbeat tells


@pytest.fixture
def other(settings: Settings) -> Iterator[Platform]:
    """A second, independent service instance on the same database."""
    platform = bootstrap(settings, passwords=FAST_HASHER)
    yield platform
    platform.dispose()


@pytest.fixture
def checked(tmp_path: Path) -> CheckedFile:
    file = PostingFile.at(write_postings(tmp_path / "p.jsonl"))
    return market_ingest.check_file(ROOT, file=file, columns=COLUMNS)


def _start(platform: Platform, checked: CheckedFile, owner: JobOwner, at: datetime = NOW) -> IngestJob:
    return market_ingest_jobs.start(
        platform.uow,
        actor=ROOT,
        checked=checked,
        now=at,
        owner=owner,
        alive=lambda pid: True,
    )


def _running(platform: Platform) -> list[IngestJob]:
    with platform.uow() as uow:
        return uow.market_jobs.running_jobs()


def _all(platform: Platform) -> list[IngestJob]:
    with platform.uow() as uow:
        return uow.market_jobs.recent_jobs(100)


def test_a_second_instance_cannot_start_while_one_runs(
    platform: Platform, other: Platform, checked: CheckedFile
) -> None:
    first = _start(platform, checked, HERE)
    with pytest.raises(Busy) as refused:
        _start(other, checked, THERE)
    assert refused.value.retry_after == market_ingest_jobs.BUSY_RETRY_SECONDS
    assert [j.id for j in _all(other)] == [first.id]  # nothing left behind
    with pytest.raises(Busy):  # nor a second in the same instance
        _start(platform, checked, HERE)
    with platform.uow() as uow:
        assert uow.market_jobs.finish(first.id, JobState.DONE, NOW)
        uow.commit()
    second = _start(other, checked, THERE)
    assert [(j.id, j.owner) for j in _running(platform)] == [(second.id, str(THERE))]


def test_a_start_waits_on_an_uncommitted_one_then_is_refused(
    platform: Platform, other: Platform, checked: CheckedFile
) -> None:
    """The insert itself is the check: a start that comes while another's transaction is open waits
    for it (PostgreSQL's unique index, SQLite's one writer) and is refused once it commits."""
    outcome: list[object] = []
    with platform.uow() as uow:
        held = uow.market_jobs.add_job(
            created_by=None, at=NOW, file_name="a", source="a", columns="", rows_total=1, owner=str(HERE)
        )
        assert held is not None

        def start_there() -> None:
            try:
                outcome.append(_start(other, checked, THERE))
            except Exception as exc:
                outcome.append(exc)

        racer = threading.Thread(target=start_there)
        racer.start()
        racer.join(0.5)  # it waits on the open transaction (or has not reached it yet): either is fine
        uow.commit()
    racer.join()
    assert len(outcome) == 1
    assert isinstance(outcome[0], Busy), outcome
    assert [j.id for j in _all(other)] == [held.id]


def test_starts_at_once_from_two_instances_admit_exactly_one(
    platform: Platform, other: Platform, checked: CheckedFile
) -> None:
    for _ in range(4):
        barrier = threading.Barrier(2)
        results: list[object] = []
        lock = threading.Lock()

        def go(
            where: Platform,
            owner: JobOwner,
            barrier: threading.Barrier = barrier,
            results: list[object] = results,
            lock: threading.Lock = lock,
        ) -> None:
            barrier.wait()
            try:
                result: object = _start(where, checked, owner)
            except Exception as exc:
                result = exc
            with lock:
                results.append(result)

        threads = [threading.Thread(target=go, args=(p, o)) for p, o in ((platform, HERE), (other, THERE))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        started = [r for r in results if isinstance(r, IngestJob)]
        assert len(started) == 1, results
        assert all(isinstance(r, Busy) for r in results if r not in started), results
        assert [j.id for j in _running(platform)] == [started[0].id]
        with platform.uow() as uow:
            uow.market_jobs.finish(started[0].id, JobState.DONE, NOW)
            uow.commit()


def test_a_stale_job_of_another_host_gives_way(
    platform: Platform, other: Platform, checked: CheckedFile
) -> None:
    old = _start(other, checked, THERE, NOW - STALE_AFTER - timedelta(seconds=1))
    fresh = _start(other, checked, THERE, NOW)
    with pytest.raises(Busy):  # ... but not a live one
        _start(platform, checked, HERE)
    assert [j.id for j in _running(platform)] == [fresh.id]
    gone = next(j for j in _all(platform) if j.id == old.id)
    assert gone.state is JobState.INTERRUPTED
    assert "no heartbeat since" in gone.error


def _owned(platform: Platform, owner: JobOwner, at: datetime = NOW) -> int:
    with platform.uow() as uow:
        job = uow.market_jobs.add_job(
            created_by=None,
            at=at,
            file_name="p",
            source="p",
            columns="",
            rows_total=1,
            owner=str(owner),
        )
        assert job is not None
        uow.commit()
    return job.id


@pytest.mark.parametrize(
    ("owner", "alive", "interrupted"),
    [
        (JobOwner("web-1", 4242, "before"), True, True),  # an earlier run of this server, same pid
        (JobOwner("web-1", 77, "b"), False, True),  # a process of this host that is gone
        (JobOwner("web-1", 77, "b"), True, False),  # another live server process of this host
        (THERE, False, False),  # another host, its heartbeat fresh
        (HERE, True, False),  # this process's own
    ],
)
def test_sweep_interrupts_the_jobs_of_gone_processes_of_this_host(
    platform: Platform, owner: JobOwner, alive: bool, interrupted: bool
) -> None:
    job_id = _owned(platform, owner, NOW - timedelta(seconds=5))
    marked = market_ingest_jobs.sweep(platform.uow(), now=NOW, me=HERE, alive=lambda pid: alive)
    assert [j.id for j in marked] == ([job_id] if interrupted else [])
    with platform.uow() as uow:
        stored = uow.market_jobs.job(job_id)
    assert stored is not None
    if interrupted:
        assert stored.state is JobState.INTERRUPTED
        assert f"pid {owner.pid} on web-1" in stored.error
        assert stored.finished_at == NOW
    else:
        assert stored.state is JobState.RUNNING
        assert stored.error == ""


def test_the_server_sweeps_at_start_up(platform: Platform) -> None:
    """A job of an earlier run of this server (this host, this pid, another run's id) is interrupted
    before the first request, not 60 s later."""
    me = market_ingest_jobs.this_process()
    earlier = JobOwner(me.host, me.pid, "an-earlier-run")
    job_id = _owned(platform, earlier, platform.clock() - timedelta(seconds=5))
    with TestClient(create_app(platform)), platform.uow() as uow:
        stored = uow.market_jobs.job(job_id)
    assert stored is not None
    assert stored.state is JobState.INTERRUPTED
    assert f"pid {me.pid} on {me.host}" in stored.error


def test_an_ingest_stopped_by_its_operator_is_stored_interrupted_at_once(
    platform: Platform, checked: CheckedFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    def pressed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(market_ingest, "ingest_checked", pressed)
    job = _start(platform, checked, market_ingest_jobs.this_process())
    with pytest.raises(KeyboardInterrupt):
        market_ingest_jobs.run_attached(
            platform.uow,
            platform.caches,
            platform.lexicons,
            actor=ROOT,
            job_id=job.id,
            checked=checked,
            clock=lambda: NOW,
            shown=NoProgress(),
        )
    with platform.uow() as uow:
        stored = uow.market_jobs.job(job.id)
    assert stored is not None
    assert stored.state is JobState.INTERRUPTED
    assert "Ctrl-C" in stored.error
    assert _start(platform, checked, HERE).state is JobState.RUNNING  # the next one may start
