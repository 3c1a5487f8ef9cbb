"""Contracts: milestones funded, submitted and approved; hourly time logged and paid by the week;
completing and cancelling; the ledger as the parties see it.

Every use case that moves money (or checks something another change could race) starts its unit of
work with ``uow.marketplace.lock_contract``: two approvals of one milestone, or two payments of one
week, are serialised, and the second sees the first's result. A lock not free in time is answered
``Conflict("busy, try again")``.

Who sees a contract: its client and professional, the admins of the organisation of an internal
contract, platform admins; anyone else is told there is no such contract (404). Only the parties act
on it, each in their part: the client funds, approves, requests changes and pays time; the
professional submits, reports progress and logs time. A disputed contract freezes its money until a
platform admin resolves the dispute (``services.disputes``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace import ledger
from microcareer.domain.marketplace.collusion import collusion_factor, collusion_note
from microcareer.domain.marketplace.contracts import (
    NOTE_MAX,
    ContractKind,
    ContractState,
    MilestoneAction,
    MilestoneState,
    TimeEntry,
    apply_milestone_action,
    check_milestone_actor,
    check_weekly_limit,
    check_within_contract,
    hourly_charge,
    transition_contract,
    week_of,
)
from microcareer.domain.marketplace.jobs import JobState, transition
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.money import fee as fee_of
from microcareer.domain.marketplace.records import (
    Dispute,
    StoreBusy,
    StoredContract,
    StoredMilestone,
    StoredTimeEntry,
    StoredTransaction,
)
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.collusion import contract_signals
from microcareer.services.offer_revisions import count_offer_revision
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import record_verified_evidence

Party = Literal["client", "professional"]
REASON_MAX = 2000
MICRO_JOB_PROFICIENCY = 3
"""The level a skill gets when a completed micro-job first puts it on a profile (1-5 scale)."""
FINAL_MILESTONE_STATES = frozenset({MilestoneState.APPROVED, MilestoneState.REFUNDED})
HELD_MILESTONE_STATES = frozenset(
    {MilestoneState.FUNDED, MilestoneState.SUBMITTED, MilestoneState.CHANGES_REQUESTED}
)
"""Milestone states whose amount sits in escrow."""


# shared by contracts, disputes and reviews


def locked_contract(uow: UnitOfWork, contract_id: int) -> StoredContract:
    """Lock and read the contract, first thing in the unit of work; 404 when there is none."""
    try:
        contract = uow.marketplace.lock_contract(contract_id)
    except StoreBusy as exc:
        raise Conflict("busy, try again", contract_id=contract_id) from exc
    if contract is None:
        raise NotFound(f"no contract {contract_id}")
    return contract


def may_see_contract(actor: Actor, contract: StoredContract) -> bool:
    if contract.party(actor.user_id) is not None:
        return True
    organisation = contract.organisation_id if contract.internal else None
    return is_allowed(actor, Action.CONTRACT_OVERSEE, Resource(organisation_id=organisation))


def check_sees_contract(actor: Actor, contract: StoredContract) -> None:
    """401 for the anonymous, 404 for anyone who may not see the contract."""
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to see contracts")
    if not may_see_contract(actor, contract):
        raise NotFound(f"no contract {contract.id}")


def require_party(actor: Actor, contract: StoredContract, *, doing: str, only: Party | None = None) -> Party:
    """The actor's part in the contract, or 404 (cannot see it) / 403 (sees it, is not that party)."""
    check_sees_contract(actor, contract)
    party = _party(contract, actor.user_id)
    if party is None:
        raise PermissionDenied(f"only the contract's parties may {doing}", contract_id=contract.id)
    if only is not None and party != only:
        raise PermissionDenied(f"only the {only} may {doing}", contract_id=contract.id)
    return party


