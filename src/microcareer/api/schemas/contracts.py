"""Contracts, milestones, time, the ledger, disputes, reviews and reputation as the API shows them.

Money follows ``schemas.marketplace`` (integer minor units with the currency, plus ``formatted``);
weeks are ISO weeks written ``2026-W47``; time is whole minutes with hours beside them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from microcareer.api.schemas.marketplace import MoneyIn, MoneyPublic
from microcareer.domain.marketplace.contracts import (
    ContractKind,
    ContractState,
    MilestoneState,
    TimeEntry,
    hourly_charge,
    week_of,
)
from microcareer.domain.marketplace.ledger import TxKind
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.records import (
    Dispute,
    Review,
    StoredContract,
    StoredMilestone,
    StoredTimeEntry,
    StoredTransaction,
)
from microcareer.domain.marketplace.reputation import Reputation
from microcareer.errors import InvalidInput
from microcareer.services.contracts import (
    AccountBalances,
    Cancellation,
    Completion,
    ContractView,
    LedgerCheck,
    LedgerStatement,
    WeekPayment,
)
from microcareer.services.disputes import Outcome, Resolution

TEXT_MAX = 20_000
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(text: str, field: str = "week") -> tuple[int, int]:
    """``"2026-W47"`` → (2026, 47); anything else is a 422 naming ``field``."""
    match = _WEEK.match(text.strip().upper())
    if match is None:
        raise InvalidInput(f"{field}: {text!r} is not an ISO week like 2026-W47", field=field)
    year, week = int(match.group(1)), int(match.group(2))
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidInput(f"{field}: {text!r} is not a week of {year}", field=field) from None
    return year, week


def week_label(year: int, week: int) -> str:
    return f"{year}-W{week:02d}"


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


class ContractPublic(BaseModel):
    id: int
    job_id: int
    application_id: int
    client_user_id: int
    professional_user_id: int
    organisation_id: int | None
    internal: bool
    kind: ContractKind
    state: ContractState
    currency: str
    hourly_rate: MoneyPublic | None
    weekly_limit_hours: float | None
    hours_per_week: float
    fee_bp: int = Field(description="Platform fee on released money, in basis points (1000 = 10%).")
    created_at: datetime
    ended_at: datetime | None
    end_reason: str

    @classmethod
    def of(cls, contract: StoredContract) -> ContractPublic:
        return cls(**_contract_fields(contract))


def _contract_fields(contract: StoredContract) -> dict[str, object]:
    rate = contract.hourly_rate
    return {
        "id": contract.id,
        "job_id": contract.job_id,
        "application_id": contract.application_id,
        "client_user_id": contract.client_user_id,
        "professional_user_id": contract.professional_user_id,
        "organisation_id": contract.organisation_id,
        "internal": contract.internal,
        "kind": contract.kind,
        "state": contract.state,
        "currency": contract.currency,
        "hourly_rate": MoneyPublic.of(rate) if rate is not None else None,
        "weekly_limit_hours": contract.weekly_limit_hours,
        "hours_per_week": contract.hours_per_week,
        "fee_bp": contract.fee_bp,
        "created_at": contract.created_at,
        "ended_at": contract.ended_at,
        "end_reason": contract.end_reason,
    }


class ContractsPublic(BaseModel):
    items: list[ContractPublic] = Field(description="Newest first.")


class MilestonePublic(BaseModel):
    id: int
    contract_id: int
    position: int
    title: str
    amount: MoneyPublic
    due: date
    progress: int = Field(description="Percent done, as the professional reports it.")
    state: MilestoneState
    note: str
    updated_at: datetime

    @classmethod
    def of(cls, stored: StoredMilestone) -> MilestonePublic:
        m = stored.milestone
        return cls(
            id=stored.id,
            contract_id=stored.contract_id,
            position=stored.position,
            title=m.title,
            amount=MoneyPublic.of(m.amount),
            due=m.due,
            progress=m.progress,
            state=stored.state,
            note=stored.note,
            updated_at=stored.updated_at,
        )


class TimeEntryPublic(BaseModel):
    id: int
    contract_id: int
    day: date
    week: str
    minutes: int
    hours: float
    note: str
    paid: bool
    paid_in: int | None = Field(description="The release transaction that paid it.")
    created_at: datetime

    @classmethod
    def of(cls, stored: StoredTimeEntry) -> TimeEntryPublic:
        entry = stored.entry
        return cls(
            id=stored.id,
            contract_id=stored.contract_id,
            day=entry.day,
            week=week_label(*week_of(entry.day)),
            minutes=entry.minutes,
            hours=_hours(entry.minutes),
            note=entry.note,
            paid=stored.paid_in is not None,
            paid_in=stored.paid_in,
            created_at=stored.created_at,
        )


class WeekTimePublic(BaseModel):
    """One ISO week of a contract's time: logged, unpaid, and what the unpaid part costs."""

    week: str
    monday: date
    minutes: int
    hours: float
    unpaid_minutes: int
    unpaid_charge: MoneyPublic | None = Field(description="Unpaid time at the hourly rate.")
    limit_hours: float | None


