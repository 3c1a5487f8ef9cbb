"""``microcareer jobs``: post, find and manage micro-jobs, apply to them, and accept an application.

Every command acts *as* the user ``--user EMAIL`` (or ``MICROCAREER_USER``) names: their roles and
organisations are checked as the API checks them. Reading commands (``list``, ``show``, ``talent``) act
as the local operator when no user is given; commands that post, apply or decide need a person.
Amounts are typed as decimal text ("45.50") in the job's currency.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.issuers import acting_actor, acting_user_option
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import skill_uri
from microcareer.cli.search_output import print_facets, print_widened, search_json
from microcareer.domain.accounts import Actor
from microcareer.domain.extraction.mentions import DocumentSkill
from microcareer.domain.marketplace.applications import Proposal
from microcareer.domain.marketplace.contracts import Milestone
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState, MicroJob
from microcareer.domain.marketplace.money import Money, currency_code
from microcareer.domain.marketplace.records import StoredApplication, StoredContract, StoredJob
from microcareer.domain.search import JobFilters, PeopleFilters
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import (
    contracts,
    job_applications,
    micro_jobs,
    organisations,
    search,
    talent_search,
    taxonomy,
    users,
)
from microcareer.services.job_applications import AcceptTerms

jobs_app = typer.Typer(
    help="Micro-jobs: post, list, apply, shortlist, approve and accept (as the user --user names).",
    no_args_is_help=True,
)

JSON_HELP = "Print JSON instead of text."


# shared with ``cli/contracts.py``


def need_user(email: str | None, doing: str) -> str:
    """The acting user's email; a usage error (exit 2) when none is given."""
    if email is None:
        raise typer.BadParameter(f"give --user EMAIL (or set MICROCAREER_USER): to {doing} acts as a person")
    return email


def parse_money(text: str, currency: str, option: str) -> Money:
    """``"45.50"`` in ``currency``; a bad amount names the option it came from."""
    try:
        return Money.parse(text, currency)
    except InvalidInput as exc:
        raise InvalidInput(f"{option}: {exc.detail}", field=option.lstrip("-")) from None


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{option}: {text!r} is not a date like 2026-11-23", field=option.lstrip("-")
        ) from None


def money_json(money: Money | None) -> dict[str, Any] | None:
    if money is None:
        return None
    return {"amount_minor": money.amount, "currency": money.currency, "text": str(money)}


