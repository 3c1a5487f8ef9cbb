"""An organisation's members for its admins, and naming who approves each one's internal gigs.

``/organisations/{slug}/members`` lists the people with their role and manager; each row has a form
(``POST /organisations/{slug}/members/{user_id}/manager``) to name another member as manager, or none
(then the organisation's admins approve). ``work_dashboard.set_manager`` decides who may: an admin of an
organisation both belong to. Outsiders get the 404 page, plain members a 403 page, as on the skills pages.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from microcareer.api.deps import PlatformDep
from microcareer.api.edge_guard import check_form
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import MicrocareerError, NotFound, PermissionDenied
from microcareer.services import organisations, work_dashboard
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.org_skills import forbidden
from microcareer.web.routes.profiles import CSRF_ERROR, not_found, to_login, user_id_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)


def _members_page(
    request: Request,
    platform: Platform,
    actor: Actor,
    slug: str,
    *,
    error: str | None = None,
    error_for: int | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        organisation, members = organisations.members_with_managers(platform.uow(), actor=actor, slug=slug)
    except NotFound as exc:
        return not_found(request, str(exc))
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    context = page_context(
        request,
        organisation=organisation,
        members=members,
        names={m.user.id: m.user.display_name for m in members},
        error=error,
        error_for=error_for,
    )
    return templates.TemplateResponse(request, "organisations/members.html", context, status_code=status)


@router.get("/organisations/{slug}/members", response_class=HTMLResponse)
def members_page(slug: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/organisations/{slug}/members")
    return _members_page(request, platform, actor, slug)


@router.post("/organisations/{slug}/members/{user_key}/manager", response_class=HTMLResponse)
async def name_manager(
    slug: str, user_key: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    """Name the member's manager (a member's id), or none (an empty value)."""
    if current_identity(request) is None:
        return to_login(f"/organisations/{slug}/members")
    try:
        data = check_form(await request.form(max_files=0, max_fields=5))
    except HTTPException as exc:
        error = f"The form could not be read: {exc.detail}"
        return await run_in_threadpool(_members_page, request, platform, actor, slug, error=error, status=400)
    return await run_in_threadpool(
        _name_manager,
        request,
        platform,
        actor,
        slug,
        user_key,
        field_of(data, "manager").strip(),
        form_csrf_ok(request, field_of(data, "csrf_token")),
    )


def _name_manager(
    request: Request,
    platform: Platform,
    actor: Actor,
    slug: str,
    user_key: str,
    chosen: str,
    csrf_ok: bool,
) -> Response:
    user_id = user_id_of(user_key)
    manager_id = user_id_of(chosen) if chosen else None
    if not csrf_ok:
        return _members_page(request, platform, actor, slug, error=CSRF_ERROR, error_for=user_id, status=403)
    try:
        _, members = organisations.members_with_managers(platform.uow(), actor=actor, slug=slug)
        ids = {m.user.id for m in members}
        if user_id not in ids:
            raise NotFound(f"no member {user_key} in organisation {slug!r}")
        if chosen and manager_id not in ids:
            error = f"manager: {chosen!r} is not a member of this organisation"
            return _members_page(request, platform, actor, slug, error=error, error_for=user_id, status=422)
        assert user_id is not None
        work_dashboard.set_manager(
            platform.uow(), actor=actor, user_id=user_id, manager_user_id=manager_id, now=platform.clock()
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    except MicrocareerError as exc:
        return _members_page(
            request, platform, actor, slug, error=str(exc), error_for=user_id, status=exc.status
        )
    return RedirectResponse(f"/organisations/{slug}/members#member-{user_id}", status_code=303)
