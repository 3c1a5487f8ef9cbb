"""An organisation's idea board: ``/organisations/{slug}/ideas`` lists the ideas with a form to pitch one,
``/organisations/{slug}/ideas/{id}`` shows one with the buttons its reader may use: Support, Ask to join
(colleagues), Sponsor and Make an internal gig (managers), Record the outcome (its author and sponsor).

Only the organisation's members see any of it: an outsider gets the 404 page of an organisation that does
not exist, a signed-out visitor the sign-in page. ``services.ideas`` decides every action again; a refusal
is a page that says what was wrong, with its status.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.domain.ideas import Pitch, parse_outcome
from microcareer.domain.marketplace.jobs import Budget, BudgetKind
from microcareer.errors import InvalidInput, NotFound, PermissionDenied
from microcareer.services import ideas
from microcareer.web.auth import WebActorDep, current_identity, page_context
from microcareer.web.job_forms import money, whole
from microcareer.web.marketplace_pages import resolve_skill
from microcareer.web.network_pages import act, skill_texts
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.org_skills import forbidden
from microcareer.web.routes.profiles import not_found, to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)


def _board(slug: str) -> str:
    return f"/organisations/{slug}/ideas"


@router.get("/organisations/{slug}/ideas", response_class=HTMLResponse)
def board_page(slug: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(_board(slug))
    try:
        organisation, views = ideas.board(platform.uow(), actor=actor, slug=slug)
    except NotFound as exc:
        return not_found(request, str(exc))
    context = page_context(request, organisation=organisation, views=views)
    return templates.TemplateResponse(request, "ideas/board.html", context)


@router.get("/organisations/{slug}/ideas/{idea_id}", response_class=HTMLResponse)
def idea_page(
    slug: str, idea_id: RowId, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    if current_identity(request) is None:
        return to_login(f"{_board(slug)}/{idea_id}")
    try:
        view = ideas.get_idea(platform.uow(), actor=actor, slug=slug, idea_id=idea_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    context = page_context(request, organisation=view.organisation, view=view, may=ideas.may(actor, view))
    return templates.TemplateResponse(request, "ideas/idea.html", context)


@router.post("/organisations/{slug}/ideas", response_class=HTMLResponse)
async def pitch(slug: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> str:
        ideas.organisation(platform.uow(), actor=actor, slug=slug)
        skills = tuple(
            resolve_skill(platform, actor, text, "skills") for text in skill_texts(field_of(data, "skills"))
        )
        made = Pitch(
            title=field_of(data, "title"),
            problem=field_of(data, "problem"),
            proposal=field_of(data, "proposal"),
            skills=skills,
            hours=whole(field_of(data, "hours"), "hours", high=10**6),
        )
        idea = ideas.pitch(platform.uow(), actor=actor, slug=slug, pitch=made, now=platform.clock())
        return f"{_board(slug)}/{idea.id}"

    return await act(request, _board(slug), run)


@router.post("/organisations/{slug}/ideas/{idea_id}/{what}", response_class=HTMLResponse)
async def idea_action(
    slug: str, idea_id: RowId, what: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    """support, join, answer (a request to join), sponsor, jobs or outcome, each as ``services.ideas``
    does it."""
    back = f"{_board(slug)}/{idea_id}"

    def run(data: FormData, me: int) -> str:
        ideas.organisation(platform.uow(), actor=actor, slug=slug)
        uow, now = platform.uow(), platform.clock()
        if what == "support":
            ideas.support(uow, actor=actor, slug=slug, idea_id=idea_id, now=now)
        elif what == "join":
            ideas.ask_to_join(
                uow, actor=actor, slug=slug, idea_id=idea_id, note=field_of(data, "note"), now=now
            )
        elif what == "answer":
            joiner = whole(field_of(data, "user_id"), "user_id", high=2**31 - 1)
            decision = field_of(data, "decision")
            if decision not in ("accept", "decline"):
                raise InvalidInput("decision: accept or decline", field="decision")
            ideas.answer_join_request(
                uow,
                actor=actor,
                slug=slug,
                idea_id=idea_id,
                user_id=joiner,
                accept=decision == "accept",
                now=now,
            )
            return f"{back}#join-requests"
        elif what == "sponsor":
            hours = whole(field_of(data, "budget_hours"), "budget_hours", high=10**6)
            ideas.sponsor(uow, actor=actor, slug=slug, idea_id=idea_id, budget_hours=hours, now=now)
        elif what == "jobs":
            made = ideas.make_job(uow, actor=actor, slug=slug, idea_id=idea_id, job=_job(data), now=now)
            return f"{back}#job-{made.id}"
        elif what == "outcome":
            outcome = parse_outcome(field_of(data, "outcome"))
            note = field_of(data, "note")
            ideas.record_outcome(
                uow, actor=actor, slug=slug, idea_id=idea_id, outcome=outcome, note=note, now=now
            )
        else:
            raise NotFound(f"no such action on an idea: {what!r}")
        return back

    return await act(request, back, run)


def _job(data: FormData) -> ideas.IdeaJob:
    try:
        kind = BudgetKind(field_of(data, "budget_kind") or "hourly")
    except ValueError:
        raise InvalidInput("budget_kind: fixed or hourly", field="budget_kind") from None
    return ideas.IdeaJob(
        title=field_of(data, "title"),
        brief=field_of(data, "brief"),
        expected_hours=whole(field_of(data, "expected_hours"), "expected_hours", high=10**6),
        budget=Budget(kind, money(field_of(data, "amount"), field_of(data, "currency") or "EUR", "amount")),
    )
