"""/api/v1/contracts, /disputes, /ledger and a person's reviews, reputation and balances.

A contract is seen by its client and professional, the admins of an internal contract's organisation
and platform admins; anyone else gets 404. Each party acts in its part (the client funds, approves,
requests changes and pays time; the professional submits, reports progress and logs time): the other
party gets 403. A step the contract or milestone is not in a state for is 409, such as anything that
moves money while a dispute is open, or time past the weekly limit (the message gives the hours).
Reviews and reputation follow the profile's visibility (404 to whoever may not read it); balances are
for the person and platform admins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Path, Query, status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.contracts import (
    BalancesPublic,
    CancellationPublic,
    CompletionPublic,
    ContractDetail,
    ContractPublic,
    ContractsPublic,
    DisputePublic,
    DisputesPublic,
    LedgerCheckPublic,
    LedgerStatementPublic,
    MilestoneNoteBody,
    MilestonePublic,
    ProgressBody,
    ReasonBody,
    ReputationPublic,
    ResolutionPublic,
    ResolveBody,
    ReversalBody,
    ReviewBody,
    ReviewPublic,
    ReviewsPublic,
    SubmitBody,
    TimeEntryBody,
    TimeEntryPublic,
    TransactionPublic,
    WeekEntriesPublic,
    WeekPaymentPublic,
    parse_week,
)
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.contracts import ContractState, week_of
from microcareer.domain.marketplace.records import StoredMilestone
from microcareer.services import contracts, disputes, ledger_corrections, reviews

router = PrefixRouter(tags=["marketplace"], route_class=OneHopRoute)

WeekPath = Annotated[str, Path(min_length=1, max_length=16, description="An ISO week: 2026-W47.")]


@router.get("/contracts", response_model=ContractsPublic, summary="Your contracts")
def my_contracts(
    platform: PlatformDep,
    actor: ActorDep,
    state: Annotated[
        list[ContractState], Query(description="Only these states (repeatable); all when left out.")
    ] = [],  # noqa: B006 - FastAPI copies query defaults
) -> ContractsPublic:
    """As client or professional, newest first."""
    found = contracts.my_contracts(platform.uow(), actor=actor, states=state or None)
    return ContractsPublic(items=[ContractPublic.of(c) for c in found])


@router.get("/contracts/{contract_id}", response_model=ContractDetail, summary="One contract in full")
def get_contract(contract_id: RowId, platform: PlatformDep, actor: ActorDep) -> ContractDetail:
    """Its parties and terms, milestones, logged time by ISO week, what escrow holds, an open dispute."""
    return ContractDetail.of_view(
        contracts.get_contract(platform.uow(), actor=actor, contract_id=contract_id)
    )


def _milestone_step(
    platform: Platform,
    actor: Actor,
    step: Callable[..., StoredMilestone],
    contract_id: int,
    milestone_id: int,
    **extra: object,
) -> MilestonePublic:
    """One milestone step for the calling party, answered with the milestone as it now stands."""
    done = step(
        platform.uow(),
        actor=actor,
        contract_id=contract_id,
        milestone_id=milestone_id,
        now=platform.clock(),
        **extra,
    )
    return MilestonePublic.of(done)


@router.post(
    "/contracts/{contract_id}/milestones/{milestone_id}/fund",
    response_model=MilestonePublic,
    summary="Fund a milestone into escrow (the client)",
)
def fund_milestone(
    contract_id: RowId, milestone_id: RowId, platform: PlatformDep, actor: ActorDep
) -> MilestonePublic:
    return _milestone_step(platform, actor, contracts.fund_milestone, contract_id, milestone_id)


@router.post(
    "/contracts/{contract_id}/milestones/{milestone_id}/submit",
    response_model=MilestonePublic,
    summary="Submit a milestone's work (the professional)",
)
def submit_milestone(
    contract_id: RowId,
    milestone_id: RowId,
    platform: PlatformDep,
    actor: ActorDep,
    body: SubmitBody | None = None,
) -> MilestonePublic:
    given = body or SubmitBody()
    return _milestone_step(
        platform,
        actor,
        contracts.submit_milestone,
        contract_id,
        milestone_id,
        progress=given.progress,
        note=given.note,
    )


@router.post(
    "/contracts/{contract_id}/milestones/{milestone_id}/request-changes",
    response_model=MilestonePublic,
    summary="Send submitted work back (the client)",
)
def request_changes(
    contract_id: RowId, milestone_id: RowId, body: MilestoneNoteBody, platform: PlatformDep, actor: ActorDep
) -> MilestonePublic:
    return _milestone_step(
        platform, actor, contracts.request_changes, contract_id, milestone_id, note=body.note
    )


@router.post(
    "/contracts/{contract_id}/milestones/{milestone_id}/approve",
    response_model=MilestonePublic,
    summary="Approve submitted work: escrow pays it out (the client)",
)
def approve_milestone(
    contract_id: RowId, milestone_id: RowId, platform: PlatformDep, actor: ActorDep
) -> MilestonePublic:
    """The professional gets the amount less the contract's fee; the fee goes to the platform."""
    return _milestone_step(platform, actor, contracts.approve_milestone, contract_id, milestone_id)


