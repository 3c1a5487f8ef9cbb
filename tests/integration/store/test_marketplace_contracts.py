"""Contract services on SQLite and PostgreSQL: milestones, hourly time, completing, cancelling, the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.contracts import ContractState, MilestoneState, TimeEntry
from microcareer.domain.marketplace.jobs import JobState
from microcareer.domain.marketplace.ledger import TxKind
from microcareer.domain.marketplace.money import Money
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import contracts
from tests.integration.store.marketplace_helpers import (
    M1,
    M2,
    MONDAY,
    NOT_IN_TAXONOMY,
    NOW,
    RATE,
    Market,
    make_internal,
    make_market,
)
from tests.integration.taxonomy_helpers import PYTHON

EUR0 = Money.zero("EUR")


@pytest.fixture
def market(platform: Platform) -> Market:
    return make_market(platform)


def _fund(platform: Platform, m: Market, index: int = 0) -> None:
    contracts.fund_milestone(
        platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=m.milestone_ids[index], now=NOW
    )


def _submit(platform: Platform, m: Market, index: int = 0) -> None:
    contracts.submit_milestone(
        platform.uow(),
        actor=m.professional,
        contract_id=m.fixed_id,
        milestone_id=m.milestone_ids[index],
        note="done",
        now=NOW,
    )


def _approve(platform: Platform, m: Market, index: int = 0) -> None:
    contracts.approve_milestone(
        platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=m.milestone_ids[index], now=NOW
    )


def _balances(platform: Platform, m: Market) -> tuple[contracts.AccountBalances, contracts.AccountBalances]:
    assert m.client.user_id is not None
    assert m.professional.user_id is not None
    return (
        contracts.account_balances(platform.uow(), actor=m.admin, user_id=m.client.user_id),
        contracts.account_balances(platform.uow(), actor=m.admin, user_id=m.professional.user_id),
    )


def _check_ledger(platform: Platform, m: Market) -> contracts.LedgerCheck:
    check = contracts.ledger_check(platform.uow(), actor=m.admin)
    assert check.ok, check.problems
    assert all(total == 0 for total in check.totals.values())
    return check


def test_fund_submit_approve_moves_money(platform: Platform, market: Market) -> None:
    _fund(platform, market)
    statement = contracts.ledger_statement(platform.uow(), actor=market.client, contract_id=market.fixed_id)
    assert statement.escrow == M1
    assert statement.funded == M1
    _submit(platform, market)
    _approve(platform, market)
    view = contracts.get_contract(platform.uow(), actor=market.professional, contract_id=market.fixed_id)
    assert view.role == "professional"
    assert [m.state for m in view.milestones] == [MilestoneState.APPROVED, MilestoneState.PENDING]
    assert view.milestones[0].milestone.progress == 100
    assert view.escrow == EUR0
    statement = contracts.ledger_statement(
        platform.uow(), actor=market.professional, contract_id=market.fixed_id
    )
    assert [t.transaction.kind for t in statement.transactions] == [TxKind.FUND, TxKind.RELEASE]
    assert statement.released == Money(9_000, "EUR")  # EUR 100 less the 10 % fee
    assert statement.fees == Money(1_000, "EUR")
    client, professional = _balances(platform, market)
    assert client.paid_in == (Money(-10_000, "EUR"),)
    assert professional.earned == (Money(9_000, "EUR"),)
    check = _check_ledger(platform, market)
    assert check.fees == {"EUR": 1_000}
    assert check.escrow_held == {"EUR": 0}


def test_wrong_party_is_refused(platform: Platform, market: Market) -> None:
    mid = market.milestone_ids[0]
    with pytest.raises(PermissionDenied, match="fund your own work"):
        contracts.fund_milestone(
            platform.uow(), actor=market.professional, contract_id=market.fixed_id, milestone_id=mid, now=NOW
        )
    _fund(platform, market)
    with pytest.raises(PermissionDenied, match="submit work as the client"):
        contracts.submit_milestone(
            platform.uow(), actor=market.client, contract_id=market.fixed_id, milestone_id=mid, now=NOW
        )
    _submit(platform, market)
    with pytest.raises(PermissionDenied, match="approve your own work"):
        contracts.approve_milestone(
            platform.uow(), actor=market.professional, contract_id=market.fixed_id, milestone_id=mid, now=NOW
        )
    with pytest.raises(NotFound):
        contracts.approve_milestone(
            platform.uow(), actor=market.stranger, contract_id=market.fixed_id, milestone_id=mid, now=NOW
        )
    with pytest.raises(PermissionDenied, match="parties"):
        contracts.approve_milestone(
            platform.uow(), actor=market.admin, contract_id=market.fixed_id, milestone_id=mid, now=NOW
        )
    statement = contracts.ledger_statement(platform.uow(), actor=market.admin, contract_id=market.fixed_id)
    assert statement.escrow == M1  # nothing was released


def test_approve_without_funding_is_refused(platform: Platform, market: Market) -> None:
    with pytest.raises(Conflict, match="pending"):
        _approve(platform, market)
    with pytest.raises(Conflict, match="pending"):
        _submit(platform, market)
    _fund(platform, market)
    with pytest.raises(Conflict, match="funded"):  # funded but not submitted
        _approve(platform, market)
    assert (
        contracts.ledger_statement(platform.uow(), actor=market.client, contract_id=market.fixed_id).released
        == EUR0
    )


def test_request_changes_and_progress(platform: Platform, market: Market) -> None:
    mid = market.milestone_ids[0]
    contracts.report_progress(
        platform.uow(),
        actor=market.professional,
        contract_id=market.fixed_id,
        milestone_id=mid,
        progress=40,
        now=NOW,
    )
    _fund(platform, market)
    _submit(platform, market)
    back = contracts.request_changes(
        platform.uow(),
        actor=market.client,
        contract_id=market.fixed_id,
        milestone_id=mid,
        note="more tests",
        now=NOW,
    )
    assert back.state is MilestoneState.CHANGES_REQUESTED
    assert back.note == "more tests"
    with pytest.raises(InvalidInput, match="note"):
        contracts.request_changes(
            platform.uow(),
            actor=market.client,
            contract_id=market.fixed_id,
            milestone_id=mid,
            note=" ",
            now=NOW,
        )
    with pytest.raises(PermissionDenied, match="professional"):
        contracts.report_progress(
            platform.uow(),
            actor=market.client,
            contract_id=market.fixed_id,
            milestone_id=mid,
            progress=50,
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="progress"):
        contracts.report_progress(
            platform.uow(),
            actor=market.professional,
            contract_id=market.fixed_id,
            milestone_id=mid,
            progress=101,
            now=NOW,
        )
    _submit(platform, market)
    _approve(platform, market)
    with pytest.raises(Conflict, match="final"):
        contracts.report_progress(
            platform.uow(),
            actor=market.professional,
            contract_id=market.fixed_id,
            milestone_id=mid,
            progress=10,
            now=NOW,
        )


def test_milestone_of_another_contract_is_not_found(platform: Platform, market: Market) -> None:
    with pytest.raises(NotFound, match="milestone"):
        contracts.fund_milestone(
            platform.uow(),
            actor=market.client,
            contract_id=market.hourly_id,
            milestone_id=market.milestone_ids[0],
            now=NOW,
        )


def test_weekly_limit_shows_hours(platform: Platform, market: Market) -> None:
    entry = TimeEntry.from_duration(MONDAY, 9 * 60, "build", NOW.date())
    contracts.log_time(
        platform.uow(), actor=market.professional, contract_id=market.hourly_id, entry=entry, now=NOW
    )
    more = TimeEntry.from_duration(MONDAY + timedelta(days=1), 90, "tests", NOW.date())
    with pytest.raises(Conflict, match=r"9 h used \+ 1\.5 h new = 10\.5 h, over the limit of 10 h"):
        contracts.log_time(
            platform.uow(), actor=market.professional, contract_id=market.hourly_id, entry=more, now=NOW
        )
    next_week = TimeEntry.from_duration(MONDAY - timedelta(days=1), 90, "sunday before", NOW.date())
    contracts.log_time(
        platform.uow(), actor=market.professional, contract_id=market.hourly_id, entry=next_week, now=NOW
    )
    with pytest.raises(PermissionDenied, match="professional"):
        contracts.log_time(
            platform.uow(), actor=market.client, contract_id=market.hourly_id, entry=entry, now=NOW
        )
    with pytest.raises(Conflict, match="milestones"):
        contracts.log_time(
            platform.uow(), actor=market.professional, contract_id=market.fixed_id, entry=entry, now=NOW
        )


def test_approve_week_pays_minutes_times_rate(platform: Platform, market: Market) -> None:
    for day, minutes in ((MONDAY, 125), (MONDAY + timedelta(days=1), 61)):
        entry = TimeEntry.from_duration(day, minutes, "", NOW.date())
        contracts.log_time(
            platform.uow(), actor=market.professional, contract_id=market.hourly_id, entry=entry, now=NOW
        )
    earlier = TimeEntry.from_duration(MONDAY - timedelta(days=7), 30, "", NOW.date())
    contracts.log_time(
        platform.uow(), actor=market.professional, contract_id=market.hourly_id, entry=earlier, now=NOW
    )
    with pytest.raises(PermissionDenied, match="client"):
        contracts.approve_week(
            platform.uow(),
            actor=market.professional,
            contract_id=market.hourly_id,
            iso_year=2026,
            iso_week=47,
            now=NOW,
        )
    paid = contracts.approve_week(
        platform.uow(), actor=market.client, contract_id=market.hourly_id, iso_year=2026, iso_week=47, now=NOW
    )
    # 186 minutes at EUR 40.00 an hour = EUR 124.00 exactly
    assert paid.minutes == 186
    assert paid.charge == Money(186 * RATE.amount // 60, "EUR") == Money(12_400, "EUR")
    assert paid.fee == Money(1_240, "EUR")
    assert paid.net == Money(11_160, "EUR")
    assert len(paid.entry_ids) == 2
    with pytest.raises(Conflict, match="nothing to approve"):
        contracts.approve_week(
            platform.uow(),
            actor=market.client,
            contract_id=market.hourly_id,
            iso_year=2026,
            iso_week=47,
            now=NOW,
        )
    statement = contracts.ledger_statement(platform.uow(), actor=market.client, contract_id=market.hourly_id)
    assert [t.transaction.kind for t in statement.transactions] == [TxKind.FUND, TxKind.RELEASE]
    assert statement.escrow == EUR0
    assert statement.released == paid.net
    view = contracts.get_contract(platform.uow(), actor=market.client, contract_id=market.hourly_id)
    assert view.unpaid_minutes == 30  # the week before is still open
    with pytest.raises(InvalidInput, match="ISO week"):
        contracts.approve_week(
            platform.uow(),
            actor=market.client,
            contract_id=market.hourly_id,
            iso_year=2026,
            iso_week=54,
            now=NOW,
        )
    _check_ledger(platform, market)


def test_complete_adds_micro_job_evidence(taxonomy_platform: Platform) -> None:
    platform = taxonomy_platform
    market = make_market(platform)
    with pytest.raises(Conflict, match="'Draft' is pending"):
        contracts.complete_contract(platform.uow(), actor=market.client, contract_id=market.fixed_id, now=NOW)
    for index in (0, 1):
        _fund(platform, market, index)
        _submit(platform, market, index)
        _approve(platform, market, index)
    with pytest.raises(PermissionDenied, match="client"):
        contracts.complete_contract(
            platform.uow(), actor=market.professional, contract_id=market.fixed_id, now=NOW
        )
    done = contracts.complete_contract(
        platform.uow(), actor=market.client, contract_id=market.fixed_id, now=NOW
    )
    assert done.contract.state is ContractState.COMPLETED
    assert done.contract.end_reason == "completed"
    assert done.evidence_skills == (PYTHON,)  # the skill outside the taxonomy gets none
    assert market.professional.user_id is not None
    with platform.uow() as uow:
        skills = {s.uri: s for s in uow.profiles.skills(market.professional.user_id)}
        job = uow.marketplace.get_job(done.contract.job_id)
    assert NOT_IN_TAXONOMY not in skills
    evidence = skills[PYTHON].evidence
    assert [(e.kind, e.source, e.rating) for e in evidence] == [
        (EvidenceKind.MICRO_JOB, f"contract:{market.fixed_id}", None)
    ]
    assert job is not None
    assert job.job.state is JobState.CLOSED
    with pytest.raises(Conflict, match="completed, not active"):
        _fund(platform, market)


def test_complete_hourly_needs_time_paid(platform: Platform, market: Market) -> None:
    entry = TimeEntry.from_duration(MONDAY, 60, "", NOW.date())
    contracts.log_time(
        platform.uow(), actor=market.professional, contract_id=market.hourly_id, entry=entry, now=NOW
    )
    with pytest.raises(Conflict, match="1 h of logged time not approved"):
        contracts.complete_contract(
            platform.uow(), actor=market.client, contract_id=market.hourly_id, now=NOW
        )
    contracts.approve_week(
        platform.uow(), actor=market.client, contract_id=market.hourly_id, iso_year=2026, iso_week=47, now=NOW
    )
    done = contracts.complete_contract(
        platform.uow(), actor=market.client, contract_id=market.hourly_id, now=NOW
    )
    assert done.contract.state is ContractState.COMPLETED


def test_cancel_refunds_escrow(platform: Platform, market: Market) -> None:
    _fund(platform, market, 0)
    _fund(platform, market, 1)
    _submit(platform, market, 1)
    with pytest.raises(Conflict, match="submitted work"):
        contracts.cancel_contract(
            platform.uow(), actor=market.client, contract_id=market.fixed_id, reason="x", now=NOW
        )
    contracts.request_changes(
        platform.uow(),
        actor=market.client,
        contract_id=market.fixed_id,
        milestone_id=market.milestone_ids[1],
        note="no",
        now=NOW,
    )
    with pytest.raises(InvalidInput, match="reason"):
        contracts.cancel_contract(
            platform.uow(), actor=market.client, contract_id=market.fixed_id, reason="", now=NOW
        )
    with pytest.raises(NotFound):
        contracts.cancel_contract(
            platform.uow(), actor=market.stranger, contract_id=market.fixed_id, reason="x", now=NOW
        )
    result = contracts.cancel_contract(
        platform.uow(), actor=market.professional, contract_id=market.fixed_id, reason="moving on", now=NOW
    )
    assert result.refunded == M1 + M2
    assert result.contract.state is ContractState.CANCELLED
    assert result.contract.end_reason == "cancelled_by_professional"
    view = contracts.get_contract(platform.uow(), actor=market.client, contract_id=market.fixed_id)
    assert {m.state for m in view.milestones} == {MilestoneState.REFUNDED}
    assert view.escrow == EUR0
    client, professional = _balances(platform, market)
    assert client.paid_in == (EUR0,)
    assert professional.earned == ()
    with platform.uow() as uow:
        job = uow.marketplace.get_job(result.contract.job_id)
    assert job is not None
    assert job.job.state is JobState.CANCELLED
    _check_ledger(platform, market)


def test_cancel_hourly_leaves_unpaid_time_unpaid(platform: Platform, market: Market) -> None:
    entry = TimeEntry.from_duration(MONDAY, 90, "", NOW.date())
    contracts.log_time(
        platform.uow(), actor=market.professional, contract_id=market.hourly_id, entry=entry, now=NOW
    )
    result = contracts.cancel_contract(
        platform.uow(), actor=market.client, contract_id=market.hourly_id, reason="budget cut", now=NOW
    )
    assert result.unpaid_minutes == 90
    assert result.refunded == EUR0
    assert any("1.5 h" in note and "stays unpaid" in note for note in result.notes)
    assert result.contract.end_reason == "cancelled_by_client"


def test_who_sees_a_contract(platform: Platform, market: Market) -> None:
    for actor in (market.client, market.professional, market.admin, Actor.system()):
        assert contracts.get_contract(platform.uow(), actor=actor, contract_id=market.fixed_id).contract.id
    with pytest.raises(NotFound, match="no contract"):
        contracts.get_contract(platform.uow(), actor=market.stranger, contract_id=market.fixed_id)
    with pytest.raises(NotFound):
        contracts.ledger_statement(platform.uow(), actor=market.stranger, contract_id=market.fixed_id)
    with pytest.raises(NotAuthenticated):
        contracts.get_contract(platform.uow(), actor=Actor.anonymous(), contract_id=market.fixed_id)
    with pytest.raises(NotFound):
        contracts.get_contract(platform.uow(), actor=market.client, contract_id=999_999)
    internal = make_internal(platform, market)
    view = contracts.get_contract(platform.uow(), actor=internal.org_admin, contract_id=internal.contract_id)
    assert view.role is None
    assert view.contract.internal
    with pytest.raises(NotFound):
        contracts.get_contract(
            platform.uow(), actor=internal.other_org_admin, contract_id=internal.contract_id
        )
    with pytest.raises(NotFound):  # an organisation's admins see only its internal contracts
        contracts.get_contract(platform.uow(), actor=internal.org_admin, contract_id=market.fixed_id)
    mine = contracts.my_contracts(platform.uow(), actor=market.professional)
    assert {c.id for c in mine} == {market.fixed_id, market.hourly_id, internal.contract_id}
    assert contracts.my_contracts(platform.uow(), actor=market.stranger) == []


def test_balances_and_ledger_check_are_guarded(platform: Platform, market: Market) -> None:
    assert market.professional.user_id is not None
    with pytest.raises(PermissionDenied):
        contracts.account_balances(platform.uow(), actor=market.client, user_id=market.professional.user_id)
    mine = contracts.account_balances(
        platform.uow(), actor=market.professional, user_id=market.professional.user_id
    )
    assert mine.earned == ()
    assert mine.paid_in == ()
    with pytest.raises(PermissionDenied):
        contracts.ledger_check(platform.uow(), actor=market.client)
