"""``microcareer assessments``: set skill assessments (question banks, work samples), take them, score
work samples, and require them for micro-jobs.

Every command acts as the person ``--user EMAIL`` names (or ``MICROCAREER_USER``), with their roles,
so the same rules hold as on the web and the API: authors set and edit, candidates start and submit,
the named reviewer scores. ``--json`` prints what the API returns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer
from rich.markup import escape

from microcareer.api.routes.assessments import issuing_for
from microcareer.api.schemas.assessments import (
    AssessmentPublic,
    AttemptPublic,
    ItemPublic,
    JobAssessmentsPublic,
)
from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.issuers import acting_actor
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import skill_uri, user_id_of, user_option
from microcareer.domain.accounts import Actor
from microcareer.domain.assessments.definitions import (
    Assessment,
    AssessmentKind,
    AssessmentState,
    Criterion,
    Owner,
)
from microcareer.domain.assessments.items import Answer, Item, ItemKind
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import assessment_attempts, assessment_hiring, assessments

assessments_app = typer.Typer(
    help="Skill assessments: set them, take them, score work samples, require them for jobs (as --user).",
    no_args_is_help=True,
)

JSON_HELP = "Print JSON instead of text."
T = TypeVar("T")
ID = typer.Argument(..., min=1, max=2**31 - 1)


def _json(as_json: bool, data: Any) -> bool:
    if as_json:
        print_json(data)
    return as_json


def _owner(platform: Platform, issuer: str | None, org: str | None) -> Owner:
    with platform.uow() as uow:
        if issuer is not None and org is None:
            found = uow.credentials.issuer_by_slug(issuer)
            if found is None:
                raise NotFound(f"no issuer {issuer!r}")
            return Owner(issuer_id=found.id)
        if org is not None and issuer is None:
            organisation = uow.accounts.get_organisation_by_slug(org)
            if organisation is None:
                raise NotFound(f"no organisation {org!r}")
            return Owner(organisation_id=organisation.id)
    raise InvalidInput("owner: --issuer SLUG or --org SLUG, one of them", field="owner")


def _pairs(texts: Sequence[str], what: str) -> dict[str, str]:
    """``NAME=VALUE`` options as a mapping; 422 naming ``what`` for one without ``=``."""
    found: dict[str, str] = {}
    for text in texts:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"{what}: {text!r} is not NAME=VALUE", field=what)
        found[name.strip()] = value.strip()
    return found


def _int(text: str, what: str) -> int:
    if not text.strip().lstrip("-").isdigit() or len(text) > 9:
        raise InvalidInput(f"{what}: {text!r} is not a whole number", field=what)
    return int(text)


def _show(view: AttemptPublic) -> None:
    console.print(
        f"attempt {view.id} at [bold]{escape(view.assessment_title)}[/]: {view.state}"
        + (f", {view.percent}%" if view.percent is not None else "")
        + (
            f", {view.seconds_left // 60} min left (until {view.deadline:%H:%M} UTC)"
            if view.seconds_left
            else ""
        ),
        highlight=False,
    )
    if view.task:
        console.print(f"task: {escape(view.task)}", highlight=False)
    if view.state == "in_progress":
        for q in view.questions:
            options = "  ".join(f"[{i}] {escape(o)}" for i, o in enumerate(q.options))
            console.print(f"  item {q.id} ({q.kind.value}): {escape(q.prompt)}  {options}", highlight=False)
    if view.credential_id:
        console.print(f"credential: urn:uuid:{view.credential_id}", highlight=False)


def _as_user(user: str, call: Callable[[Platform, Actor], T]) -> T:
    """Run ``call`` on the platform as the person ``--user`` names."""
    with open_platform() as platform:
        return call(platform, acting_actor(platform, user))


def _on_attempt(
    user: str, as_json: bool, call: Callable[[Platform, Actor], assessment_attempts.AttemptView]
) -> None:
    """Run ``call`` as the user and show the attempt it returns (as text, or as the API's JSON)."""
    view = AttemptPublic.of(_as_user(user, call))
    if not _json(as_json, view.model_dump(mode="json")):
        _show(view)


@assessments_app.command("list")
@handle_errors
def list_(user: str = user_option(), as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """Published assessments, and the ones you set or review."""
    views = _as_user(user, lambda platform, actor: assessments.catalogue(platform.uow(), actor=actor))
    found = [AssessmentPublic.of(v) for v in views]
    if _json(as_json, [a.model_dump(mode="json") for a in found]):
        return
    for a in found:
        console.print(
            f"{a.id}  [bold]{escape(a.title)}[/] ({a.kind.value}, {a.state.value}) by {escape(a.owner_name)}"
            f" · {', '.join(escape(s.label) for s in a.skills)}",
            highlight=False,
        )
    if not found:
        console.print("no assessments yet")


@assessments_app.command("create")
@handle_errors
def create(
    title: str = typer.Option(..., "--title"),
    skill: list[str] = typer.Option(..., "--skill", help="A skill it proves (URI, key or name); repeat."),
    issuer: str | None = typer.Option(None, "--issuer", help="The issuer (slug) that sets it."),
    org: str | None = typer.Option(None, "--org", help="The organisation (slug) that sets it."),
    description: str = typer.Option("", "--description"),
    kind: AssessmentKind = typer.Option(AssessmentKind.QUESTION_SET, "--kind"),
    draw: int = typer.Option(5, "--draw", help="Items each attempt draws from the bank."),
    pass_percent: int = typer.Option(70, "--pass", help="The pass mark, in percent."),
    minutes: int = typer.Option(30, "--minutes", help="Time allowed, counted by the server."),
    attempts: int = typer.Option(3, "--attempts", help="Attempts allowed per person."),
    cooldown: int = typer.Option(24, "--cooldown", help="Hours between attempts."),
    achievement: int | None = typer.Option(None, "--achievement", help="The achievement a pass earns."),
    task: str = typer.Option("", "--task", help="A work sample's brief."),
    criterion: list[str] = typer.Option([], "--criterion", help="A rubric line NAME=POINTS; repeat."),
    reviewer: str | None = typer.Option(None, "--reviewer", help="Who scores work samples (e-mail)."),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Set an assessment (a draft: add items, then publish it)."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        rubric = tuple(Criterion(n, _int(p, "rubric")) for n, p in _pairs(criterion, "rubric").items())
        made = assessments.create(
            platform.uow(),
            actor=actor,
            owner=_owner(platform, issuer, org),
            assessment=Assessment(
                title=title,
                description=description,
                skills=tuple(skill_uri(platform, s) for s in skill),
                kind=kind,
                draw_count=draw,
                pass_percent=pass_percent,
                time_limit_minutes=minutes,
                max_attempts=attempts,
                cooldown_hours=cooldown,
                achievement_id=achievement,
                task=task,
                rubric=rubric,
                reviewer_user_id=user_id_of(platform, reviewer) if reviewer else None,
            ),
            now=platform.clock(),
        )
    if not _json(as_json, {"id": made.id, "state": made.state.value}):
        console.print(f"assessment {made.id} set as a draft", highlight=False)


@assessments_app.command("edit")
@handle_errors
def edit(
    assessment_id: int = ID,
    title: str | None = typer.Option(None, "--title"),
    description: str | None = typer.Option(None, "--description"),
    draw: int | None = typer.Option(None, "--draw", help="Items each attempt draws from the bank."),
    pass_percent: int | None = typer.Option(None, "--pass", help="The pass mark, in percent."),
    minutes: int | None = typer.Option(None, "--minutes", help="Time allowed, counted by the server."),
    attempts: int | None = typer.Option(None, "--attempts", help="Attempts allowed per person."),
    cooldown: int | None = typer.Option(None, "--cooldown", help="Hours between attempts."),
    user: str = user_option(),
) -> None:
    """Change an assessment's settings (those given; the others stay)."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        current = assessments.get(platform.uow(), actor=actor, assessment_id=assessment_id).stored.assessment
        changed = dataclasses.replace(
            current,
            title=current.title if title is None else title,
            description=current.description if description is None else description,
            draw_count=current.draw_count if draw is None else draw,
            pass_percent=current.pass_percent if pass_percent is None else pass_percent,
            time_limit_minutes=current.time_limit_minutes if minutes is None else minutes,
            max_attempts=current.max_attempts if attempts is None else attempts,
            cooldown_hours=current.cooldown_hours if cooldown is None else cooldown,
        )
        done = assessments.update(
            platform.uow(), actor=actor, assessment_id=assessment_id, assessment=changed, now=platform.clock()
        )
    console.print(f"assessment {done.id} changed: {escape(done.assessment.title)}", highlight=False)


@assessments_app.command("add-item")
@handle_errors
def add_item(
    assessment_id: int = ID,
    kind: ItemKind = typer.Option(..., "--kind"),
    prompt: str = typer.Option(..., "--prompt"),
    option: list[str] = typer.Option([], "--option", help="A choice; repeat, in order (numbered from 0)."),
    correct: list[int] = typer.Option([], "--correct", help="A right option's number; repeat."),
    value: float | None = typer.Option(None, "--value", help="The right number (numeric items)."),
    tolerance: float = typer.Option(0.0, "--tolerance"),
    accept: list[str] = typer.Option([], "--accept", help="An accepted short answer; repeat."),
    points: int = typer.Option(1, "--points"),
    user: str = user_option(),
) -> None:
    """Add an item to an assessment's bank."""
    item = Item(kind, prompt, tuple(option), tuple(correct), value, tolerance, tuple(accept), points)
    item_id = _as_user(
        user,
        lambda platform, actor: assessments.add_item(
            platform.uow(), actor=actor, assessment_id=assessment_id, item=item, now=platform.clock()
        ),
    )
    console.print(f"item {item_id} added", highlight=False)


@assessments_app.command("remove-item")
@handle_errors
def remove_item(assessment_id: int = ID, item_id: int = ID, user: str = user_option()) -> None:
    """Take an item out of the bank (attempts that drew it keep it)."""
    _as_user(
        user,
        lambda platform, actor: assessments.edit_item(
            platform.uow(), actor=actor, assessment_id=assessment_id, item_id=item_id, item=None
        ),
    )
    console.print(f"item {item_id} taken out of the bank", highlight=False)


@assessments_app.command("items")
@handle_errors
def items(assessment_id: int = ID, user: str = user_option()) -> None:
    """The bank with its answers (authors only), as JSON."""
    found = _as_user(
        user,
        lambda platform, actor: assessments.bank(platform.uow(), actor=actor, assessment_id=assessment_id),
    )
    print_json([ItemPublic.of(i, item).model_dump(mode="json") for i, item in found.items()])


def _set_state(assessment_id: int, state: AssessmentState, user: str) -> None:
    done = _as_user(
        user,
        lambda platform, actor: assessments.update(
            platform.uow(), actor=actor, assessment_id=assessment_id, state=state, now=platform.clock()
        ),
    )
    console.print(f"assessment {done.id} is {done.state.value}", highlight=False)


@assessments_app.command("publish")
@handle_errors
def publish(assessment_id: int = ID, user: str = user_option()) -> None:
    """Open an assessment for attempts (its bank must hold the items each attempt draws)."""
    _set_state(assessment_id, AssessmentState.PUBLISHED, user)


@assessments_app.command("close")
@handle_errors
def close(assessment_id: int = ID, user: str = user_option()) -> None:
    """Close an assessment: no new attempts."""
    _set_state(assessment_id, AssessmentState.CLOSED, user)


@assessments_app.command("start")
@handle_errors
def start(
    assessment_id: int = ID,
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Start an attempt (or show the open one): its items and its deadline."""
    _on_attempt(
        user,
        as_json,
        lambda platform, actor: assessment_attempts.start(
            platform.uow(), actor=actor, assessment_id=assessment_id, now=platform.clock()
        ),
    )


def _answer(kind: ItemKind, text: str, where: str) -> Answer:
    if kind in (ItemKind.SINGLE_CHOICE, ItemKind.MULTIPLE_CHOICE):
        return Answer(choices=tuple(_int(c, where) for c in text.split(",") if c.strip()))
    if kind is ItemKind.NUMERIC:
        try:
            return Answer(number=float(text))
        except ValueError:
            raise InvalidInput(f"{where}: {text!r} is not a number", field=where) from None
    return Answer(text=text)


@assessments_app.command("submit")
@handle_errors
def submit(
    attempt_id: int = ID,
    answer: list[str] = typer.Option(
        [], "--answer", help="ITEM=ANSWER: option numbers (0,2), a number or a text; repeat."
    ),
    work: str = typer.Option("", "--work", help="A work sample: your work or a link to it."),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Submit an attempt before its deadline; a question set is scored at once."""

    def run(platform: Platform, actor: Actor) -> assessment_attempts.AttemptView:
        current = assessment_attempts.get(
            platform.uow(), actor=actor, attempt_id=attempt_id, now=platform.clock()
        )
        kinds = {q.id: q.kind for q in current.questions}
        answers: dict[int, Answer] = {}
        for item, text in _pairs(answer, "answers").items():
            item_id = _int(item, "answers")
            answers[item_id] = _answer(kinds.get(item_id, ItemKind.SHORT_TEXT), text, f"answers.{item_id}")
        return assessment_attempts.submit(
            platform.uow(),
            issuing_for(platform),
            actor=actor,
            attempt_id=attempt_id,
            answers=answers,
            work=work,
            now=platform.clock(),
        )

    _on_attempt(user, as_json, run)


@assessments_app.command("score")
@handle_errors
def score(
    attempt_id: int = ID,
    criterion: list[str] = typer.Option(..., "--criterion", help="NAME=POINTS for each rubric line; repeat."),
    comment: str = typer.Option("", "--comment"),
    user: str = user_option(),
) -> None:
    """Score a work sample (its named reviewer)."""
    given = {n: _int(p, "criteria") for n, p in _pairs(criterion, "criteria").items()}
    _on_attempt(
        user,
        False,
        lambda platform, actor: assessment_attempts.score(
            platform.uow(),
            issuing_for(platform),
            actor=actor,
            attempt_id=attempt_id,
            criteria=given,
            comment=comment,
            now=platform.clock(),
        ),
    )


@assessments_app.command("attempts")
@handle_errors
def attempts_(assessment_id: int = ID, user: str = user_option()) -> None:
    """Every attempt at an assessment (its authors and reviewer), as JSON."""
    found = _as_user(
        user,
        lambda platform, actor: assessment_attempts.for_assessment(
            platform.uow(), actor=actor, assessment_id=assessment_id, now=platform.clock()
        ),
    )
    print_json([AttemptPublic.of(v).model_dump(mode="json") for v in found])


@assessments_app.command("attempt")
@handle_errors
def attempt(
    attempt_id: int = ID,
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """One attempt: its state, time left, score and credential."""
    _on_attempt(
        user,
        as_json,
        lambda platform, actor: assessment_attempts.get(
            platform.uow(), actor=actor, attempt_id=attempt_id, now=platform.clock()
        ),
    )


@assessments_app.command("require")
@handle_errors
def require(
    job_id: int = ID,
    assessment: list[int] = typer.Option([], "--assessment", help="An assessment the job requires; repeat."),
    user: str = user_option(),
) -> None:
    """Set the assessments a micro-job requires (none given: requires none)."""
    found = _as_user(
        user,
        lambda platform, actor: assessment_hiring.require(
            platform.uow(), actor=actor, job_id=job_id, assessment_ids=assessment
        ),
    )
    console.print(
        f"job {job_id} requires: {', '.join(escape(r.title) for r in found.required) or 'nothing'}",
        highlight=False,
    )


@assessments_app.command("job")
@handle_errors
def job(job_id: int = ID, user: str = user_option()) -> None:
    """A job's required assessments and who passed them (its managers see every applicant), as JSON."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        found = assessment_hiring.for_job(platform.uow(), actor=actor, job_id=job_id)
    print_json(JobAssessmentsPublic.of(found, actor.user_id).model_dump(mode="json"))