def week_summaries(
    entries: Iterable[StoredTimeEntry], rate: Money | None, limit_hours: float | None
) -> list[WeekTimePublic]:
    """Each week with time in it, oldest first."""
    minutes: dict[tuple[int, int], int] = defaultdict(int)
    unpaid: dict[tuple[int, int], int] = defaultdict(int)
    for stored in entries:
        key = week_of(stored.entry.day)
        minutes[key] += stored.entry.minutes
        if stored.paid_in is None:
            unpaid[key] += stored.entry.minutes
    return [
        WeekTimePublic(
            week=week_label(*key),
            monday=date.fromisocalendar(key[0], key[1], 1),
            minutes=minutes[key],
            hours=_hours(minutes[key]),
            unpaid_minutes=unpaid[key],
            unpaid_charge=MoneyPublic.of(hourly_charge(unpaid[key], rate)) if rate is not None else None,
            limit_hours=limit_hours,
        )
        for key in sorted(minutes)
    ]


class WeekEntriesPublic(WeekTimePublic):
    sunday: date
    entries: list[TimeEntryPublic] = Field(description="Oldest day first.")

    @classmethod
    def of(
        cls, year: int, week: int, entries: list[StoredTimeEntry], contract: StoredContract
    ) -> WeekEntriesPublic:
        monday = date.fromisocalendar(year, week, 1)
        found = week_summaries(entries, contract.hourly_rate, contract.weekly_limit_hours)
        rate = contract.hourly_rate
        empty = WeekTimePublic(
            week=week_label(year, week),
            monday=monday,
            minutes=0,
            hours=0.0,
            unpaid_minutes=0,
            unpaid_charge=MoneyPublic.of(Money.zero(rate.currency)) if rate is not None else None,
            limit_hours=contract.weekly_limit_hours,
        )
        summary = found[0] if found else empty
        return cls(
            **summary.model_dump(exclude={"unpaid_charge"}),
            unpaid_charge=summary.unpaid_charge,
            sunday=monday + timedelta(days=6),
            entries=[TimeEntryPublic.of(e) for e in sorted(entries, key=lambda e: (e.entry.day, e.id))],
        )


class DisputePublic(BaseModel):
    id: int
    contract_id: int
    raised_by: int
    reason: str
    state: str = Field(description="open or resolved.")
    resolution: str
    professional_amount: int | None = Field(description="Minor units paid towards the professional.")
    client_amount: int | None = Field(description="Minor units refunded to the client.")
    resolved_by: int | None
    created_at: datetime
    resolved_at: datetime | None

    @classmethod
    def of(cls, dispute: Dispute) -> DisputePublic:
        return cls(
            id=dispute.id,
            contract_id=dispute.contract_id,
            raised_by=dispute.raised_by,
            reason=dispute.reason,
            state=dispute.state,
            resolution=dispute.resolution,
            professional_amount=dispute.professional_amount,
            client_amount=dispute.client_amount,
            resolved_by=dispute.resolved_by,
            created_at=dispute.created_at,
            resolved_at=dispute.resolved_at,
        )