@router.put(
    "/contracts/{contract_id}/milestones/{milestone_id}/progress",
    response_model=MilestonePublic,
    summary="Report a milestone's progress (the professional)",
)
def report_progress(
    contract_id: RowId, milestone_id: RowId, body: ProgressBody, platform: PlatformDep, actor: ActorDep
) -> MilestonePublic:
    return _milestone_step(
        platform, actor, contracts.report_progress, contract_id, milestone_id, progress=body.progress
    )


@router.post(
    "/contracts/{contract_id}/time",
    response_model=TimeEntryPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Log time on an hourly contract (the professional)",
)
def log_time(
    contract_id: RowId, body: TimeEntryBody, platform: PlatformDep, actor: ActorDep
) -> TimeEntryPublic:
    """``start`` and ``end``, or ``day`` and ``minutes``, with a note; within the weekly limit (409
    past it, naming the hours used, new and allowed)."""
    now = platform.clock()
    entry = body.to_entry(now.date())
    return TimeEntryPublic.of(
        contracts.log_time(platform.uow(), actor=actor, contract_id=contract_id, entry=entry, now=now)
    )


@router.get(
    "/contracts/{contract_id}/time", response_model=WeekEntriesPublic, summary="A contract's time in one week"
)
def week_time(
    contract_id: RowId,
    platform: PlatformDep,
    actor: ActorDep,
    week: Annotated[
        str | None, Query(max_length=16, description="An ISO week, 2026-W47; this week when left out.")
    ] = None,
) -> WeekEntriesPublic:
    year, number = parse_week(week) if week is not None else week_of(platform.clock().date())
    view = contracts.get_contract(platform.uow(), actor=actor, contract_id=contract_id)
    entries = [e for e in view.time_entries if week_of(e.entry.day) == (year, number)]
    return WeekEntriesPublic.of(year, number, entries, view.contract)


@router.post(
    "/contracts/{contract_id}/weeks/{iso_week}/approve",
    response_model=WeekPaymentPublic,
    summary="Approve and pay a week's time (the client)",
)
def approve_week(
    contract_id: RowId, iso_week: WeekPath, platform: PlatformDep, actor: ActorDep
) -> WeekPaymentPublic:
    """The week's unpaid minutes at the hourly rate: funded and released at once, less the fee."""
    year, number = parse_week(iso_week, "iso_week")
    payment = contracts.approve_week(
        platform.uow(),
        actor=actor,
        contract_id=contract_id,
        iso_year=year,
        iso_week=number,
        now=platform.clock(),
    )
    return WeekPaymentPublic.of(payment)


@router.post(
    "/contracts/{contract_id}/complete",
    response_model=CompletionPublic,
    summary="Complete a contract (the client)",
)
def complete(contract_id: RowId, platform: PlatformDep, actor: ActorDep) -> CompletionPublic:
    """Every milestone approved and all time paid first (409 otherwise); the professional's profile
    gets micro-job evidence on the job's required skills."""
    done = contracts.complete_contract(
        platform.uow(), actor=actor, contract_id=contract_id, now=platform.clock()
    )
    return CompletionPublic.of(done)


@router.post(
    "/contracts/{contract_id}/cancel",
    response_model=CancellationPublic,
    summary="Cancel a contract (either party)",
)
def cancel(
    contract_id: RowId, body: ReasonBody, platform: PlatformDep, actor: ActorDep
) -> CancellationPublic:
    """Funded milestones are refunded to the client; submitted work must be approved or sent back first."""
    done = contracts.cancel_contract(
        platform.uow(), actor=actor, contract_id=contract_id, reason=body.reason, now=platform.clock()
    )
    return CancellationPublic.of(done)


@router.get(
    "/contracts/{contract_id}/ledger",
    response_model=LedgerStatementPublic,
    summary="A contract's ledger statement",
)
def ledger_statement(contract_id: RowId, platform: PlatformDep, actor: ActorDep) -> LedgerStatementPublic:
    """Every transaction with its postings, and the totals: escrow, funded, released, fees, refunded."""
    return LedgerStatementPublic.of(
        contracts.ledger_statement(platform.uow(), actor=actor, contract_id=contract_id)
    )


