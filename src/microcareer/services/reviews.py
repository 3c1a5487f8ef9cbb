"""Reviews after a contract ends, and the professional's reputation built from how contracts ended.

Each party reviews the other once, after the contract is completed or cancelled. The client's rating
goes onto the professional's MICRO_JOB evidence for that contract (the evidence is replaced by one
carrying the rating). Reviews and reputation follow the person's profile visibility: whoever may not
read the profile is told there is no such user (404).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace import ledger
from microcareer.domain.marketplace.contracts import ContractState, check_not_self
from microcareer.domain.marketplace.records import Dispute, Review, StoredContract
from microcareer.domain.marketplace.reputation import ContractOutcome, Outcome, Reputation, reputation
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.errors import Conflict, InvalidInput
from microcareer.services.collusion import signals_between
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
    return contract_outcomes_of(uow, [user_id])[user_id]


def contract_outcomes_of(uow: UnitOfWork, user_ids: Sequence[int]) -> dict[int, list[ContractOutcome]]:
    """``contract_outcomes`` of each of ``user_ids`` (newest contract first), read in a handful of
    queries whatever their number: the contracts, then their disputes, transactions, reviews and the
    parties' organisations and devices, each for all of them at once."""
    found: dict[int, list[ContractOutcome]] = {user_id: [] for user_id in user_ids}
    contracts = [
        c
        for c in uow.marketplace.contracts_of_professionals(list(found), states=list(ENDED))
        if c.ended_at is not None
    ]
    if not contracts:
        return found
    ids = [c.id for c in contracts]
    disputes = uow.marketplace.disputes_of_contracts(ids)
    transactions = uow.marketplace.transactions_of_contracts(ids)
    reviews = uow.marketplace.reviews_of_contracts(ids)
    people = sorted({u for c in contracts for u in (c.client_user_id, c.professional_user_id)})
    organisations = {u: set(orgs) for u, orgs in uow.accounts.memberships_of_users(people).items()}
    devices = uow.marketplace.devices_of_users(people)
    for contract in contracts:
        user_id = contract.professional_user_id
        outcome = _outcome(contract, disputes.get(contract.id, []))
        if outcome is None:
            continue
        assert contract.ended_at is not None
        account = ledger.professional_account(user_id)
        value = sum(
            p.amount.amount
            for t in transactions.get(contract.id, [])
            for p in t.transaction.postings
            if p.account == account and p.amount.currency == contract.currency
        )
        ratings = [
            r.rating for r in reviews.get(contract.id, []) if r.author_user_id == contract.client_user_id
        ]
        found[user_id].append(
            ContractOutcome(
                contract_id=contract.id,
                ended_on=contract.ended_at.date(),
                value_minor=max(0, value),
                outcome=outcome,
                client_rating=float(ratings[0]) if ratings else None,
                signals=tuple(
                    s.value
                    for s in signals_between(
                        contract.client_user_id, contract.professional_user_id, organisations, devices
                    )
                ),
            )
        )
    return found


def reputation_of(uow: UnitOfWork, *, actor: Actor, user_id: int, today: date) -> Reputation:
    """The professional's reputation on ``today``, with the lines that explain it, as their profile's
    visibility allows."""
    with uow:
        require_standing_visible(uow, actor, user_id)
        outcomes = contract_outcomes(uow, user_id)
    return reputation(outcomes, today)
