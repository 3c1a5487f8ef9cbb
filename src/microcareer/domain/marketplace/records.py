"""What the store keeps about jobs, applications, contracts, milestones, time, money, reviews, disputes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from microcareer.domain.marketplace.applications import ApplicationState, ApprovalState, Proposal
from microcareer.domain.marketplace.contracts import (
    ContractKind,
    ContractState,
    Milestone,
    MilestoneState,
    TimeEntry,
)
from microcareer.domain.marketplace.jobs import MicroJob
from microcareer.domain.marketplace.ledger import Transaction
from microcareer.domain.marketplace.money import Money


@dataclass(frozen=True, slots=True)
class StoredJob:
    id: int
    poster_user_id: int
    job: MicroJob
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredApplication:
    id: int
    job_id: int
    applicant_user_id: int
    proposal: Proposal
    state: ApplicationState
    approval: ApprovalState
    approver_user_id: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredContract:
    id: int
    job_id: int
    application_id: int
    client_user_id: int
    professional_user_id: int
    organisation_id: int | None
    internal: bool
    kind: ContractKind
    currency: str
    hourly_rate: Money | None
    weekly_limit_hours: float | None
    hours_per_week: float
    fee_bp: int
    state: ContractState
    created_at: datetime
    ended_at: datetime | None = None
    end_reason: str = ""

    def party(self, user_id: int | None) -> str | None:
        """ "client", "professional" or None."""
        if user_id == self.client_user_id:
            return "client"
        if user_id == self.professional_user_id:
            return "professional"
        return None


@dataclass(frozen=True, slots=True)
class StoredMilestone:
    id: int
    contract_id: int
    position: int
    milestone: Milestone
    state: MilestoneState
    note: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredTimeEntry:
    id: int
    contract_id: int
    entry: TimeEntry
    created_at: datetime
    paid_in: int | None = None


@dataclass(frozen=True, slots=True)
class StoredTransaction:
    id: int
    transaction: Transaction
    created_by: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    contract_id: int
    author_user_id: int
    subject_user_id: int
    rating: int
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Dispute:
    id: int
    contract_id: int
    raised_by: int
    reason: str
    state: str
    """``open`` or ``resolved``."""
    resolution: str
    professional_amount: int | None
    client_amount: int | None
    resolved_by: int | None
    created_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True, slots=True)
class WorkSettings:
    user_id: int
    workload_threshold_hours: float = 40.0
    contracted_hours_per_week: float = 40.0
    monthly_spending: int = 0
    cash: int = 0
    currency: str = "EUR"
    manager_user_id: int | None = None


class StoreBusy(Exception):
    """The store could not take a contract's lock in time (another change holds it); services answer
    ``Conflict("busy, try again")``. Raised by the repository so services need not know the driver."""
