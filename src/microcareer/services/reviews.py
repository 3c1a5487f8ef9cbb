"""Reviews after a contract ends, and the professional's reputation built from how contracts ended.

Each party reviews the other once, after the contract is completed or cancelled. The client's rating
goes onto the professional's MICRO_JOB evidence for that contract (the evidence is replaced by one
carrying the rating). Reviews and reputation follow the person's profile visibility: whoever may not
read the profile is told there is no such user (404).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace import ledger
from microcareer.domain.marketplace.contracts import ContractState, check_not_self
from microcareer.domain.marketplace.records import Dispute, Review, StoredContract
from microcareer.domain.marketplace.reputation import ContractOutcome, Outcome, Reputation, reputation
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.errors import Conflict, InvalidInput
from microcareer.services.collusion import contract_signals
from microcareer.services.contracts import evidence_source, locked_contract, require_party
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import require_standing_visible

REVIEW_TEXT_MAX = 2000
ENDED = (ContractState.COMPLETED, ContractState.CANCELLED)


def review(
    uow: UnitOfWork, *, actor: Actor, contract_id: int, rating: int, text: str, now: datetime
) -> Review:
    """A party reviews the other party of an ended contract, once."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput(f"rating: a whole number 1 to 5, not {rating!r}", field="rating")
    text = text.strip()
    if len(text) > REVIEW_TEXT_MAX:
        raise InvalidInput(f"text: at most {REVIEW_TEXT_MAX} characters, not {len(text)}", field="text")
    with uow:
        contract = locked_contract(uow, contract_id)
        party = require_party(actor, contract, doing="review")
        assert actor.user_id is not None
        subject = contract.professional_user_id if party == "client" else contract.client_user_id
        check_not_self(actor.user_id, subject, "review yourself")
        if contract.state not in ENDED:
            raise Conflict(
                f"cannot review yet: contract {contract.id} is {contract.state.value};"
                " reviews come after it is completed or cancelled",
                contract_id=contract.id,
            )
        if any(r.author_user_id == actor.user_id for r in uow.marketplace.reviews_of_contract(contract.id)):
            raise Conflict(f"you have already reviewed contract {contract.id}", contract_id=contract.id)
        stored = uow.marketplace.add_review(
            contract.id, author=actor.user_id, subject=subject, rating=rating, text=text, at=now
        )
        if party == "client":
            _rate_evidence(uow, contract, rating, now)
        uow.commit()
        return stored


def _rate_evidence(uow: UnitOfWork, contract: StoredContract, rating: int, now: datetime) -> None:
    """Replace the contract's MICRO_JOB evidence with the same evidence carrying the client's rating."""
    user_id = contract.professional_user_id
    source = evidence_source(contract.id)
    found = [
        (skill.uri, item)
        for skill in uow.profiles.skills(user_id)
        for item in skill.evidence
        if item.source == source and item.kind is EvidenceKind.MICRO_JOB
    ]
    if not found:
        return
    uow.profiles.remove_evidence_from(user_id, source)
    for uri, item in found:
        rated = replace(item, rating=float(rating))
        uow.profiles.add_evidence(user_id, uri, [rated], at=now)


def reviews_of(uow: UnitOfWork, *, actor: Actor, user_id: int) -> list[Review]:
    """Reviews about a person, newest first, as their profile's visibility allows."""
    with uow:
        require_standing_visible(uow, actor, user_id)
        return uow.marketplace.reviews_about(user_id)


def has_reviewed(uow: UnitOfWork, *, actor: Actor, contract_id: int) -> bool:
    """Whether the actor has reviewed the other party of this contract (a party's own question)."""
    with uow:
        return any(
            r.author_user_id == actor.user_id for r in uow.marketplace.reviews_of_contract(contract_id)
        )


def _outcome(contract: StoredContract, disputes: list[Dispute]) -> Outcome | None:
    reason = contract.end_reason
    if reason == "completed":
        return "completed"
    if reason == "cancelled_by_client":
        return "cancelled_by_client"
    if reason == "cancelled_by_professional":
        return "cancelled_by_professional"
    if reason.startswith("dispute_"):
        resolved = [d for d in disputes if d.state == "resolved"]
        if not resolved:
            return None
        last = max(resolved, key=lambda d: d.id)
        to_professional = last.professional_amount or 0
        to_client = last.client_amount or 0
        if to_professional and to_client:
            return "dispute_split"
        if to_professional:
            return "dispute_won"
        if to_client:
            return "dispute_lost"
        # nothing was in escrow: the ruling's outcome says how it ended
        return "completed" if contract.state is ContractState.COMPLETED else "cancelled_by_client"
    return None


def contract_outcomes(uow: UnitOfWork, user_id: int) -> list[ContractOutcome]:
    """How each ended contract of the professional went, with its value and the client's rating."""
    outcomes: list[ContractOutcome] = []
    for contract in uow.marketplace.contracts_of(user_id, states=list(ENDED)):
        if contract.professional_user_id != user_id or contract.ended_at is None:
            continue
        outcome = _outcome(contract, uow.marketplace.disputes(contract_id=contract.id))
        if outcome is None:
            continue
        account = ledger.professional_account(user_id)
        value = sum(
            p.amount.amount
            for t in uow.marketplace.transactions(contract_id=contract.id)
            for p in t.transaction.postings
            if p.account == account and p.amount.currency == contract.currency
        )
        ratings = [
            r.rating
            for r in uow.marketplace.reviews_of_contract(contract.id)
            if r.author_user_id == contract.client_user_id
        ]
        outcomes.append(
            ContractOutcome(
                contract_id=contract.id,
                ended_on=contract.ended_at.date(),
                value_minor=max(0, value),
                outcome=outcome,
                client_rating=float(ratings[0]) if ratings else None,
                signals=tuple(
                    s.value
                    for s in contract_signals(uow, contract.client_user_id, contract.professional_user_id)
                ),
            )
        )
    return outcomes


def reputation_of(uow: UnitOfWork, *, actor: Actor, user_id: int, today: date) -> Reputation:
    """The professional's reputation on ``today``, with the lines that explain it, as their profile's
    visibility allows."""
    with uow:
        require_standing_visible(uow, actor, user_id)
        outcomes = contract_outcomes(uow, user_id)
    return reputation(outcomes, today)