class DisputesPublic(BaseModel):
    items: list[DisputePublic]


class ContractDetail(ContractPublic):
    """A contract with its milestones, time by week, escrow and any open dispute."""

    job_title: str
    role: Literal["client", "professional"] | None = Field(
        description="Your part in it; none for an admin looking on."
    )
    milestones: list[MilestonePublic]
    weeks: list[WeekTimePublic] = Field(description="Logged time per ISO week, oldest first.")
    unpaid_minutes: int
    escrow: MoneyPublic = Field(description="What escrow holds for the contract now.")
    open_dispute: DisputePublic | None

    @classmethod
    def of_view(cls, view: ContractView) -> ContractDetail:
        contract = view.contract
        dispute = view.open_dispute
        return cls.model_validate(
            {
                **_contract_fields(contract),
                "job_title": view.job_title,
                "role": view.role,
                "milestones": [MilestonePublic.of(m) for m in view.milestones],
                "weeks": week_summaries(view.time_entries, contract.hourly_rate, contract.weekly_limit_hours),
                "unpaid_minutes": view.unpaid_minutes,
                "escrow": MoneyPublic.of(view.escrow),
                "open_dispute": DisputePublic.of(dispute) if dispute is not None else None,
            }
        )


class MilestoneNoteBody(BaseModel):
    note: str = Field(max_length=TEXT_MAX, description="What to change.")


class SubmitBody(BaseModel):
    progress: int = Field(100, ge=0, le=100)
    note: str = Field("", max_length=TEXT_MAX)


class ProgressBody(BaseModel):
    progress: int = Field(ge=0, le=100, description="Percent done.")


class TimeEntryBody(BaseModel):
    """Either ``start`` and ``end`` (ISO date-times, on the start's day), or ``day`` and ``minutes``."""

    start: datetime | None = None
    end: datetime | None = None
    day: date | None = None
    minutes: int | None = Field(None, ge=-1_000_000, le=1_000_000)
    note: str = Field("", max_length=TEXT_MAX)

    def to_entry(self, today: date) -> TimeEntry:
        span = self.start is not None or self.end is not None
        duration = self.day is not None or self.minutes is not None
        if span and duration:
            raise InvalidInput("give start and end, or day and minutes, not both", field="start")
        if span:
            if self.start is None or self.end is None:
                missing = "end" if self.end is None else "start"
                raise InvalidInput(f"{missing}: required with the other", field=missing)
            return TimeEntry.from_span(self.start, self.end, self.note, today)
        if self.day is None or self.minutes is None:
            missing = "minutes" if self.day is not None else "day"
            raise InvalidInput(f"{missing}: required (give start and end, or day and minutes)", field=missing)
        return TimeEntry.from_duration(self.day, self.minutes, self.note, today)


class WeekPaymentPublic(BaseModel):
    contract_id: int
    week: str
    minutes: int
    hours: float
    charge: MoneyPublic = Field(description="What the client paid for the week.")
    fee: MoneyPublic
    net: MoneyPublic = Field(description="What the professional got: the charge less the fee.")
    fund_transaction_id: int
    release_transaction_id: int
    entry_ids: list[int]

    @classmethod
    def of(cls, payment: WeekPayment) -> WeekPaymentPublic:
        return cls(
            contract_id=payment.contract_id,
            week=week_label(payment.iso_year, payment.iso_week),
            minutes=payment.minutes,
            hours=_hours(payment.minutes),
            charge=MoneyPublic.of(payment.charge),
            fee=MoneyPublic.of(payment.fee),
            net=MoneyPublic.of(payment.net),
            fund_transaction_id=payment.fund_transaction_id,
            release_transaction_id=payment.release_transaction_id,
            entry_ids=list(payment.entry_ids),
        )