class Emails:
    """User ids shown as emails, each looked up once."""

    def __init__(self, platform: Platform) -> None:
        self._platform = platform
        self._known: dict[int, str] = {}

    def __call__(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        if user_id not in self._known:
            try:
                user = users.get_user(self._platform.uow(), actor=Actor.system(), user_id=user_id)
                self._known[user_id] = user.email
            except NotFound:
                self._known[user_id] = f"user {user_id}"
        return self._known[user_id]


# rendering


def job_json(stored: StoredJob, poster: str) -> dict[str, Any]:
    job = stored.job
    return {
        "id": stored.id,
        "title": job.title,
        "brief": job.brief,
        "state": job.state.value,
        "poster": poster,
        "audience": job.audience.value,
        "organisation_id": job.organisation_id,
        "required_skills": list(job.required_skills),
        "nice_skills": list(job.nice_skills),
        "budget": {"kind": job.budget.kind.value, **(money_json(job.budget.amount) or {})},
        "expected_hours": job.expected_hours,
        "start": job.start.isoformat() if job.start else None,
        "end": job.end.isoformat() if job.end else None,
        "remote": job.remote,
        "place": job.place,
        "created_at": stored.created_at.isoformat(),
        "updated_at": stored.updated_at.isoformat(),
    }


def application_json(application: StoredApplication, email: Emails) -> dict[str, Any]:
    proposal = application.proposal
    return {
        "id": application.id,
        "job_id": application.job_id,
        "applicant": email(application.applicant_user_id),
        "rate": money_json(proposal.rate),
        "hours": proposal.hours,
        "hours_per_week": proposal.hours_per_week,
        "message": proposal.message,
        "state": application.state.value,
        "approval": application.approval.value,
        "approver": email(application.approver_user_id) or None,
        "created_at": application.created_at.isoformat(),
        "updated_at": application.updated_at.isoformat(),
    }


def _budget_text(job: MicroJob) -> str:
    suffix = " an hour" if job.budget.kind is BudgetKind.HOURLY else " fixed"
    return f"{job.budget.amount}{suffix}"


def _where(job: MicroJob) -> str:
    if job.remote:
        return "remote" + (f" ({job.place})" if job.place else "")
    return job.place


def _labels(platform: Platform, uris: tuple[str, ...]) -> list[str]:
    found = []
    for uri in uris:
        try:
            label = skill_label(platform, uri)
        except NotFound:
            label = uri
        found.append(label)
    return found


def skill_label(platform: Platform, uri: str) -> str:
    return taxonomy.get_skill(platform.uow(), actor=Actor.system(), uri_or_key=uri).skill.preferred_label


def _print_job(platform: Platform, stored: StoredJob, poster: str) -> None:
    job = stored.job
    console.print(f"[bold]job {stored.id}: {escape(job.title)}[/] ({job.state.value})", highlight=False)
    audience = "open market"
    if job.audience is Audience.INTERNAL:
        audience = f"internal to organisation {job.organisation_id}"
    when = " to ".join(d.isoformat() for d in (job.start, job.end) if d is not None) or "no dates"
    console.print(
        f"{_budget_text(job)} · {job.expected_hours} h expected · {when} · {escape(_where(job))} · "
        f"{audience} · posted by {poster}",
        highlight=False,
    )
    console.print(f"required: {escape('; '.join(_labels(platform, job.required_skills)))}", highlight=False)
    if job.nice_skills:
        console.print(
            f"nice to have: {escape('; '.join(_labels(platform, job.nice_skills)))}", highlight=False
        )
    console.print(escape(job.brief), highlight=False)


def _applications_table(title: str, found: list[StoredApplication], email: Emails) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("id", "job", "applicant", "rate", "hours", "h/week", "state", "approval", "message"):
        table.add_column(column, justify="right" if column in ("id", "job", "hours", "h/week") else "left")
    for a in found:
        p = a.proposal
        table.add_row(
            str(a.id),
            str(a.job_id),
            email(a.applicant_user_id),
            str(p.rate),
            str(p.hours),
            f"{p.hours_per_week:g}",
            a.state.value,
            a.approval.value,
            escape(p.message),
        )
    return table


# posting


def _read_brief(brief: str | None, brief_file: Path | None) -> str:
    if (brief is None) == (brief_file is None):
        raise typer.BadParameter("give --brief TEXT or --brief-file FILE (one of them)")
    if brief_file is not None:
        try:
            return brief_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"--brief-file: cannot read {brief_file}: {exc}", field="brief") from None
    assert brief is not None
    return brief


def _print_proposal(required: tuple[DocumentSkill, ...], nice: tuple[DocumentSkill, ...]) -> None:
    console.print("[bold]skills proposed from the brief[/]", highlight=False)
    for what, found in (("required", required), ("nice to have", nice)):
        for skill in found:
            console.print(
                f"  {what}: {escape(skill.label)} ({skill.confidence:.2f}) {skill.uri}", highlight=False
            )
    if not required and not nice:
        console.print("  none found", highlight=False)


def _organisation_id(platform: Platform, actor: Actor, slug: str) -> int:
    return organisations.get_organisation(platform.uow(), actor=actor, slug=slug).id


