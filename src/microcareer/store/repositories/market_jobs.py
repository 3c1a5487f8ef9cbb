"""``SqlAlchemyIngestJobRepository``: background ingest jobs of postings files (issue 19).

At most one job is ``running`` in the store: the partial unique index of revision 0020 makes the insert
of a second fail, whichever process tries it (on PostgreSQL the second insert waits for the first's
transaction, then fails; SQLite runs one writer at a time), so no check can race its start."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from microcareer.domain.market.ingest_jobs import BadLine, IngestJob, JobProgress, JobState
from microcareer.store.tables.market import MarketIngestJobRow


def _job(row: MarketIngestJobRow) -> IngestJob:
    return IngestJob(
        id=row.id,
        created_by=row.created_by,
        created_at=row.created_at,
        heartbeat_at=row.heartbeat_at,
        finished_at=row.finished_at,
        state=JobState(row.state),
        file_name=row.file_name,
        source=row.source,
        columns=row.columns,
        rows_total=row.rows_total,
        rows_done=row.rows_done,
        added=row.added,
        reposts=row.reposts,
        known=row.known,
        matched_occupation=row.matched_occupation,
        bad_count=row.bad_count,
        bad=tuple(
            BadLine(
                int(str(b["line"])), None if b.get("column") is None else str(b["column"]), str(b["message"])
            )
            for b in row.bad
        ),
        error=row.error,
        owner=row.owner,
    )


def _progress_values(progress: JobProgress) -> dict[str, object]:
    return {
        "rows_done": progress.rows_done,
        "added": progress.added,
        "reposts": progress.reposts,
        "known": progress.known,
        "matched_occupation": progress.matched_occupation,
        "bad_count": progress.bad_count,
        "bad": [{"line": b.line, "column": b.column, "message": b.message} for b in progress.bad],
    }


class SqlAlchemyIngestJobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_job(
        self,
        *,
        created_by: int | None,
        at: datetime,
        file_name: str,
        source: str,
        columns: str,
        rows_total: int | None,
        owner: str,
    ) -> IngestJob | None:
        row = MarketIngestJobRow(
            created_by=created_by,
            created_at=at,
            heartbeat_at=at,
            finished_at=None,
            state=JobState.RUNNING.value,
            file_name=file_name,
            source=source,
            columns=columns,
            rows_total=rows_total,
            rows_done=0,
            added=0,
            reposts=0,
            known=0,
            matched_occupation=0,
            bad_count=0,
            bad=[],
            error="",
            owner=owner,
        )
        self.session.add(row)
        # No savepoint: SQLite's driver would commit on RELEASE; the caller's unit of work rolls back.
        try:
            self.session.flush()
        except IntegrityError:  # another job runs (the one-running index)
            return None
        return _job(row)

    def running_jobs(self) -> list[IngestJob]:
        query = select(MarketIngestJobRow).where(MarketIngestJobRow.state == JobState.RUNNING.value)
        return [_job(row) for row in self.session.scalars(query)]

    def job(self, job_id: int) -> IngestJob | None:
        row = self.session.get(MarketIngestJobRow, job_id)
        return None if row is None else _job(row)

    def recent_jobs(self, limit: int) -> list[IngestJob]:
        query = select(MarketIngestJobRow).order_by(MarketIngestJobRow.id.desc()).limit(limit)
        return [_job(row) for row in self.session.scalars(query)]

    def _running(self, job_id: int, values: dict[str, object]) -> bool:
        """Change a job still running; False when it is not (it finished, or was marked interrupted)."""
        query = (
            update(MarketIngestJobRow)
            .where(MarketIngestJobRow.id == job_id, MarketIngestJobRow.state == JobState.RUNNING.value)
            .values(**values)
        )
        return bool(self.session.execute(query).rowcount)  # type: ignore[attr-defined]

    def record_progress(self, job_id: int, progress: JobProgress, at: datetime) -> bool:
        return self._running(job_id, {**_progress_values(progress), "heartbeat_at": at})

    def heartbeat(self, job_id: int, at: datetime) -> bool:
        return self._running(job_id, {"heartbeat_at": at})

    def finish(
        self, job_id: int, state: JobState, at: datetime, progress: JobProgress | None = None, error: str = ""
    ) -> bool:
        values: dict[str, object] = {
            "state": state.value,
            "finished_at": at,
            "heartbeat_at": at,
            "error": error,
        }
        if progress is not None:
            values.update(_progress_values(progress))
        return self._running(job_id, values)
