"""Demo marketplace: a client's micro-jobs over the last months, played through the real services
(post, publish, apply, accept, fund, submit, approve, log time, approve weeks, complete, review) at
back-dated times, so Ada's dashboard, ledger, reputation and micro-job evidence tell a true story.
Idempotent: when the first demo job exists already, nothing is added.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.applications import Proposal
from microcareer.domain.marketplace.contracts import Milestone, TimeEntry, week_of
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState, MicroJob
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.records import WorkSettings
from microcareer.errors import InvalidInput
from microcareer.services import contracts, job_applications, micro_jobs, reviews
from microcareer.services.identity import identity_of
from microcareer.services.ports import Clock, UnitOfWork

ESCO_SKILL = "http://data.europa.eu/esco/skill/"


@dataclass
class DemoMarketplaceReport:
    jobs: int = 0
    contracts: int = 0
    payments: int = 0
    existing: bool = False

    def summary(self) -> str:
        if self.existing:
            return "demo marketplace: there already"
        return (
            f"demo marketplace: {self.jobs} micro-job(s), {self.contracts} contract(s), "
            f"{self.payments} payment(s) released"
        )


def _get(record: Mapping[str, Any], name: str, where: str) -> Any:
    if name not in record:
        raise InvalidInput(f"{where}: the field {name!r} is missing", field=name)
    return record[name]


def seed_marketplace(
    new_uow: Callable[[], UnitOfWork],
    *,
    raw: object,
    clock: Clock,
    fee_bp: int,
    source: str = "demo_marketplace.json",
) -> DemoMarketplaceReport:
    """Play the demo jobs through the services, each step at its back-dated time."""
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{source}: expected a JSON object at the top")
    report = DemoMarketplaceReport()
    jobs = _get(raw, "jobs", source)
    today = clock().date()
    actors: dict[str, Actor] = {}

    def actor(email: str, where: str) -> Actor:
        if email not in actors:
            uow = new_uow()
            with uow:
                user = uow.accounts.get_user_by_email(email)
                if user is None:
                    raise InvalidInput(f"{where}: {email} is not a demo user")
                actors[email] = identity_of(uow.accounts, user).actor
        return actors[email]

    def at(days_ago: int, hour: int = 10) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour), tzinfo=clock().tzinfo)

    first = jobs[0] if isinstance(jobs, list) and jobs else None
    if first is not None:
        poster = actor(_get(first, "poster", f"{source}: jobs[0]"), f"{source}: jobs[0]")
        uow = new_uow()
        with uow:
            mine, _ = uow.marketplace.list_jobs(
                states=list(JobState),
                visible_orgs=None,
                viewer_id=None,
                poster_id=poster.user_id,
                limit=500,
                offset=0,
            )
        if any(j.job.title == first.get("title") for j in mine):
            report.existing = True
            return report
    for index, record in enumerate(jobs if isinstance(jobs, list) else []):
        where = f"{source}: jobs[{index}]"
        _play_job(new_uow, record, where, actor, at, fee_bp, report)
    for index, record in enumerate(raw.get("work_settings", [])):
        where = f"{source}: work_settings[{index}]"
        person = actor(_get(record, "email", where), where)
        assert person.user_id is not None
        currency = str(record.get("currency", "EUR"))
        uow = new_uow()
        with uow:
            uow.marketplace.save_work_settings(
                WorkSettings(
                    person.user_id,
                    workload_threshold_hours=float(record.get("threshold", 40)),
                    contracted_hours_per_week=float(record.get("contracted", 40)),
                    monthly_spending=Money.parse(str(record.get("spending", "0")), currency).amount,
                    cash=Money.parse(str(record.get("cash", "0")), currency).amount,
                    currency=currency,
                ),
                at=clock(),
            )
            uow.commit()
    return report


def _play_job(
    new_uow: Callable[[], UnitOfWork],
    record: Mapping[str, Any],
    where: str,
    actor: Callable[[str, str], Actor],
    at: Callable[..., datetime],
    fee_bp: int,
    report: DemoMarketplaceReport,
) -> None:
    poster = actor(_get(record, "poster", where), where)
    organisation_id = None
    if record.get("organisation"):
        uow = new_uow()
        with uow:
            org = uow.accounts.get_organisation_by_slug(str(record["organisation"]))
        if org is None:
            raise InvalidInput(f"{where}: no demo organisation {record['organisation']!r}")
        organisation_id = org.id
    kind = BudgetKind(_get(record, "kind", where))
    posted = int(_get(record, "posted_days_ago", where))
    job = MicroJob(
        title=str(_get(record, "title", where)),
        brief=str(_get(record, "brief", where)),
        required_skills=tuple(ESCO_SKILL + key for key in _get(record, "required", where)),
        nice_skills=tuple(ESCO_SKILL + key for key in record.get("nice", [])),
        budget=Budget(kind, Money.parse(str(_get(record, "budget", where)), "EUR")),
        expected_hours=int(_get(record, "hours", where)),
        start=None,
        end=None,
        remote=True,
        place="",
        audience=Audience.INTERNAL if organisation_id is not None else Audience.OPEN,
        organisation_id=organisation_id,
    )
    stored = micro_jobs.post_job(new_uow(), actor=poster, job=job, now=at(posted, 9))
    micro_jobs.publish_job(new_uow(), actor=poster, job_id=stored.id, now=at(posted, 9))
    report.jobs += 1
    hire = record.get("hire")
    if not isinstance(hire, Mapping):
        return
    pro = actor(_get(hire, "professional", where), where)
    proposal = Proposal(
        rate=Money.parse(str(_get(hire, "rate", where)), "EUR"),
        hours=job.expected_hours,
        message="I have done this before; happy to start this week.",
        hours_per_week=float(_get(hire, "hours_per_week", where)),
    )
    application = job_applications.apply(
        new_uow(), actor=pro, job_id=stored.id, proposal=proposal, now=at(posted, 15)
    )
    today = at(0).date()
    milestones = None
    if kind is BudgetKind.FIXED:
        milestones = tuple(
            Milestone(
                str(m["title"]),
                Money.parse(str(m["amount"]), "EUR"),
                today - timedelta(days=int(m["due_days_ago"])),
            )
            for m in _get(hire, "milestones", where)
        )
    contract = job_applications.accept(
        new_uow(),
        actor=poster,
        application_id=application.id,
        terms=job_applications.AcceptTerms(
            milestones=milestones, weekly_limit_hours=hire.get("weekly_limit")
        ),
        fee_bp=fee_bp,
        now=at(posted - 1, 11),
    )
    report.contracts += 1
    started = posted - 1
    if kind is BudgetKind.FIXED:
        view = contracts.get_contract(new_uow(), actor=poster, contract_id=contract.id)
        for plan, milestone in zip(_get(hire, "milestones", where), view.milestones, strict=True):
            contracts.fund_milestone(
                new_uow(),
                actor=poster,
                contract_id=contract.id,
                milestone_id=milestone.id,
                now=at(started, 12),
            )
            if "done_days_ago" in plan:
                done = int(plan["done_days_ago"])
                contracts.submit_milestone(
                    new_uow(), actor=pro, contract_id=contract.id, milestone_id=milestone.id, now=at(done, 16)
                )
                contracts.approve_milestone(
                    new_uow(),
                    actor=poster,
                    contract_id=contract.id,
                    milestone_id=milestone.id,
                    now=at(done, 18),
                )
                report.payments += 1
    else:
        weeks: dict[tuple[int, int], date] = {}
        for entry in hire.get("time", []):
            day = today - timedelta(days=int(entry["days_ago"]))
            contracts.log_time(
                new_uow(),
                actor=pro,
                contract_id=contract.id,
                entry=TimeEntry.from_duration(day, int(entry["minutes"]), str(entry.get("note", "")), day),
                now=at(int(entry["days_ago"]), 19),
            )
            weeks[week_of(day)] = max(day, weeks.get(week_of(day), day))
        for (year, week), last in sorted(weeks.items()):
            contracts.approve_week(
                new_uow(),
                actor=poster,
                contract_id=contract.id,
                iso_year=year,
                iso_week=week,
                now=at((today - last).days - 1 if (today - last).days > 1 else 0, 9),
            )
            report.payments += 1
    if "ended_days_ago" in hire:
        ended = int(hire["ended_days_ago"])
        contracts.complete_contract(new_uow(), actor=poster, contract_id=contract.id, now=at(ended, 17))
        if "client_rating" in hire:
            reviews.review(
                new_uow(),
                actor=poster,
                contract_id=contract.id,
                rating=int(hire["client_rating"]),
                text=str(hire.get("client_review", "")),
                now=at(ended, 18),
            )
        if "pro_rating" in hire:
            reviews.review(
                new_uow(),
                actor=pro,
                contract_id=contract.id,
                rating=int(hire["pro_rating"]),
                text=str(hire.get("pro_review", "")),
                now=at(ended, 19),
            )
