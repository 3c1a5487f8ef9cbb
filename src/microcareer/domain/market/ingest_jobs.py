"""A file of postings ingested in the background (issue 19): its state, progress and report.

A job is ``running`` while a server process works on it, and that process touches ``heartbeat_at``
every ``HEARTBEAT_SECONDS``; a job still ``running`` whose heartbeat is older than ``STALE_AFTER`` lost
its process (a restart, a crash) and is shown as ``interrupted``, never as done. Ingesting is idempotent,
so uploading the file again finishes the work and adds nothing already stored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

HEARTBEAT_SECONDS = 5.0
STALE_AFTER = timedelta(seconds=60)


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

    @property
    def finished(self) -> bool:
        return self.state is not JobState.RUNNING

    def as_seen(self, now: datetime) -> IngestJob:
        """The job as it stands at ``now``: ``running`` with a stale heartbeat is ``interrupted``."""
        if self.state is JobState.RUNNING and now - self.heartbeat_at > STALE_AFTER:
            return replace(self, state=JobState.INTERRUPTED)
        return self


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
