"""``microcareer ideas``: an organisation's idea board. Members pitch ideas, colleagues support them or
ask to join, a manager (an admin of the organisation) sponsors one with a budget of hours and makes
internal micro-jobs of it, and the author or sponsor records the outcome.

Every command acts as the person ``--user EMAIL`` names (or ``MICROCAREER_USER``), with their roles and
memberships, so the same rules hold as on the web and the API; ``ORG`` is the organisation's slug.
"""

from __future__ import annotations

import typer
from rich.markup import escape

from microcareer.api.schemas.ideas import IdeaPublic
from microcareer.api.schemas.jobs import JobPublic
from microcareer.bootstrap import Platform
from microcareer.cli.acting import run_as
from microcareer.cli.jobs import parse_money
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import skill_uri, user_id_of, user_option
from microcareer.domain.accounts import Actor
from microcareer.domain.ideas import Outcome, Pitch
from microcareer.domain.marketplace.jobs import Budget, BudgetKind
from microcareer.domain.marketplace.money import currency_code
from microcareer.services import ideas

ideas_app = typer.Typer(
    help="An organisation's ideas: pitch, support, join, sponsor, make internal gigs, outcome (as --user).",
    no_args_is_help=True,
)

ID_MAX = 2**31 - 1
JSON_HELP = "Print JSON instead of text."


def _org() -> str:
    org: str = typer.Argument(..., help="The organisation's slug.")
    return org


def _idea_id() -> int:
    idea_id: int = typer.Argument(..., min=1, max=ID_MAX, help="The idea's id.")
    return idea_id


def _print(view: ideas.IdeaView) -> None:
    idea = view.idea
    budget = f"{idea.budget_hours} h budget, {view.hours_left} left" if idea.sponsored else "not sponsored"
    outcome = f" · {idea.outcome.value}: {escape(idea.outcome_note)}" if idea.outcome else ""
    console.print(
        f"[bold]{idea.id}. {escape(idea.pitch.title)}[/] by {escape(view.name(idea.author_user_id))} · "
        f"{idea.pitch.hours} h · {len(idea.supporters)} support(s) · {len(idea.join_requests)} ask to join · "
        f"{budget}{outcome}",
        highlight=False,
    )
    if idea.job_ids:
        console.print(f"   jobs: {', '.join(str(i) for i in idea.job_ids)}", highlight=False)


