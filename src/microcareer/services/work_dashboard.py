"""The professional's dashboard: income by month and its swings, runway, hours per week, milestones.

Only the person (and platform admins, ``Action.WORK_DASHBOARD``) see it or change its settings; anyone
else signed in is told there is no such dashboard (404), a signed-out caller gets 401.

What goes in, for the person as the professional of their contracts:

- **income**: the ledger credits to ``professional:{user_id}`` (what releases paid them, net of the
  platform fee; corrections net out) by calendar month for the last 12 months, one series per currency,
  the settings' currency first; each series with its volatility;
- **runway**: the settings' cash and monthly spending, plus what is expected within 90 days: the escrow
  funded for milestones of the person's *active* contracts in the settings' currency that is not yet
  released (milestones funded, submitted or sent back for changes, due by today + 90 days, overdue ones
  included), less the contract's fee. Other currencies do not count towards runway;
- **hours per week**: the last 4 ISO weeks and the next one. Logged hours are the time entries on every
  contract of the person. Planned hours come from each *active fixed-price* contract that still has
  milestones to deliver (not approved, not refunded): the contract's ``hours_per_week`` from today to
  the latest due date of those milestones (today when they are all overdue), that is
  ``hours_per_week / 5`` for each weekday of that span (one day's worth when the span has no weekday),
  spread evenly over its weekdays. Hourly contracts plan nothing: their hours are what is logged;
- **workload warning**: this or next week past the person's threshold (the saved one, else the
  platform's ``workload_warning_hours``);
- **upcoming milestones**: open milestones of active contracts due within 30 days, overdue ones flagged;
- **counts**: active contracts and open applications (submitted or shortlisted).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.marketplace.applications import ApplicationState
from microcareer.domain.marketplace.contracts import ContractKind, ContractState, MilestoneState
from microcareer.domain.marketplace.dashboard import (
    WORKING_DAYS,
    DueMilestone,
    MonthIncome,
    PlannedWork,
    Runway,
    UpcomingMilestone,
    Volatility,
    WeekLoad,
    monthly_income,
    runway,
    upcoming_milestones,
    volatility,
    weekly_hours,
    workload_warning,
)
from microcareer.domain.marketplace.ledger import professional_account
from microcareer.domain.marketplace.money import MAX_ABS_AMOUNT, Money, currency_code, fee
from microcareer.domain.marketplace.records import StoredContract, StoredMilestone, WorkSettings
from microcareer.errors import InvalidInput, NotFound, PermissionDenied
from microcareer.services.access import Action, Resource, authorize_or_hide
from microcareer.services.ports import UnitOfWork

INCOME_MONTHS = 12
EXPECTED_WITHIN_DAYS = 90
WEEKS_BACK = 4
WEEKS_AHEAD = 1
UPCOMING_DAYS = 30
THRESHOLD_RANGE = (1.0, 168.0)
CONTRACTED_RANGE = (1.0, 80.0)

OPEN_APPLICATION_STATES = frozenset({ApplicationState.SUBMITTED, ApplicationState.SHORTLISTED})
IN_ESCROW_STATES = frozenset(
    {MilestoneState.FUNDED, MilestoneState.SUBMITTED, MilestoneState.CHANGES_REQUESTED}
)
"""Milestones whose money is in escrow, not yet released nor refunded."""
DELIVERED_STATES = frozenset({MilestoneState.APPROVED, MilestoneState.REFUNDED})


@dataclass(frozen=True, slots=True)
class IncomeSeries:
    """Twelve months of income in one currency, oldest first, with how much it swings."""

    currency: str
    months: tuple[MonthIncome, ...]
    total_minor: int
    volatility: Volatility


@dataclass(frozen=True, slots=True)
class Dashboard:
    user_id: int
    today: date
    settings: WorkSettings
    settings_saved: bool
    """False: the person never saved settings; the threshold is the platform's default."""
    threshold_hours: float
    income: tuple[IncomeSeries, ...]
    """One series per currency with credits, the settings' currency always there and first."""
    runway: Runway
    expected_minor_next_90_days: int
    """In the settings' currency, net of fees."""
    weeks: tuple[WeekLoad, ...]
    workload_warning: str | None
    upcoming: tuple[DueMilestone, ...]
    active_contracts: int
    open_applications: int


def _check_access(uow: UnitOfWork, actor: Actor, user_id: int) -> None:
    authorize_or_hide(actor, Action.WORK_DASHBOARD, Resource(owner_user_id=user_id), f"dashboard {user_id}")
    if uow.accounts.get_user(user_id) is None:
        raise NotFound(f"no user {user_id}")


def _range(value: float, bounds: tuple[float, float], field: str, what: str) -> None:
    low, high = bounds
    if not low <= value <= high:
        raise InvalidInput(f"{field}: {what} from {low:g} to {high:g}, not {value:g}", field=field)