def check_active(contract: StoredContract, doing: str) -> None:
    """``Conflict`` unless the contract is active; a disputed one says its money is frozen."""
    if contract.state is ContractState.DISPUTED:
        raise Conflict(
            f"cannot {doing}: contract {contract.id} is disputed, its money is frozen until a platform"
            " admin resolves the dispute",
            contract_id=contract.id,
        )
    if contract.state is not ContractState.ACTIVE:
        raise Conflict(
            f"cannot {doing}: contract {contract.id} is {contract.state.value}, not active",
            contract_id=contract.id,
        )


def escrow_postings(uow: UnitOfWork, contract_id: int) -> list[ledger.Posting]:
    found = uow.marketplace.postings(accounts=[ledger.escrow_account(contract_id)])
    return [posting for posting, _, _ in found]


def escrow_of(uow: UnitOfWork, contract: StoredContract) -> Money:
    return ledger.escrow_available(escrow_postings(uow, contract.id), contract.id, contract.currency)


def evidence_source(contract_id: int) -> str:
    return f"contract:{contract_id}"


def grant_micro_job_evidence(
    uow: UnitOfWork, contract: StoredContract, *, on: date, rating: float | None, now: datetime
) -> list[str]:
    """MICRO_JOB evidence (source ``contract:{id}``) on each required skill of the job that the
    taxonomy knows; skills not yet on the profile are added at ``MICRO_JOB_PROFICIENCY``. A contract
    whose parties raise a collusion signal (docs/trust.md) gives evidence of reduced weight, saying why."""
    job = uow.marketplace.get_job(contract.job_id)
    uris = list(job.job.required_skills) if job is not None else []
    known = uow.taxonomy.skill_refs(uris) if uris else {}
    granted = [uri for uri in uris if uri in known]
    signals = contract_signals(uow, contract.client_user_id, contract.professional_user_id)
    evidence = Evidence(
        EvidenceKind.MICRO_JOB,
        on,
        source=evidence_source(contract.id),
        rating=rating,
        weight=collusion_factor(signals),
        note=collusion_note(signals),
    )
    record_verified_evidence(
        uow,
        contract.professional_user_id,
        granted,
        evidence,
        level=MICRO_JOB_PROFICIENCY,
        raise_level=False,
        now=now,
    )
    return granted


def end_job(uow: UnitOfWork, contract: StoredContract, target: JobState, now: datetime) -> None:
    """The contract's job goes to ``target`` (closed or cancelled), when it is not there already."""
    job = uow.marketplace.get_job(contract.job_id)
    if job is None or job.job.state is target:
        return
    transition(job.job.state, target)
    uow.marketplace.set_job_state(contract.job_id, target, at=now)


def _check_text(value: str, field: str, limit: int, *, required: bool) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{field}: required", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{field}: at most {limit} characters, not {len(value)}", field=field)
    return value


# reading


@dataclass(frozen=True, slots=True)
class ContractView:
    """A contract with everything its page shows."""

    contract: StoredContract
    job_title: str
    role: Party | None
    """The viewer's part; None for an organisation or platform admin looking on."""
    milestones: tuple[StoredMilestone, ...]
    time_entries: tuple[StoredTimeEntry, ...]
    escrow: Money
    open_dispute: Dispute | None

    @property
    def unpaid_minutes(self) -> int:
        return sum(e.entry.minutes for e in self.time_entries if e.paid_in is None)


def _view(uow: UnitOfWork, actor: Actor, contract: StoredContract) -> ContractView:
    job = uow.marketplace.get_job(contract.job_id)
    return ContractView(
        contract=contract,
        job_title=job.job.title if job is not None else "",
        role=_party(contract, actor.user_id),
        milestones=tuple(uow.marketplace.milestones(contract.id, contract.currency)),
        time_entries=tuple(uow.marketplace.time_entries(contract.id)),
        escrow=escrow_of(uow, contract),
        open_dispute=uow.marketplace.open_dispute(contract.id),
    )


def _party(contract: StoredContract, user_id: int | None) -> Party | None:
    party = contract.party(user_id)
    if party == "client":
        return "client"
    if party == "professional":
        return "professional"
    return None


