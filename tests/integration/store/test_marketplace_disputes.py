"""Disputes, reviews and reputation on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.contracts import ContractState, MilestoneState
from microcareer.domain.marketplace.money import Money
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import contracts, disputes, reviews
from tests.integration.store.marketplace_helpers import M1, M2, NOW, Market, make_market
from tests.integration.taxonomy_helpers import PYTHON

EUR = "EUR"


def _fund_all(platform: Platform, m: Market, *, submit_first: bool = False) -> None:
    for index, mid in enumerate(m.milestone_ids):
        contracts.fund_milestone(
            platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=mid, now=NOW
        )
        if submit_first and index == 0:
            contracts.submit_milestone(
                platform.uow(), actor=m.professional, contract_id=m.fixed_id, milestone_id=mid, now=NOW
            )


def _complete(platform: Platform, m: Market) -> None:
    for mid in m.milestone_ids:
        contracts.fund_milestone(
            platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=mid, now=NOW
        )
        contracts.submit_milestone(
            platform.uow(), actor=m.professional, contract_id=m.fixed_id, milestone_id=mid, now=NOW
        )
        contracts.approve_milestone(
            platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=mid, now=NOW
        )
    contracts.complete_contract(platform.uow(), actor=m.client, contract_id=m.fixed_id, now=NOW)


def test_dispute_freezes_money_then_resolution_splits_escrow(platform: Platform) -> None:
    m = make_market(platform)
    _fund_all(platform, m, submit_first=True)
    with pytest.raises(NotFound):
        disputes.open_dispute(platform.uow(), actor=m.stranger, contract_id=m.fixed_id, reason="hm", now=NOW)
    dispute = disputes.open_dispute(
        platform.uow(), actor=m.professional, contract_id=m.fixed_id, reason="client went quiet", now=NOW
    )
    with pytest.raises(Conflict, match="already has an open dispute"):
        disputes.open_dispute(platform.uow(), actor=m.client, contract_id=m.fixed_id, reason="again", now=NOW)
    with pytest.raises(Conflict, match="disputed, its money is frozen"):
        contracts.approve_milestone(
            platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=m.milestone_ids[0], now=NOW
        )
    with pytest.raises(Conflict, match="frozen"):
        contracts.cancel_contract(platform.uow(), actor=m.client, contract_id=m.fixed_id, reason="x", now=NOW)
    assert [d.id for d in disputes.list_disputes(platform.uow(), actor=m.admin)] == [dispute.id]
    assert [d.id for d in disputes.list_disputes(platform.uow(), actor=m.client)] == [dispute.id]
    assert disputes.list_disputes(platform.uow(), actor=m.stranger) == []

    with pytest.raises(PermissionDenied):
        disputes.resolve_dispute(
            platform.uow(),
            actor=m.client,
            dispute_id=dispute.id,
            professional_share=Money(0, EUR),
            resolution="mine",
            outcome="cancelled",
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="escrow holds"):
        disputes.resolve_dispute(
            platform.uow(),
            actor=m.admin,
            dispute_id=dispute.id,
            professional_share=M1 + M2 + Money(1, EUR),
            resolution="too much",
            outcome="cancelled",
            now=NOW,
        )
    done = disputes.resolve_dispute(
        platform.uow(),
        actor=m.admin,
        dispute_id=dispute.id,
        professional_share=Money(12_000, EUR),
        resolution="the draft was delivered, half of the final",
        outcome="cancelled",
        now=NOW,
    )
    assert done.contract_state is ContractState.CANCELLED
    assert done.released == Money(12_000, EUR)
    assert done.fee == Money(1_200, EUR)
    assert done.refunded == Money(3_000, EUR)
    assert done.approved_milestones == (m.milestone_ids[0],)
    assert done.refunded_milestones == (m.milestone_ids[1],)
    assert done.dispute.state == "resolved"
    assert done.dispute.client_amount == 3_000
    view = contracts.get_contract(platform.uow(), actor=m.client, contract_id=m.fixed_id)
    assert view.escrow == Money(0, EUR)
    assert view.open_dispute is None
    assert [s.state for s in view.milestones] == [MilestoneState.APPROVED, MilestoneState.REFUNDED]
    assert view.contract.end_reason == "dispute_cancelled"
    check = contracts.ledger_check(platform.uow(), actor=m.admin)
    assert check.ok
    assert check.totals == {EUR: 0}
    assert check.fees == {EUR: 1_200}
    assert m.professional.user_id is not None
    earned = contracts.account_balances(platform.uow(), actor=m.admin, user_id=m.professional.user_id).earned
    assert earned == (Money(10_800, EUR),)
    with pytest.raises(Conflict, match="already resolved"):
        disputes.resolve_dispute(
            platform.uow(),
            actor=m.admin,
            dispute_id=dispute.id,
            professional_share=Money(0, EUR),
            resolution="again",
            outcome="cancelled",
            now=NOW,
        )
    assert disputes.list_disputes(platform.uow(), actor=m.admin) == []


def test_resolution_can_resume_the_contract(platform: Platform) -> None:
    m = make_market(platform)
    _fund_all(platform, m)
    dispute = disputes.open_dispute(
        platform.uow(), actor=m.client, contract_id=m.fixed_id, reason="late", now=NOW
    )
    done = disputes.resolve_dispute(
        platform.uow(),
        actor=m.admin,
        dispute_id=dispute.id,
        professional_share=Money(0, EUR),
        resolution="refund and carry on",
        outcome="resume",
        now=NOW,
    )
    assert done.contract_state is ContractState.ACTIVE
    assert done.refunded == M1 + M2
    view = contracts.get_contract(platform.uow(), actor=m.client, contract_id=m.fixed_id)
    assert view.contract.state is ContractState.ACTIVE
    assert view.contract.ended_at is None
    assert contracts.ledger_check(platform.uow(), actor=m.admin).ok


def test_reviews_once_each_after_the_end_and_rating_updates_evidence(taxonomy_platform: Platform) -> None:
    platform = taxonomy_platform
    m = make_market(platform)
    with pytest.raises(Conflict, match="cannot review yet"):
        reviews.review(platform.uow(), actor=m.client, contract_id=m.fixed_id, rating=5, text="", now=NOW)
    _complete(platform, m)
    with pytest.raises(InvalidInput, match="rating"):
        reviews.review(platform.uow(), actor=m.client, contract_id=m.fixed_id, rating=6, text="", now=NOW)
    with pytest.raises(NotFound):
        reviews.review(platform.uow(), actor=m.stranger, contract_id=m.fixed_id, rating=1, text="", now=NOW)
    by_client = reviews.review(
        platform.uow(), actor=m.client, contract_id=m.fixed_id, rating=4, text="Good work", now=NOW
    )
    assert by_client.subject_user_id == m.professional.user_id
    with pytest.raises(Conflict, match="already reviewed"):
        reviews.review(platform.uow(), actor=m.client, contract_id=m.fixed_id, rating=5, text="", now=NOW)
    by_professional = reviews.review(
        platform.uow(), actor=m.professional, contract_id=m.fixed_id, rating=5, text="Clear brief", now=NOW
    )
    assert by_professional.subject_user_id == m.client.user_id
    assert m.professional.user_id is not None
    assert m.client.user_id is not None
    with platform.uow() as uow:
        skills = {s.uri: s for s in uow.profiles.skills(m.professional.user_id)}
    assert [(e.source, e.rating) for e in skills[PYTHON].evidence] == [(f"contract:{m.fixed_id}", 4.0)]
    assert [
        r.rating
        for r in reviews.reviews_of(platform.uow(), actor=Actor.system(), user_id=m.professional.user_id)
    ] == [4]
    assert [
        r.rating for r in reviews.reviews_of(platform.uow(), actor=Actor.system(), user_id=m.client.user_id)
    ] == [5]
    with pytest.raises(NotFound):
        reviews.reviews_of(platform.uow(), actor=Actor.system(), user_id=999_999)


def test_reputation_is_explained(platform: Platform) -> None:
    m = make_market(platform)
    assert m.professional.user_id is not None
    _complete(platform, m)
    reviews.review(platform.uow(), actor=m.client, contract_id=m.fixed_id, rating=5, text="", now=NOW)
    contracts.cancel_contract(
        platform.uow(), actor=m.professional, contract_id=m.hourly_id, reason="no time", now=NOW
    )
    rep = reviews.reputation_of(
        platform.uow(), actor=Actor.system(), user_id=m.professional.user_id, today=NOW.date()
    )
    assert rep.score is None
    assert rep.contracts_counted == 2
    assert any("no score yet" in line for line in rep.explanation)
    assert any("cancelled by the professional" in line for line in rep.explanation)
    assert any("average client rating 5.0/5" in line for line in rep.explanation)
    outcomes = {b.contract_id: b.outcome for b in rep.breakdown}
    assert outcomes == {m.fixed_id: "completed", m.hourly_id: "cancelled_by_professional"}
    assert rep.successful == 1


def test_reputation_counts_disputes(platform: Platform) -> None:
    m = make_market(platform)
    assert m.professional.user_id is not None
    _fund_all(platform, m)
    dispute = disputes.open_dispute(
        platform.uow(), actor=m.client, contract_id=m.fixed_id, reason="bad", now=NOW
    )
    disputes.resolve_dispute(
        platform.uow(),
        actor=m.admin,
        dispute_id=dispute.id,
        professional_share=Money(0, EUR),
        resolution="nothing delivered",
        outcome="cancelled",
        now=NOW,
    )
    rep = reviews.reputation_of(
        platform.uow(), actor=Actor.system(), user_id=m.professional.user_id, today=NOW.date()
    )
    assert [b.outcome for b in rep.breakdown] == ["dispute_lost"]
    assert any(line == "1 dispute lost" for line in rep.explanation)


def test_only_parties_review(platform: Platform) -> None:
    m = make_market(platform)
    contracts.cancel_contract(platform.uow(), actor=m.client, contract_id=m.hourly_id, reason="off", now=NOW)
    with pytest.raises(PermissionDenied, match="parties"):
        reviews.review(platform.uow(), actor=m.admin, contract_id=m.hourly_id, rating=3, text="", now=NOW)
    with pytest.raises(NotAuthenticated):
        reviews.review(
            platform.uow(), actor=Actor.anonymous(), contract_id=m.hourly_id, rating=3, text="", now=NOW
        )