def _money(value: int, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{field}: a whole number of minor units, not {value!r}", field=field)
    if not 0 <= value <= MAX_ABS_AMOUNT:
        raise InvalidInput(f"{field}: 0 to {MAX_ABS_AMOUNT} minor units, not {value}", field=field)


def check_settings(uow: UnitOfWork, settings: WorkSettings) -> WorkSettings:
    """The settings with their currency code normalised, or ``InvalidInput`` naming the field."""
    _range(settings.workload_threshold_hours, THRESHOLD_RANGE, "workload_threshold_hours", "hours a week")
    _range(settings.contracted_hours_per_week, CONTRACTED_RANGE, "contracted_hours_per_week", "hours a week")
    _money(settings.monthly_spending, "monthly_spending")
    _money(settings.cash, "cash")
    currency = currency_code(settings.currency)
    manager = settings.manager_user_id
    if manager is not None:
        if manager == settings.user_id:
            raise InvalidInput("manager_user_id: you cannot be your own manager", field="manager_user_id")
        if uow.accounts.get_user(manager) is None:
            raise InvalidInput(f"manager_user_id: no user {manager}", field="manager_user_id")
    return WorkSettings(
        user_id=settings.user_id,
        workload_threshold_hours=float(settings.workload_threshold_hours),
        contracted_hours_per_week=float(settings.contracted_hours_per_week),
        monthly_spending=settings.monthly_spending,
        cash=settings.cash,
        currency=currency,
        manager_user_id=manager,
    )


def _settings(uow: UnitOfWork, user_id: int, default_threshold: float | None) -> tuple[WorkSettings, bool]:
    settings = uow.marketplace.work_settings(user_id)
    saved = uow.marketplace.has_work_settings(user_id)
    if not saved and default_threshold is not None:
        settings = WorkSettings(
            user_id=user_id,
            workload_threshold_hours=default_threshold,
            contracted_hours_per_week=settings.contracted_hours_per_week,
            monthly_spending=settings.monthly_spending,
            cash=settings.cash,
            currency=settings.currency,
            manager_user_id=settings.manager_user_id,
        )
    return settings, saved


def get_settings(
    uow: UnitOfWork, *, actor: Actor, user_id: int, default_threshold: float | None = None
) -> WorkSettings:
    """The person's settings; never saved: the defaults, with ``default_threshold`` when given."""
    with uow:
        _check_access(uow, actor, user_id)
        return _settings(uow, user_id, default_threshold)[0]


def _check_may_name_manager(uow: UnitOfWork, actor: Actor, user_id: int, manager: int | None) -> None:
    """A manager approves internal gigs, so the employee cannot pick one: an admin of an organisation
    both belong to (or a platform admin) names them; anyone may clear their own."""
    if manager is None or actor.has_role(Role.PLATFORM_ADMIN):
        return
    shared = set(uow.accounts.memberships_of(user_id)) & set(uow.accounts.memberships_of(manager))
    if not any(actor.org_role(org) is OrgRole.ADMIN for org in shared):
        raise PermissionDenied(
            "manager_user_id: only an admin of an organisation both of you belong to may name a manager"
        )


def set_manager(
    uow: UnitOfWork, *, actor: Actor, user_id: int, manager_user_id: int | None, now: datetime
) -> WorkSettings:
    """Name (or clear) who approves a person's internal gigs: an organisation admin's call, not theirs."""
    with uow:
        if uow.accounts.get_user(user_id) is None:
            raise NotFound(f"no user {user_id}")
        if manager_user_id is not None and uow.accounts.get_user(manager_user_id) is None:
            raise InvalidInput(f"manager_user_id: no user {manager_user_id}", field="manager_user_id")
        if manager_user_id is None and not actor.has_role(Role.PLATFORM_ADMIN):
            orgs = set(uow.accounts.memberships_of(user_id))
            if not any(actor.org_role(org) is OrgRole.ADMIN for org in orgs):
                raise PermissionDenied("only an admin of the person's organisation may change their manager")
        _check_may_name_manager(uow, actor, user_id, manager_user_id)
        current = uow.marketplace.work_settings(user_id)
        updated = check_settings(uow, replace(current, manager_user_id=manager_user_id))
        uow.marketplace.save_work_settings(updated, at=now)
        uow.commit()
    return updated


def save_settings(
    uow: UnitOfWork, *, actor: Actor, user_id: int, settings: WorkSettings, now: datetime
) -> WorkSettings:
    """Replace the person's settings (``settings.user_id`` is ignored: ``user_id`` is whose they are)."""
    with uow:
        _check_access(uow, actor, user_id)
        current = uow.marketplace.work_settings(user_id)
        checked = check_settings(
            uow,
            WorkSettings(
                user_id=user_id,
                workload_threshold_hours=settings.workload_threshold_hours,
                contracted_hours_per_week=settings.contracted_hours_per_week,
                monthly_spending=settings.monthly_spending,
                cash=settings.cash,
                currency=settings.currency,
                manager_user_id=settings.manager_user_id,
            ),
        )
        if checked.manager_user_id != current.manager_user_id:
            _check_may_name_manager(uow, actor, user_id, checked.manager_user_id)
        uow.marketplace.save_work_settings(checked, at=now)
        uow.commit()
    return checked


def dashboard(
    uow: UnitOfWork, *, actor: Actor, user_id: int, today: date, default_threshold: float
) -> Dashboard:
    """The person's dashboard on ``today`` (see the module docstring for what each figure reads)."""
    with uow:
        _check_access(uow, actor, user_id)
        settings, saved = _settings(uow, user_id, default_threshold)
        contracts = [c for c in uow.marketplace.contracts_of(user_id) if c.professional_user_id == user_id]
        active = [c for c in contracts if c.state is ContractState.ACTIVE]
        milestones = uow.marketplace.milestones_of_contracts([c.id for c in active])
        first_monday = today - timedelta(days=today.weekday(), weeks=WEEKS_BACK - 1)
        entries = uow.marketplace.time_entries_of_contracts([c.id for c in contracts], start=first_monday)
        credits = uow.marketplace.postings(accounts=[professional_account(user_id)])
        open_applications = sum(
            1 for a in uow.marketplace.applications_by(user_id) if a.state in OPEN_APPLICATION_STATES
        )
    income = _income(
        ((posting.amount.currency, at.date(), posting.amount.amount) for posting, at, _ in credits),
        settings.currency,
        today,
    )
    by_id = {c.id: c for c in active}
    expected = _expected(milestones, by_id, settings.currency, today)
    weeks = weekly_hours(
        ((e.entry.day, e.entry.minutes) for e in entries),
        _planned(active, milestones, today),
        today,
        WEEKS_BACK,
        ahead=WEEKS_AHEAD,
    )
    threshold = settings.workload_threshold_hours
    upcoming = upcoming_milestones(
        (
            UpcomingMilestone(
                contract_id=m.contract_id,
                title=m.milestone.title,
                due=m.milestone.due,
                amount_minor=m.milestone.amount.amount,
                currency=m.milestone.amount.currency,
                state=m.state.value,
            )
            for m in milestones
        ),
        today,
        UPCOMING_DAYS,
    )
    return Dashboard(
        user_id=user_id,
        today=today,
        settings=settings,
        settings_saved=saved,
        threshold_hours=threshold,
        income=income,
        runway=runway(settings.cash, settings.monthly_spending, expected),
        expected_minor_next_90_days=expected,
        weeks=tuple(weeks),
        workload_warning=workload_warning(weeks, threshold),
        upcoming=tuple(upcoming),
        active_contracts=len(active),
        open_applications=open_applications,
    )


def _income(
    credits: Iterable[tuple[str, date, int]], main_currency: str, today: date
) -> tuple[IncomeSeries, ...]:
    by_currency: dict[str, list[tuple[date, int]]] = defaultdict(list)
    by_currency[main_currency] = []
    for currency, day, amount in credits:
        by_currency[currency].append((day, amount))
    series = []
    for currency in sorted(by_currency, key=lambda c: (c != main_currency, c)):
        months = monthly_income(by_currency[currency], INCOME_MONTHS, today)
        amounts = [m.amount_minor for m in months]
        if currency != main_currency and not any(amounts):
            continue
        series.append(
            IncomeSeries(
                currency=currency,
                months=tuple(months),
                total_minor=sum(amounts),
                volatility=volatility(amounts),
            )
        )
    return tuple(series)


def _expected(
    milestones: list[StoredMilestone], contracts: dict[int, StoredContract], currency: str, today: date
) -> int:
    horizon = today + timedelta(days=EXPECTED_WITHIN_DAYS)
    total = 0
    for m in milestones:
        amount = m.milestone.amount
        if m.state in IN_ESCROW_STATES and amount.currency == currency and m.milestone.due <= horizon:
            contract = contracts[m.contract_id]
            total += (amount - fee(amount, contract.fee_bp)).amount
    return total


def _planned(
    contracts: list[StoredContract], milestones: list[StoredMilestone], today: date
) -> list[PlannedWork]:
    last_due: dict[int, date] = {}
    for m in milestones:
        if m.state not in DELIVERED_STATES:
            last_due[m.contract_id] = max(m.milestone.due, last_due.get(m.contract_id, m.milestone.due))
    planned = []
    for contract in contracts:
        due = last_due.get(contract.id)
        if contract.kind is not ContractKind.FIXED or due is None or contract.hours_per_week <= 0:
            continue
        end = max(today, due)
        days = [today + timedelta(days=i) for i in range((end - today).days + 1)]
        weekdays = sum(1 for day in days if day.weekday() < WORKING_DAYS) or 1
        planned.append(PlannedWork(today, end, contract.hours_per_week * weekdays / WORKING_DAYS))
    return planned


def format_money(amount_minor: int, currency: str) -> str:
    """``EUR 12.50`` from minor units."""
    return Money(amount_minor, currency).format()