def get_contract(uow: UnitOfWork, *, actor: Actor, contract_id: int) -> ContractView:
    with uow:
        contract = uow.marketplace.get_contract(contract_id)
        if contract is None:
            raise NotFound(f"no contract {contract_id}")
        check_sees_contract(actor, contract)
        return _view(uow, actor, contract)


def my_contracts(
    uow: UnitOfWork, *, actor: Actor, states: Sequence[ContractState] | None = None
) -> list[StoredContract]:
    """The actor's contracts, as client or professional, newest first."""
    if actor.user_id is None:
        raise NotAuthenticated("sign in to see your contracts")
    with uow:
        return uow.marketplace.contracts_of(actor.user_id, states=states)


# milestones


def _milestone(uow: UnitOfWork, contract: StoredContract, milestone_id: int) -> StoredMilestone:
    milestone = uow.marketplace.get_milestone(milestone_id)
    if milestone is None or milestone.contract_id != contract.id:
        raise NotFound(f"no milestone {milestone_id} in contract {contract.id}")
    return milestone


def _milestone_step(
    uow: UnitOfWork,
    actor: Actor,
    contract_id: int,
    milestone_id: int,
    action: MilestoneAction,
    doing: str,
) -> tuple[StoredContract, StoredMilestone, MilestoneState]:
    contract = locked_contract(uow, contract_id)
    require_party(actor, contract, doing=doing)
    assert actor.user_id is not None  # a party has an id
    check_milestone_actor(action, actor.user_id, contract.client_user_id, contract.professional_user_id)
    check_active(contract, doing)
    milestone = _milestone(uow, contract, milestone_id)
    return contract, milestone, apply_milestone_action(milestone.state, action)


def _reread(uow: UnitOfWork, milestone_id: int) -> StoredMilestone:
    milestone = uow.marketplace.get_milestone(milestone_id)
    assert milestone is not None  # just written
    return milestone


def fund_into_escrow(
    uow: UnitOfWork, contract: StoredContract, milestone: StoredMilestone, *, by: int | None, now: datetime
) -> None:
    """Ledger ``fund``: the milestone's amount from the client into the contract's escrow (inside the
    caller's unit of work; an offer's order funds its one milestone this way when it is placed)."""
    target = apply_milestone_action(milestone.state, MilestoneAction.FUND)
    tx = ledger.fund(contract.client_user_id, contract.id, milestone.milestone.amount, milestone.id)
    uow.marketplace.add_transaction(tx, created_by=by, at=now)
    uow.marketplace.set_milestone(milestone.id, state=target, at=now)


def fund_milestone(
    uow: UnitOfWork, *, actor: Actor, contract_id: int, milestone_id: int, now: datetime
) -> StoredMilestone:
    """The client puts the milestone's amount into escrow (ledger ``fund``)."""
    with uow:
        contract, milestone, _ = _milestone_step(
            uow, actor, contract_id, milestone_id, MilestoneAction.FUND, "fund a milestone"
        )
        fund_into_escrow(uow, contract, milestone, by=actor.user_id, now=now)
        result = _reread(uow, milestone.id)
        uow.commit()
        return result


def submit_milestone(
    uow: UnitOfWork,
    *,
    actor: Actor,
    contract_id: int,
    milestone_id: int,
    progress: int = 100,
    note: str = "",
    now: datetime,
) -> StoredMilestone:
    """The professional says the milestone is done (funded or changes requested before)."""
    _check_progress(progress)
    note = _check_text(note, "note", NOTE_MAX, required=False)
    with uow:
        _, milestone, target = _milestone_step(
            uow, actor, contract_id, milestone_id, MilestoneAction.SUBMIT, "submit a milestone"
        )
        uow.marketplace.set_milestone(milestone.id, state=target, progress=progress, note=note, at=now)
        result = _reread(uow, milestone.id)
        uow.commit()
        return result


def _check_progress(progress: int) -> None:
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise InvalidInput(f"progress: a whole percent 0 to 100, not {progress!r}", field="progress")