@ideas_app.command("list")
@handle_errors
def list_(
    org: str = _org(),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """The organisation's ideas, newest first."""
    _, views = run_as(user, lambda p, a: ideas.board(p.uow(), actor=a, slug=org))
    if as_json:
        print_json([IdeaPublic.of(v).model_dump(mode="json") for v in views])
        return
    if not views:
        console.print("no ideas yet")
    for view in views:
        _print(view)


@ideas_app.command("show")
@handle_errors
def show(
    org: str = _org(),
    idea_id: int = _idea_id(),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """One idea: the pitch, who supports it and asked to join, its budget, jobs and outcome."""
    view = run_as(user, lambda p, a: ideas.get_idea(p.uow(), actor=a, slug=org, idea_id=idea_id))
    if as_json:
        print_json(IdeaPublic.of(view).model_dump(mode="json"))
        return
    _print(view)
    console.print(f"problem: {escape(view.idea.pitch.problem)}", highlight=False)
    console.print(f"proposal: {escape(view.idea.pitch.proposal)}", highlight=False)
    for request in view.idea.join_requests:
        console.print(
            f"join request ({request.state.value}): {escape(view.name(request.user_id))} (user "
            f"{request.user_id}) {escape(request.note)}",
            highlight=False,
        )


@ideas_app.command("pitch")
@handle_errors
def pitch(
    org: str = _org(),
    title: str = typer.Option(..., "--title"),
    problem: str = typer.Option(..., "--problem", help="What is wrong today."),
    proposal: str = typer.Option(..., "--proposal", help="What to do about it."),
    skill: list[str] = typer.Option(..., "--skill", help="A skill it needs: URI, key or name; repeat."),
    hours: int = typer.Option(..., "--hours", help="Hours it would take, all told."),
    user: str = user_option(),
) -> None:
    """Pitch an idea to your organisation."""

    def run(platform: Platform, actor: Actor) -> int:
        made = Pitch(title, problem, proposal, tuple(skill_uri(platform, s) for s in skill), hours)
        return ideas.pitch(platform.uow(), actor=actor, slug=org, pitch=made, now=platform.clock()).id

    console.print(f"idea {run_as(user, run)} pitched", highlight=False)


@ideas_app.command("support")
@handle_errors
def support(org: str = _org(), idea_id: int = _idea_id(), user: str = user_option()) -> None:
    """Support a colleague's idea (once)."""
    run_as(user, lambda p, a: ideas.support(p.uow(), actor=a, slug=org, idea_id=idea_id, now=p.clock()))
    console.print(f"you support idea {idea_id}", highlight=False)


@ideas_app.command("join")
@handle_errors
def join(
    org: str = _org(),
    idea_id: int = _idea_id(),
    note: str = typer.Option("", "--note", help="What you would bring."),
    user: str = user_option(),
) -> None:
    """Ask to work on a colleague's idea."""
    run_as(
        user,
        lambda p, a: ideas.ask_to_join(p.uow(), actor=a, slug=org, idea_id=idea_id, note=note, now=p.clock()),
    )
    console.print(f"you asked to join idea {idea_id}", highlight=False)


@ideas_app.command("answer")
@handle_errors
def answer(
    org: str = _org(),
    idea_id: int = _idea_id(),
    email: str = typer.Argument(..., help="Who asked to join (their e-mail)."),
    accept: bool = typer.Option(..., "--accept/--decline", help="Take them onto the idea, or not."),
    user: str = user_option(),
) -> None:
    """Answer a colleague's request to join your idea (its author or sponsor)."""

    def run(platform: Platform, actor: Actor) -> str:
        joiner = user_id_of(platform, email)
        state = ideas.answer_join_request(
            platform.uow(),
            actor=actor,
            slug=org,
            idea_id=idea_id,
            user_id=joiner,
            accept=accept,
            now=platform.clock(),
        )
        return state.value

    console.print(f"{email}: {run_as(user, run)}", highlight=False)


@ideas_app.command("sponsor")
@handle_errors
def sponsor(
    org: str = _org(),
    idea_id: int = _idea_id(),
    hours: int = typer.Option(..., "--hours", help="The budget of hours the organisation gives it."),
    user: str = user_option(),
) -> None:
    """Sponsor an idea with a budget of hours (a manager: an admin of the organisation)."""
    run_as(
        user,
        lambda p, a: ideas.sponsor(
            p.uow(), actor=a, slug=org, idea_id=idea_id, budget_hours=hours, now=p.clock()
        ),
    )
    console.print(f"idea {idea_id} sponsored with {hours} h", highlight=False)


@ideas_app.command("make-job")
@handle_errors
def make_job(
    org: str = _org(),
    idea_id: int = _idea_id(),
    title: str = typer.Option(..., "--title"),
    brief: str = typer.Option(..., "--brief"),
    hours: int = typer.Option(..., "--hours", help="Hours the job should take; they come out of the budget."),
    budget: str = typer.Option(
        ..., "--budget", help="The total (fixed) or the rate an hour, as 500 or 45.50."
    ),
    currency: str = typer.Option("EUR", "--currency", help="ISO 4217 code of the budget."),
    hourly: bool = typer.Option(False, "--hourly/--fixed", help="Paid by the hour, or a fixed total."),
    skill: list[str] = typer.Option([], "--skill", help="A required skill (none: the idea's); repeat."),
    draft: bool = typer.Option(False, "--draft", help="Keep it a draft instead of publishing it."),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Make an internal micro-job of a sponsored idea (a manager), within its budget of hours."""
    amount = parse_money(budget, currency_code(currency), "--budget")

    def run(platform: Platform, actor: Actor) -> JobPublic:
        job = ideas.IdeaJob(
            title=title,
            brief=brief,
            expected_hours=hours,
            budget=Budget(BudgetKind.HOURLY if hourly else BudgetKind.FIXED, amount),
            required_skills=tuple(skill_uri(platform, s) for s in skill),
            publish=not draft,
        )
        made = ideas.make_job(
            platform.uow(), actor=actor, slug=org, idea_id=idea_id, job=job, now=platform.clock()
        )
        return JobPublic.of(made)

    made = run_as(user, run)
    if as_json:
        print_json(made.model_dump(mode="json"))
        return
    console.print(f"job {made.id} ({made.state.value}, internal) made from idea {idea_id}", highlight=False)


@ideas_app.command("outcome")
@handle_errors
def outcome(
    org: str = _org(),
    idea_id: int = _idea_id(),
    what: Outcome = typer.Argument(..., help="in_progress, shipped or dropped."),
    note: str = typer.Option("", "--note", help="What happened, in a few words."),
    user: str = user_option(),
) -> None:
    """Record what became of an idea (its author or sponsor)."""
    run_as(
        user,
        lambda p, a: ideas.record_outcome(
            p.uow(), actor=a, slug=org, idea_id=idea_id, outcome=what, note=note, now=p.clock()
        ),
    )
    console.print(f"idea {idea_id}: {what.value}", highlight=False)
