"""Disputes: either party stops an active contract's money; a platform admin splits the escrow.

While a dispute is open the contract is ``disputed`` and nothing is funded, released or refunded.
Resolving it pays ``professional_share`` out of escrow to the professional (less the contract's fee)
and refunds the rest to the client, so the escrow ends empty. The milestones that still held money
are relabelled in order: approved while the share covers the whole milestone, refunded after that
(the admin's ruling stands over the usual milestone steps). The contract then goes on (``resume``),
or ends ``completed`` or ``cancelled``; a completed one gives the professional MICRO_JOB evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace import ledger
from microcareer.domain.marketplace.contracts import ContractState, MilestoneState, transition_contract
from microcareer.domain.marketplace.jobs import JobState
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.money import fee as fee_of
from microcareer.domain.marketplace.records import Dispute
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from microcareer.services.access import Action, authorize
from microcareer.services.contracts import (
    HELD_MILESTONE_STATES,
    REASON_MAX,
    end_job,
    escrow_of,
    grant_micro_job_evidence,
    locked_contract,
    require_party,
)
from microcareer.services.ports import UnitOfWork

Outcome = Literal["completed", "cancelled", "resume"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
_TARGETS = {
    "completed": ContractState.COMPLETED,
    "cancelled": ContractState.CANCELLED,
    "resume": ContractState.ACTIVE,
}


def _text(value: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(f"{field}: required", field=field)
    if len(value) > REASON_MAX:
        raise InvalidInput(f"{field}: at most {REASON_MAX} characters, not {len(value)}", field=field)
    return value


def open_dispute(uow: UnitOfWork, *, actor: Actor, contract_id: int, reason: str, now: datetime) -> Dispute:
    """Either party disputes an active contract; its money stays in escrow until resolved."""
    reason = _text(reason, "reason")
    with uow:
        contract = locked_contract(uow, contract_id)
        require_party(actor, contract, doing="open a dispute")
        assert actor.user_id is not None
        if uow.marketplace.open_dispute(contract.id) is not None:
            raise Conflict(f"contract {contract.id} already has an open dispute", contract_id=contract.id)
        if contract.state is not ContractState.ACTIVE:
            raise Conflict(
                f"cannot dispute contract {contract.id}: it is {contract.state.value}, not active",
                contract_id=contract.id,
            )
        transition_contract(contract.state, ContractState.DISPUTED)
        uow.marketplace.set_contract_state(contract.id, ContractState.DISPUTED, at=now)
        dispute = uow.marketplace.add_dispute(contract.id, raised_by=actor.user_id, reason=reason, at=now)
        uow.commit()
        return dispute


@dataclass(frozen=True, slots=True)
class Resolution:
    dispute: Dispute
    contract_state: ContractState
    released: Money
    """Paid out of escrow towards the professional (the fee included)."""
    fee: Money
    refunded: Money
    approved_milestones: tuple[int, ...]
    refunded_milestones: tuple[int, ...]


def resolve_dispute(
    uow: UnitOfWork,
    *,
    actor: Actor,
    dispute_id: int,
    professional_share: Money,
    resolution: str,
    outcome: Outcome,
    now: datetime,
) -> Resolution:
    """A platform admin splits the escrow and says whether the contract goes on, ends or is cancelled."""
    authorize(actor, Action.DISPUTE_RESOLVE)
    resolution = _text(resolution, "resolution")
    if outcome not in OUTCOMES:
        raise InvalidInput(f"outcome: one of {', '.join(OUTCOMES)}, not {outcome!r}", field="outcome")
    with uow:
        found = uow.marketplace.get_dispute(dispute_id)
        if found is None:
            raise NotFound(f"no dispute {dispute_id}")
        contract = locked_contract(uow, found.contract_id)
        dispute = uow.marketplace.get_dispute(dispute_id)  # again, under the lock
        if dispute is None or dispute.state != "open":
            raise Conflict(f"dispute {dispute_id} is already resolved", dispute_id=dispute_id)
        if professional_share.currency != contract.currency:
            raise InvalidInput(
                f"professional_share: in {contract.currency}, the contract's currency, not"
                f" {professional_share.currency}",
                field="professional_share",
            )
        escrow = escrow_of(uow, contract)
        if professional_share.amount < 0 or professional_share > escrow:
            raise InvalidInput(
                f"professional_share: {professional_share} is not between {Money.zero(contract.currency)}"
                f" and the {escrow} escrow holds",
                field="professional_share",
            )
        target = _TARGETS[outcome]
        transition_contract(contract.state, target)
        rest = escrow - professional_share
        memo = f"dispute {dispute.id}: {resolution}"[: ledger.MEMO_MAX]
        if professional_share.is_positive:
            tx = ledger.release(
                contract.id, contract.professional_user_id, professional_share, contract.fee_bp
            )
            uow.marketplace.add_transaction(
                ledger.Transaction(tx.kind, tx.postings, memo, contract.id),
                created_by=actor.user_id,
                at=now,
            )
        if rest.is_positive:
            tx = ledger.refund(contract.id, contract.client_user_id, rest)
            uow.marketplace.add_transaction(
                ledger.Transaction(tx.kind, tx.postings, memo, contract.id),
                created_by=actor.user_id,
                at=now,
            )
        approved: list[int] = []
        refunded: list[int] = []
        covered = professional_share
        for m in uow.marketplace.milestones(contract.id, contract.currency):
            if m.state not in HELD_MILESTONE_STATES:
                continue
            if m.milestone.amount <= covered:
                covered = covered - m.milestone.amount
                state = MilestoneState.APPROVED
                approved.append(m.id)
            else:
                state = MilestoneState.REFUNDED
                refunded.append(m.id)
            uow.marketplace.set_milestone(m.id, state=state, note=f"dispute {dispute.id} resolved", at=now)
        uow.marketplace.resolve_dispute(
            dispute.id,
            resolution=resolution,
            professional_amount=professional_share.amount,
            client_amount=rest.amount,
            resolved_by=actor.user_id,
            at=now,
        )
        ended = target is not ContractState.ACTIVE
        uow.marketplace.set_contract_state(
            contract.id, target, at=now, ended=ended, reason=f"dispute_{outcome}" if ended else ""
        )
        if target is ContractState.COMPLETED:
            end_job(uow, contract, JobState.CLOSED, now)
            grant_micro_job_evidence(uow, contract, on=now.date(), rating=None, now=now)
        elif target is ContractState.CANCELLED:
            end_job(uow, contract, JobState.CANCELLED, now)
        resolved = uow.marketplace.get_dispute(dispute.id)
        assert resolved is not None
        uow.commit()
    return Resolution(
        dispute=resolved,
        contract_state=target,
        released=professional_share,
        fee=fee_of(professional_share, contract.fee_bp),
        refunded=rest,
        approved_milestones=tuple(approved),
        refunded_milestones=tuple(refunded),
    )


def list_disputes(uow: UnitOfWork, *, actor: Actor) -> list[Dispute]:
    """Platform admins: every open dispute; anyone else: the disputes of their own contracts."""
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to see disputes")
    with uow:
        if actor.has_role(Role.PLATFORM_ADMIN):
            return uow.marketplace.disputes(state="open")
        assert actor.user_id is not None
        found: list[Dispute] = []
        for contract in uow.marketplace.contracts_of(actor.user_id):
            found.extend(uow.marketplace.disputes(contract_id=contract.id))
        return sorted(found, key=lambda d: d.id, reverse=True)