def report_progress(
    uow: UnitOfWork, *, actor: Actor, contract_id: int, milestone_id: int, progress: int, now: datetime
) -> StoredMilestone:
    """The professional reports how far a milestone is (any state before approved or refunded)."""
    _check_progress(progress)
    with uow:
        contract = locked_contract(uow, contract_id)
        require_party(actor, contract, doing="report progress", only="professional")
        check_active(contract, "report progress")
        milestone = _milestone(uow, contract, milestone_id)
        if milestone.state in FINAL_MILESTONE_STATES:
            raise Conflict(
                f"milestone {milestone.id} is {milestone.state.value}: its progress is final",
                milestone_id=milestone.id,
            )
        uow.marketplace.set_milestone(milestone.id, progress=progress, at=now)
        result = _reread(uow, milestone.id)
        uow.commit()
        return result


def request_changes(
    uow: UnitOfWork, *, actor: Actor, contract_id: int, milestone_id: int, note: str, now: datetime
) -> StoredMilestone:
    """The client sends submitted work back, saying what to change (an offer's order: within the
    revisions its package includes)."""
    note = _check_text(note, "note", NOTE_MAX, required=True)
    with uow:
        _, milestone, target = _milestone_step(
            uow, actor, contract_id, milestone_id, MilestoneAction.REQUEST_CHANGES, "request changes"
        )
        count_offer_revision(uow, contract_id)
        uow.marketplace.set_milestone(milestone.id, state=target, note=note, at=now)
        result = _reread(uow, milestone.id)
        uow.commit()
        return result


def approve_milestone(
    uow: UnitOfWork, *, actor: Actor, contract_id: int, milestone_id: int, now: datetime
) -> StoredMilestone:
    """The client accepts submitted work: escrow releases the amount, less the contract's fee."""
    with uow:
        contract, milestone, target = _milestone_step(
            uow, actor, contract_id, milestone_id, MilestoneAction.APPROVE, "approve a milestone"
        )
        amount = milestone.milestone.amount
        ledger.check_escrow_covers(escrow_postings(uow, contract.id), contract.id, amount)
        tx = ledger.release(contract.id, contract.professional_user_id, amount, contract.fee_bp, milestone.id)
        uow.marketplace.add_transaction(tx, created_by=actor.user_id, at=now)
        uow.marketplace.set_milestone(milestone.id, state=target, progress=100, at=now)
        result = _reread(uow, milestone.id)
        uow.commit()
        return result


# hourly work


def _check_hourly(contract: StoredContract) -> Money:
    if contract.kind is not ContractKind.HOURLY or contract.hourly_rate is None:
        raise Conflict(
            f"contract {contract.id} is paid by milestones, not by the hour", contract_id=contract.id
        )
    return contract.hourly_rate


def _week_span(iso_year: int, iso_week: int) -> tuple[date, date]:
    try:
        monday = date.fromisocalendar(iso_year, iso_week, 1)
    except ValueError as exc:
        raise InvalidInput(
            f"week: {iso_year}-W{iso_week:02d} is not an ISO week ({exc})", field="week"
        ) from exc
    return monday, monday + timedelta(days=6)


def log_time(
    uow: UnitOfWork, *, actor: Actor, contract_id: int, entry: TimeEntry, now: datetime
) -> StoredTimeEntry:
    """The professional logs time on an hourly contract, within its weekly limit."""
    entry.validate(now.date())
    with uow:
        contract = locked_contract(uow, contract_id)
        require_party(actor, contract, doing="log time", only="professional")
        check_active(contract, "log time")
        _check_hourly(contract)
        ended = contract.ended_at.date() if contract.ended_at is not None else None
        check_within_contract(entry.day, contract.created_at.date(), ended)
        if contract.weekly_limit_hours is not None:
            monday, sunday = _week_span(*week_of(entry.day))
            used = uow.marketplace.minutes_logged(contract.id, start=monday, end=sunday)
            check_weekly_limit(used, entry.minutes, contract.weekly_limit_hours)
        stored = uow.marketplace.add_time_entry(contract.id, entry, at=now)
        uow.commit()
        return stored


