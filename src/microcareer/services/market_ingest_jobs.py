"""Postings files ingested in the background (issue 19): a job that outlives its upload's request.

``start`` records a job (state ``running``, owned by this process) for a file
``market_ingest.check_file`` accepted within ``JOB_MAX_ROWS`` rows and ``JOB_MAX_BYTES`` bytes of text,
or raises ``Busy`` (503 with ``Retry-After``) when a job runs already in any process sharing the store:
the store holds at most one running job, so the check cannot race the start. ``run`` ingests it in a
worker thread, writing the counts after every batch of ``market_ingest.BATCH`` postings and a heartbeat
every few seconds, then the report: ``done``, or ``failed`` with what went wrong.

A job whose process ended (a restart, a crash) keeps ``running`` in the store: ``sweep`` (at server
start-up and before every start) stores it as ``interrupted`` with the reason when its heartbeat is
stale, or at once when its owner ran on this host and is gone (``IngestJob.lost_because``); a stale one
is read as ``interrupted`` anyway, never as done. The postings of its finished batches stay, and
uploading the file again adds only the rest. Platform admins alone see jobs (``Action.MARKET_INGEST``):
401 signed out, 403 else.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import datetime

from microcareer.domain.accounts import Actor
from microcareer.domain.market.ingest_jobs import (
    HEARTBEAT_SECONDS,
    BadLine,
    IngestJob,
    JobOwner,
    JobProgress,
    JobState,
)
from microcareer.domain.market.postings import FIELDS, ColumnMapping
from microcareer.domain.progress import NoProgress, Progress
from microcareer.errors import Busy, Conflict, MicrocareerError, NotFound
from microcareer.services import market_ingest
from microcareer.services.access import Action, authorize
from microcareer.services.market_ingest import CheckedFile, IngestReport
from microcareer.services.market_ports import PostingAnalyser
from microcareer.services.ports import Clock, LexiconStore, UnitOfWork

log = logging.getLogger(__name__)

JOB_MAX_ROWS = 100_000
JOB_MAX_BYTES = 24 * 1024 * 1024
RECENT_JOBS = 20
FAILED = (
    "the ingest stopped on a server error; the postings of its finished batches are stored, and "
    "uploading the file again adds the rest"
)

BUSY_RETRY_SECONDS = 60
"""What a refused start is told to wait (``Retry-After``): a job takes minutes."""

UowFactory = Callable[[], UnitOfWork]

_me: JobOwner | None = None
_me_lock = threading.Lock()


def this_process() -> JobOwner:
    """The owner of the jobs this process runs: drawn once per process (again in a forked child)."""
    global _me
    with _me_lock:
        if _me is None or _me.pid != os.getpid():
            _me = JobOwner(socket.gethostname()[:120], os.getpid(), secrets.token_hex(8))
        return _me


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this host (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    except OSError:
        return False
    return True


def sweep(
    uow: UnitOfWork,
    *,
    now: datetime,
    me: JobOwner | None = None,
    alive: Callable[[int], bool] = pid_alive,
) -> list[IngestJob]:
    """Store as ``interrupted``, with the reason, every running job that lost its process (its
    heartbeat stale, or its owner on this host gone); the jobs so marked."""
    me = me or this_process()
    marked = []
    with uow:
        for found in uow.market_jobs.running_jobs():
            reason = found.lost_because(now, me, alive)
            if reason is None:
                continue
            if uow.market_jobs.finish(found.id, JobState.INTERRUPTED, now, error=reason):
                marked.append(found)
        if marked:
            uow.commit()
    for found in marked:
        log.warning("ingest job %s marked interrupted: %s", found.id, found.owner or "no owner recorded")
    return marked


def bad_lines(report: IngestReport, mapping: ColumnMapping) -> tuple[BadLine, ...]:
    """The report's bad rows with the column at fault: the file's column of the field a message names."""
    columns = mapping.as_dict()
    out = []
    for line, message in report.bad:
        field = message.split(":", 1)[0]
        out.append(BadLine(line, columns.get(field) if field in FIELDS else None, message))
    return tuple(out)


def progress_of(report: IngestReport, mapping: ColumnMapping, rows_done: int) -> JobProgress:
    return JobProgress(
        rows_done=rows_done,
        added=report.added,
        reposts=report.reposts,
        known=report.known,
        matched_occupation=report.matched_occupation,
        bad_count=report.bad_count,
        bad=bad_lines(report, mapping),
    )


def start(
    uows: UowFactory,
    *,
    actor: Actor,
    checked: CheckedFile,
    now: datetime,
    owner: JobOwner | None = None,
    alive: Callable[[int], bool] = pid_alive,
) -> IngestJob:
    """Record a running job for a checked file, owned by ``owner`` (this process), which then runs it;
    ``Busy`` when a job runs already anywhere (after ``sweep`` marked those that lost their process)."""
    authorize(actor, Action.MARKET_INGEST)
    owner = owner or this_process()
    sweep(uows(), now=now, me=owner, alive=alive)
    with uows() as uow:
        job = uow.market_jobs.add_job(
            created_by=actor.user_id,
            at=now,
            file_name=checked.file.name[:200],
            source=checked.source,
            columns=",".join(f"{k}={v}" for k, v in checked.mapping.as_dict().items())[:1000],
            rows_total=checked.total,
            owner=str(owner),
        )
        if job is None:
            raise Busy(
                f"a background ingest runs already (one at a time); try again in {BUSY_RETRY_SECONDS} s",
                retry_after=BUSY_RETRY_SECONDS,
            )
        uow.commit()
    return job


class _Stopped(Exception):
    """The job is no longer running in the store (read as interrupted): its work stops."""


class _JobProgress:
    """Progress that writes the report so far to the job after each batch (and shows it, where the
    work runs in a terminal)."""

    def __init__(
        self,
        uows: UowFactory,
        job_id: int,
        clock: Clock,
        report: IngestReport,
        mapping: ColumnMapping,
        shown: Progress,
    ):
        self._uows, self._job_id, self._clock = uows, job_id, clock
        self._report, self._mapping, self._shown = report, mapping, shown
        self.done = 0

    def stage(self, name: str, total: int | None = None) -> None:
        self._shown.stage(name, total)

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        self._shown.advance(amount)
        with self._uows() as uow:
            running = uow.market_jobs.record_progress(
                self._job_id, progress_of(self._report, self._mapping, self.done), self._clock()
            )
            uow.commit()
        if not running:
            raise _Stopped


def _heartbeat(uows: UowFactory, job_id: int, clock: Clock, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            with uows() as uow:
                running = uow.market_jobs.heartbeat(job_id, clock())
                uow.commit()
        except Exception:  # a busy database: the next beat tries again
            log.warning("ingest job %s: heartbeat not written", job_id, exc_info=True)
            continue
        if not running:
            return


CANCELLED = (
    "stopped by its operator (Ctrl-C); the postings of its finished batches are stored, and ingesting "
    "the file again adds the rest"
)
STOPPED = (
    "the job was marked interrupted meanwhile (its heartbeat was late); the postings of its finished "
    "batches are stored, and ingesting the file again adds the rest"
)


def _run(
    uows: UowFactory,
    caches: MutableMapping[str, object],
    lexicons: LexiconStore | None,
    *,
    actor: Actor,
    job_id: int,
    checked: CheckedFile,
    clock: Clock,
    shown: Progress,
    analyser: PostingAnalyser | None = None,
) -> tuple[IngestReport, Exception | None]:
    """Ingest the job's file, then store how it ended; the report, and what stopped it if anything."""
    report = IngestReport()
    progress = _JobProgress(uows, job_id, clock, report, checked.mapping, shown)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(uows, job_id, clock, stop), daemon=True)
    beat.start()
    state, error = JobState.DONE, ""
    raised: Exception | None = None
    try:
        market_ingest.ingest_checked(
            uows(),
            caches,
            lexicons,
            actor=actor,
            checked=checked,
            progress=progress,
            report=report,
            analyser=analyser,
        )
    except _Stopped:
        return report, Conflict(STOPPED)
    except KeyboardInterrupt:  # the CLI's operator stopped it: stored so at once, not when stale
        stop.set()
        with uows() as uow:
            uow.market_jobs.finish(
                job_id,
                JobState.INTERRUPTED,
                clock(),
                progress_of(report, checked.mapping, progress.done),
                CANCELLED,
            )
            uow.commit()
        raise
    except MicrocareerError as exc:
        state, error, raised = JobState.FAILED, str(exc), exc
    except Exception as exc:
        log.exception("ingest job %s failed", job_id)
        state, error, raised = JobState.FAILED, FAILED, exc
    finally:
        stop.set()
        beat.join()
    with uows() as uow:
        uow.market_jobs.finish(
            job_id, state, clock(), progress_of(report, checked.mapping, progress.done), error
        )
        uow.commit()
    return report, raised


