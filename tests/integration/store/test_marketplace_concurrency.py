"""Racing threads, each with its own unit of work, on SQLite and PostgreSQL: the contract lock lets one
money change through at a time, so escrow never goes below zero and the ledger stays balanced."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from microcareer.bootstrap import Platform
from microcareer.domain.marketplace.contracts import MilestoneState, TimeEntry
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.records import StoreBusy
from microcareer.errors import Conflict
from microcareer.services import contracts
from microcareer.store.repositories.marketplace import LOCK_TIMEOUT_MS, SqlAlchemyMarketplaceRepository
from tests.integration.store.marketplace_helpers import MONDAY, NOW, Market, make_market


def _race(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Run the calls at once, one thread each; what they returned and what they raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            value = call()
        except BaseException as exc:
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(value)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def _assert_ledger_sound(platform: Platform, m: Market) -> contracts.LedgerCheck:
    check = contracts.ledger_check(platform.uow(), actor=m.admin)
    assert check.ok, check.problems
    assert check.negative_escrows == ()
    return check


def test_two_approvals_of_one_milestone(platform: Platform) -> None:
    m = make_market(platform)
    mid = m.milestone_ids[0]
    contracts.fund_milestone(
        platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=mid, now=NOW
    )
    contracts.submit_milestone(
        platform.uow(), actor=m.professional, contract_id=m.fixed_id, milestone_id=mid, now=NOW
    )

    def approve() -> object:
        return contracts.approve_milestone(
            platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=mid, now=NOW
        )

    results, errors = _race([approve, approve, approve])
    assert len(results) == 1, errors
    assert len(errors) == 2, errors
    assert all(isinstance(e, Conflict) for e in errors), errors
    assert all("approved" in str(e) or "busy" in str(e) for e in errors), errors
    statement = contracts.ledger_statement(platform.uow(), actor=m.client, contract_id=m.fixed_id)
    assert statement.escrow == Money(0, "EUR")
    assert statement.released == Money(9_000, "EUR")  # paid once
    _assert_ledger_sound(platform, m)


def test_two_fundings_of_one_milestone(platform: Platform) -> None:
    m = make_market(platform)
    mid = m.milestone_ids[1]

    def fund() -> object:
        return contracts.fund_milestone(
            platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=mid, now=NOW
        )

    results, errors = _race([fund, fund])
    assert len(results) == 1, errors
    assert len(errors) == 1
    assert isinstance(errors[0], Conflict), errors
    statement = contracts.ledger_statement(platform.uow(), actor=m.client, contract_id=m.fixed_id)
    assert statement.escrow == Money(5_000, "EUR")
    _assert_ledger_sound(platform, m)


def test_two_approve_week_calls(platform: Platform) -> None:
    m = make_market(platform)
    for offset in range(3):
        entry = TimeEntry.from_duration(MONDAY + timedelta(days=offset), 100, "", NOW.date())
        contracts.log_time(
            platform.uow(), actor=m.professional, contract_id=m.hourly_id, entry=entry, now=NOW
        )

    def approve_week() -> object:
        return contracts.approve_week(
            platform.uow(), actor=m.client, contract_id=m.hourly_id, iso_year=2026, iso_week=47, now=NOW
        )

    results, errors = _race([approve_week, approve_week])
    assert len(results) == 1, errors
    assert len(errors) == 1
    assert isinstance(errors[0], Conflict)
    statement = contracts.ledger_statement(platform.uow(), actor=m.client, contract_id=m.hourly_id)
    assert statement.released == Money(18_000, "EUR")  # 300 minutes at EUR 40.00, less 10 %, once
    _assert_ledger_sound(platform, m)


def test_concurrent_time_entries_keep_the_weekly_limit(platform: Platform) -> None:
    m = make_market(platform)
    entry = TimeEntry.from_duration(MONDAY, 150, "", NOW.date())  # 2.5 h: four fit in the 10 h limit

    def log() -> object:
        return contracts.log_time(
            platform.uow(), actor=m.professional, contract_id=m.hourly_id, entry=entry, now=NOW
        )

    results, errors = _race([log] * 6)
    assert len(results) == 4, errors
    assert len(errors) == 2
    assert all(isinstance(e, Conflict) for e in errors)
    view = contracts.get_contract(platform.uow(), actor=m.client, contract_id=m.hourly_id)
    assert sum(e.entry.minutes for e in view.time_entries) == 600


def test_mixed_load_leaves_the_ledger_balanced(platform: Platform) -> None:
    m = make_market(platform)
    for mid in m.milestone_ids:
        contracts.fund_milestone(
            platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=mid, now=NOW
        )
        contracts.submit_milestone(
            platform.uow(), actor=m.professional, contract_id=m.fixed_id, milestone_id=mid, now=NOW
        )
    entry = TimeEntry.from_duration(MONDAY, 60, "", NOW.date())
    contracts.log_time(platform.uow(), actor=m.professional, contract_id=m.hourly_id, entry=entry, now=NOW)

    def approve(mid: int) -> Callable[[], object]:
        return lambda: contracts.approve_milestone(
            platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=mid, now=NOW
        )

    def cancel() -> object:
        return contracts.cancel_contract(
            platform.uow(), actor=m.client, contract_id=m.fixed_id, reason="x", now=NOW
        )

    def pay() -> object:
        return contracts.approve_week(
            platform.uow(), actor=m.client, contract_id=m.hourly_id, iso_year=2026, iso_week=47, now=NOW
        )

    calls = [approve(m.milestone_ids[0]), approve(m.milestone_ids[1]), cancel, pay, pay]
    _, errors = _race(calls)
    assert all(isinstance(e, Conflict) for e in errors), errors
    view = contracts.get_contract(platform.uow(), actor=m.client, contract_id=m.fixed_id)
    approved = sum(s.milestone.amount.amount for s in view.milestones if s.state is MilestoneState.APPROVED)
    statement = contracts.ledger_statement(platform.uow(), actor=m.client, contract_id=m.fixed_id)
    assert statement.released.amount + statement.fees.amount == approved
    assert statement.escrow.amount == sum(
        s.milestone.amount.amount for s in view.milestones if s.state is MilestoneState.SUBMITTED
    )
    _assert_ledger_sound(platform, m)


def _funded_after_a_busy_answer(platform: Platform, m: Market, hold: str, *params: object) -> Conflict:
    """Another connection runs ``hold`` (a lock it keeps past the 5 s wait) while the first milestone
    is funded: the 409 that answered, once the milestone is funded after the holder let go."""
    assert platform.engine is not None
    holder = platform.engine.raw_connection()
    try:
        holder.cursor().execute(hold, params)
        with pytest.raises(Conflict, match="busy") as caught:
            contracts.fund_milestone(
                platform.uow(),
                actor=m.client,
                contract_id=m.fixed_id,
                milestone_id=m.milestone_ids[0],
                now=NOW,
            )
    finally:
        holder.rollback()
        holder.close()
    funded = contracts.fund_milestone(
        platform.uow(), actor=m.client, contract_id=m.fixed_id, milestone_id=m.milestone_ids[0], now=NOW
    )
    assert funded.state is MilestoneState.FUNDED
    return caught.value


def test_a_lock_held_too_long_is_busy_not_a_crash(platform: Platform, backend: str) -> None:
    """Another connection holds the contract's lock past the wait (5 s): the service answers 409."""
    m = make_market(platform)
    if backend == "sqlite":
        busy = _funded_after_a_busy_answer(platform, m, "BEGIN IMMEDIATE")
    else:
        busy = _funded_after_a_busy_answer(
            platform, m, "SELECT id FROM contracts WHERE id = %s FOR UPDATE", m.fixed_id
        )
    assert "busy, try again" in str(busy)
    assert isinstance(busy.__cause__, StoreBusy)


