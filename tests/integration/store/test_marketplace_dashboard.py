"""The professional's dashboard and its settings, on SQLite and PostgreSQL, from data in the store."""

from __future__ import annotations

from datetime import date

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.marketplace.contracts import MilestoneState
from microcareer.domain.marketplace.ledger import fund, release, reversal
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.records import WorkSettings
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import work_dashboard
from microcareer.services.work_dashboard import Dashboard
from tests.integration.dashboard_data import World, at, build_world

TODAY = date(2026, 11, 23)  # a Monday
DEFAULT_THRESHOLD = 45.0


@pytest.fixture
def world(platform: Platform) -> World:
    return build_world(platform, TODAY)


def _me(world: World) -> Actor:
    return Actor(user_id=world.pro, roles=frozenset({Role.PROFESSIONAL}))


def _dashboard(platform: Platform, world: World, actor: Actor | None = None) -> Dashboard:
    return work_dashboard.dashboard(
        platform.uow(),
        actor=actor or _me(world),
        user_id=world.pro,
        today=TODAY,
        default_threshold=DEFAULT_THRESHOLD,
    )


def _save(platform: Platform, world: World, **fields: object) -> WorkSettings:
    settings = WorkSettings(world.pro, **fields)  # type: ignore[arg-type]
    return work_dashboard.save_settings(
        platform.uow(), actor=_me(world), user_id=world.pro, settings=settings, now=at(TODAY)
    )


def test_income_by_month_comes_from_ledger_releases_net_of_fees(platform: Platform, world: World) -> None:
    board = _dashboard(platform, world)
    eur, usd = board.income
    assert (eur.currency, usd.currency) == ("EUR", "USD")  # the settings' currency first
    assert (eur.months[0].label, eur.months[-1].label) == ("2025-12", "2026-11")
    by_month = {m.label: m.amount_minor for m in eur.months}
    assert by_month["2026-09"] == 90000  # EUR 1000.00 released less the 10% fee
    assert by_month["2026-11"] == 20000  # internal hourly work: no fee
    assert sum(by_month.values()) == eur.total_minor == 110000
    assert {m.label: m.amount_minor for m in usd.months}["2026-10"] == 5000
    assert usd.total_minor == 5000


def test_a_correction_nets_out_of_the_month(platform: Platform, world: World) -> None:
    with platform.uow() as uow:
        tx = release(world.hourly_contract, world.pro, Money(3000, "EUR"), 0)
        uow.marketplace.add_transaction(
            fund(world.client, world.hourly_contract, Money(3000, "EUR")), created_by=None, at=at(TODAY)
        )
        tx_id = uow.marketplace.add_transaction(tx, created_by=None, at=at(TODAY))
        uow.commit()
    assert _dashboard(platform, world).income[0].months[-1].amount_minor == 23000
    with platform.uow() as uow:
        uow.marketplace.add_transaction(reversal(tx_id, tx), created_by=None, at=at(TODAY))
        uow.commit()
    assert _dashboard(platform, world).income[0].months[-1].amount_minor == 20000


