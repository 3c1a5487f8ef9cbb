"""/api/v1/market: demand and trends from job postings (issue 19), for signed-in callers; tables as CSV
or Parquet and charts as SVG. A bad date, an unknown table or chart is a 422 naming it; an unknown
occupation, skill group or skill a 404. ``POST /market/postings`` ingests an uploaded file of postings
(platform admins; ``api/market_uploads.py``) within the request; ``POST /market/ingests`` a larger one
in the background (202 and a job to poll at ``GET /market/ingests/{id}``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from microcareer.adapters.table_export import export
from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.market_uploads import FORM_SCHEMA, ingest_form, ingest_upload, start_ingest_job
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.market import (
    AtRiskPublic,
    CredentialValuePublic,
    DemandPublic,
    IngestJobPublic,
    IngestReportPublic,
    IssuerSignalPublic,
    SkillMarketPublic,
    TrendsPublic,
)
from microcareer.services import (
    market_credentials,
    market_demand,
    market_ingest,
    market_ingest_jobs,
    market_tables,
    market_trends,
)
from microcareer.services.access import Action, authorize
from microcareer.services.gap_analysis import graph_cache
from microcareer.services.market_demand import Selection

router = PrefixRouter(prefix="/market", tags=["market"], route_class=OneHopRoute)

Start = Annotated[date | None, Query(description="First day of the period.")]
End = Annotated[date | None, Query(description="Last day of the period.")]
Place = Annotated[str, Query(max_length=200, description="A place as the postings write it.")]
Occupation = Annotated[str, Query(max_length=255, description="An ESCO occupation URI.")]
Group = Annotated[str, Query(max_length=255, description="An ESCO skill group URI.")]
Limit = Annotated[int, Query(ge=1, le=200)]


def _selection(
    start: Start = None,
    end: End = None,
    place: Place = "",
    occupation: Occupation = "",
    skill_group: Group = "",
) -> Selection:
    """The postings a report reads: the query parameters every report and table shares."""
    return Selection(start, end, place, occupation, skill_group)


SelectionDep = Annotated[Selection, Depends(_selection)]


@router.get("/demand", response_model=DemandPublic, summary="Skill demand in job postings")
def get_demand(
    platform: PlatformDep,
    actor: ActorDep,
    selection: SelectionDep,
    limit: Limit = 25,
) -> DemandPublic:
    """Each skill's share of the selected postings, and the mean pay of postings naming it."""
    report = market_demand.demand(
        platform.uow(),
        graph_cache(platform.caches),
        actor=actor,
        selection=selection,
        limit=limit,
    )
    return DemandPublic.of(report)


@router.get("/trends", response_model=TrendsPublic, summary="Rising and fading skills")
def get_trends(
    platform: PlatformDep,
    actor: ActorDep,
    selection: SelectionDep,
    limit: Limit = 20,
) -> TrendsPublic:
    """Monthly shares per skill, tested for a trend (Cochran-Armitage, Benjamini-Hochberg)."""
    report = market_trends.trends(
        platform.uow(),
        graph_cache(platform.caches),
        actor=actor,
        selection=selection,
        limit=limit,
    )
    return TrendsPublic.of(report)


@router.get("/skill", response_model=SkillMarketPublic, summary="One skill in the job market")
def get_skill(
    platform: PlatformDep,
    actor: ActorDep,
    uri: Annotated[str, Query(max_length=255)],
    start: Start = None,
    end: End = None,
    place: Place = "",
    occupation: Occupation = "",
) -> SkillMarketPublic:
    """Share, trend and test, the skills that go with it by lift, and its pay."""
    selection = Selection(start, end, place, occupation)
    graphs = graph_cache(platform.caches)
    found = market_demand.skill_demand(platform.uow(), graphs, actor=actor, uri=uri, selection=selection)
    trend = market_trends.skill_trend(platform.uow(), graphs, actor=actor, uri=uri, selection=selection)
    return SkillMarketPublic.of(found, trend)


