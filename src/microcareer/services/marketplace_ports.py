"""Port of the marketplace: its repository (``ports.UnitOfWork.marketplace``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Protocol

from microcareer.domain.marketplace.applications import ApplicationState, ApprovalState, Proposal
from microcareer.domain.marketplace.contracts import ContractState, Milestone, MilestoneState, TimeEntry
from microcareer.domain.marketplace.jobs import JobState, MicroJob
from microcareer.domain.marketplace.ledger import Posting, Transaction
from microcareer.domain.marketplace.records import (
    Dispute,
    Review,
    StoredApplication,
    StoredContract,
    StoredJob,
    StoredMilestone,
    StoredTimeEntry,
    StoredTransaction,
    WorkSettings,
)


class MarketplaceRepository(Protocol):
    """Jobs, applications, contracts, milestones, time, the ledger, reviews, disputes, settings."""

    def add_job(self, poster_user_id: int, job: MicroJob, *, at: datetime) -> StoredJob: ...

    def update_job(self, job_id: int, job: MicroJob, *, at: datetime) -> None: ...

    def set_job_state(self, job_id: int, state: JobState, *, at: datetime) -> None: ...

    def get_job(self, job_id: int) -> StoredJob | None: ...

    def job_change_head(self) -> int:
        """The id of the latest change to a job (0: none yet); every job write adds one."""
        ...

    def job_change_floor(self) -> int:
        """The id of the oldest change kept (0: none): every change below it may have been pruned."""
        ...

    def job_changes(self, after: int, limit: int) -> list[tuple[int, int]]:
        """(change id, job id) of up to ``limit`` changes after ``after``, oldest first."""
        ...

    def prune_job_changes(self, below: int) -> int:
        """Delete the changes with ids below ``below``; how many were deleted."""
        ...

    def open_jobs(self, job_ids: Sequence[int] | None = None) -> Iterator[StoredJob]:
        """Open jobs (of ``job_ids``, or all) with their skills, by id (the job index's source)."""
        ...

    def jobs_by_id(self, job_ids: Sequence[int]) -> dict[int, StoredJob]:
        """The jobs of ``job_ids`` that exist, in any state, with their skills."""
        ...

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
        ...

    def skill_demand(self, uris: Sequence[str], *, since: datetime) -> tuple[int, dict[str, int]]:
        """Open-market jobs published since ``since`` (drafts left out), and how many ask for each skill."""
        ...

    def add_application(
        self,
        job_id: int,
        applicant_user_id: int,
        proposal: Proposal,
        *,
        approval: ApprovalState,
        at: datetime,
    ) -> StoredApplication: ...

    def get_application(self, application_id: int) -> StoredApplication | None: ...

    def application_of(self, job_id: int, applicant_user_id: int) -> StoredApplication | None: ...

    def applications_for_job(self, job_id: int) -> list[StoredApplication]: ...

    def applications_by(self, applicant_user_id: int) -> list[StoredApplication]: ...

    def pending_approvals(
        self, *, organisation_ids: Sequence[int] | None, manager_user_id: int | None
    ) -> list[StoredApplication]:
        """Live applications waiting for a manager: to internal jobs of ``organisation_ids`` (None: every
        organisation), or by employees whose designated manager is ``manager_user_id``."""
        ...

    def set_application_state(
        self, application_id: int, state: ApplicationState, *, at: datetime
    ) -> None: ...

    def set_approval(
        self, application_id: int, approval: ApprovalState, *, approver_user_id: int | None, at: datetime
    ) -> None: ...

    def add_contract(self, contract: StoredContract) -> StoredContract: ...

    def lock_contract(self, contract_id: int) -> StoredContract | None:
        """Take the contract's write lock first thing in a unit of work; then read it.

        Raises ``records.StoreBusy`` when the lock is not free in time."""
        ...

    def lock_person(self, user_id: int) -> None:
        """Take a write lock on the person first thing in a unit of work (checks across their contracts)."""
        ...

    def get_contract(self, contract_id: int) -> StoredContract | None: ...

    def contract_for_job(self, job_id: int) -> StoredContract | None: ...

    def contracts_of(
        self, user_id: int, *, states: Sequence[ContractState] | None = None
    ) -> list[StoredContract]: ...

    def contracts_of_professionals(
        self, user_ids: Sequence[int], *, states: Sequence[ContractState]
    ) -> list[StoredContract]:
        """The contracts in ``states`` whose professional is one of ``user_ids``, newest first."""
        ...

    def set_contract_state(
        self, contract_id: int, state: ContractState, *, at: datetime, ended: bool = False, reason: str = ""
    ) -> None: ...

    def internal_hours_per_week(self, professional_user_id: int) -> float:
        """Hours a week the person's active internal contracts take."""
        ...

    def add_milestone(
        self, contract_id: int, position: int, milestone: Milestone, *, at: datetime
    ) -> int: ...

    def milestones(self, contract_id: int, currency: str) -> list[StoredMilestone]: ...

    def milestones_of_contracts(self, contract_ids: Sequence[int]) -> list[StoredMilestone]: ...

    def get_milestone(self, milestone_id: int) -> StoredMilestone | None: ...

    def set_milestone(
        self,
        milestone_id: int,
        *,
        state: MilestoneState | None = None,
        progress: int | None = None,
        note: str | None = None,
        at: datetime,
    ) -> None: ...

    def add_time_entry(self, contract_id: int, entry: TimeEntry, *, at: datetime) -> StoredTimeEntry: ...

    def time_entries(
        self, contract_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[StoredTimeEntry]: ...

    def time_entries_of_contracts(
        self, contract_ids: Sequence[int], *, start: date
    ) -> list[StoredTimeEntry]: ...

    def minutes_logged(self, contract_id: int, *, start: date, end: date) -> int:
        """The minutes of a contract's time entries from ``start`` to ``end`` (both included)."""
        ...

    def mark_paid(self, entry_ids: Iterable[int], transaction_id: int) -> None: ...

    def add_transaction(self, transaction: Transaction, *, created_by: int | None, at: datetime) -> int: ...

    def postings(
        self, *, accounts: Sequence[str] | None = None, account_prefix: str | None = None
    ) -> list[tuple[Posting, datetime, int]]:
        """Postings (with their transaction's time and id), optionally of some accounts only."""
        ...

    def transactions(self, *, contract_id: int) -> list[StoredTransaction]: ...

    def transactions_of_contracts(self, contract_ids: Sequence[int]) -> dict[int, list[StoredTransaction]]:
        """``transactions`` of each of ``contract_ids`` that has any, in a few queries."""
        ...

    def get_transaction(self, transaction_id: int) -> StoredTransaction | None: ...

    def reversal_of(self, transaction_id: int) -> int | None:
        """The id of the correction that reverses ``transaction_id``, if one does."""
        ...

    def ledger_totals(self) -> dict[str, int]:
        """Sum of every posting per currency (zero in a balanced ledger)."""
        ...

    def add_review(
        self, contract_id: int, *, author: int, subject: int, rating: int, text: str, at: datetime
    ) -> Review: ...

    def reviews_of_contract(self, contract_id: int) -> list[Review]: ...

    def reviews_of_contracts(self, contract_ids: Sequence[int]) -> dict[int, list[Review]]:
        """``reviews_of_contract`` of each of ``contract_ids`` that has any, in a few queries."""
        ...

    def reviews_about(self, user_id: int) -> list[Review]: ...

    def add_dispute(self, contract_id: int, *, raised_by: int, reason: str, at: datetime) -> Dispute: ...

    def get_dispute(self, dispute_id: int) -> Dispute | None: ...

    def open_dispute(self, contract_id: int) -> Dispute | None: ...

    def disputes(self, *, contract_id: int | None = None, state: str | None = None) -> list[Dispute]: ...

    def disputes_of_contracts(self, contract_ids: Sequence[int]) -> dict[int, list[Dispute]]:
        """``disputes`` of each of ``contract_ids`` that has any, in a few queries."""
        ...

    def resolve_dispute(
        self,
        dispute_id: int,
        *,
        resolution: str,
        professional_amount: int,
        client_amount: int,
        resolved_by: int | None,
        at: datetime,
    ) -> None: ...

    def work_settings(self, user_id: int) -> WorkSettings: ...

    def has_work_settings(self, user_id: int) -> bool:
        """Whether the person ever saved settings (else ``work_settings`` gives the defaults)."""
        ...

    def save_work_settings(self, settings: WorkSettings, *, at: datetime) -> None: ...

    def internal_cap_share(self, organisation_id: int) -> float: ...

    def set_internal_cap_share(self, organisation_id: int, share: float, *, at: datetime) -> None: ...

    def record_device(self, user_id: int, device_hash: str, *, at: datetime) -> None: ...

    def devices_of(self, user_id: int) -> frozenset[str]: ...

    def devices_of_users(self, user_ids: Sequence[int]) -> dict[int, frozenset[str]]:
        """``devices_of`` each of ``user_ids``, in a few queries."""
        ...

    def set_job_mark(self, user_id: int, job_id: int, mark: str | None, *, at: datetime) -> None:
        """Save ``mark`` (saved, dismissed) on a job for a person; None removes it."""
        ...

    def job_marks(self, user_id: int) -> dict[int, str]:
        """Job id → mark, for every job the person marked."""
        ...
