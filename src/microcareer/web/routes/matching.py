"""``/for-you``: micro-jobs for the signed-in professional (fit now, stretch, internal gigs), with save
and dismiss; the poster's candidates are on the job page (``routes/jobs.py``, ``#candidates``).

Each job shows why: the skills matched (exactly, or via which related skill of the person), what is
missing, and for a stretch job the skills it would add. Save and dismiss are forms with the session's
CSRF token; a dismissed job is left out from then on; a saved one can be unsaved.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import MicrocareerError, NotFound
from microcareer.services import gap_analysis, matching
from microcareer.services.matching import Mark
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.marketplace_pages import key_of, read_form
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import CSRF_ERROR, not_found, to_login, today_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)
LIST_LIMIT = 10
MARKS: dict[str, Mark | None] = {"save": Mark.SAVED, "dismiss": Mark.DISMISSED, "forget": None}


def _page(
    request: Request,
    platform: Platform,
    actor: Actor,
    user_id: int,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    found = matching.jobs_for_person(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        user_id=user_id,
        today=today_of(platform),
        limit=LIST_LIMIT,
        policy=platform.evidence_policy,
        index=platform.job_index,
    )
    lists = [
        ("fit-now", "Fit now", "Jobs whose required skills you have.", found.fit_now),
        (
            "stretch",
            "Stretch",
            "Jobs that need one or two skills you are close to: a paid way to learn them.",
            found.stretch,
        ),
        ("internal", "Internal gigs", "Gigs of your organisations.", found.internal),
    ]
    context = page_context(request, found=found, lists=lists, error=error)
    return templates.TemplateResponse(request, "work/for_you.html", context, status_code=status)


@router.get("/for-you", response_class=HTMLResponse)
def for_you_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/for-you")
    return _page(request, platform, actor, identity.user.id)


@router.post("/for-you/{job_key}/{action}", response_class=HTMLResponse)
async def mark_job(
    job_key: str, action: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/for-you")
    job_id = key_of(job_key)
    if job_id is None or action not in MARKS:
        return not_found(request, f"no page {request.url.path!r}")
    data = await read_form(request)
    return await run_in_threadpool(_mark, request, platform, actor, identity.user.id, job_id, action, data)


def _mark(
    request: Request,
    platform: Platform,
    actor: Actor,
    user_id: int,
    job_id: int,
    action: str,
    data: FormData | str,
) -> Response:
    if isinstance(data, str):
        return _page(request, platform, actor, user_id, data, 400)
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _page(request, platform, actor, user_id, CSRF_ERROR, 403)
    try:
        matching.mark_job(
            platform.uow(),
            actor=actor,
            user_id=user_id,
            job_id=job_id,
            mark=MARKS[action],
            now=platform.clock(),
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    except MicrocareerError as exc:
        return _page(request, platform, actor, user_id, str(exc), exc.status)
    return RedirectResponse(f"/for-you#job-{job_id}" if action != "dismiss" else "/for-you", status_code=303)