def run(
    uows: UowFactory,
    caches: MutableMapping[str, object],
    lexicons: LexiconStore | None,
    *,
    actor: Actor,
    job_id: int,
    checked: CheckedFile,
    clock: Clock,
) -> None:
    """Ingest the job's file (blocking: a worker thread's work), then store how it ended."""
    _run(uows, caches, lexicons, actor=actor, job_id=job_id, checked=checked, clock=clock, shown=NoProgress())


def run_attached(
    uows: UowFactory,
    caches: MutableMapping[str, object],
    lexicons: LexiconStore | None,
    *,
    actor: Actor,
    job_id: int,
    checked: CheckedFile,
    clock: Clock,
    shown: Progress,
    analyser: PostingAnalyser | None = None,
) -> IngestReport:
    """``run`` for a caller that waits for it (``microcareer market ingest``): the progress shown as
    well, the report returned, and what stopped it raised once the job has stored it. With
    ``analyser`` (``market ingest --workers/--dask``) records are read, signed and extracted on Dask
    workers; the job's batches, counts and heartbeat are the same."""
    report, raised = _run(
        uows,
        caches,
        lexicons,
        actor=actor,
        job_id=job_id,
        checked=checked,
        clock=clock,
        shown=shown,
        analyser=analyser,
    )
    if raised is not None:
        raise raised
    return report


