"""A file of postings ingested in the background (issue 19): its state, progress and report.

A job is ``running`` while a server process works on it, and that process touches ``heartbeat_at``
every ``HEARTBEAT_SECONDS``; a job still ``running`` whose heartbeat is older than ``STALE_AFTER`` lost
its process (a restart, a crash) and is shown as ``interrupted``, never as done. Ingesting is idempotent,
so uploading the file again finishes the work and adds nothing already stored.

One job runs at a time across every process that shares the store (the store holds at most one
``running`` row). Each job records its ``owner``, the process that runs it (``JobOwner``: host, pid and a
random id drawn once per process), so a process starting up can tell at once that a job of its host
lost its process (``lost_because``) instead of waiting for the heartbeat to go stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

HEARTBEAT_SECONDS = 5.0
STALE_AFTER = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class JobOwner:
    """The process that runs a job: its host, its pid and an id it drew at random when it started (a
    pid is reused, by a restarted container's server above all; the id is not)."""

    host: str
    pid: int
    instance: str

    def __str__(self) -> str:
        return f"{self.host}/{self.pid}/{self.instance}"

    @classmethod
    def parse(cls, token: str) -> JobOwner | None:
        """The owner written by ``str``; None for a job recorded without one (before revision 0020)."""
        host, _, rest = token.rpartition("/")
        host, _, pid = host.rpartition("/")
        if not host or not pid.isdigit() or not rest:
            return None
        return cls(host, int(pid), rest)


def stale_reason(heartbeat_at: datetime) -> str:
    return (
        f"its process stopped: no heartbeat since {heartbeat_at:%Y-%m-%d %H:%M:%S} UTC; the postings of "
        "its finished batches are stored, and uploading the file again adds the rest"
    )


def ended_reason(owner: JobOwner) -> str:
    return (
        f"its server process (pid {owner.pid} on {owner.host}) ended; the postings of its finished "
        "batches are stored, and uploading the file again adds the rest"
    )


class JobState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True, slots=True)
class BadLine:
    """A row skipped: its line (or Parquet row), the column at fault where one is, and why."""

    line: int
    column: str | None
    message: str


@dataclass(frozen=True, slots=True)
class IngestJob:
    id: int
    created_by: int | None
    created_at: datetime
    heartbeat_at: datetime
    finished_at: datetime | None
    state: JobState
    file_name: str
    source: str
    columns: str
    rows_total: int | None
    rows_done: int = 0
    added: int = 0
    reposts: int = 0
    known: int = 0
    matched_occupation: int = 0
    bad_count: int = 0
    bad: tuple[BadLine, ...] = ()
    error: str = ""
    owner: str = ""

    @property
    def finished(self) -> bool:
        return self.state is not JobState.RUNNING

    def as_seen(self, now: datetime) -> IngestJob:
        """The job as it stands at ``now``: ``running`` with a stale heartbeat is ``interrupted``."""
        if self.state is JobState.RUNNING and now - self.heartbeat_at > STALE_AFTER:
            return replace(self, state=JobState.INTERRUPTED, error=stale_reason(self.heartbeat_at))
        return self

    def lost_because(self, now: datetime, me: JobOwner, alive: Callable[[int], bool]) -> str | None:
        """Why a ``running`` job has lost its process, seen from process ``me``; None while it may live.

        Its heartbeat is stale; or its owner ran on this host, is not ``me`` and is gone: its pid is
        ``me``'s own (an earlier run of this process, a restarted container's server) or no longer
        ``alive``. A job of another host lives until its heartbeat is stale."""
        if self.state is not JobState.RUNNING:
            return None
        if now - self.heartbeat_at > STALE_AFTER:
            return stale_reason(self.heartbeat_at)
        owner = JobOwner.parse(self.owner)
        if owner is None or owner.host != me.host or owner == me:
            return None
        if owner.pid == me.pid or not alive(owner.pid):
            return ended_reason(owner)
        return None


@dataclass(frozen=True, slots=True)
class JobProgress:
    """What a running job has done so far (and, once finished, its report)."""

    rows_done: int
    added: int
    reposts: int
    known: int
    matched_occupation: int
    bad_count: int
    bad: tuple[BadLine, ...]