@router.get("/at-risk/{user_id}", response_model=AtRiskPublic, summary="A profile's skills at risk")
def get_at_risk(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> AtRiskPublic:
    """The profile's skills whose demand is falling significantly (404 where the profile is hidden)."""
    found = market_trends.skills_at_risk(
        platform.uow(),
        graph_cache(platform.caches),
        actor=actor,
        user_id=user_id,
        today=platform.clock().date(),
        policy=platform.evidence_policy,
    )
    return AtRiskPublic.of(found)


@router.get("/tables/{table}", summary="A market table as CSV or Parquet")
def get_table(
    table: str,
    platform: PlatformDep,
    actor: ActorDep,
    selection: SelectionDep,
    format: Literal["csv", "parquet"] = "csv",
    limit: Limit = 200,
) -> Response:
    """demand, pay, trends, series, occupations; postings and posting_skills for platform admins."""
    columns, rows = market_tables.table_named(
        platform.uow(),
        platform.caches,
        actor=actor,
        name=table,
        selection=selection,
        limit=limit,
    )
    media = "text/csv; charset=utf-8" if format == "csv" else "application/vnd.apache.parquet"
    return Response(
        export(columns, rows, format),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="market-{table}.{format}"'},
    )


@router.get("/charts/{kind}.svg", summary="A demand or trend chart as SVG")
def get_chart(
    kind: Literal["demand", "trends"],
    platform: PlatformDep,
    actor: ActorDep,
    selection: SelectionDep,
    limit: Annotated[int, Query(ge=1, le=30)] = 8,
) -> Response:
    svg = market_tables.chart_named(
        platform.uow(),
        platform.caches,
        actor=actor,
        kind=kind,
        selection=selection,
        limit=limit,
    )
    return Response(svg, media_type="image/svg+xml")


@router.get(
    "/achievements/{achievement_id}/value",
    response_model=CredentialValuePublic,
    summary="Demand for a microcredential's skills",
)
def get_credential_value(
    achievement_id: RowId, platform: PlatformDep, actor: ActorDep
) -> CredentialValuePublic:
    """Each aligned skill's share of postings and its trend."""
    value = market_credentials.credential_value(
        platform.uow(), graph_cache(platform.caches), actor=actor, achievement_id=achievement_id
    )
    return CredentialValuePublic.of(value)


@router.get(
    "/issuers/{slug}/signal", response_model=IssuerSignalPublic, summary="An issuer's checkable parts"
)
def get_issuer_signal(slug: str, platform: PlatformDep, actor: ActorDep) -> IssuerSignalPublic:
    """Standing of its credentials, ESCO alignment, expiry policy, holders' outcomes and demand, each
    measured and explained: never one score."""
    signal = market_credentials.issuer_signal(
        platform.uow(), graph_cache(platform.caches), actor=actor, slug=slug, now=platform.clock()
    )
    return IssuerSignalPublic.of(signal)


@router.post(
    "/postings",
    response_model=IngestReportPublic,
    summary="Ingest a file of job postings",
    description=(
        "Platform admins: a CSV, JSON Lines or Parquet file of postings (`file`) with its column mapping "
        "(`columns`) and `source`, ingested as `microcareer market ingest` does: HTML stripped, re-posts "
        "collapsed, skills extracted; bad rows skipped and listed by line; sending the same file again "
        f"changes nothing. Up to {market_ingest.UPLOAD_MAX_ROWS:,} rows and "
        f"{market_ingest.UPLOAD_MAX_BYTES // 2**20} MiB (413 naming `file`), ingested before the answer; "
        "larger corpora go through the CLI."
    ),
    openapi_extra={
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": FORM_SCHEMA}}}
    },
)
async def post_postings(request: Request, platform: PlatformDep, actor: ActorDep) -> IngestReportPublic:
    """The file ingested; the report of what was added, collapsed, known and skipped."""
    authorize(actor, Action.MARKET_INGEST)  # before the body is read
    async with ingest_form(request) as form:
        report = await ingest_upload(request, platform, actor, form)
    return IngestReportPublic.of(report)


@router.post(
    "/ingests",
    status_code=202,
    response_model=IngestJobPublic,
    summary="Ingest a larger file of job postings in the background",
    description=(
        "Platform admins: the form of `POST /market/postings`, for files of up to "
        f"{market_ingest_jobs.JOB_MAX_ROWS:,} rows and {market_ingest_jobs.JOB_MAX_BYTES // 2**20} MiB "
        "(413 naming `file`). The file is checked (422 naming the field, as there), then ingested after "
        "the answer: 202 with the job (`Location` to poll). One job runs at a time across every server "
        "process sharing the database: "
        "503 `busy` with `Retry-After` while one does. Sending the same file again adds nothing."
    ),
    responses={503: {"description": "A background ingest runs already; try again later."}},
    openapi_extra={
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": FORM_SCHEMA}}}
    },
)
async def post_ingest(request: Request, platform: PlatformDep, actor: ActorDep) -> Response:
    """The file checked and its ingest started; the job as it starts."""
    authorize(actor, Action.MARKET_INGEST)  # before the body is read
    async with ingest_form(request) as form:
        job, task = await start_ingest_job(request, platform, actor, form)
    body = IngestJobPublic.of(job).model_dump(mode="json")
    location = f"/api/v1/market/ingests/{job.id}"
    return JSONResponse(body, status_code=202, headers={"Location": location}, background=task)


@router.get("/ingests", response_model=list[IngestJobPublic], summary="Recent background ingests")
def get_ingests(platform: PlatformDep, actor: ActorDep) -> list[IngestJobPublic]:
    """Platform admins: the latest jobs, newest first."""
    jobs = market_ingest_jobs.recent(platform.uow(), actor=actor, now=platform.clock())
    return [IngestJobPublic.of(job) for job in jobs]


@router.get("/ingests/{job_id}", response_model=IngestJobPublic, summary="A background ingest")
def get_ingest(job_id: RowId, platform: PlatformDep, actor: ActorDep) -> IngestJobPublic:
    """Platform admins: its state, rows done of the total, postings added, re-posts collapsed and bad
    rows by line and column; a job whose server process ended reads ``interrupted``."""
    job = market_ingest_jobs.job(platform.uow(), actor=actor, job_id=job_id, now=platform.clock())
    return IngestJobPublic.of(job)