@jobs_app.command("post")
@handle_errors
def post(
    title: str = typer.Option(..., "--title", help="What the job is, in a line (3 to 120 characters)."),
    brief: str | None = typer.Option(None, "--brief", help="What is to be done (20 characters or more)."),
    brief_file: Path | None = typer.Option(None, "--brief-file", help="Read the brief from this file."),
    skill: list[str] = typer.Option(
        [], "--skill", help="A required skill: URI, key or name (a label, a tool name); repeat."
    ),
    nice: list[str] = typer.Option([], "--nice", help="A nice-to-have skill; repeat."),
    propose: bool = typer.Option(
        False,
        "--propose-skills",
        help="Show the skills the extractor finds in the brief; used when no --skill is given.",
    ),
    budget: str = typer.Option(
        ..., "--budget", help="The total (fixed) or the rate an hour, as 500 or 45.50."
    ),
    currency: str = typer.Option("EUR", "--currency", help="ISO 4217 code of the budget."),
    hourly: bool = typer.Option(False, "--hourly/--fixed", help="Paid by the hour, or a fixed total."),
    hours: int = typer.Option(..., "--hours", help="Hours of work expected in all."),
    start: str | None = typer.Option(None, "--start", help="First day of the work (2026-12-01)."),
    end: str | None = typer.Option(None, "--end", help="Last day of the work."),
    remote: bool = typer.Option(False, "--remote", help="Remote work (the default when no --place)."),
    place: str | None = typer.Option(
        None, "--place", help="Where the work happens; on site unless --remote."
    ),
    internal: str | None = typer.Option(
        None, "--internal", help="Only for the members of this organisation (its slug)."
    ),
    publish: bool = typer.Option(False, "--publish", help="Publish at once instead of keeping a draft."),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Post a micro-job as a draft (or publish it with --publish)."""
    email = need_user(user, "post a job")
    text = _read_brief(brief, brief_file)
    if not skill and not propose:
        raise typer.BadParameter("give --skill (one or more), or --propose-skills to take the extractor's")
    code = currency_code(currency)
    amount = parse_money(budget, code, "--budget")
    first = parse_day(start, "--start") if start is not None else None
    last = parse_day(end, "--end") if end is not None else None
    with open_platform() as platform:
        actor = acting_actor(platform, email)
        required = [skill_uri(platform, name) for name in skill]
        nice_uris = [skill_uri(platform, name) for name in nice]
        if propose:
            proposed, proposed_nice = micro_jobs.propose_skills(
                platform.uow(), platform.caches, platform.lexicons, actor=actor, brief=text
            )
            if not as_json:
                _print_proposal(proposed, proposed_nice)
            if not required:
                required = [s.uri for s in proposed]
                if not nice:
                    nice_uris = [s.uri for s in proposed_nice]
                if not required:
                    raise InvalidInput(
                        "--propose-skills: no skill found in the brief; give --skill", field="skills"
                    )
        nice_uris = [uri for uri in dict.fromkeys(nice_uris) if uri not in required]
        organisation = _organisation_id(platform, actor, internal) if internal is not None else None
        job = MicroJob(
            title=title,
            brief=text,
            required_skills=tuple(dict.fromkeys(required)),
            nice_skills=tuple(nice_uris),
            budget=Budget(BudgetKind.HOURLY if hourly else BudgetKind.FIXED, amount),
            expected_hours=hours,
            start=first,
            end=last,
            remote=remote or place is None,
            place=place or "",
            audience=Audience.INTERNAL if organisation is not None else Audience.OPEN,
            organisation_id=organisation,
        )
        stored = micro_jobs.post_job(platform.uow(), actor=actor, job=job, now=platform.clock())
        if publish:
            stored = micro_jobs.publish_job(
                platform.uow(), actor=actor, job_id=stored.id, now=platform.clock()
            )
    if as_json:
        print_json(job_json(stored, email))
        return
    state = "published" if publish else "saved as a draft (publish it with: jobs publish ID)"
    console.print(f"job {stored.id} {state}: {escape(stored.job.title)}", highlight=False)


# reading


@jobs_app.command("list")
@handle_errors
def list_(
    query: str = typer.Argument(
        "", help="Words of the title, brief, skills or place (misspellings are read as the nearest words)."
    ),
    skill: list[str] = typer.Option(
        [], "--skill", help="Jobs asking for this skill (URI, key or label); repeat."
    ),
    org: str | None = typer.Option(None, "--org", help="Jobs of this organisation (its slug)."),
    audience: Audience | None = typer.Option(None, "--audience", help="Only open-market or internal jobs."),
    remote: bool | None = typer.Option(None, "--remote/--on-site", help="Only remote or on-site jobs."),
    place: str = typer.Option("", "--place", help="Jobs whose place contains this."),
    budget_kind: BudgetKind | None = typer.Option(None, "--budget-kind", help="Fixed-price or hourly."),
    budget_min: int | None = typer.Option(None, "--budget-min", help="Budget at least (minor units)."),
    budget_max: int | None = typer.Option(None, "--budget-max", help="Budget at most (minor units)."),
    mine: bool = typer.Option(False, "--mine", help="Your own postings (every state unless --state)."),
    state: list[JobState] = typer.Option([], "--state", help="Jobs in this state (default open); repeat."),
    limit: int = typer.Option(50, "--limit", "-n", min=1, max=200, help="How many to list."),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """The jobs you may see: best match first with QUERY, else newest change first; with the counts
    of each facet over all of them."""
    if mine:
        need_user(user, "list your own jobs")
    states = list(state) or (list(JobState) if mine else [JobState.OPEN])
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        filters = JobFilters(
            skills=tuple(skill_uri(platform, name) for name in skill),
            organisation_id=_organisation_id(platform, actor, org) if org is not None else None,
            audience=audience,
            remote=remote,
            place=place,
            budget_kind=budget_kind,
            budget_min=budget_min,
            budget_max=budget_max,
        )
        page = search.search_jobs(
            platform.uow(), actor=actor, q=query, filters=filters, mine=mine, states=states, limit=limit
        )
        found, total = page.jobs, page.total
        email = Emails(platform)
        posters = {j.id: email(j.poster_user_id) for j in found}
    if as_json:
        items = [job_json(j, posters[j.id]) for j in found]
        print_json({"total": total, "items": items, **search_json(page.facets, page.widened)})
        return
    print_widened(page.widened)
    table = Table(title=f"{len(found)} of {total} jobs", title_justify="left")
    for column in ("id", "title", "state", "budget", "hours", "where", "audience", "poster"):
        table.add_column(column, justify="right" if column in ("id", "hours") else "left")
    for j in found:
        table.add_row(
            str(j.id),
            escape(j.job.title),
            j.job.state.value,
            _budget_text(j.job),
            str(j.job.expected_hours),
            escape(_where(j.job)),
            j.job.audience.value,
            posters[j.id],
        )
    console.print(table)
    print_facets(page.facets, skip=("skills",))


@jobs_app.command("show")
@handle_errors
def show(
    job_id: int = typer.Argument(..., help="The job's id."),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """A job, as you may see it."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        stored = micro_jobs.get_job(platform.uow(), actor=actor, job_id=job_id)
        poster = Emails(platform)(stored.poster_user_id)
        if not as_json:
            _print_job(platform, stored, poster)
            return
    print_json(job_json(stored, poster))


@jobs_app.command("publish")
@handle_errors
def publish(
    job_id: int = typer.Argument(..., help="The draft's id."), user: str | None = acting_user_option()
) -> None:
    """Publish a draft: it takes applications."""
    email = need_user(user, "publish a job")
    with open_platform() as platform:
        actor = acting_actor(platform, email)
        stored = micro_jobs.publish_job(platform.uow(), actor=actor, job_id=job_id, now=platform.clock())
    console.print(f"job {stored.id} is open: {escape(stored.job.title)}", highlight=False)


@jobs_app.command("cancel")
@handle_errors
def cancel(
    job_id: int = typer.Argument(..., help="The job's id."), user: str | None = acting_user_option()
) -> None:
    """Cancel a draft or open job; its pending applications are declined."""
    email = need_user(user, "cancel a job")
    with open_platform() as platform:
        actor = acting_actor(platform, email)
        stored = micro_jobs.cancel_job(platform.uow(), actor=actor, job_id=job_id, now=platform.clock())
    console.print(f"job {stored.id} is cancelled", highlight=False)


# applying


@jobs_app.command("apply")
@handle_errors
def apply(
    job_id: int = typer.Argument(..., help="The job's id."),
    rate: str = typer.Option(
        ..., "--rate", help="Your rate an hour (hourly jobs) or your total price (fixed), as 45 or 45.50."
    ),
    hours: int = typer.Option(..., "--hours", help="Hours the work will take you."),
    per_week: float = typer.Option(..., "--per-week", help="Hours a week you will work on it."),
    message: str = typer.Option(..., "--message", help="Why you, in a few lines."),
    user: str | None = acting_user_option(),
) -> None:
    """Apply to an open job with a proposal, in the job's currency."""
    email = need_user(user, "apply")
    with open_platform() as platform:
        actor = acting_actor(platform, email)
        job = micro_jobs.get_job(platform.uow(), actor=actor, job_id=job_id)
        proposal = Proposal(
            rate=parse_money(rate, job.job.budget.amount.currency, "--rate"),
            hours=hours,
            message=message,
            hours_per_week=per_week,
        )
        stored = job_applications.apply(
            platform.uow(), actor=actor, job_id=job_id, proposal=proposal, now=platform.clock()
        )
    waits = " (waits for your manager's approval)" if stored.approval.value == "pending" else ""
    console.print(f"application {stored.id} sent to job {job_id}{waits}", highlight=False)


@jobs_app.command("applications")
@handle_errors
def applications(
    job_id: int = typer.Argument(..., help="The job's id."),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """The applications to a job you manage, oldest first."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        found = job_applications.list_for_job(platform.uow(), actor=actor, job_id=job_id)
        email = Emails(platform)
        rows = [application_json(a, email) for a in found]
        table = _applications_table(f"{len(found)} applications to job {job_id}", found, email)
    if as_json:
        print_json({"items": rows})
        return
    console.print(table)


@jobs_app.command("my-applications")
@handle_errors
def my_applications(
    user: str | None = acting_user_option(), as_json: bool = typer.Option(False, "--json", help=JSON_HELP)
) -> None:
    """Your own applications, newest first."""
    email_of_user = need_user(user, "see your applications")
    with open_platform() as platform:
        actor = acting_actor(platform, email_of_user)
        found = job_applications.my_applications(platform.uow(), actor=actor)
        email = Emails(platform)
        rows = [application_json(a, email) for a in found]
        table = _applications_table(f"{len(found)} applications", found, email)
    if as_json:
        print_json({"items": rows})
        return
    console.print(table)


def _decide(application_id: int, user: str | None, doing: str) -> StoredApplication:
    email = need_user(user, doing)
    with open_platform() as platform:
        actor = acting_actor(platform, email)
        now = platform.clock()
        uow = platform.uow()
        if doing == "shortlist":
            return job_applications.shortlist(uow, actor=actor, application_id=application_id, now=now)
        if doing == "decline":
            return job_applications.decline(uow, actor=actor, application_id=application_id, now=now)
        return job_applications.decide_approval(
            uow, actor=actor, application_id=application_id, approve=doing == "approve", now=now
        )


APP_HELP = "The application's id."


def _state_said(stored: StoredApplication) -> str:
    return f"application {stored.id} is {stored.state.value}"


def _approval_said(stored: StoredApplication) -> str:
    return f"application {stored.id}: {stored.approval.value} by its manager"


def _decision_command(name: str, doc: str, said: Callable[[StoredApplication], str]) -> None:
    """``jobs shortlist|decline|approve|refuse APPLICATION_ID``: one shape, one decision each."""

    @jobs_app.command(name, help=doc)
    @handle_errors
    def command(
        application_id: int = typer.Argument(..., help=APP_HELP), user: str | None = acting_user_option()
    ) -> None:
        console.print(said(_decide(application_id, user, name)), highlight=False)


_decision_command("shortlist", "Shortlist an application to a job you manage.", _state_said)
_decision_command("decline", "Decline an application to a job you manage.", _state_said)
MANAGER = "As the applicant's manager (or an organisation admin),"
_decision_command("approve", f"{MANAGER} approve their internal gig.", _approval_said)
_decision_command("refuse", f"{MANAGER} refuse their internal gig.", _approval_said)


def parse_milestone(text: str, currency: str, index: int) -> Milestone:
    """``"Design:250.00:2026-12-01"`` (the title may hold colons) → a milestone in ``currency``."""
    parts = text.rsplit(":", 2)
    if len(parts) != 3:
        raise InvalidInput(
            f"--milestone {index + 1}: {text!r} is not TITLE:AMOUNT:YYYY-MM-DD", field="milestones"
        )
    title, amount, due = parts
    where = f"--milestone {index + 1}"
    return Milestone(title.strip(), parse_money(amount, currency, where), parse_day(due, where))


def _proposal_currency(platform: Platform, actor: Actor, application_id: int) -> str:
    """The currency of an application the actor manages (as the service checks it)."""
    with platform.uow() as uow:
        application = uow.marketplace.get_application(application_id)
    if application is None:
        raise NotFound(f"no application {application_id}")
    return application.proposal.rate.currency


def _print_contract_made(contract: StoredContract) -> None:
    terms = "paid by milestones (fund them with: contracts fund ID MILESTONE)"
    if contract.hourly_rate is not None:
        terms = f"{contract.hourly_rate} an hour, at most {contract.weekly_limit_hours or 0:g} h a week"
    console.print(
        f"contract {contract.id} made ({contract.kind.value}): {terms}; fee {contract.fee_bp / 100:g} %",
        highlight=False,
    )


@jobs_app.command("accept")
@handle_errors
def accept(
    application_id: int = typer.Argument(..., help=APP_HELP),
    milestone: list[str] = typer.Option(
        [],
        "--milestone",
        help='Fixed jobs: "TITLE:AMOUNT:YYYY-MM-DD", repeat; they add up to the price. None: one "Delivery".',
    ),
    weekly_limit: float | None = typer.Option(
        None, "--weekly-limit", help="Hourly jobs: most hours a week (default: the proposal's)."
    ),
    user: str | None = acting_user_option(),
) -> None:
    """Accept an application: the contract is made, the other applications declined."""
    email = need_user(user, "accept an application")
    with open_platform() as platform:
        actor = acting_actor(platform, email)
        milestones: tuple[Milestone, ...] | None = None
        if milestone:
            currency = _proposal_currency(platform, actor, application_id)
            milestones = tuple(parse_milestone(m, currency, i) for i, m in enumerate(milestone))
        contract = job_applications.accept(
            platform.uow(),
            actor=actor,
            application_id=application_id,
            terms=AcceptTerms(milestones=milestones, weekly_limit_hours=weekly_limit),
            fee_bp=platform.settings.marketplace_fee_basis_points,
            now=platform.clock(),
        )
        if contract.hourly_rate is None:
            for m in _milestones_of(platform, actor, contract.id):
                console.print(f"  milestone {m}", highlight=False)
    _print_contract_made(contract)


def _milestones_of(platform: Platform, actor: Actor, contract_id: int) -> list[str]:
    view = contracts.get_contract(platform.uow(), actor=actor, contract_id=contract_id)
    return [
        f"{m.id}: {m.milestone.title}, {m.milestone.amount}, due {m.milestone.due.isoformat()}"
        for m in view.milestones
    ]


@jobs_app.command("people")
@handle_errors
def people(
    query: str = typer.Argument("", help="Words of the name, headline, skills, place or experience."),
    skill: list[str] = typer.Option([], "--skill", help="People holding this skill; repeat."),
    org: str | None = typer.Option(None, "--org", help="Members of this organisation of yours (its slug)."),
    place: str = typer.Option("", "--place", help="City, region or country containing this."),
    rate_max: float | None = typer.Option(None, "--rate-max", help="An hourly rate at most this."),
    hours_min: int | None = typer.Option(None, "--hours-min", help="At least this many hours a week."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=100, help="How many people to list."),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Search available people whose profile you may read, best match first, with facet counts."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        filters = PeopleFilters(
            skills=tuple(skill_uri(platform, name) for name in skill),
            organisation_id=_organisation_id(platform, actor, org) if org is not None else None,
            place=place,
            rate_max=rate_max,
            hours_min=hours_min,
        )
        page = search.search_people(platform.uow(), actor=actor, q=query, filters=filters, limit=limit)
    if as_json:
        items = [dataclasses.asdict(p) for p in page.people]
        print_json({"total": page.total, "items": items, **search_json(page.facets, page.widened)})
        return
    print_widened(page.widened)
    table = Table(title=f"{len(page.people)} of {page.total} people", title_justify="left")
    for column in ("id", "name", "headline", "place", "rate", "hours/week"):
        table.add_column(column, justify="right" if column == "id" else "left")
    for p in page.people:
        rate = f"{p.currency} {p.hourly_rate:.2f}" if p.hourly_rate is not None else ""
        hours = str(p.hours_per_week or "")
        table.add_row(
            str(p.user_id), escape(p.display_name), escape(p.headline), escape(p.place), rate, hours
        )
    console.print(table)
    print_facets(page.facets, skip=("skills",))


@jobs_app.command("talent")
@handle_errors
def talent(
    skills: list[str] = typer.Argument(..., help="Skills wanted: URIs, keys or names (labels, tool names)."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=100, help="How many people to list."),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Available professionals ranked by how well their evidence covers the skills."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        found = talent_search.find_people(
            platform.uow(),
            actor=actor,
            skills=[skill_uri(platform, name) for name in skills],
            limit=limit,
            today=platform.clock().date(),
            policy=platform.evidence_policy,
        )
        email = Emails(platform)
        emails = {c.user_id: email(c.user_id) for c in found}
    if as_json:
        print_json(
            {
                "items": [
                    {
                        "user_id": c.user_id,
                        "email": emails[c.user_id],
                        "display_name": c.display_name,
                        "score": c.score,
                        "coverage": [
                            {
                                "uri": s.uri,
                                "label": s.label,
                                "confidence": s.confidence,
                                "explanation": s.explanation,
                            }
                            for s in c.coverage
                        ],
                    }
                    for c in found
                ]
            }
        )
        return
    table = Table(title=f"{len(found)} people", title_justify="left")
    for column in ("person", "email", "score", "why"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for c in found:
        why = "; ".join(s.explanation for s in c.matched)
        table.add_row(escape(c.display_name), emails[c.user_id], f"{c.score:.2f}", escape(why))
    console.print(table)
    if not found:
        console.print("nobody you may see holds these skills", highlight=False)