class CompletionPublic(BaseModel):
    contract: ContractPublic
    evidence_skills: list[str] = Field(description="Skills that got micro-job evidence on the profile.")

    @classmethod
    def of(cls, done: Completion) -> CompletionPublic:
        return cls(contract=ContractPublic.of(done.contract), evidence_skills=list(done.evidence_skills))


class ReversalBody(BaseModel):
    memo: str = Field(min_length=1, max_length=500, description="Why the transaction is undone.")


class ReasonBody(BaseModel):
    reason: str = Field(max_length=TEXT_MAX)


class CancellationPublic(BaseModel):
    contract: ContractPublic
    refunded: MoneyPublic = Field(description="What went back to the client from escrow.")
    refunded_milestones: list[int]
    unpaid_minutes: int = Field(description="Logged time never approved: it stays unpaid.")
    notes: list[str]

    @classmethod
    def of(cls, done: Cancellation) -> CancellationPublic:
        return cls(
            contract=ContractPublic.of(done.contract),
            refunded=MoneyPublic.of(done.refunded),
            refunded_milestones=list(done.refunded_milestones),
            unpaid_minutes=done.unpaid_minutes,
            notes=list(done.notes),
        )


class PostingPublic(BaseModel):
    account: str = Field(description="client:{id}, escrow:contract:{id}, professional:{id}, platform:fees.")
    amount: MoneyPublic = Field(description="Positive: into the account; negative: out of it.")


class TransactionPublic(BaseModel):
    id: int
    kind: TxKind
    memo: str
    contract_id: int | None
    milestone_id: int | None
    reverses: int | None
    created_by: int | None
    created_at: datetime
    postings: list[PostingPublic]

    @classmethod
    def of(cls, stored: StoredTransaction) -> TransactionPublic:
        tx = stored.transaction
        return cls(
            id=stored.id,
            kind=tx.kind,
            memo=tx.memo,
            contract_id=tx.contract_id,
            milestone_id=tx.milestone_id,
            reverses=tx.reverses,
            created_by=stored.created_by,
            created_at=stored.created_at,
            postings=[PostingPublic(account=p.account, amount=MoneyPublic.of(p.amount)) for p in tx.postings],
        )


class LedgerStatementPublic(BaseModel):
    contract_id: int
    escrow: MoneyPublic
    funded: MoneyPublic
    released: MoneyPublic = Field(description="Paid to the professional, fees excluded.")
    fees: MoneyPublic
    refunded: MoneyPublic
    transactions: list[TransactionPublic] = Field(description="Oldest first, each with its postings.")

    @classmethod
    def of(cls, statement: LedgerStatement) -> LedgerStatementPublic:
        return cls(
            contract_id=statement.contract_id,
            escrow=MoneyPublic.of(statement.escrow),
            funded=MoneyPublic.of(statement.funded),
            released=MoneyPublic.of(statement.released),
            fees=MoneyPublic.of(statement.fees),
            refunded=MoneyPublic.of(statement.refunded),
            transactions=[TransactionPublic.of(t) for t in statement.transactions],
        )


class ResolveBody(BaseModel):
    professional_share: MoneyIn = Field(description="Paid out of escrow to the professional (less the fee).")
    resolution: str = Field(max_length=TEXT_MAX, description="The ruling, in words.")
    outcome: Outcome = Field(description="resume: the contract goes on; completed or cancelled: it ends.")


class ResolutionPublic(BaseModel):
    dispute: DisputePublic
    contract_state: ContractState
    released: MoneyPublic = Field(description="Paid out of escrow towards the professional, fee included.")
    fee: MoneyPublic
    refunded: MoneyPublic
    approved_milestones: list[int]
    refunded_milestones: list[int]

    @classmethod
    def of(cls, done: Resolution) -> ResolutionPublic:
        return cls(
            dispute=DisputePublic.of(done.dispute),
            contract_state=done.contract_state,
            released=MoneyPublic.of(done.released),
            fee=MoneyPublic.of(done.fee),
            refunded=MoneyPublic.of(done.refunded),
            approved_milestones=list(done.approved_milestones),
            refunded_milestones=list(done.refunded_milestones),
        )


