"""Learning pathways on the web: ``/plans`` (my plans and the form that makes one, pre-filled from a gap
page's "Plan the way there"), ``/plans/{id}`` (the plan: timeline chart, steps with why each comes where
it does, weeks, months; a form to mark steps done, which re-plans the rest). Signed-in people see their
own plans; a platform admin any; anyone else gets the not-found page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.pathways.problem import PlanMode, ShapeChoice
from microcareer.errors import InvalidInput, MicrocareerError, NotFound
from microcareer.services import gap_analysis, pathways, taxonomy
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.marketplace_pages import read_form
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import CSRF_ERROR, not_found, to_login
from microcareer.web.templating import templates
from microcareer.web.timeline_chart import timeline_chart

router = PrefixRouter(include_in_schema=False)

MODES = {
    PlanMode.BALANCED: "Balanced: time and cost together",
    PlanMode.FASTEST: "Fastest",
    PlanMode.CHEAPEST: "Cheapest",
    PlanMode.INCOME_FLOOR: "Keep my monthly income above a floor",
}
SHAPES = {
    ShapeChoice.ANY: "No preference",
    ShapeChoice.DEPTH: "Deepen my core",
    ShapeChoice.BREADTH: "Broaden",
}


@dataclass(frozen=True)
class PlanForm:
    occupation: str = ""
    hours: str = "8"
    mode: str = PlanMode.BALANCED.value
    budget: str = ""
    income_floor: str = ""
    base_income: str = ""
    shape: str = ShapeChoice.ANY.value

    @classmethod
    def of(cls, data: FormData) -> PlanForm:
        return cls(**{name: field_of(data, name).strip() for name in cls.__dataclass_fields__})

    def options(self) -> pathways.PlanOptions:
        try:
            hours = float(self.hours)
        except ValueError:
            raise InvalidInput(
                f"hours: a number of hours a week, not {self.hours!r}", field="hours"
            ) from None
        try:
            mode, shape = PlanMode(self.mode), ShapeChoice(self.shape)
        except ValueError:
            raise InvalidInput("mode: pick one of the choices", field="mode") from None
        return pathways.PlanOptions(
            hours_per_week=hours,
            mode=mode,
            budget=self.budget or None,
            income_floor=self.income_floor or None,
            base_income=self.base_income or None,
            shape=shape,
        )


def _plans_page(
    request: Request,
    platform: Platform,
    actor: Actor,
    user_id: int,
    *,
    form: PlanForm,
    error: str | None = None,
    status: int = 200,
) -> Response:
    plans = pathways.list_plans(platform.uow(), actor=actor, user_id=user_id)
    context = page_context(request, plans=plans, form=form, error=error, modes=MODES, shapes=SHAPES)
    return templates.TemplateResponse(request, "pathways/plans.html", context, status_code=status)


@router.get("/plans", response_class=HTMLResponse)
def plans_page(
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    occupation: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/plans")
    return _plans_page(request, platform, actor, identity.user.id, form=PlanForm(occupation=occupation))


@router.post("/plans", response_class=HTMLResponse)
async def make_plan(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/plans")
    data = await read_form(request)
    user_id = identity.user.id
    if isinstance(data, str):
        return await run_in_threadpool(
            _plans_page, request, platform, actor, user_id, form=PlanForm(), error=data, status=400
        )
    return await run_in_threadpool(_make_plan, request, platform, actor, user_id, data)


def _make_plan(request: Request, platform: Platform, actor: Actor, user_id: int, data: FormData) -> Response:
    form = PlanForm.of(data)
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _plans_page(request, platform, actor, user_id, form=form, error=CSRF_ERROR, status=403)
    try:
        if not form.occupation:
            raise InvalidInput("occupation: name the occupation to plan for", field="occupation")
        matched = taxonomy.match_occupation(
            platform.uow(), taxonomy.label_index_cache(platform.caches), actor=actor, text=form.occupation
        )
        stored = pathways.create_plan(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=actor,
            user_id=user_id,
            target_kind="occupation",
            target=matched.detail.occupation.uri,
            options=form.options(),
            now=platform.clock(),
            policy=platform.evidence_policy,
        )
    except MicrocareerError as exc:
        status = exc.status if 400 <= exc.status < 500 else 400
        return _plans_page(request, platform, actor, user_id, form=form, error=str(exc), status=status)
    return RedirectResponse(f"/plans/{stored.id}", status_code=303)


def _plan_page(
    request: Request,
    platform: Platform,
    actor: Actor,
    plan_id: int,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    try:
        stored = pathways.get_plan(platform.uow(), actor=actor, plan_id=plan_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    chart = timeline_chart(stored.plan["steps"], stored.plan["weeks"])
    context = page_context(request, stored=stored, plan=stored.plan, chart=chart, error=error, shapes=SHAPES)
    return templates.TemplateResponse(request, "pathways/plan.html", context, status_code=status)


def _plan_id(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


@router.get("/plans/{plan_key}", response_class=HTMLResponse)
def plan_page(plan_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/plans/{plan_key}")
    plan_id = _plan_id(plan_key)
    if plan_id is None:
        return not_found(request, f"no plan {plan_key!r}")
    return _plan_page(request, platform, actor, plan_id)


@router.post("/plans/{plan_key}/progress", response_class=HTMLResponse)
async def progress(plan_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/plans/{plan_key}")
    plan_id = _plan_id(plan_key)
    if plan_id is None:
        return not_found(request, f"no plan {plan_key!r}")
    data = await read_form(request)
    if isinstance(data, str):
        return await run_in_threadpool(_plan_page, request, platform, actor, plan_id, error=data, status=400)
    return await run_in_threadpool(_progress, request, platform, actor, plan_id, data)


def _progress(request: Request, platform: Platform, actor: Actor, plan_id: int, data: FormData) -> Response:
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _plan_page(request, platform, actor, plan_id, error=CSRF_ERROR, status=403)
    done = [value for value in data.getlist("done") if isinstance(value, str)][:200]
    try:
        pathways.record_progress(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=actor,
            plan_id=plan_id,
            done=done,
            now=platform.clock(),
            policy=platform.evidence_policy,
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    except MicrocareerError as exc:
        status = exc.status if 400 <= exc.status < 500 else 400
        return _plan_page(request, platform, actor, plan_id, error=str(exc), status=status)
    return RedirectResponse(f"/plans/{plan_id}?replanned=true", status_code=303)