@dataclass(frozen=True)
class JobRunner:
    """``start``, ``run`` and ``run_attached`` bound to one platform's store, caches, lexicons and
    clock (``Platform.ingest_jobs``): what the CLI and the API call, each with only its own part."""

    uows: UowFactory
    caches: MutableMapping[str, object]
    lexicons: LexiconStore | None
    clock: Clock

    def start(self, actor: Actor, checked: CheckedFile) -> IngestJob:
        """A running job recorded for ``checked``, owned by this process (``start``)."""
        return start(self.uows, actor=actor, checked=checked, now=self.clock())

    def run(self, actor: Actor, job: IngestJob, checked: CheckedFile) -> None:
        """The job ingested in this (worker) thread, then how it ended stored (``run``)."""
        run(
            self.uows,
            self.caches,
            self.lexicons,
            actor=actor,
            job_id=job.id,
            checked=checked,
            clock=self.clock,
        )

    def run_attached(
        self,
        actor: Actor,
        job: IngestJob,
        checked: CheckedFile,
        *,
        shown: Progress,
        analyser: PostingAnalyser | None = None,
    ) -> IngestReport:
        """The job ingested with its progress shown, the report returned (``run_attached``)."""
        return run_attached(
            self.uows,
            self.caches,
            self.lexicons,
            actor=actor,
            job_id=job.id,
            checked=checked,
            clock=self.clock,
            shown=shown,
            analyser=analyser,
        )


def job(uow: UnitOfWork, *, actor: Actor, job_id: int, now: datetime) -> IngestJob:
    """A job as it stands now; one whose process ended is stored and shown as interrupted."""
    authorize(actor, Action.MARKET_INGEST)
    with uow:
        found = uow.market_jobs.job(job_id)
        if found is None:
            raise NotFound(f"no ingest job {job_id}")
        seen = found.as_seen(now)
        if seen.state is not found.state:
            uow.market_jobs.finish(job_id, seen.state, now, error=seen.error)
            uow.commit()
        return seen


def recent(uow: UnitOfWork, *, actor: Actor, now: datetime, limit: int = RECENT_JOBS) -> list[IngestJob]:
    """The latest jobs, newest first, as they stand now (stale ones read as interrupted)."""
    authorize(actor, Action.MARKET_INGEST)
    with uow:
        return [j.as_seen(now) for j in uow.market_jobs.recent_jobs(limit)]