class ReviewBody(BaseModel):
    rating: int = Field(ge=-1_000, le=1_000, description="1 to 5.")
    text: str = Field("", max_length=TEXT_MAX)


class ReviewPublic(BaseModel):
    id: int
    contract_id: int
    author_user_id: int
    subject_user_id: int
    rating: int
    text: str
    created_at: datetime

    @classmethod
    def of(cls, review: Review) -> ReviewPublic:
        return cls(
            id=review.id,
            contract_id=review.contract_id,
            author_user_id=review.author_user_id,
            subject_user_id=review.subject_user_id,
            rating=review.rating,
            text=review.text,
            created_at=review.created_at,
        )


class ReviewsPublic(BaseModel):
    items: list[ReviewPublic] = Field(description="Newest first.")


class ContractScorePublic(BaseModel):
    contract_id: int
    ended_on: date
    outcome: str
    outcome_score: float | None = Field(description="0 to 1; none for a neutral outcome (left out).")
    weight: float
    share: float
    signals: list[str] = Field(
        default_factory=list,
        description="Collusion signals between its client and the professional (shared_organisation, "
        "shared_device): it then counts 25% (docs/trust.md).",
    )


class ReputationPublic(BaseModel):
    user_id: int
    score: int | None = Field(description="0 to 100; none while there is too little to go on.")
    contracts_counted: int
    successful: int
    explanation: list[str]
    breakdown: list[ContractScorePublic] = Field(description="Newest first.")

    @classmethod
    def of(cls, user_id: int, found: Reputation) -> ReputationPublic:
        return cls(
            user_id=user_id,
            score=found.score,
            contracts_counted=found.contracts_counted,
            successful=found.successful,
            explanation=list(found.explanation),
            breakdown=[
                ContractScorePublic(
                    contract_id=b.contract_id,
                    ended_on=b.ended_on,
                    outcome=b.outcome,
                    outcome_score=b.outcome_score,
                    weight=b.weight,
                    share=b.share,
                    signals=list(b.signals),
                )
                for b in found.breakdown
            ],
        )


class BalancesPublic(BaseModel):
    user_id: int
    earned: list[MoneyPublic] = Field(description="Per currency: what the person was paid, fees taken off.")
    paid_in: list[MoneyPublic] = Field(
        description="Per currency: the client account (negative: paid in and not refunded)."
    )

    @classmethod
    def of(cls, found: AccountBalances) -> BalancesPublic:
        return cls(
            user_id=found.user_id,
            earned=[MoneyPublic.of(m) for m in found.earned],
            paid_in=[MoneyPublic.of(m) for m in found.paid_in],
        )


class NegativeEscrowPublic(BaseModel):
    account: str
    amount: MoneyPublic


class LedgerCheckPublic(BaseModel):
    ok: bool
    totals: dict[str, int] = Field(description="Sum of all postings per currency: zero when balanced.")
    escrow_held: dict[str, int] = Field(description="What all escrows hold, per currency, minor units.")
    fees: dict[str, int] = Field(description="Platform fees per currency, minor units.")
    negative_escrows: list[NegativeEscrowPublic]
    problems: list[str]

    @classmethod
    def of(cls, check: LedgerCheck) -> LedgerCheckPublic:
        return cls(
            ok=check.ok,
            totals=dict(check.totals),
            escrow_held=dict(check.escrow_held),
            fees=dict(check.fees),
            negative_escrows=[
                NegativeEscrowPublic(account=a, amount=MoneyPublic.of(m)) for a, m in check.negative_escrows
            ],
            problems=list(check.problems),
        )