def test_the_lock_timeout_lasts_until_the_transaction_ends(platform: Platform, backend: str) -> None:
    """PostgreSQL: the contract's lock sets ``lock_timeout`` for its own transaction only (``SET
    LOCAL``), so the pooled connection's next transaction waits as the server's default says."""
    if backend != "postgresql":
        pytest.skip("SQLite waits by its busy timeout, a setting of the engine")
    m = make_market(platform)
    assert platform.engine is not None
    with platform.engine.connect() as connection:
        default = connection.execute(text("SHOW lock_timeout")).scalar_one()
        connection.rollback()
        with connection.begin():
            SqlAlchemyMarketplaceRepository(Session(bind=connection)).lock_contract(m.fixed_id)
            during = connection.execute(text("SHOW lock_timeout")).scalar_one()
        after = connection.execute(text("SHOW lock_timeout")).scalar_one()
    assert during == f"{LOCK_TIMEOUT_MS // 1000}s"
    assert after == default != during


def test_a_row_held_too_long_after_the_contract_lock_is_busy_not_a_crash(
    platform: Platform, backend: str
) -> None:
    """PostgreSQL: the contract's lock bounds every later lock wait of its transaction too; one that
    runs out (another connection holds the milestone's row past the 5 s) answers 409, not a 500."""
    if backend != "postgresql":
        pytest.skip("SQLite locks the whole database: the contract's lock is the one wait")
    m = make_market(platform)
    _funded_after_a_busy_answer(
        platform, m, "SELECT id FROM milestones WHERE id = %s FOR UPDATE", m.milestone_ids[0]
    )