@dataclass(frozen=True, slots=True)
class WeekPayment:
    """What approving a week paid: its unpaid minutes at the contract's rate."""

    contract_id: int
    iso_year: int
    iso_week: int
    minutes: int
    charge: Money
    fee: Money
    net: Money
    """What the professional got: the charge less the fee."""
    fund_transaction_id: int
    release_transaction_id: int
    entry_ids: tuple[int, ...]


def approve_week(
    uow: UnitOfWork, *, actor: Actor, contract_id: int, iso_year: int, iso_week: int, now: datetime
) -> WeekPayment:
    """The client pays a week's unpaid time: one ``fund`` and one ``release``, the entries marked paid."""
    monday, sunday = _week_span(iso_year, iso_week)
    with uow:
        contract = locked_contract(uow, contract_id)
        require_party(actor, contract, doing="approve time", only="client")
        check_active(contract, "approve time")
        rate = _check_hourly(contract)
        unpaid = [
            e
            for e in uow.marketplace.time_entries(contract.id, start=monday, end=sunday)
            if e.paid_in is None
        ]
        if not unpaid:
            raise Conflict(
                f"nothing to approve: no unpaid time in {iso_year}-W{iso_week:02d} on contract {contract.id}",
                contract_id=contract.id,
            )
        minutes = sum(e.entry.minutes for e in unpaid)
        charge = hourly_charge(minutes, rate)
        if not charge.is_positive:
            raise Conflict(f"nothing to pay: {minutes} minutes at {rate} an hour round to {charge}")
        fund_id = uow.marketplace.add_transaction(
            ledger.fund(contract.client_user_id, contract.id, charge), created_by=actor.user_id, at=now
        )
        ledger.check_escrow_covers(escrow_postings(uow, contract.id), contract.id, charge)
        release_id = uow.marketplace.add_transaction(
            ledger.release(contract.id, contract.professional_user_id, charge, contract.fee_bp),
            created_by=actor.user_id,
            at=now,
        )
        ids = tuple(e.id for e in unpaid)
        uow.marketplace.mark_paid(ids, release_id)
        uow.commit()
    fee = fee_of(charge, contract.fee_bp)
    return WeekPayment(
        contract.id, iso_year, iso_week, minutes, charge, fee, charge - fee, fund_id, release_id, ids
    )


# ending


def _unpaid_minutes(uow: UnitOfWork, contract: StoredContract) -> int:
    return sum(e.entry.minutes for e in uow.marketplace.time_entries(contract.id) if e.paid_in is None)


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".") + " h"


@dataclass(frozen=True, slots=True)
class Completion:
    contract: StoredContract
    evidence_skills: tuple[str, ...]
    """Skill URIs that got MICRO_JOB evidence on the professional's profile."""


def complete_contract(uow: UnitOfWork, *, actor: Actor, contract_id: int, now: datetime) -> Completion:
    """The client ends the work: every milestone approved or refunded, or no unpaid time left."""
    with uow:
        contract = locked_contract(uow, contract_id)
        require_party(actor, contract, doing="complete the contract", only="client")
        check_active(contract, "complete the contract")
        open_ones = [
            m
            for m in uow.marketplace.milestones(contract.id, contract.currency)
            if m.state not in FINAL_MILESTONE_STATES
        ]
        if open_ones:
            listed = ", ".join(f"{m.milestone.title!r} is {m.state.value}" for m in open_ones)
            raise Conflict(
                f"cannot complete contract {contract.id}: milestones not approved yet: {listed}",
                contract_id=contract.id,
            )
        unpaid = _unpaid_minutes(uow, contract)
        if unpaid:
            raise Conflict(
                f"cannot complete contract {contract.id}: {_hours(unpaid)} of logged time not approved yet",
                contract_id=contract.id,
                unpaid_minutes=unpaid,
            )
        transition_contract(contract.state, ContractState.COMPLETED)
        uow.marketplace.set_contract_state(
            contract.id, ContractState.COMPLETED, at=now, ended=True, reason="completed"
        )
        end_job(uow, contract, JobState.CLOSED, now)
        granted = grant_micro_job_evidence(uow, contract, on=now.date(), rating=None, now=now)
        ended = uow.marketplace.get_contract(contract.id)
        assert ended is not None
        uow.commit()
        return Completion(ended, tuple(granted))


