"""A professional's marketplace history, written straight through ``uow.marketplace``, for dashboard tests.

Relative to ``today`` (best a Monday, as the figures below assume), ``build_world`` makes:

- a fixed-price open-market contract (EUR, fee 10%, 10 h a week): "Design" EUR 1000.00 approved and
  released two months ago (EUR 900.00 net to the professional), "Build" EUR 500.00 funded and due
  3 days ago (overdue), "Launch" EUR 300.00 pending and due in 10 days;
- an hourly internal contract (EUR, no fee): EUR 200.00 released this month, 6 h logged today and
  7.5 h on last week's Tuesday;
- a completed USD contract: USD 50.00 released (net) last month;
- two open applications (submitted, shortlisted) and a declined one.

With ``today`` a Monday, the fixed contract plans 10 h a week from today until "Launch" is due (9
weekdays, 2 h each): 10 h this week, 8 h next week; this week totals 16 h.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Role
from microcareer.domain.marketplace.applications import ApplicationState, ApprovalState, Proposal
from microcareer.domain.marketplace.contracts import (
    ContractKind,
    ContractState,
    Milestone,
    MilestoneState,
    TimeEntry,
)
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState, MicroJob
from microcareer.domain.marketplace.ledger import fund, release
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.records import StoredContract
from microcareer.services.ports import UnitOfWork

PRO_EMAIL = "pro@x.test"


@dataclass(frozen=True)
class World:
    pro: int
    client: int
    other: int
    """Signed in, no part in anything."""
    root: int
    """A platform admin."""
    fixed_contract: int
    hourly_contract: int


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _job(uow: UnitOfWork, poster: int, title: str, currency: str, kind: BudgetKind, when: datetime) -> int:
    job = MicroJob(
        title=title,
        brief="A piece of work for the dashboard tests, described at some length.",
        required_skills=("http://data.europa.eu/esco/skill/x",),
        nice_skills=(),
        budget=Budget(kind, Money(10000, currency)),
        expected_hours=10,
        start=None,
        end=None,
        remote=True,
        place="",
        audience=Audience.OPEN,
        organisation_id=None,
        state=JobState.IN_PROGRESS,
    )
    return uow.marketplace.add_job(poster, job, at=when).id


def _contract(
    uow: UnitOfWork,
    *,
    client: int,
    pro: int,
    title: str,
    currency: str,
    kind: ContractKind,
    fee_bp: int,
    hours_per_week: float,
    state: ContractState,
    when: datetime,
) -> StoredContract:
    budget_kind = BudgetKind.FIXED if kind is ContractKind.FIXED else BudgetKind.HOURLY
    job_id = _job(uow, client, title, currency, budget_kind, when)
    proposal = Proposal(Money(5000, currency), 10, "I can do it.", hours_per_week)
    application = uow.marketplace.add_application(
        job_id, pro, proposal, approval=ApprovalState.NOT_NEEDED, at=when
    )
    uow.marketplace.set_application_state(application.id, ApplicationState.ACCEPTED, at=when)
    hourly = kind is ContractKind.HOURLY
    return uow.marketplace.add_contract(
        StoredContract(
            id=0,
            job_id=job_id,
            application_id=application.id,
            client_user_id=client,
            professional_user_id=pro,
            organisation_id=None,
            internal=False,
            kind=kind,
            currency=currency,
            hourly_rate=Money(5000, currency) if hourly else None,
            weekly_limit_hours=40.0 if hourly else None,
            hours_per_week=hours_per_week,
            fee_bp=fee_bp,
            state=state,
            created_at=when,
        )
    )


def _milestone(
    uow: UnitOfWork,
    contract: StoredContract,
    position: int,
    title: str,
    amount: int,
    due: date,
    state: MilestoneState,
    when: datetime,
) -> int:
    money = Money(amount, contract.currency)
    milestone_id = uow.marketplace.add_milestone(contract.id, position, Milestone(title, money, due), at=when)
    if state is not MilestoneState.PENDING:
        uow.marketplace.add_transaction(
            fund(contract.client_user_id, contract.id, money, milestone_id), created_by=None, at=when
        )
        uow.marketplace.set_milestone(milestone_id, state=state, at=when)
    if state is MilestoneState.APPROVED:
        tx = release(contract.id, contract.professional_user_id, money, contract.fee_bp, milestone_id)
        uow.marketplace.add_transaction(tx, created_by=None, at=when)
    return milestone_id


def _month_ago(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 10)


def add_user(uow: UnitOfWork, email: str, name: str, roles: list[Role], when: datetime) -> int:
    return uow.accounts.add_user(
        email=email, display_name=name, password_hash="x", roles=roles, created_at=when
    ).id


def build_world(platform: Platform, today: date) -> World:
    now = at(today)
    with platform.uow() as uow:
        pro = add_user(uow, PRO_EMAIL, "Pat", [Role.PROFESSIONAL], now)
        client = add_user(uow, "client@x.test", "Cleo", [Role.CLIENT], now)
        other = add_user(uow, "other@x.test", "Olaf", [Role.PROFESSIONAL], now)
        root = add_user(uow, "root@x.test", "Root", [Role.PLATFORM_ADMIN], now)

        started = at(today - timedelta(days=90))
        fixed = _contract(
            uow,
            client=client,
            pro=pro,
            title="Fixed-price website",
            currency="EUR",
            kind=ContractKind.FIXED,
            fee_bp=1000,
            hours_per_week=10,
            state=ContractState.ACTIVE,
            when=started,
        )
        design_day = _month_ago(today, 2)
        _milestone(uow, fixed, 1, "Design", 100000, design_day, MilestoneState.APPROVED, at(design_day))
        _milestone(uow, fixed, 2, "Build", 50000, today - timedelta(days=3), MilestoneState.FUNDED, started)
        _milestone(
            uow, fixed, 3, "Launch", 30000, today + timedelta(days=10), MilestoneState.PENDING, started
        )

        hourly = _contract(
            uow,
            client=client,
            pro=pro,
            title="Hourly data cleaning",
            currency="EUR",
            kind=ContractKind.HOURLY,
            fee_bp=0,
            hours_per_week=20,
            state=ContractState.ACTIVE,
            when=started,
        )
        this_month = date(today.year, today.month, 1)
        uow.marketplace.add_transaction(
            fund(client, hourly.id, Money(20000, "EUR")), created_by=None, at=at(this_month)
        )
        uow.marketplace.add_transaction(
            release(hourly.id, pro, Money(20000, "EUR"), 0), created_by=None, at=at(this_month)
        )
        uow.marketplace.add_time_entry(hourly.id, TimeEntry(today, 360, "today"), at=now)
        last_tuesday = today - timedelta(days=today.weekday() + 6)
        uow.marketplace.add_time_entry(hourly.id, TimeEntry(last_tuesday, 450, "last week"), at=now)

        usd = _contract(
            uow,
            client=client,
            pro=pro,
            title="Dollar translation job",
            currency="USD",
            kind=ContractKind.FIXED,
            fee_bp=0,
            hours_per_week=5,
            state=ContractState.COMPLETED,
            when=started,
        )
        usd_day = _month_ago(today, 1)
        _milestone(uow, usd, 1, "Translate", 5000, usd_day, MilestoneState.APPROVED, at(usd_day))

        for title, state in (
            ("Open job one", ApplicationState.SUBMITTED),
            ("Open job two", ApplicationState.SHORTLISTED),
            ("Open job three", ApplicationState.DECLINED),
        ):
            job_id = _job(uow, client, title, "EUR", BudgetKind.FIXED, now)
            proposal = Proposal(Money(5000, "EUR"), 10, "Pick me.", 5)
            application = uow.marketplace.add_application(
                job_id, pro, proposal, approval=ApprovalState.NOT_NEEDED, at=now
            )
            uow.marketplace.set_application_state(application.id, state, at=now)
        uow.commit()
    return World(pro, client, other, root, fixed.id, hourly.id)
