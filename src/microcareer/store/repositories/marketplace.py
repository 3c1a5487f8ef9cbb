"""The marketplace in the store: jobs, applications, contracts, milestones, time, ledger, reviews, disputes.

Every write of a job (``add_job``, ``update_job``, ``set_job_state``: posted, edited, published,
closed, any state change) also adds a row to ``job_changes`` in the same transaction
(``_job_changed``): the job index of every process catches up from it (``services/job_index.py``).

``lock_contract`` must be the first statement of a unit of work that reads money and then writes it:
it takes the contract's row lock (PostgreSQL) or the database's write lock (SQLite) before anything is
read, so two releases from one escrow are serialised and neither sees a stale balance.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from microcareer.domain.marketplace.applications import ApplicationState, ApprovalState, Proposal
from microcareer.domain.marketplace.contracts import (
    ContractKind,
    ContractState,
    Milestone,
    MilestoneState,
    TimeEntry,
)
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState, MicroJob
from microcareer.domain.marketplace.ledger import Posting, Transaction, TxKind
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.records import (
    Dispute,
    Review,
    StoreBusy,
    StoredApplication,
    StoredContract,
    StoredJob,
    StoredMilestone,
    StoredTimeEntry,
    StoredTransaction,
    WorkSettings,
)
from microcareer.store.repositories.search_index import index_job
from microcareer.store.tables.accounts import UserRow
from microcareer.store.tables.marketplace import (
    ApplicationRow,
    ContractRow,
    DisputeRow,
    JobMarkRow,
    LedgerPostingRow,
    LedgerTransactionRow,
    MicroJobRow,
    MicroJobSkillRow,
    MilestoneRow,
    OrganisationMarketplaceRow,
    ReviewRow,
    SignInDeviceRow,
    TimeEntryRow,
    WorkSettingsRow,
)
from microcareer.store.tables.matching import JobChangeRow

_CHUNK = 500
"""Ids in one ``IN`` list (well within SQLite's variable limit)."""


_JOB_COLUMNS = (
    MicroJobRow.id,
    MicroJobRow.poster_user_id,
    MicroJobRow.organisation_id,
    MicroJobRow.title,
    MicroJobRow.brief,
    MicroJobRow.budget_kind,
    MicroJobRow.budget_amount,
    MicroJobRow.currency,
    MicroJobRow.expected_hours,
    MicroJobRow.start_on,
    MicroJobRow.end_on,
    MicroJobRow.remote,
    MicroJobRow.place,
    MicroJobRow.audience,
    MicroJobRow.state,
    MicroJobRow.created_at,
    MicroJobRow.updated_at,
)
"""What ``_job`` reads of a job row, for the Core selects of ``open_jobs`` and ``jobs_by_id`` (ORM
columns: the session flushes first, as for its objects)."""


def _job(row: MicroJobRow | Row[Any], skills: Sequence[MicroJobSkillRow] | Sequence[Row[Any]]) -> StoredJob:
    job = MicroJob(
        title=row.title,
        brief=row.brief,
        required_skills=tuple(s.skill_uri for s in skills if s.required),
        nice_skills=tuple(s.skill_uri for s in skills if not s.required),
        budget=Budget(BudgetKind(row.budget_kind), Money(row.budget_amount, row.currency)),
        expected_hours=row.expected_hours,
        start=row.start_on,
        end=row.end_on,
        remote=row.remote,
        place=row.place,
        audience=Audience(row.audience),
        organisation_id=row.organisation_id,
        state=JobState(row.state),
    )
    return StoredJob(row.id, row.poster_user_id, job, row.created_at, row.updated_at)


def _job_columns(job: MicroJob, at: datetime) -> dict[str, Any]:
    """A job's row as ``job`` and a write at ``at`` make it (all but its id, poster and creation)."""
    return {
        "organisation_id": job.organisation_id,
        "title": job.title,
        "brief": job.brief,
        "budget_kind": job.budget.kind.value,
        "budget_amount": job.budget.amount.amount,
        "currency": job.budget.amount.currency,
        "expected_hours": job.expected_hours,
        "start_on": job.start,
        "end_on": job.end,
        "remote": job.remote,
        "place": job.place,
        "audience": job.audience.value,
        "state": job.state.value,
        "updated_at": at,
    }


def _application(row: ApplicationRow | Row[Any]) -> StoredApplication:
    proposal = Proposal(Money(row.rate_amount, row.currency), row.hours, row.message, row.hours_per_week)
    return StoredApplication(
        row.id,
        row.job_id,
        row.applicant_user_id,
        proposal,
        ApplicationState(row.state),
        ApprovalState(row.approval),
        row.approver_user_id,
        row.created_at,
        row.updated_at,
    )


def _contract(row: ContractRow) -> StoredContract:
    return StoredContract(
        id=row.id,
        job_id=row.job_id,
        application_id=row.application_id,
        client_user_id=row.client_user_id,
        professional_user_id=row.professional_user_id,
        organisation_id=row.organisation_id,
        internal=row.internal,
        kind=ContractKind(row.kind),
        currency=row.currency,
        hourly_rate=None if row.hourly_rate is None else Money(row.hourly_rate, row.currency),
        weekly_limit_hours=row.weekly_limit_hours,
        hours_per_week=row.hours_per_week,
        fee_bp=row.fee_bp,
        state=ContractState(row.state),
        created_at=row.created_at,
        ended_at=row.ended_at,
        end_reason=row.end_reason,
    )


def _milestone(row: MilestoneRow, currency: str) -> StoredMilestone:
    milestone = Milestone(row.title, Money(row.amount, currency), row.due, row.progress)
    return StoredMilestone(
        row.id, row.contract_id, row.position, milestone, MilestoneState(row.state), row.note, row.updated_at
    )


def _entry(row: TimeEntryRow) -> StoredTimeEntry:
    return StoredTimeEntry(
        row.id, row.contract_id, TimeEntry(row.day, row.minutes, row.note), row.created_at, row.paid_in
    )


def _review(row: ReviewRow) -> Review:
    return Review(
        row.id, row.contract_id, row.author_user_id, row.subject_user_id, row.rating, row.text, row.created_at
    )


def _dispute(row: DisputeRow) -> Dispute:
    return Dispute(
        row.id,
        row.contract_id,
        row.raised_by,
        row.reason,
        row.state,
        row.resolution,
        row.professional_amount,
        row.client_amount,
        row.resolved_by,
        row.created_at,
        row.resolved_at,
    )


_CONTRACTS: Table = ContractRow.__table__  # type: ignore[assignment]  # a mapped class's table
_TIME_ENTRIES: Table = TimeEntryRow.__table__  # type: ignore[assignment]
_JOBS: Table = MicroJobRow.__table__  # type: ignore[assignment]
_JOB_SKILLS: Table = MicroJobSkillRow.__table__  # type: ignore[assignment]
_APPLICATIONS: Table = ApplicationRow.__table__  # type: ignore[assignment]
_JOB_CHANGES: Table = JobChangeRow.__table__  # type: ignore[assignment]

# The commonest writes' statements, on the tables and built once (their cache keys with them), run on
# the unit of work's connection: building a statement, its cache key and the ORM's execution path for
# it cost more CPU than PostgreSQL or SQLite took to run it (issue 17).
_MINUTES_LOGGED = select(func.coalesce(func.sum(_TIME_ENTRIES.c.minutes), 0)).where(
    _TIME_ENTRIES.c.contract_id == bindparam("contract_id"),
    _TIME_ENTRIES.c.day >= bindparam("start"),
    _TIME_ENTRIES.c.day <= bindparam("end"),
)
_ADD_TIME_ENTRY = insert(_TIME_ENTRIES).returning(_TIME_ENTRIES.c.id)
_APPLICATION_OF = select(_APPLICATIONS).where(
    _APPLICATIONS.c.job_id == bindparam("job_id"),
    _APPLICATIONS.c.applicant_user_id == bindparam("applicant_user_id"),
)
_ADD_APPLICATION = insert(_APPLICATIONS).returning(_APPLICATIONS.c.id)
_ADD_JOB = insert(_JOBS).returning(_JOBS.c.id)
_JOB_WITH_SKILLS = (
    select(MicroJobRow, _JOB_SKILLS.c.skill_uri, _JOB_SKILLS.c.required)
    .outerjoin(_JOB_SKILLS, _JOB_SKILLS.c.job_id == MicroJobRow.id)
    .where(MicroJobRow.id == bindparam("job_id"))
    .order_by(_JOB_SKILLS.c.skill_uri)
)
"""A job (an ORM row) and its skills, one row each (none: one row with no skill)."""
_ADD_JOB_SKILLS = insert(_JOB_SKILLS)
_ADD_JOB_CHANGE = insert(_JOB_CHANGES)

LOCK_TIMEOUT_MS = 5000
"""How long ``lock_contract`` waits for another change to the same contract (SQLite: the engine's
busy timeout, which is the same)."""
_LOCK_CONTRACT = (
    update(_CONTRACTS)
    .where(_CONTRACTS.c.id == bindparam("contract_id"))
    .values(state=_CONTRACTS.c.state)
    .returning(*_CONTRACTS.c)
)
"""Lock the contract and read it: built once, so its cache key is too (issue 17)."""
_LOCK_CONTRACT_PG = _LOCK_CONTRACT.where(
    func.set_config("lock_timeout", str(LOCK_TIMEOUT_MS), True).is_not(None)
)
"""PostgreSQL: the same, with ``set_config('lock_timeout', ..., true)`` (``SET LOCAL``: until the
transaction ends) in its WHERE clause instead of a ``SET LOCAL`` statement of its own before it (a
round trip before every contract lock). A volatile function, it is a filter the scan evaluates on the
contract's row before the UPDATE waits for that row's lock, so the wait is bounded as before; only the
table-level lock the statement takes before it runs (which only DDL holds against it) is not."""
_BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001"})  # lock not available, deadlock, serialization


def _is_busy(exc: DBAPIError) -> bool:
    """A lock wait that ran out (SQLite "database is locked", PostgreSQL lock timeout or deadlock)."""
    if getattr(exc.orig, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    message = str(exc.orig).lower()
    return isinstance(exc, OperationalError) and ("database is locked" in message or "busy" in message)


def visible_jobs(
    states: Sequence[JobState], visible_orgs: frozenset[int] | None, viewer_id: int | None
) -> list[ColumnElement[bool]]:
    """Conditions on ``micro_jobs``: in ``states`` and visible to the viewer (open-market jobs, their
    organisations' internal ones, their own; drafts only their own); the job board and search share
    them, so search shows nothing the board would not."""
    conditions: list[ColumnElement[bool]] = [MicroJobRow.state.in_([s.value for s in states])]
    if visible_orgs is not None:
        allowed = [MicroJobRow.audience == Audience.OPEN.value]
        if visible_orgs:
            allowed.append(MicroJobRow.organisation_id.in_(sorted(visible_orgs)))
        if viewer_id is not None:
            allowed.append(MicroJobRow.poster_user_id == viewer_id)
        conditions.append(or_(*allowed))
        drafts_visible: ColumnElement[bool] = MicroJobRow.state != JobState.DRAFT.value
        if viewer_id is not None:
            drafts_visible = or_(drafts_visible, MicroJobRow.poster_user_id == viewer_id)
        conditions.append(drafts_visible)
    return conditions


def asking_for_any(skills: Sequence[str]) -> ColumnElement[bool]:
    return MicroJobRow.id.in_(
        select(MicroJobSkillRow.job_id).where(MicroJobSkillRow.skill_uri.in_(list(skills)))
    )


class SqlAlchemyMarketplaceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # jobs

    def _skill_rows(self, job_ids: Sequence[int]) -> dict[int, list[MicroJobSkillRow]]:
        found: dict[int, list[MicroJobSkillRow]] = {}
        if job_ids:
            query = (
                select(MicroJobSkillRow)
                .where(MicroJobSkillRow.job_id.in_(job_ids))
                .order_by(MicroJobSkillRow.job_id, MicroJobSkillRow.skill_uri)
            )
            for row in self.session.scalars(query):
                found.setdefault(row.job_id, []).append(row)
        return found

    def _write_skills(self, job_id: int, job: MicroJob) -> None:
        """The job's skills as ``job`` lists them (those it had before deleted)."""
        self.session.query(MicroJobSkillRow).filter(MicroJobSkillRow.job_id == job_id).delete()
        for uri in job.required_skills:
            self.session.add(MicroJobSkillRow(job_id=job_id, skill_uri=uri, required=True))
        for uri in job.nice_skills:
            self.session.add(MicroJobSkillRow(job_id=job_id, skill_uri=uri, required=False))

    def add_job(self, poster_user_id: int, job: MicroJob, *, at: datetime) -> StoredJob:
        # on the tables, each one statement (the job's INSERT ... RETURNING, its skills in one
        # executemany, its change), not the ORM's flushes (issue 17); what the unit of work added through
        # the ORM before is flushed first, as the ORM's flush of the job did
        self.session.flush()
        connection = self.session.connection()
        values = {"poster_user_id": poster_user_id, "created_at": at, **_job_columns(job, at)}
        job_id: int = connection.execute(_ADD_JOB, values).scalar_one()
        skills = [
            *({"job_id": job_id, "skill_uri": uri, "required": True} for uri in job.required_skills),
            *({"job_id": job_id, "skill_uri": uri, "required": False} for uri in job.nice_skills),
        ]
        if skills:
            connection.execute(_ADD_JOB_SKILLS, skills)
        connection.execute(_ADD_JOB_CHANGE, {"job_id": job_id})
        index_job(self.session, job_id, job)
        return StoredJob(job_id, poster_user_id, job, at, at)

    @staticmethod
    def _fill_job(row: MicroJobRow, job: MicroJob, at: datetime) -> None:
        for column, value in _job_columns(job, at).items():
            setattr(row, column, value)

    def update_job(self, job_id: int, job: MicroJob, *, at: datetime) -> None:
        row = self.session.get(MicroJobRow, job_id)
        if row is None:
            raise LookupError(f"no job {job_id}")
        self._fill_job(row, job, at)
        self._write_skills(job_id, job)
        self._job_changed(job_id)
        index_job(self.session, job_id)

    def set_job_state(self, job_id: int, state: JobState, *, at: datetime) -> None:
        self.session.execute(
            update(MicroJobRow).where(MicroJobRow.id == job_id).values(state=state.value, updated_at=at)
        )
        self._job_changed(job_id)
        index_job(self.session, job_id)  # published: its words may now be suggested

    # -- the change log of jobs (``services/job_index.py``) -------------------------------------

    def _job_changed(self, job_id: int) -> None:
        """Log a write of the job (and flush it with the write, in its transaction)."""
        self.session.add(JobChangeRow(job_id=job_id))
        self.session.flush()

    def job_change_head(self) -> int:
        """The id of the latest change to a job (0: none yet)."""
        return int(self.session.scalar(select(func.max(JobChangeRow.id))) or 0)

    def job_change_floor(self) -> int:
        """The id of the oldest change kept (0: none): every change below it may have been pruned."""
        return int(self.session.scalar(select(func.min(JobChangeRow.id))) or 0)

    def job_changes(self, after: int, limit: int) -> list[tuple[int, int]]:
        """(change id, job id) of up to ``limit`` changes after ``after``, oldest first."""
        query = (
            select(JobChangeRow.id, JobChangeRow.job_id)
            .where(JobChangeRow.id > after)
            .order_by(JobChangeRow.id)
            .limit(limit)
        )
        return [(int(i), int(j)) for i, j in self.session.execute(query)]

    def prune_job_changes(self, below: int) -> int:
        """Delete the changes with ids below ``below``; how many were deleted."""
        deleted = self.session.execute(delete(JobChangeRow).where(JobChangeRow.id < below))
        return int(getattr(deleted, "rowcount", 0) or 0)

    def _read_jobs(self, condition: ColumnElement[bool], limit: int | None = None) -> list[StoredJob]:
        """Jobs matching ``condition`` (by id, at most ``limit``) with their skills, in Core selects of
        the columns ``_job`` reads: no ORM objects (the job index and its walk read many)."""
        query = select(*_JOB_COLUMNS).where(condition).order_by(MicroJobRow.id)
        rows: Sequence[Any] = self.session.execute(query if limit is None else query.limit(limit)).all()
        ids = [row.id for row in rows]
        skills: dict[int, list[Any]] = {}  # Core rows: job id, skill, required
        for at in range(0, len(ids), _CHUNK):
            found = self.session.execute(
                select(MicroJobSkillRow.job_id, MicroJobSkillRow.skill_uri, MicroJobSkillRow.required)
                .where(MicroJobSkillRow.job_id.in_(ids[at : at + _CHUNK]))
                .order_by(MicroJobSkillRow.job_id, MicroJobSkillRow.skill_uri)
            )
            for skill in found:
                skills.setdefault(skill.job_id, []).append(skill)
        return [_job(row, skills.get(row.id, [])) for row in rows]

    def open_jobs(self, job_ids: Sequence[int] | None = None) -> Iterator[StoredJob]:
        """Open jobs (of ``job_ids``, or all) with their skills, by id, ``_CHUNK`` at a time (the job
        index is built and caught up from these)."""
        is_open = MicroJobRow.state == JobState.OPEN.value
        if job_ids is not None:
            wanted = sorted(set(job_ids))
            for at in range(0, len(wanted), _CHUNK):
                yield from self._read_jobs(and_(is_open, MicroJobRow.id.in_(wanted[at : at + _CHUNK])))
            return
        after = -1
        while True:
            page = self._read_jobs(and_(is_open, MicroJobRow.id > after), _CHUNK)
            yield from page
            if len(page) < _CHUNK:
                return
            after = page[-1].id

    def jobs_by_id(self, job_ids: Sequence[int]) -> dict[int, StoredJob]:
        """The jobs of ``job_ids`` that exist, in any state, with their skills (a few queries)."""
        wanted = sorted(set(job_ids))
        found: dict[int, StoredJob] = {}
        for at in range(0, len(wanted), _CHUNK):
            found.update(
                (job.id, job) for job in self._read_jobs(MicroJobRow.id.in_(wanted[at : at + _CHUNK]))
            )
        return found

    def get_job(self, job_id: int) -> StoredJob | None:
        # the job and its skills in one statement (issue 17: the read before every application); the
        # job still through the ORM, so the unit of work's later reads and writes of it find it loaded
        rows = self.session.execute(_JOB_WITH_SKILLS, {"job_id": job_id}).all()
        if not rows:
            return None
        return _job(rows[0][0], [r for r in rows if r.skill_uri is not None])

    def list_jobs(
        self,
        *,
        states: Sequence[JobState],
        visible_orgs: frozenset[int] | None,
        viewer_id: int | None,
        poster_id: int | None = None,
        organisation_id: int | None = None,
        skills: Sequence[str] = (),
        limit: int,
        offset: int,
    ) -> tuple[list[StoredJob], int]:
        """Jobs in ``states`` the viewer may see: open-market ones, their organisations' internal ones,
        their own; ``visible_orgs`` None means every organisation (platform admins)."""
        query = select(MicroJobRow).where(*visible_jobs(states, visible_orgs, viewer_id))
        if poster_id is not None:
            query = query.where(MicroJobRow.poster_user_id == poster_id)
        if organisation_id is not None:
            query = query.where(MicroJobRow.organisation_id == organisation_id)
        if skills:
            query = query.where(asking_for_any(skills))
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(
            query.order_by(MicroJobRow.updated_at.desc(), MicroJobRow.id.desc()).limit(limit).offset(offset)
        ).all()
        return self.jobs_of(rows), total

    def jobs_of(self, rows: Sequence[MicroJobRow]) -> list[StoredJob]:
        """The rows as stored jobs with their skills, in the order given."""
        skill_rows = self._skill_rows([r.id for r in rows])
        return [_job(r, skill_rows.get(r.id, [])) for r in rows]

    def skill_demand(self, uris: Sequence[str], *, since: datetime) -> tuple[int, dict[str, int]]:
        """Open-market jobs published since ``since`` (drafts left out), and how many ask for each skill."""
        recent = select(MicroJobRow.id).where(
            MicroJobRow.audience == Audience.OPEN.value,
            MicroJobRow.state != JobState.DRAFT.value,
            MicroJobRow.created_at >= since,
        )
        total = self.session.scalar(select(func.count()).select_from(recent.subquery())) or 0
        counts: dict[str, int] = {}
        if total and uris:
            query = (
                select(MicroJobSkillRow.skill_uri, func.count())
                .where(MicroJobSkillRow.job_id.in_(recent), MicroJobSkillRow.skill_uri.in_(list(uris)))
                .group_by(MicroJobSkillRow.skill_uri)
            )
            counts = {uri: int(n) for uri, n in self.session.execute(query)}
        return int(total), counts

    # applications

    def add_application(
        self,
        job_id: int,
        applicant_user_id: int,
        proposal: Proposal,
        *,
        approval: ApprovalState,
        at: datetime,
    ) -> StoredApplication:
        # one INSERT ... RETURNING on the table, not the ORM's flush (issue 17)
        values: dict[str, Any] = {
            "job_id": job_id,
            "applicant_user_id": applicant_user_id,
            "rate_amount": proposal.rate.amount,
            "currency": proposal.rate.currency,
            "hours": proposal.hours,
            "hours_per_week": proposal.hours_per_week,
            "message": proposal.message,
            "state": ApplicationState.SUBMITTED.value,
            "approval": approval.value,
            "approver_user_id": None,
            "created_at": at,
            "updated_at": at,
        }
        new_id = self.session.connection().execute(_ADD_APPLICATION, values).scalar_one()
        return StoredApplication(
            new_id,
            job_id,
            applicant_user_id,
            Proposal(proposal.rate, proposal.hours, proposal.message, proposal.hours_per_week),
            ApplicationState.SUBMITTED,
            approval,
            None,
            at,
            at,
        )

    def get_application(self, application_id: int) -> StoredApplication | None:
        row = self.session.get(ApplicationRow, application_id)
        return None if row is None else _application(row)

    def application_of(self, job_id: int, applicant_user_id: int) -> StoredApplication | None:
        params = {"job_id": job_id, "applicant_user_id": applicant_user_id}
        row = self.session.connection().execute(_APPLICATION_OF, params).first()
        return None if row is None else _application(row)

    def applications_for_job(self, job_id: int) -> list[StoredApplication]:
        query = select(ApplicationRow).where(ApplicationRow.job_id == job_id).order_by(ApplicationRow.id)
        return [_application(r) for r in self.session.scalars(query)]

    def applications_by(self, applicant_user_id: int) -> list[StoredApplication]:
        query = (
            select(ApplicationRow)
            .where(ApplicationRow.applicant_user_id == applicant_user_id)
            .order_by(ApplicationRow.id.desc())
        )
        return [_application(r) for r in self.session.scalars(query)]

    def pending_approvals(
        self, *, organisation_ids: Sequence[int] | None, manager_user_id: int | None
    ) -> list[StoredApplication]:
        """Live applications waiting for a manager: to internal jobs of ``organisation_ids`` (None: every
        organisation), or by employees whose designated manager is ``manager_user_id``."""
        live = [ApplicationState.SUBMITTED.value, ApplicationState.SHORTLISTED.value]
        query = (
            select(ApplicationRow)
            .join(MicroJobRow, MicroJobRow.id == ApplicationRow.job_id)
            .where(ApplicationRow.approval == ApprovalState.PENDING.value, ApplicationRow.state.in_(live))
        )
        whose = []
        if organisation_ids is None:
            whose.append(MicroJobRow.organisation_id.is_not(None))
        elif organisation_ids:
            whose.append(MicroJobRow.organisation_id.in_(list(organisation_ids)))
        if manager_user_id is not None:
            employees = select(WorkSettingsRow.user_id).where(
                WorkSettingsRow.manager_user_id == manager_user_id
            )
            whose.append(ApplicationRow.applicant_user_id.in_(employees))
        if not whose:
            return []
        return [
            _application(r)
            for r in self.session.scalars(query.where(or_(*whose)).order_by(ApplicationRow.id))
        ]

    def set_application_state(self, application_id: int, state: ApplicationState, *, at: datetime) -> None:
        self.session.execute(
            update(ApplicationRow)
            .where(ApplicationRow.id == application_id)
            .values(state=state.value, updated_at=at)
        )

    def set_approval(
        self, application_id: int, approval: ApprovalState, *, approver_user_id: int | None, at: datetime
    ) -> None:
        self.session.execute(
            update(ApplicationRow)
            .where(ApplicationRow.id == application_id)
            .values(approval=approval.value, approver_user_id=approver_user_id, updated_at=at)
        )

    # contracts

    def add_contract(self, contract: StoredContract) -> StoredContract:
        row = ContractRow(
            job_id=contract.job_id,
            application_id=contract.application_id,
            client_user_id=contract.client_user_id,
            professional_user_id=contract.professional_user_id,
            organisation_id=contract.organisation_id,
            internal=contract.internal,
            kind=contract.kind.value,
            currency=contract.currency,
            hourly_rate=None if contract.hourly_rate is None else contract.hourly_rate.amount,
            weekly_limit_hours=contract.weekly_limit_hours,
            hours_per_week=contract.hours_per_week,
            fee_bp=contract.fee_bp,
            state=contract.state.value,
            created_at=contract.created_at,
        )
        self.session.add(row)
        self.session.flush()
        return _contract(row)

    def lock_contract(self, contract_id: int) -> StoredContract | None:
        """Take the contract's write lock first thing in a unit of work; then read it.

        Waits up to ``LOCK_TIMEOUT_MS`` (SQLite's busy timeout, PostgreSQL's ``lock_timeout``), then
        raises ``StoreBusy``.
        """
        connection = self.session.connection()
        # the lock and the read in one statement (UPDATE ... RETURNING, SQLite 3.35+ and PostgreSQL),
        # on the table: the ORM's UPDATE machinery cost about a tenth of a time entry's CPU (issue 17);
        # on PostgreSQL the statement sets the transaction's lock_timeout itself (``_LOCK_CONTRACT_PG``)
        statement = _LOCK_CONTRACT_PG if connection.dialect.name == "postgresql" else _LOCK_CONTRACT
        try:
            row = connection.execute(statement, {"contract_id": contract_id}).one_or_none()
        except DBAPIError as exc:
            if _is_busy(exc):
                raise StoreBusy(f"contract {contract_id} is locked by another change") from exc
            raise
        return None if row is None else _contract(row)  # type: ignore[arg-type]  # a row of its columns

    def lock_person(self, user_id: int) -> None:
        """Take a write lock on the person (their user row) first thing in a unit of work: what is checked
        across their contracts (the internal-gig cap) then holds until it commits."""
        self.session.execute(update(UserRow).where(UserRow.id == user_id).values(id=UserRow.id))

    def get_contract(self, contract_id: int) -> StoredContract | None:
        row = self.session.get(ContractRow, contract_id)
        return None if row is None else _contract(row)

    def contract_for_job(self, job_id: int) -> StoredContract | None:
        row = self.session.scalars(select(ContractRow).where(ContractRow.job_id == job_id)).first()
        return None if row is None else _contract(row)

    def contracts_of(
        self, user_id: int, *, states: Sequence[ContractState] | None = None
    ) -> list[StoredContract]:
        query = select(ContractRow).where(
            or_(ContractRow.client_user_id == user_id, ContractRow.professional_user_id == user_id)
        )
        if states is not None:
            query = query.where(ContractRow.state.in_([s.value for s in states]))
        return [_contract(r) for r in self.session.scalars(query.order_by(ContractRow.id.desc()))]

    def contracts_of_professionals(
        self, user_ids: Sequence[int], *, states: Sequence[ContractState]
    ) -> list[StoredContract]:
        """The contracts in ``states`` whose professional is one of ``user_ids``, newest first."""
        wanted = sorted(set(user_ids))
        rows: list[ContractRow] = []
        for at in range(0, len(wanted), _CHUNK):
            query = select(ContractRow).where(
                ContractRow.professional_user_id.in_(wanted[at : at + _CHUNK]),
                ContractRow.state.in_([s.value for s in states]),
            )
            rows.extend(self.session.scalars(query))
        return [_contract(r) for r in sorted(rows, key=lambda r: r.id, reverse=True)]

    def set_contract_state(
        self, contract_id: int, state: ContractState, *, at: datetime, ended: bool = False, reason: str = ""
    ) -> None:
        values: dict[str, object] = {"state": state.value}
        if ended:
            values |= {"ended_at": at, "end_reason": reason}
        self.session.execute(update(ContractRow).where(ContractRow.id == contract_id).values(**values))

    def internal_hours_per_week(self, professional_user_id: int) -> float:
        """Hours a week the person's active internal contracts take."""
        query = select(func.coalesce(func.sum(ContractRow.hours_per_week), 0.0)).where(
            ContractRow.professional_user_id == professional_user_id,
            ContractRow.internal.is_(True),
            ContractRow.state.in_([ContractState.ACTIVE.value, ContractState.DISPUTED.value]),
        )
        return float(self.session.scalar(query) or 0.0)

    # milestones

    def add_milestone(self, contract_id: int, position: int, milestone: Milestone, *, at: datetime) -> int:
        row = MilestoneRow(
            contract_id=contract_id,
            position=position,
            title=milestone.title,
            amount=milestone.amount.amount,
            due=milestone.due,
            state=MilestoneState.PENDING.value,
            progress=milestone.progress,
            updated_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def milestones(self, contract_id: int, currency: str) -> list[StoredMilestone]:
        query = (
            select(MilestoneRow)
            .where(MilestoneRow.contract_id == contract_id)
            .order_by(MilestoneRow.position)
        )
        return [_milestone(r, currency) for r in self.session.scalars(query)]

    def milestones_of_contracts(self, contract_ids: Sequence[int]) -> list[StoredMilestone]:
        if not contract_ids:
            return []
        query = (
            select(MilestoneRow, ContractRow.currency)
            .join(ContractRow, ContractRow.id == MilestoneRow.contract_id)
            .where(MilestoneRow.contract_id.in_(list(contract_ids)))
            .order_by(MilestoneRow.due, MilestoneRow.id)
        )
        return [_milestone(row, currency) for row, currency in self.session.execute(query)]

    def get_milestone(self, milestone_id: int) -> StoredMilestone | None:
        query = (
            select(MilestoneRow, ContractRow.currency)
            .join(ContractRow, ContractRow.id == MilestoneRow.contract_id)
            .where(MilestoneRow.id == milestone_id)
        )
        found = self.session.execute(query).first()
        return None if found is None else _milestone(found[0], found[1])

    def set_milestone(
        self,
        milestone_id: int,
        *,
        state: MilestoneState | None = None,
        progress: int | None = None,
        note: str | None = None,
        at: datetime,
    ) -> None:
        values: dict[str, object] = {"updated_at": at}
        if state is not None:
            values["state"] = state.value
        if progress is not None:
            values["progress"] = progress
        if note is not None:
            values["note"] = note
        self.session.execute(update(MilestoneRow).where(MilestoneRow.id == milestone_id).values(**values))

    # time

    def add_time_entry(self, contract_id: int, entry: TimeEntry, *, at: datetime) -> StoredTimeEntry:
        # one INSERT ... RETURNING on the table, not the ORM's flush (issue 17: the time entry is the
        # commonest write)
        values = {
            "contract_id": contract_id,
            "day": entry.day,
            "minutes": entry.minutes,
            "note": entry.note,
            "created_at": at,
        }
        new_id = self.session.connection().execute(_ADD_TIME_ENTRY, values).scalar_one()
        return StoredTimeEntry(new_id, contract_id, TimeEntry(entry.day, entry.minutes, entry.note), at, None)

    def time_entries(
        self, contract_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[StoredTimeEntry]:
        query = select(TimeEntryRow).where(TimeEntryRow.contract_id == contract_id)
        if start is not None:
            query = query.where(TimeEntryRow.day >= start)
        if end is not None:
            query = query.where(TimeEntryRow.day <= end)
        return [_entry(r) for r in self.session.scalars(query.order_by(TimeEntryRow.day, TimeEntryRow.id))]

    def minutes_logged(self, contract_id: int, *, start: date, end: date) -> int:
        params = {"contract_id": contract_id, "start": start, "end": end}
        return int(self.session.connection().execute(_MINUTES_LOGGED, params).scalar() or 0)

    def time_entries_of_contracts(self, contract_ids: Sequence[int], *, start: date) -> list[StoredTimeEntry]:
        if not contract_ids:
            return []
        query = select(TimeEntryRow).where(
            TimeEntryRow.contract_id.in_(contract_ids), TimeEntryRow.day >= start
        )
        return [_entry(r) for r in self.session.scalars(query)]

    def mark_paid(self, entry_ids: Iterable[int], transaction_id: int) -> None:
        ids = list(entry_ids)
        if ids:
            self.session.execute(
                update(TimeEntryRow).where(TimeEntryRow.id.in_(ids)).values(paid_in=transaction_id)
            )

    # ledger

    def add_transaction(self, transaction: Transaction, *, created_by: int | None, at: datetime) -> int:
        transaction.validate()
        row = LedgerTransactionRow(
            kind=transaction.kind.value,
            memo=transaction.memo,
            contract_id=transaction.contract_id,
            milestone_id=transaction.milestone_id,
            reverses=transaction.reverses,
            created_by=created_by,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        self.session.add_all(
            LedgerPostingRow(
                transaction_id=row.id, account=p.account, amount=p.amount.amount, currency=p.amount.currency
            )
            for p in transaction.postings
        )
        self.session.flush()
        return row.id

    def postings(
        self, *, accounts: Sequence[str] | None = None, account_prefix: str | None = None
    ) -> list[tuple[Posting, datetime, int]]:
        """Postings (with their transaction's time and id), optionally of some accounts only."""
        query = select(LedgerPostingRow, LedgerTransactionRow.created_at).join(
            LedgerTransactionRow, LedgerTransactionRow.id == LedgerPostingRow.transaction_id
        )
        if accounts is not None:
            query = query.where(LedgerPostingRow.account.in_(list(accounts)))
        if account_prefix is not None:
            query = query.where(LedgerPostingRow.account.startswith(account_prefix))
        return [
            (Posting(row.account, Money(row.amount, row.currency)), at, row.transaction_id)
            for row, at in self.session.execute(query.order_by(LedgerPostingRow.id))
        ]

    def transactions(self, *, contract_id: int) -> list[StoredTransaction]:
        return self.transactions_of_contracts([contract_id]).get(contract_id, [])

    def transactions_of_contracts(self, contract_ids: Sequence[int]) -> dict[int, list[StoredTransaction]]:
        """``transactions`` of each contract that has any, ``_CHUNK`` contracts a query."""
        wanted = sorted(set(contract_ids))
        found: dict[int, list[StoredTransaction]] = {}
        for at in range(0, len(wanted), _CHUNK):
            query = (
                select(LedgerTransactionRow)
                .where(LedgerTransactionRow.contract_id.in_(wanted[at : at + _CHUNK]))
                .order_by(LedgerTransactionRow.id)
            )
            rows = list(self.session.scalars(query))
            postings: dict[int, list[Posting]] = {}
            for start in range(0, len(rows), _CHUNK):
                for p in self.session.scalars(
                    select(LedgerPostingRow)
                    .where(LedgerPostingRow.transaction_id.in_([r.id for r in rows[start : start + _CHUNK]]))
                    .order_by(LedgerPostingRow.id)
                ):
                    postings.setdefault(p.transaction_id, []).append(
                        Posting(p.account, Money(p.amount, p.currency))
                    )
            for r in rows:
                assert r.contract_id is not None
                found.setdefault(r.contract_id, []).append(
                    StoredTransaction(
                        r.id,
                        Transaction(
                            TxKind(r.kind),
                            tuple(postings.get(r.id, ())),
                            r.memo,
                            r.contract_id,
                            r.milestone_id,
                            r.reverses,
                        ),
                        r.created_by,
                        r.created_at,
                    )
                )
        return found

    def get_transaction(self, transaction_id: int) -> StoredTransaction | None:
        row = self.session.get(LedgerTransactionRow, transaction_id)
        if row is None:
            return None
        postings = tuple(
            Posting(p.account, Money(p.amount, p.currency))
            for p in self.session.scalars(
                select(LedgerPostingRow)
                .where(LedgerPostingRow.transaction_id == transaction_id)
                .order_by(LedgerPostingRow.id)
            )
        )
        transaction = Transaction(
            TxKind(row.kind), postings, row.memo, row.contract_id, row.milestone_id, row.reverses
        )
        return StoredTransaction(row.id, transaction, row.created_by, row.created_at)

    def reversal_of(self, transaction_id: int) -> int | None:
        """The id of the correction that reverses ``transaction_id``, if one does."""
        query = select(LedgerTransactionRow.id).where(LedgerTransactionRow.reverses == transaction_id)
        return self.session.scalars(query).first()

    def ledger_totals(self) -> dict[str, int]:
        """Sum of every posting per currency (zero in a balanced ledger)."""
        query = select(LedgerPostingRow.currency, func.sum(LedgerPostingRow.amount)).group_by(
            LedgerPostingRow.currency
        )
        return {currency: int(total or 0) for currency, total in self.session.execute(query)}

    # reviews and disputes

    def add_review(
        self, contract_id: int, *, author: int, subject: int, rating: int, text: str, at: datetime
    ) -> Review:
        row = ReviewRow(
            contract_id=contract_id,
            author_user_id=author,
            subject_user_id=subject,
            rating=rating,
            text=text,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return _review(row)

    def reviews_of_contract(self, contract_id: int) -> list[Review]:
        query = select(ReviewRow).where(ReviewRow.contract_id == contract_id).order_by(ReviewRow.id)
        return [_review(r) for r in self.session.scalars(query)]

    def reviews_of_contracts(self, contract_ids: Sequence[int]) -> dict[int, list[Review]]:
        """``reviews_of_contract`` of each contract that has any, ``_CHUNK`` contracts a query."""
        wanted = sorted(set(contract_ids))
        found: dict[int, list[Review]] = {}
        for at in range(0, len(wanted), _CHUNK):
            query = select(ReviewRow).where(ReviewRow.contract_id.in_(wanted[at : at + _CHUNK]))
            for r in self.session.scalars(query.order_by(ReviewRow.id)):
                found.setdefault(r.contract_id, []).append(_review(r))
        return found

    def reviews_about(self, user_id: int) -> list[Review]:
        query = select(ReviewRow).where(ReviewRow.subject_user_id == user_id).order_by(ReviewRow.id.desc())
        return [_review(r) for r in self.session.scalars(query)]

    def add_dispute(self, contract_id: int, *, raised_by: int, reason: str, at: datetime) -> Dispute:
        row = DisputeRow(
            contract_id=contract_id, raised_by=raised_by, reason=reason, state="open", created_at=at
        )
        self.session.add(row)
        self.session.flush()
        return _dispute(row)

    def get_dispute(self, dispute_id: int) -> Dispute | None:
        row = self.session.get(DisputeRow, dispute_id, populate_existing=True)  # fresh after a lock
        return None if row is None else _dispute(row)

    def open_dispute(self, contract_id: int) -> Dispute | None:
        query = select(DisputeRow).where(DisputeRow.contract_id == contract_id, DisputeRow.state == "open")
        row = self.session.scalars(query).first()
        return None if row is None else _dispute(row)

    def disputes(self, *, contract_id: int | None = None, state: str | None = None) -> list[Dispute]:
        query = select(DisputeRow)
        if contract_id is not None:
            query = query.where(DisputeRow.contract_id == contract_id)
        if state is not None:
            query = query.where(DisputeRow.state == state)
        return [_dispute(r) for r in self.session.scalars(query.order_by(DisputeRow.id))]

    def disputes_of_contracts(self, contract_ids: Sequence[int]) -> dict[int, list[Dispute]]:
        """``disputes(contract_id=...)`` of each contract that has any, ``_CHUNK`` contracts a query."""
        wanted = sorted(set(contract_ids))
        found: dict[int, list[Dispute]] = {}
        for at in range(0, len(wanted), _CHUNK):
            query = select(DisputeRow).where(DisputeRow.contract_id.in_(wanted[at : at + _CHUNK]))
            for r in self.session.scalars(query.order_by(DisputeRow.id)):
                found.setdefault(r.contract_id, []).append(_dispute(r))
        return found

    def resolve_dispute(
        self,
        dispute_id: int,
        *,
        resolution: str,
        professional_amount: int,
        client_amount: int,
        resolved_by: int | None,
        at: datetime,
    ) -> None:
        self.session.execute(
            update(DisputeRow)
            .where(DisputeRow.id == dispute_id)
            .values(
                state="resolved",
                resolution=resolution,
                professional_amount=professional_amount,
                client_amount=client_amount,
                resolved_by=resolved_by,
                resolved_at=at,
            )
        )

    # settings

    def work_settings(self, user_id: int) -> WorkSettings:
        row = self.session.get(WorkSettingsRow, user_id)
        if row is None:
            return WorkSettings(user_id)
        return WorkSettings(
            user_id,
            row.workload_threshold_hours,
            row.contracted_hours_per_week,
            row.monthly_spending,
            row.cash,
            row.currency,
            row.manager_user_id,
        )

    def has_work_settings(self, user_id: int) -> bool:
        return self.session.get(WorkSettingsRow, user_id) is not None

    def save_work_settings(self, settings: WorkSettings, *, at: datetime) -> None:
        row = self.session.get(WorkSettingsRow, settings.user_id)
        if row is None:
            row = WorkSettingsRow(user_id=settings.user_id)
            self.session.add(row)
        row.workload_threshold_hours = settings.workload_threshold_hours
        row.contracted_hours_per_week = settings.contracted_hours_per_week
        row.monthly_spending = settings.monthly_spending
        row.cash = settings.cash
        row.currency = settings.currency
        row.manager_user_id = settings.manager_user_id
        row.updated_at = at
        self.session.flush()

    def internal_cap_share(self, organisation_id: int) -> float:
        row = self.session.get(OrganisationMarketplaceRow, organisation_id)
        return 0.2 if row is None else row.internal_cap_share

    def set_internal_cap_share(self, organisation_id: int, share: float, *, at: datetime) -> None:
        row = self.session.get(OrganisationMarketplaceRow, organisation_id)
        if row is None:
            row = OrganisationMarketplaceRow(organisation_id=organisation_id)
            self.session.add(row)
        row.internal_cap_share = share
        row.updated_at = at
        self.session.flush()

    def record_device(self, user_id: int, device_hash: str, *, at: datetime) -> None:
        row = self.session.get(SignInDeviceRow, (user_id, device_hash))
        if row is None:
            self.session.add(
                SignInDeviceRow(user_id=user_id, device_hash=device_hash, first_seen=at, last_seen=at)
            )
        else:
            row.last_seen = at
        self.session.flush()

    def devices_of(self, user_id: int) -> frozenset[str]:
        query = select(SignInDeviceRow.device_hash).where(SignInDeviceRow.user_id == user_id)
        return frozenset(self.session.scalars(query))

    def devices_of_users(self, user_ids: Sequence[int]) -> dict[int, frozenset[str]]:
        """``devices_of`` each of ``user_ids`` (empty for none), ``_CHUNK`` ids a query."""
        wanted = sorted(set(user_ids))
        found: dict[int, set[str]] = {user_id: set() for user_id in wanted}
        for at in range(0, len(wanted), _CHUNK):
            query = select(SignInDeviceRow.user_id, SignInDeviceRow.device_hash).where(
                SignInDeviceRow.user_id.in_(wanted[at : at + _CHUNK])
            )
            for user_id, device in self.session.execute(query):
                found[user_id].add(device)
        return {user_id: frozenset(devices) for user_id, devices in found.items()}

    def set_job_mark(self, user_id: int, job_id: int, mark: str | None, *, at: datetime) -> None:
        row = self.session.get(JobMarkRow, (user_id, job_id))
        if mark is None:
            if row is not None:
                self.session.delete(row)
        elif row is None:
            self.session.add(JobMarkRow(user_id=user_id, job_id=job_id, mark=mark, marked_at=at))
        else:
            row.mark = mark
            row.marked_at = at
        self.session.flush()

    def job_marks(self, user_id: int) -> dict[int, str]:
        query = select(JobMarkRow.job_id, JobMarkRow.mark).where(JobMarkRow.user_id == user_id)
        return {row[0]: row[1] for row in self.session.execute(query)}