@dataclass(frozen=True, slots=True)
class Cancellation:
    contract: StoredContract
    refunded: Money
    """What went back to the client from escrow."""
    refunded_milestones: tuple[int, ...]
    unpaid_minutes: int
    """Logged time never approved: it stays unpaid."""
    notes: tuple[str, ...]


def cancel_contract(
    uow: UnitOfWork, *, actor: Actor, contract_id: int, reason: str, now: datetime
) -> Cancellation:
    """Either party ends an active contract: funded milestones (and those sent back for changes) are
    refunded to the client; a submitted one must be approved or sent back first."""
    reason = _check_text(reason, "reason", REASON_MAX, required=True)
    with uow:
        contract = locked_contract(uow, contract_id)
        party = require_party(actor, contract, doing="cancel the contract")
        check_active(contract, "cancel the contract")
        milestones = uow.marketplace.milestones(contract.id, contract.currency)
        submitted = [m for m in milestones if m.state is MilestoneState.SUBMITTED]
        if submitted:
            listed = ", ".join(repr(m.milestone.title) for m in submitted)
            raise Conflict(
                f"cannot cancel contract {contract.id}: submitted work waits for the client ({listed});"
                " approve it or request changes first, or open a dispute",
                contract_id=contract.id,
            )
        postings = escrow_postings(uow, contract.id)
        refunded = Money.zero(contract.currency)
        refunded_ids: list[int] = []
        memo = f"refund contract {contract.id}: cancelled by the {party}: {reason}"[: ledger.MEMO_MAX]
        for m in milestones:
            if m.state not in (MilestoneState.FUNDED, MilestoneState.CHANGES_REQUESTED):
                continue
            target = apply_milestone_action(m.state, MilestoneAction.REFUND)
            amount = m.milestone.amount
            ledger.check_escrow_covers(postings, contract.id, amount + refunded)
            tx = ledger.refund(contract.id, contract.client_user_id, amount, m.id)
            tx = ledger.Transaction(tx.kind, tx.postings, memo, tx.contract_id, tx.milestone_id)
            uow.marketplace.add_transaction(tx, created_by=actor.user_id, at=now)
            uow.marketplace.set_milestone(m.id, state=target, at=now)
            refunded = refunded + amount
            refunded_ids.append(m.id)
        unpaid = _unpaid_minutes(uow, contract)
        notes = [f"cancelled by the {party}: {reason}"]
        if refunded.is_positive:
            notes.append(f"{refunded} refunded to the client from escrow")
        if unpaid:
            notes.append(f"{_hours(unpaid)} of logged time was never approved and stays unpaid")
        transition_contract(contract.state, ContractState.CANCELLED)
        uow.marketplace.set_contract_state(
            contract.id, ContractState.CANCELLED, at=now, ended=True, reason=f"cancelled_by_{party}"
        )
        end_job(uow, contract, JobState.CANCELLED, now)
        ended = uow.marketplace.get_contract(contract.id)
        assert ended is not None
        uow.commit()
        return Cancellation(ended, refunded, tuple(refunded_ids), unpaid, tuple(notes))


# the ledger


@dataclass(frozen=True, slots=True)
class LedgerStatement:
    contract_id: int
    transactions: tuple[StoredTransaction, ...]
    escrow: Money
    funded: Money
    released: Money
    """Paid to the professional, fees excluded."""
    fees: Money
    refunded: Money


