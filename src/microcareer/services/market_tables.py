"""Every market table as columns and plain rows, for CSV and Parquet export: the reports (demand, pay,
trends with their monthly series, occupations) for readers, the stored postings and posting skills
for platform admins (they hold the postings' full text)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from itertools import zip_longest

from microcareer.domain.accounts import Actor
from microcareer.domain.market.charts import demand_chart, trend_chart
from microcareer.domain.market.records import EXPORT_TABLES
from microcareer.domain.market.trends import SkillTrend
from microcareer.errors import InvalidInput
from microcareer.services import market_demand, market_trends
from microcareer.services.access import Action, authorize
from microcareer.services.gap_analysis import graph_cache
from microcareer.services.market_demand import DemandReport, OccupationDemand, Selection
from microcareer.services.market_trends import TrendsReport
from microcareer.services.ports import UnitOfWork

Row = dict[str, object]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[Row]


def demand_table(report: DemandReport) -> Table:
    rows: list[Row] = [
        {
            "skill_uri": s.uri,
            "skill": s.label,
            "postings": s.postings,
            "share": round(s.share, 6),
            "of_postings": report.postings,
        }
        for s in report.skills
    ]
    return Table("demand", ("skill_uri", "skill", "postings", "share", "of_postings"), rows)


def pay_table(report: DemandReport) -> Table:
    rows: list[Row] = [
        {
            "skill_uri": p.uri,
            "skill": p.label,
            "postings_with_pay": p.postings_with_pay,
            "mean_pay": round(p.mean_pay, 2),
            "ratio_to_all": round(p.ratio_to_all, 4),
        }
        for p in report.pay
    ]
    return Table("pay", ("skill_uri", "skill", "postings_with_pay", "mean_pay", "ratio_to_all"), rows)


def _trend_row(t: SkillTrend) -> Row:
    return {
        "skill_uri": t.uri,
        "skill": t.label,
        "direction": t.direction.value,
        "postings": t.total,
        "share_first_half": round(t.share_first, 6),
        "share_second_half": round(t.share_last, 6),
        "growth": None if t.growth is None else round(t.growth, 4),
        "annual_change": round(t.annual_change, 6),
        "z": None if t.test is None else round(t.test.z, 4),
        "p_value": None if t.test is None else t.test.p_value,
        "q_value": t.q_value,
        "dispersion": None if t.test is None else round(t.test.dispersion, 4),
    }


TREND_COLUMNS = (
    "skill_uri",
    "skill",
    "direction",
    "postings",
    "share_first_half",
    "share_second_half",
    "growth",
    "annual_change",
    "z",
    "p_value",
    "q_value",
    "dispersion",
)


def trends_table(report: TrendsReport) -> Table:
    return Table(
        "trends", TREND_COLUMNS, [_trend_row(t) for t in (*report.rising, *report.fading, *report.steady)]
    )


def series_table(report: TrendsReport) -> Table:
    rows: list[Row] = [
        {
            "skill_uri": t.uri,
            "skill": t.label,
            "month": m.month,
            "postings": m.postings,
            "count": m.count,
            "share": round(m.share, 6),
        }
        for t in (*report.rising, *report.fading, *report.steady)
        for m in t.series
    ]
    return Table("series", ("skill_uri", "skill", "month", "postings", "count", "share"), rows)


def occupations_table(found: list[OccupationDemand]) -> Table:
    rows: list[Row] = [
        {
            "occupation_uri": o.occupation.uri,
            "occupation": o.occupation.preferred_label,
            "postings": o.postings,
            "rank": rank,
            "skill_uri": s.uri,
            "skill": s.label,
            "share": round(s.share, 6),
        }
        for o in found
        for rank, s in enumerate(o.top, start=1)
    ]
    return Table(
        "occupations",
        ("occupation_uri", "occupation", "postings", "rank", "skill_uri", "skill", "share"),
        rows,
    )


def stored_table(uow: UnitOfWork, *, actor: Actor, name: str) -> tuple[tuple[str, ...], Iterator[Row]]:
    """A stored table's columns and rows (platform admins: postings carry their full text)."""
    authorize(actor, Action.MARKET_INGEST)
    if name not in EXPORT_TABLES:
        raise InvalidInput(f"table: {name!r} is not one of {', '.join(EXPORT_TABLES)}", field="table")

    def rows() -> Iterator[Row]:
        with uow:
            yield from uow.market.table_rows(name)

    columns: tuple[str, ...]
    if name == "postings":
        columns = (
            "id",
            "source",
            "external_id",
            "content_hash",
            "title",
            "text",
            "posted_on",
            "month",
            "place",
            "place_key",
            "organisation",
            "pay",
            "occupation_uri",
            "duplicate_of",
        )
    else:
        columns = ("posting_id", "skill_uri", "confidence")
    return columns, rows()


REPORT_TABLES = ("demand", "pay", "trends", "series", "occupations")
CHARTS = ("demand", "trends")


def table_named(
    uow: UnitOfWork,
    caches: MutableMapping[str, object],
    *,
    actor: Actor,
    name: str,
    selection: Selection,
    limit: int = 200,
) -> tuple[tuple[str, ...], Iterable[Row]]:
    """Any market table by name: a report over the selection, or a stored table (admins)."""
    graphs = graph_cache(caches)
    if name in ("demand", "pay"):
        report = market_demand.demand(uow, graphs, actor=actor, selection=selection, limit=limit)
        table = demand_table(report) if name == "demand" else pay_table(report)
    elif name in ("trends", "series"):
        trends = market_trends.trends(uow, graphs, actor=actor, selection=selection, limit=limit)
        table = trends_table(trends) if name == "trends" else series_table(trends)
    elif name == "occupations":
        table = occupations_table(
            market_demand.occupations(uow, graphs, actor=actor, selection=selection, limit=min(limit, 50))
        )
    elif name in EXPORT_TABLES:
        return stored_table(uow, actor=actor, name=name)
    else:
        known = ", ".join((*REPORT_TABLES, *EXPORT_TABLES))
        raise InvalidInput(f"table: {name!r} is not one of {known}", field="table")
    return table.columns, table.rows


def chart_named(
    uow: UnitOfWork,
    caches: MutableMapping[str, object],
    *,
    actor: Actor,
    kind: str,
    selection: Selection,
    limit: int = 8,
) -> str:
    """The demand chart (top skills' shares) or the trend chart (the rising and fading skills' series)."""
    graphs = graph_cache(caches)
    if kind == "demand":
        report = market_demand.demand(uow, graphs, actor=actor, selection=selection, limit=limit)
        return demand_chart(report.skills)
    if kind == "trends":
        trends = market_trends.trends(uow, graphs, actor=actor, selection=selection, limit=limit)
        return trend_chart(trend_lines(trends, limit))
    raise InvalidInput(f"chart: {kind!r} is not one of {', '.join(CHARTS)}", field="chart")


def trend_lines(report: TrendsReport, limit: int) -> list[SkillTrend]:
    """The lines a trend chart draws: rising and fading skills, alternately, up to ``limit``."""
    out: list[SkillTrend] = []
    for pair in zip_longest(report.rising, report.fading):
        out += [t for t in pair if t is not None]
    return out[:limit]
