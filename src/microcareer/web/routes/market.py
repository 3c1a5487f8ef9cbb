"""/market: demand and trends from job postings (issue 19) for signed-in people, filtered by period,
place and occupation; charts inline as SVG (``domain/market/charts.py``), each table downloadable as
CSV or Parquet through the API (``/api/v1/market/tables/...``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from microcareer.api.deps import PlatformDep
from microcareer.domain.market.charts import demand_chart, trend_chart
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import market_demand, market_trends
from microcareer.services.gap_analysis import graph_cache
from microcareer.services.market_demand import Selection
from microcareer.services.market_tables import trend_lines
from microcareer.web.auth import WebActorDep, current_identity, page_context
from microcareer.web.routes.profiles import to_login
from microcareer.web.templating import templates

router = APIRouter(include_in_schema=False)


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
    graphs = graph_cache(platform.caches)
    error = None
    status = 200
    report = trends = None
    occupations = market_demand.occupations(
        platform.uow(), graphs, actor=actor, selection=Selection(), limit=30, top=1
    )
    places = market_demand.places(platform.uow(), actor=actor)
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
    )
    return templates.TemplateResponse(request, "market/market.html", context, status_code=status)
