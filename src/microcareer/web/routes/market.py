"""/market: demand and trends from job postings (issue 19) for signed-in people, filtered by period,
place and occupation; charts inline as SVG (``domain/market/charts.py``), each table downloadable as
CSV or Parquet through the API (``/api/v1/market/tables/...``).

Platform admins (``Action.MARKET_INGEST``) also see an upload form: ``POST /market/postings`` ingests
a file as ``POST /api/v1/market/postings`` does (the same form, caps and service,
``api/market_uploads.py``) and answers the page with the ingest report (postings added, re-posts
collapsed, bad rows by line) above the demand it changed; with "in the background" ticked it starts a
job as ``POST /api/v1/market/ingests`` does and sends the admin to its page
(``web/routes/market_ingests.py``). Anyone else gets 403 and no form."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from microcareer.adapters.posting_files import FORMATS
from microcareer.api.deps import PlatformDep
from microcareer.api.market_uploads import IngestForm, ingest_form, ingest_upload, start_ingest_job
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.market.charts import demand_chart, trend_chart
from microcareer.domain.market.ingest_jobs import IngestJob
from microcareer.errors import InvalidInput, MicrocareerError, NotFound
from microcareer.services import market_demand, market_ingest, market_ingest_jobs, market_trends
from microcareer.services.access import Action, is_allowed
from microcareer.services.gap_analysis import graph_cache
from microcareer.services.market_demand import Selection
from microcareer.services.market_ingest import IngestReport
from microcareer.services.market_tables import trend_lines
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.routes.profiles import CSRF_ERROR, to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)


def _date(value: str, name: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{name}: {value!r} is not a date (YYYY-MM-DD)", field=name) from None


def _svg(text: str) -> Markup:
    """A chart from ``domain/market/charts.py``: every text in it is escaped there."""
    return Markup(text)  # noqa: S704 - built by the chart module, labels escaped


@router.get("/market", response_class=HTMLResponse)
def market_page(
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    start: Annotated[str, Query(alias="from", max_length=20)] = "",
    end: Annotated[str, Query(alias="to", max_length=20)] = "",
    place: Annotated[str, Query(max_length=200)] = "",
    occupation: Annotated[str, Query(max_length=255)] = "",
) -> Response:
    if current_identity(request) is None:
        return to_login("/market")
    chosen = {"from": start, "to": end, "place": place, "occupation": occupation}
    return _page(request, platform, actor, chosen)


NOT_ALLOWED = "Only platform admins ingest job postings."


@router.post("/market/postings", response_class=HTMLResponse)
async def market_postings_posted(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """Ingest the uploaded file and show the page with its report (or what was wrong with the upload)."""
    if current_identity(request) is None:
        return to_login("/market")
    shown = partial(_page, request, platform, actor, {})
    if not is_allowed(actor, Action.MARKET_INGEST):  # before the body is read
        return await run_in_threadpool(shown, ingest_error=NOT_ALLOWED, status=403)
    form: IngestForm | None = None
    try:
        async with ingest_form(request) as form:
            if not form_csrf_ok(request, form.csrf_token):
                return await run_in_threadpool(shown, form=form, ingest_error=CSRF_ERROR, status=403)
            if form.background:
                job, task = await start_ingest_job(request, platform, actor, form)
                return RedirectResponse(f"/market/ingests/{job.id}", status_code=303, background=task)
            report = await ingest_upload(request, platform, actor, form)
    except MicrocareerError as exc:
        response = await run_in_threadpool(shown, form=form, ingest_error=str(exc), status=exc.status)
        retry_after = exc.extra.get("retry_after")
        if isinstance(retry_after, int):
            response.headers["Retry-After"] = str(retry_after)
        return response
    return await run_in_threadpool(shown, form=form, ingest=report)


def _page(
    request: Request,
    platform: Platform,
    actor: Actor,
    chosen: dict[str, str],
    *,
    form: IngestForm | None = None,
    ingest: IngestReport | None = None,
    ingest_error: str | None = None,
    status: int = 200,
) -> Response:
    start, end = chosen.get("from", ""), chosen.get("to", "")
    place, occupation = chosen.get("place", ""), chosen.get("occupation", "")
    graphs = graph_cache(platform.caches)
    error = None
    report = trends = None
    occupations = market_demand.occupations(
        platform.uow(), graphs, actor=actor, selection=Selection(), limit=30, top=1
    )
    places = market_demand.places(platform.uow(), actor=actor)
    may_ingest = is_allowed(actor, Action.MARKET_INGEST)
    jobs: list[IngestJob] = (
        market_ingest_jobs.recent(platform.uow(), actor=actor, now=platform.clock(), limit=5)
        if may_ingest
        else []
    )
    try:
        selection = Selection(_date(start, "from"), _date(end, "to"), place, occupation)
        report = market_demand.demand(platform.uow(), graphs, actor=actor, selection=selection, limit=15)
        trends = market_trends.trends(platform.uow(), graphs, actor=actor, selection=selection, limit=10)
    except (InvalidInput, NotFound) as exc:
        error, status = str(exc), exc.status
    query = urlencode(
        {k: v for k, v in {"start": start, "end": end, "place": place, "occupation": occupation}.items() if v}
    )
    context = page_context(
        request,
        report=report,
        trends=trends,
        occupations=occupations,
        places=places,
        chosen={"from": start, "to": end, "place": place, "occupation": occupation},
        error=error,
        query=query,
        demand_svg=_svg(demand_chart(report.skills)) if report and report.skills else None,
        trend_svg=_svg(trend_chart(trend_lines(trends, 8)))
        if trends and (trends.rising or trends.fading)
        else None,
        may_ingest=may_ingest,
        jobs=jobs,
        job_max_rows=market_ingest_jobs.JOB_MAX_ROWS,
        job_max_mib=market_ingest_jobs.JOB_MAX_BYTES // 2**20,
        ingest=ingest,
        ingest_error=ingest_error,
        ingest_form=form,
        formats=FORMATS,
        max_rows=market_ingest.UPLOAD_MAX_ROWS,
        max_mib=market_ingest.UPLOAD_MAX_BYTES // 2**20,
    )
    return templates.TemplateResponse(request, "market/market.html", context, status_code=status)