def ledger_statement(uow: UnitOfWork, *, actor: Actor, contract_id: int) -> LedgerStatement:
    """Every transaction of the contract with its postings, and the totals they add up to."""
    with uow:
        contract = uow.marketplace.get_contract(contract_id)
        if contract is None:
            raise NotFound(f"no contract {contract_id}")
        check_sees_contract(actor, contract)
        transactions = uow.marketplace.transactions(contract_id=contract.id)
    postings = [p for t in transactions for p in t.transaction.postings]
    currency = contract.currency

    def total(account: str, kind: ledger.TxKind | None = None) -> Money:
        chosen = [
            p
            for t in transactions
            if kind is None or t.transaction.kind is kind
            for p in t.transaction.postings
        ]
        return ledger.account_balance(chosen, account, currency)

    escrow = ledger.escrow_account(contract.id)
    return LedgerStatement(
        contract_id=contract.id,
        transactions=tuple(transactions),
        escrow=ledger.account_balance(postings, escrow, currency),
        funded=total(escrow, ledger.TxKind.FUND),
        released=ledger.account_balance(
            postings, ledger.professional_account(contract.professional_user_id), currency
        ),
        fees=ledger.account_balance(postings, ledger.FEES_ACCOUNT, currency),
        refunded=total(ledger.client_account(contract.client_user_id), ledger.TxKind.REFUND),
    )


@dataclass(frozen=True, slots=True)
class AccountBalances:
    user_id: int
    earned: tuple[Money, ...]
    """The professional account per currency: what the person was paid, fees taken off."""
    paid_in: tuple[Money, ...]
    """The client account per currency (negative: what the person paid in and did not get back)."""


def account_balances(uow: UnitOfWork, *, actor: Actor, user_id: int) -> AccountBalances:
    """A person's professional and client accounts (themselves and platform admins)."""
    authorize(actor, Action.WORK_DASHBOARD, Resource(owner_user_id=user_id))
    professional = ledger.professional_account(user_id)
    client = ledger.client_account(user_id)
    with uow:
        found = uow.marketplace.postings(accounts=[professional, client])
    sums = ledger.balances(p for p, _, _ in found)

    def of(account: str) -> tuple[Money, ...]:
        return tuple(Money(v, cur) for (acc, cur), v in sorted(sums.items()) if acc == account)

    return AccountBalances(user_id, of(professional), of(client))


@dataclass(frozen=True, slots=True)
class LedgerCheck:
    totals: dict[str, int]
    """Sum of all postings per currency: zero in a balanced ledger."""
    escrow_held: dict[str, int]
    """What all escrows hold per currency."""
    fees: dict[str, int]
    negative_escrows: tuple[tuple[str, Money], ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def ledger_check(uow: UnitOfWork, *, actor: Actor) -> LedgerCheck:
    """Platform admins: every currency sums to zero and no escrow is below zero."""
    authorize(actor, Action.LEDGER_AUDIT)
    with uow:
        totals = uow.marketplace.ledger_totals()
        escrow = ledger.balances(p for p, _, _ in uow.marketplace.postings(account_prefix="escrow:"))
        fees = ledger.balances(p for p, _, _ in uow.marketplace.postings(accounts=[ledger.FEES_ACCOUNT]))
    held: dict[str, int] = defaultdict(int)
    for (_, currency), value in escrow.items():
        held[currency] += value
    negative = tuple(
        (account, Money(value, currency))
        for (account, currency), value in sorted(escrow.items())
        if value < 0
    )
    problems = [
        f"{currency} postings sum to {Money(total, currency)}, not zero"
        for currency, total in sorted(totals.items())
        if total != 0
    ]
    problems += [f"{account} holds {amount}, below zero" for account, amount in negative]
    return LedgerCheck(
        totals=dict(totals),
        escrow_held=dict(held),
        fees={currency: value for (_, currency), value in fees.items()},
        negative_escrows=negative,
        problems=tuple(problems),
    )
