"""/market/ingests/{id}: a background ingest of postings (issue 19), for platform admins: its state,
rows done of the total, and once finished the report (postings added, re-posts collapsed, already
stored, bad rows by line and column). While it runs the page has a plain "Refresh" link (no script
needed) and, where htmx is served, polls itself every ``POLL_SECONDS`` and swaps the job's section.
A job whose server process ended reads "interrupted", never done. Signed out: to sign-in; anyone
else: 403; an unknown job: 404."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.errors import NotFound, PermissionDenied
from microcareer.services import market_ingest_jobs
from microcareer.web.auth import WebActorDep, current_identity, page_context
from microcareer.web.routes.org_skills import forbidden
from microcareer.web.routes.profiles import not_found, to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

POLL_SECONDS = 2


@router.get("/market/ingests/{job_id}", response_class=HTMLResponse)
def ingest_job_page(job_id: RowId, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/market/ingests/{job_id}", request)
    try:
        job = market_ingest_jobs.job(platform.uow(), actor=actor, job_id=job_id, now=platform.clock())
    except NotFound as exc:
        return not_found(request, str(exc))
    except PermissionDenied as exc:
        return forbidden(request, str(exc))
    context = page_context(request, job=job, poll_seconds=POLL_SECONDS)
    return templates.TemplateResponse(request, "market/ingest_job.html", context)
