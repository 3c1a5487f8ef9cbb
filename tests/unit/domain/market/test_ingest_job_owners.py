"""Who runs a background ingest job, and when a running job has lost its process (issue 19)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from microcareer.domain.market.ingest_jobs import STALE_AFTER, IngestJob, JobOwner, JobState

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
ME = JobOwner("web-1", 4242, "a1b2")


def _job(
    owner: str, beat: datetime = NOW - timedelta(seconds=5), state: JobState = JobState.RUNNING
) -> IngestJob:
    return IngestJob(
        id=1,
        created_by=None,
        created_at=beat,
        heartbeat_at=beat,
        finished_at=None,
        state=state,
        file_name="p.csv",
        source="p",
        columns="",
        rows_total=3,
        owner=owner,
    )


def test_an_owner_reads_back_as_written() -> None:
    assert JobOwner.parse(str(ME)) == ME
    assert JobOwner.parse("") is None  # a job recorded before owners were
    assert JobOwner.parse("web-1/x/a1b2") is None
    assert JobOwner.parse("web-1/42/") is None


@pytest.mark.parametrize(
    ("owner", "alive", "lost"),
    [
        (ME, True, None),  # this very process
        (JobOwner("web-1", 4242, "old"), True, "pid 4242 on web-1"),  # an earlier run with the same pid
        (JobOwner("web-1", 77, "b"), False, "pid 77 on web-1"),  # a process of this host that is gone
        (JobOwner("web-1", 77, "b"), True, None),  # another live process of this host: it beats
        (JobOwner("web-2", 77, "b"), False, None),  # another host: its heartbeat decides
    ],
)
def test_a_fresh_job_is_lost_only_when_its_owner_on_this_host_is_gone(
    owner: JobOwner, alive: bool, lost: str | None
) -> None:
    reason = _job(str(owner)).lost_because(NOW, ME, lambda pid: alive)
    if lost is None:
        assert reason is None
    else:
        assert reason is not None
        assert lost in reason
        assert "uploading the file again" in reason


def test_a_stale_heartbeat_is_lost_whoever_owns_it() -> None:
    stale = NOW - STALE_AFTER - timedelta(seconds=1)
    for owner in (str(ME), "web-2/7/c", ""):
        reason = _job(owner, beat=stale).lost_because(NOW, ME, lambda pid: True)
        assert reason is not None
        assert "no heartbeat since" in reason
    assert _job("", beat=stale).as_seen(NOW).state is JobState.INTERRUPTED
    assert "no heartbeat since" in _job("", beat=stale).as_seen(NOW).error


def test_a_finished_job_is_never_lost() -> None:
    done = _job("web-1/77/b", beat=NOW - 2 * STALE_AFTER, state=JobState.DONE)
    assert done.lost_because(NOW, ME, lambda pid: False) is None
