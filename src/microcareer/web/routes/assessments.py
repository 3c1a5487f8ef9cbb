"""/assessments: the catalogue and your attempts, setting an assessment (its bank, publishing it);
/assessments/{id}: one assessment (start an attempt; its authors see the bank with answers and every
attempt); /assessment-attempts/{id}: take it against the server's clock, see the result, and for the
reviewer score a work sample; /assessment-requirements/{job}: the assessments a job requires.

A question's answer is in no page before the attempt is submitted (the bank page is its authors').
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.routes.assessments import issuing_for
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.assessments.definitions import AssessmentKind, AssessmentState
from microcareer.domain.assessments.items import ItemKind
from microcareer.errors import MicrocareerError, NotFound
from microcareer.services import assessment_attempts, assessment_hiring, assessments
from microcareer.web.assessment_forms import answers_of, assessment_of, item_of, owner_of, points_of
from microcareer.web.auth import WebActorDep, current_identity, page_context
from microcareer.web.marketplace_pages import key_of
from microcareer.web.network_pages import act, number
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import not_found, to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

KIND_WORDS = {
    ItemKind.SINGLE_CHOICE: "single choice",
    ItemKind.MULTIPLE_CHOICE: "multiple choice",
    ItemKind.NUMERIC: "a number",
    ItemKind.SHORT_TEXT: "short text",
}


def _key(text: str) -> int:
    found = key_of(text)
    if found is None:
        raise NotFound(f"no such page {text!r}")
    return found


@router.get("/assessments", response_class=HTMLResponse)
def catalogue_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login("/assessments")
    context = page_context(
        request,
        found=assessments.catalogue(platform.uow(), actor=actor),
        mine=assessment_attempts.mine(platform.uow(), actor=actor, now=platform.clock()),
        owners=assessments.owners_for(platform.uow(), actor=actor),
        achievements=assessments.scoring_achievements(platform.uow(), actor=actor),
        kinds=list(AssessmentKind),
    )
    return templates.TemplateResponse(request, "assessments/index.html", context)


@router.post("/assessments/new", response_class=HTMLResponse)
async def create(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> str:
        made = assessments.create(
            platform.uow(),
            actor=actor,
            owner=owner_of(data),
            assessment=assessment_of(platform, actor, data),
            now=platform.clock(),
        )
        return f"/assessments/{made.id}"

    return await act(request, "/assessments", run)


@router.get("/assessments/{assessment_key}", response_class=HTMLResponse)
def assessment_page(
    assessment_key: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    if current_identity(request) is None:
        return to_login(f"/assessments/{assessment_key}")
    now = platform.clock()
    try:
        assessment_id = _key(assessment_key)
        view = assessments.get(platform.uow(), actor=actor, assessment_id=assessment_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    bank = (
        assessments.bank(platform.uow(), actor=actor, assessment_id=assessment_id) if view.authoring else {}
    )
    attempts = (
        assessment_attempts.for_assessment(platform.uow(), actor=actor, assessment_id=assessment_id, now=now)
        if view.authoring or view.reviewing
        else []
    )
    context = page_context(
        request,
        view=view,
        a=view.stored.assessment,
        bank=bank,
        attempts=attempts,
        mine=assessment_attempts.mine(platform.uow(), actor=actor, assessment_id=assessment_id, now=now),
        item_kinds=KIND_WORDS,
        skills_text=", ".join(view.skill_labels.get(u, u) for u in view.stored.assessment.skills),
        reviewer_email=view.reviewer_email,
        achievements=assessments.scoring_achievements(platform.uow(), actor=actor) if view.authoring else [],
    )
    return templates.TemplateResponse(request, "assessments/assessment.html", context)


@router.post("/assessments/{assessment_key}/edit", response_class=HTMLResponse)
async def edit(assessment_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> None:
        assessments.update(
            platform.uow(),
            actor=actor,
            assessment_id=_key(assessment_key),
            assessment=assessment_of(platform, actor, data),
            now=platform.clock(),
        )

    return await act(request, f"/assessments/{assessment_key}", run)


@router.post("/assessments/{assessment_key}/items", response_class=HTMLResponse)
async def add_item(
    assessment_key: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    back = f"/assessments/{assessment_key}#bank"

    def run(data: FormData, me: int) -> None:
        assessments.add_item(
            platform.uow(),
            actor=actor,
            assessment_id=_key(assessment_key),
            item=item_of(data),
            now=platform.clock(),
        )

    return await act(request, back, run)


@router.post("/assessments/{assessment_key}/items/{item_key}/remove", response_class=HTMLResponse)
async def remove_item(
    assessment_key: str, item_key: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    def run(data: FormData, me: int) -> None:
        assessments.edit_item(
            platform.uow(), actor=actor, assessment_id=_key(assessment_key), item_id=_key(item_key), item=None
        )

    return await act(request, f"/assessments/{assessment_key}#bank", run)


@router.post("/assessments/{assessment_key}/state", response_class=HTMLResponse)
async def change_state(
    assessment_key: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    def run(data: FormData, me: int) -> None:
        wanted = field_of(data, "state")
        if wanted not in ("published", "closed"):
            raise NotFound(f"no state {wanted!r}: published or closed")
        assessments.update(
            platform.uow(),
            actor=actor,
            assessment_id=_key(assessment_key),
            state=AssessmentState(wanted),
            now=platform.clock(),
        )

    return await act(request, f"/assessments/{assessment_key}", run)


@router.post("/assessments/{assessment_key}/start", response_class=HTMLResponse)
async def start(assessment_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> str:
        view = assessment_attempts.start(
            platform.uow(), actor=actor, assessment_id=_key(assessment_key), now=platform.clock()
        )
        return f"/assessment-attempts/{view.id}"

    return await act(request, f"/assessments/{assessment_key}", run)


@router.get("/assessment-attempts/{attempt_key}", response_class=HTMLResponse)
def attempt_page(attempt_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/assessment-attempts/{attempt_key}")
    try:
        view = assessment_attempts.get(
            platform.uow(), actor=actor, attempt_id=_key(attempt_key), now=platform.clock()
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    context = page_context(
        request,
        view=view,
        attempt=view.attempt,
        a=view.assessment.assessment,
        taking=view.state.value == "in_progress" and actor.user_id == view.attempt.candidate_id,
        minutes=view.seconds_left // 60,
        seconds=view.seconds_left % 60,
        item_kinds=KIND_WORDS,
    )
    return templates.TemplateResponse(request, "assessments/attempt.html", context)


@router.post("/assessment-attempts/{attempt_key}/submit", response_class=HTMLResponse)
async def submit(attempt_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    back = f"/assessment-attempts/{attempt_key}"

    def run(data: FormData, me: int) -> None:
        attempt_id = _key(attempt_key)
        current = assessment_attempts.get(
            platform.uow(), actor=actor, attempt_id=attempt_id, now=platform.clock()
        )
        assessment_attempts.submit(
            platform.uow(),
            issuing_for(platform),
            actor=actor,
            attempt_id=attempt_id,
            answers=answers_of(data, current.questions),
            work=field_of(data, "work"),
            now=platform.clock(),
        )

    return await act(request, back, run)


@router.post("/assessment-attempts/{attempt_key}/score", response_class=HTMLResponse)
async def score(attempt_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> None:
        attempt_id = _key(attempt_key)
        current = assessment_attempts.get(
            platform.uow(), actor=actor, attempt_id=attempt_id, now=platform.clock()
        )
        assessment_attempts.score(
            platform.uow(),
            issuing_for(platform),
            actor=actor,
            attempt_id=attempt_id,
            criteria=points_of(data, current.assessment.assessment.rubric),
            comment=field_of(data, "comment"),
            now=platform.clock(),
        )

    return await act(request, f"/assessment-attempts/{attempt_key}", run)


@router.post("/assessment-requirements/{job_key}", response_class=HTMLResponse)
async def require(job_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    back = f"/jobs/{job_key}#assessments"

    def run(data: FormData, me: int) -> None:
        chosen = [number(v) for v in data.getlist("assessment") if isinstance(v, str)]
        assessment_hiring.require(
            platform.uow(),
            actor=actor,
            job_id=_key(job_key),
            assessment_ids=[c for c in chosen if c is not None],
        )

    return await act(request, back, run)


def job_panel(platform: Platform, actor: Actor, job_id: int, manager: bool) -> dict[str, Any]:
    """What a job's page shows of hiring with assessments (``assessments/_job.html``)."""
    if not actor.is_authenticated:
        return {"hiring": None, "assessable": []}
    try:
        hiring = assessment_hiring.for_job(platform.uow(), actor=actor, job_id=job_id)
    except MicrocareerError:
        return {"hiring": None, "assessable": []}
    assessable = []
    if manager:
        assessable = [
            v
            for v in assessments.catalogue(platform.uow(), actor=actor)
            if v.stored.state is AssessmentState.PUBLISHED
        ]
    return {"hiring": hiring, "assessable": assessable}