@router.post(
    "/contracts/{contract_id}/disputes",
    response_model=DisputePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Dispute a contract (either party)",
)
def open_dispute(
    contract_id: RowId, body: ReasonBody, platform: PlatformDep, actor: ActorDep
) -> DisputePublic:
    """The contract's money stays in escrow until a platform admin resolves the dispute."""
    dispute = disputes.open_dispute(
        platform.uow(), actor=actor, contract_id=contract_id, reason=body.reason, now=platform.clock()
    )
    return DisputePublic.of(dispute)


@router.get("/disputes", response_model=DisputesPublic, summary="Disputes: open ones, or your own")
def list_disputes(platform: PlatformDep, actor: ActorDep) -> DisputesPublic:
    """Platform admins: every open dispute; anyone else: the disputes of their contracts."""
    found = disputes.list_disputes(platform.uow(), actor=actor)
    return DisputesPublic(items=[DisputePublic.of(d) for d in found])


@router.post(
    "/disputes/{dispute_id}/resolve",
    response_model=ResolutionPublic,
    summary="Resolve a dispute (platform admins)",
)
def resolve_dispute(
    dispute_id: RowId, body: ResolveBody, platform: PlatformDep, actor: ActorDep
) -> ResolutionPublic:
    """``professional_share`` goes to the professional (less the fee), the rest of escrow back to the
    client; ``outcome`` says whether the contract resumes, completes or is cancelled."""
    done = disputes.resolve_dispute(
        platform.uow(),
        actor=actor,
        dispute_id=dispute_id,
        professional_share=body.professional_share.to_money(),
        resolution=body.resolution,
        outcome=body.outcome,
        now=platform.clock(),
    )
    return ResolutionPublic.of(done)


@router.post(
    "/contracts/{contract_id}/reviews",
    response_model=ReviewPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Review the other party of an ended contract",
)
def review(contract_id: RowId, body: ReviewBody, platform: PlatformDep, actor: ActorDep) -> ReviewPublic:
    """Once per party, after the contract is completed or cancelled; a rating of 1 to 5."""
    done = reviews.review(
        platform.uow(),
        actor=actor,
        contract_id=contract_id,
        rating=body.rating,
        text=body.text,
        now=platform.clock(),
    )
    return ReviewPublic.of(done)


@router.get("/users/{user_id}/reviews", response_model=ReviewsPublic, summary="Reviews about a person")
def reviews_about(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> ReviewsPublic:
    """Newest first; 404 to whoever may not read the person's profile."""
    found = reviews.reviews_of(platform.uow(), actor=actor, user_id=user_id)
    return ReviewsPublic(items=[ReviewPublic.of(r) for r in found])


@router.get(
    "/users/{user_id}/reputation", response_model=ReputationPublic, summary="A professional's reputation"
)
def reputation(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> ReputationPublic:
    """A score from 0 to 100 weighing recent and larger work more, with the lines that explain it;
    404 to whoever may not read the person's profile."""
    found = reviews.reputation_of(platform.uow(), actor=actor, user_id=user_id, today=platform.clock().date())
    return ReputationPublic.of(user_id, found)


@router.get("/users/{user_id}/balances", response_model=BalancesPublic, summary="A person's ledger balances")
def balances(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> BalancesPublic:
    """What the person earned (net of fees) and paid in, per currency; the person and platform admins."""
    return BalancesPublic.of(contracts.account_balances(platform.uow(), actor=actor, user_id=user_id))


@router.get("/ledger/check", response_model=LedgerCheckPublic, summary="Check the ledger (platform admins)")
def ledger_check(platform: PlatformDep, actor: ActorDep) -> LedgerCheckPublic:
    """Every currency's postings sum to zero and no escrow is below zero."""
    return LedgerCheckPublic.of(contracts.ledger_check(platform.uow(), actor=actor))


@router.post(
    "/ledger/transactions/{transaction_id}/reverse",
    response_model=TransactionPublic,
    status_code=201,
    summary="Undo a transaction with a reversing correction (platform admins)",
)
def reverse_transaction(
    transaction_id: RowId, body: ReversalBody, platform: PlatformDep, actor: ActorDep
) -> TransactionPublic:
    """Nothing in the ledger is edited: the correction posts the same amounts negated and points at the
    original; refused when the money has moved on (an escrow or payable balance would go below zero)."""
    stored = ledger_corrections.reverse_transaction(
        platform.uow(), actor=actor, transaction_id=transaction_id, memo=body.memo, now=platform.clock()
    )
    return TransactionPublic.of(stored)
