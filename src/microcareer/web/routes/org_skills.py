"""An organisation's skills for its admins: the members' inventory, and who could grow into which role.

``/organisations/{slug}/skills`` lists every skill the members hold (holders, levels, mean confidence)
and ``/organisations/{slug}/gap?role=...`` (the ``role`` field repeated, one occupation each) ranks the
members by fit to each role with the essential skills they lack most, both from
``services/org_skills.py``. Only the organisation's admins and platform admins see them: an outsider
gets the 404 page of an organisation that does not exist, a plain member a 403 page. Members whose
profiles the reader may not read are left out of every figure, and the page says how many.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.domain.profiles.gap import ESSENTIAL_IMPORTANCE
from microcareer.errors import InvalidInput, NotFound, PermissionDenied
from microcareer.services import gap_analysis, org_skills, taxonomy
from microcareer.services.org_skills import OrganisationGap, SkillsInventory
from microcareer.web.auth import WebActorDep, current_identity, page_context
from microcareer.web.routes.profiles import not_found, to_login, today_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)


def forbidden(request: Request, message: str) -> HTMLResponse:
    context = page_context(request, message=message)
    return templates.TemplateResponse(request, "organisations/forbidden.html", context, status_code=403)


@router.get("/organisations/{slug}/skills", response_class=HTMLResponse)
def inventory_page(slug: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/organisations/{slug}/skills")
    try:
        inventory: SkillsInventory = org_skills.skills_inventory(
            platform.uow(), actor=actor, slug=slug, today=today_of(platform), policy=platform.evidence_policy
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    context = page_context(
        request, organisation=inventory.organisation, count=inventory.count, inventory=inventory
    )
    return templates.TemplateResponse(request, "organisations/skills.html", context)


@router.get("/organisations/{slug}/gap", response_class=HTMLResponse)
def gap_page(
    slug: str,
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    role: Annotated[list[str] | None, Query(max_length=500)] = None,
) -> Response:
    if current_identity(request) is None:
        return to_login(f"/organisations/{slug}/gap")
    roles = [r for r in role or [] if r.strip()]
    report: OrganisationGap | None = None
    error = None
    status = 200
    try:
        # The inventory call checks access (and names the organisation) even when no role is asked yet.
        inventory = org_skills.skills_inventory(
            platform.uow(), actor=actor, slug=slug, today=today_of(platform), policy=platform.evidence_policy
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    if roles:
        try:
            report = org_skills.organisation_gap(
                platform.uow(),
                gap_analysis.graph_cache(platform.caches),
                taxonomy.label_index_cache(platform.caches),
                actor=actor,
                slug=slug,
                roles=roles,
                today=today_of(platform),
                policy=platform.evidence_policy,
            )
        except (NotFound, InvalidInput) as exc:  # a role that names no occupation
            error, status = str(exc), exc.status
    context = page_context(
        request,
        organisation=inventory.organisation,
        count=report.count if report is not None else inventory.count,
        roles=roles or [""],
        report=report,
        error=error,
        essential=ESSENTIAL_IMPORTANCE,
    )
    return templates.TemplateResponse(request, "organisations/gap.html", context, status_code=status)