def test_volatility_reads_the_swings(platform: Platform, world: World) -> None:
    assert _dashboard(platform, world).income[0].volatility.level == "volatile"  # two months out of twelve
    with platform.uow() as uow:  # a steady month-by-month income in CHF: a series of its own
        for months_back in range(12):
            index = TODAY.year * 12 + TODAY.month - 1 - months_back
            day = date(index // 12, index % 12 + 1, 5)
            amount = Money(100000 + 1000 * (months_back % 3), "CHF")
            uow.marketplace.add_transaction(
                fund(world.client, world.hourly_contract, amount), created_by=None, at=at(day)
            )
            uow.marketplace.add_transaction(
                release(world.hourly_contract, world.pro, amount, 0), created_by=None, at=at(day)
            )
        uow.commit()
    chf = next(s for s in _dashboard(platform, world).income if s.currency == "CHF")
    assert chf.volatility.level == "steady"
    assert chf.volatility.months == 12
    assert chf.volatility.zero_months == 0


def test_runway_counts_cash_and_escrow_due_within_90_days(platform: Platform, world: World) -> None:
    assert _dashboard(platform, world).runway.months is None  # no spending: it never runs out
    _save(platform, world, cash=300000, monthly_spending=150000, currency="eur")
    board = _dashboard(platform, world)
    assert board.expected_minor_next_90_days == 45000  # "Build" EUR 500.00 in escrow, less the fee
    assert board.runway.months == 2.3
    assert board.runway.cash_months == 2.0
    _save(platform, world, cash=300000, monthly_spending=150000, currency="USD")
    board = _dashboard(platform, world)
    assert board.expected_minor_next_90_days == 0  # only escrow in the settings' currency counts
    assert [s.currency for s in board.income] == ["USD", "EUR"]


def test_weekly_hours_add_planned_work_and_warn_past_the_threshold(platform: Platform, world: World) -> None:
    board = _dashboard(platform, world)
    assert [w.position for w in board.weeks] == [-3, -2, -1, 0, 1]
    last, this, following = board.weeks[-3:]
    assert (last.logged_hours, last.planned_hours) == (7.5, 0)
    assert (this.logged_hours, this.planned_hours, this.total_hours) == (6, 10, 16)
    assert (following.logged_hours, following.planned_hours) == (0, 8)
    assert not board.settings_saved
    assert board.threshold_hours == DEFAULT_THRESHOLD
    assert board.workload_warning is None
    _save(platform, world, workload_threshold_hours=12)
    board = _dashboard(platform, world)
    assert board.settings_saved
    assert board.threshold_hours == 12
    assert board.workload_warning is not None
    assert "this week 16 h, 4 h over" in board.workload_warning
    assert "next week" not in board.workload_warning


def test_upcoming_milestones_flag_the_overdue_ones(platform: Platform, world: World) -> None:
    board = _dashboard(platform, world)
    shown = [(d.milestone.title, d.days_left, d.overdue) for d in board.upcoming]
    assert shown == [("Build", -3, True), ("Launch", 10, False)]  # "Design" is approved: done
    assert board.upcoming[0].when == "overdue by 3 days"
    assert (board.active_contracts, board.open_applications) == (2, 2)


def test_only_the_person_and_admins_see_the_dashboard(platform: Platform, world: World) -> None:
    other = Actor(user_id=world.other, roles=frozenset({Role.PROFESSIONAL}))
    with pytest.raises(NotFound):
        _dashboard(platform, world, other)
    with pytest.raises(NotFound):
        work_dashboard.get_settings(platform.uow(), actor=other, user_id=world.pro)
    with pytest.raises(NotFound):
        work_dashboard.save_settings(
            platform.uow(), actor=other, user_id=world.pro, settings=WorkSettings(world.pro), now=at(TODAY)
        )
    with pytest.raises(NotAuthenticated):
        _dashboard(platform, world, Actor.anonymous())
    root = Actor(user_id=world.root, roles=frozenset({Role.PLATFORM_ADMIN}))
    assert _dashboard(platform, world, root).user_id == world.pro
    with pytest.raises(NotFound):  # an admin asking for someone who does not exist
        work_dashboard.dashboard(
            platform.uow(), actor=root, user_id=999_999, today=TODAY, default_threshold=DEFAULT_THRESHOLD
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"workload_threshold_hours": 0.5}, "workload_threshold_hours"),
        ({"workload_threshold_hours": 169}, "workload_threshold_hours"),
        ({"contracted_hours_per_week": 0}, "contracted_hours_per_week"),
        ({"contracted_hours_per_week": 81}, "contracted_hours_per_week"),
        ({"monthly_spending": -1}, "monthly_spending"),
        ({"cash": -500}, "cash"),
        ({"currency": "XYZ"}, "currency"),
    ],
)
def test_settings_are_checked_field_by_field(
    platform: Platform, world: World, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _save(platform, world, **fields)
    assert caught.value.extra["field"] == field
    assert field in caught.value.detail


def test_the_manager_is_another_existing_user(platform: Platform, world: World) -> None:
    for manager in (world.pro, 999_999):
        with pytest.raises(InvalidInput) as caught:
            _save(platform, world, manager_user_id=manager)
        assert caught.value.extra["field"] == "manager_user_id"
    with pytest.raises(PermissionDenied, match="only an admin"):  # a manager approves gigs: not self-chosen
        _save(platform, world, manager_user_id=world.client)
    saved = _save(platform, world, currency=" usd ", cash=1)
    assert saved.currency == "USD"
    read = work_dashboard.get_settings(platform.uow(), actor=_me(world), user_id=world.pro)
    assert read == saved
    assert read.manager_user_id is None


def test_an_organisation_admin_names_the_manager(platform: Platform, world: World) -> None:
    now = at(TODAY)
    with platform.uow() as uow:
        org = uow.accounts.add_organisation(slug="acme", name="Acme", created_at=now)
        boss = uow.accounts.add_user(
            email="boss@x.test", display_name="Boss", password_hash="x", roles=[], created_at=now
        )
        for user, role in (
            (boss.id, OrgRole.ADMIN),
            (world.pro, OrgRole.MEMBER),
            (world.client, OrgRole.MEMBER),
        ):
            uow.accounts.set_membership(org.id, user, role, created_at=now)
        uow.commit()
    admin = Actor(user_id=boss.id, memberships={org.id: OrgRole.ADMIN})
    with pytest.raises(PermissionDenied):  # the person cannot name their own manager
        work_dashboard.set_manager(
            platform.uow(), actor=_me(world), user_id=world.pro, manager_user_id=world.client, now=now
        )
    named = work_dashboard.set_manager(
        platform.uow(), actor=admin, user_id=world.pro, manager_user_id=world.client, now=now
    )
    assert named.manager_user_id == world.client
    # the person's own settings keep the manager they were given
    kept = _save(platform, world, manager_user_id=world.client, cash=5)
    assert kept.manager_user_id == world.client


def test_unsaved_settings_show_the_platform_threshold(platform: Platform, world: World) -> None:
    read = work_dashboard.get_settings(
        platform.uow(), actor=_me(world), user_id=world.pro, default_threshold=DEFAULT_THRESHOLD
    )
    assert read.workload_threshold_hours == DEFAULT_THRESHOLD
    assert read == WorkSettings(world.pro, workload_threshold_hours=DEFAULT_THRESHOLD)


def test_planned_hours_stop_when_the_milestones_are_delivered(platform: Platform, world: World) -> None:
    with platform.uow() as uow:
        for stored in uow.marketplace.milestones(world.fixed_contract, "EUR"):
            if stored.milestone.title == "Launch":
                uow.marketplace.set_milestone(stored.id, state=MilestoneState.REFUNDED, at=at(TODAY))
        uow.commit()
    board = _dashboard(platform, world)
    this, following = board.weeks[-2:]
    assert this.planned_hours == 2  # only "Build" is left, overdue: one day's work, today
    assert following.planned_hours == 0
    assert [d.milestone.title for d in board.upcoming] == ["Build"]
