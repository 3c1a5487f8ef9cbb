"""A profile measured against where the person wants to go: the gap to an occupation, the closest
occupations, and the shape of the career, for signed-in users who may read the profile.

``/profiles/{user_id}/gap?occupation=...`` takes an occupation's label, key or URI in a plain GET form;
a label that names no occupation exactly shows the closest labels to pick from, and one that is another
occupation's other label says so ("data engineer" is an alternative label of *data scientist*) with the
other occupations its words fit. Charts are inline SVG
drawn from ``web/charts.py``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.gap import ESSENTIAL_IMPORTANCE
from microcareer.domain.profiles.shape import BROAD_AT, DEEP_AT
from microcareer.domain.taxonomy.concepts import OccupationRef
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import gap_analysis, pathways, taxonomy
from microcareer.services.gap_analysis import GapReport
from microcareer.web.auth import WebActorDep, page_context
from microcareer.web.charts import BAR_HEIGHT, LABEL_GAP, LINE_HEIGHT, depth_chart, fit_segments
from microcareer.web.routes.profiles import not_found, profile_target, profile_view, today_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

SUGGESTIONS = 10
CLOSEST_DEFAULT = 20


def _occupation(platform: Platform, actor: Actor, text: str) -> taxonomy.OccupationMatch:
    cache = taxonomy.label_index_cache(platform.caches)
    return taxonomy.match_occupation(platform.uow(), cache, actor=actor, text=text)


def _suggestions(platform: Platform, actor: Actor, text: str) -> tuple[OccupationRef, ...]:
    cache = taxonomy.label_index_cache(platform.caches)
    try:
        page = taxonomy.search_occupations(platform.uow(), cache, actor=actor, query=text, limit=SUGGESTIONS)
    except InvalidInput:
        return ()
    return tuple(hit.concept for hit in page.hits)


@router.get("/profiles/{user_key}/gap", response_class=HTMLResponse)
def gap_page(
    user_key: str,
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    occupation: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    user_id = profile_target(request, user_key, f"/profiles/{user_key}/gap")
    if isinstance(user_id, Response):
        return user_id
    try:
        view = profile_view(platform, actor, user_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    report: GapReport | None = None
    matched: taxonomy.OccupationMatch | None = None
    error = None
    suggestions: tuple[OccupationRef, ...] = ()
    status = 200
    if occupation.strip():
        try:
            matched = _occupation(platform, actor, occupation.strip())
            report = gap_analysis.gap_to_occupation(
                platform.uow(),
                gap_analysis.graph_cache(platform.caches),
                actor=actor,
                user_id=user_id,
                occupation=matched.detail.occupation.uri,
                today=today_of(platform),
                policy=platform.evidence_policy,
            )
        except (NotFound, InvalidInput) as exc:
            error, status = str(exc), exc.status
            suggestions = _suggestions(platform, actor, occupation.strip())
    context = page_context(
        request,
        view=view,
        occupation=occupation,
        report=report,
        matched=matched,
        segments=fit_segments(report.gap.breakdown) if report is not None else (),
        essential=ESSENTIAL_IMPORTANCE,
        error=error,
        suggestions=suggestions,
    )
    return templates.TemplateResponse(request, "profiles/gap.html", context, status_code=status)


@router.get("/profiles/{user_key}/closest", response_class=HTMLResponse)
def closest_page(
    user_key: str,
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    limit: Annotated[int, Query(ge=1, le=200)] = CLOSEST_DEFAULT,
) -> Response:
    user_id = profile_target(request, user_key, f"/profiles/{user_key}/closest")
    if isinstance(user_id, Response):
        return user_id
    try:
        view = profile_view(platform, actor, user_id)
        closest = gap_analysis.closest_occupations(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=actor,
            user_id=user_id,
            today=today_of(platform),
            policy=platform.evidence_policy,
            limit=limit,
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    context = page_context(request, view=view, closest=closest)
    return templates.TemplateResponse(request, "profiles/closest.html", context)


@router.get("/profiles/{user_key}/shape", response_class=HTMLResponse)
def shape_page(
    user_key: str,
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    plan: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    user_id = profile_target(request, user_key, f"/profiles/{user_key}/shape")
    if isinstance(user_id, Response):
        return user_id
    if plan and not (plan.isdigit() and len(plan) < 10):
        return not_found(request, f"no plan {plan!r}")
    try:
        view = profile_view(platform, actor, user_id)
        found = pathways.shape_with_plan(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=actor,
            user_id=user_id,
            today=today_of(platform),
            plan_id=int(plan) if plan else None,
            policy=platform.evidence_policy,
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    report = found.report
    context = page_context(
        request,
        view=view,
        report=report,
        plan=found.plan,
        chart=depth_chart(report.shape.areas),
        label_gap=LABEL_GAP,
        line_height=LINE_HEIGHT,
        bar_height=BAR_HEIGHT,
        deep_at=DEEP_AT,
        broad_at=BROAD_AT,
    )
    return templates.TemplateResponse(request, "profiles/shape.html", context)
