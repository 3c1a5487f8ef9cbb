"""Shapes of the market API (issue 19): demand, trends with their tests, one skill."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict

from microcareer.domain.market.trends import SkillTrend
from microcareer.services.market_demand import SkillDemand
from microcareer.services.market_ingest import IngestReport
from microcareer.services.market_trends import SkillsAtRisk, TrendsReport


class _Read(BaseModel):
    """A shape read from a domain object's attributes of the same names (nested ones too)."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, obj: object) -> Self:
        return cls.model_validate(obj)


class SkillSharePublic(_Read):
    uri: str
    label: str
    postings: int
    share: float


class SkillPayPublic(_Read):
    uri: str
    label: str
    postings_with_pay: int
    mean_pay: float
    ratio_to_all: float


class DemandPublic(_Read):
    postings: int
    postings_with_pay: int
    mean_pay: float
    skills: list[SkillSharePublic]
    pay: list[SkillPayPublic]


class MonthPublic(_Read):
    month: str
    postings: int
    count: int
    share: float


class TrendPublic(BaseModel):
    uri: str
    label: str
    direction: str
    postings: int
    share_first_half: float
    share_second_half: float
    growth: float | None
    annual_change: float
    z: float | None
    p_value: float | None
    q_value: float | None
    series: list[MonthPublic]

    @classmethod
    def of(cls, t: SkillTrend) -> TrendPublic:
        return cls(
            uri=t.uri,
            label=t.label,
            direction=t.direction.value,
            postings=t.total,
            share_first_half=t.share_first,
            share_second_half=t.share_last,
            growth=t.growth,
            annual_change=t.annual_change,
            z=t.test.z if t.test else None,
            p_value=t.test.p_value if t.test else None,
            q_value=t.q_value,
            series=[MonthPublic.of(m) for m in t.series],
        )


class TrendsPublic(BaseModel):
    months: list[str]
    month_totals: list[int]
    tested: int
    method: str
    rising: list[TrendPublic]
    fading: list[TrendPublic]
    steady: list[TrendPublic]

    @classmethod
    def of(cls, r: TrendsReport) -> TrendsPublic:
        return cls(
            months=list(r.months),
            month_totals=list(r.month_totals),
            tested=r.tested,
            method=r.note,
            rising=[TrendPublic.of(t) for t in r.rising],
            fading=[TrendPublic.of(t) for t in r.fading],
            steady=[TrendPublic.of(t) for t in r.steady],
        )


class CoSkillPublic(_Read):
    uri: str
    label: str
    together: int
    lift: float


class SkillMarketPublic(BaseModel):
    uri: str
    label: str
    postings: int
    of_postings: int
    share: float
    together: list[CoSkillPublic]
    pay: SkillPayPublic | None
    trend: TrendPublic

    @classmethod
    def of(cls, d: SkillDemand, t: SkillTrend) -> SkillMarketPublic:
        return cls(
            uri=d.uri,
            label=d.label,
            postings=d.postings,
            of_postings=d.total,
            share=d.share,
            together=[CoSkillPublic.of(c) for c in d.together],
            pay=SkillPayPublic.of(d.pay) if d.pay else None,
            trend=TrendPublic.of(t),
        )


class AtRiskPublic(BaseModel):
    user_id: int
    held: int
    in_postings: int
    at_risk: list[TrendPublic]
    method: str

    @classmethod
    def of(cls, r: SkillsAtRisk) -> AtRiskPublic:
        return cls(
            user_id=r.user_id,
            held=r.held,
            in_postings=r.in_postings,
            at_risk=[TrendPublic.of(t) for t in r.at_risk],
            method=r.note,
        )


class AlignedSkillPublic(_Read):
    uri: str
    label: str
    postings: int
    share: float
    direction: str
    q_value: float | None


class CredentialValuePublic(_Read):
    achievement_id: int
    name: str
    total_postings: int
    summary: str
    skills: list[AlignedSkillPublic]


class SignalPartPublic(_Read):
    name: str
    value: float | None
    measured_on: int
    explanation: str


class IssuerSignalPublic(_Read):
    slug: str
    name: str
    parts: list[SignalPartPublic]


class BadRowPublic(BaseModel):
    line: int
    """The line of a CSV or JSON Lines file, or the row of a Parquet file (from 1)."""
    message: str


class IngestReportPublic(BaseModel):
    read: int
    added: int
    reposts: int
    """Near-duplicates and copies under another id: stored as re-posts, never counted twice."""
    known: int
    """Already stored under the same source and id: skipped (re-sending a file changes nothing)."""
    matched_occupation: int
    bad_count: int
    bad: list[BadRowPublic]
    """The bad rows skipped, by line (the first 1,000)."""

    @classmethod
    def of(cls, r: IngestReport) -> IngestReportPublic:
        return cls(
            read=r.read,
            added=r.added,
            reposts=r.reposts,
            known=r.known,
            matched_occupation=r.matched_occupation,
            bad_count=r.bad_count,
            bad=[BadRowPublic(line=line, message=message) for line, message in r.bad],
        )


class BadLinePublic(_Read):
    line: int
    """The line of a CSV or JSON Lines file, or the row of a Parquet file (from 1)."""
    column: str | None
    """The file's column at fault (the mapped column of the field the message names), if one is."""
    message: str


class IngestJobPublic(_Read):
    """A file of postings ingested in the background: poll ``GET /api/v1/market/ingests/{id}``."""

    id: int
    state: Literal["running", "done", "failed", "interrupted"]
    """``interrupted``: its server process ended before it did (the batches done are stored; upload the
    file again to add the rest). Never ``done`` unless every row was read."""
    file_name: str
    source: str
    created_at: datetime
    finished_at: datetime | None
    rows_total: int | None
    rows_done: int
    added: int
    reposts: int
    """Near-duplicates and copies under another id: stored as re-posts, never counted twice."""
    known: int
    """Already stored under the same source and id: skipped (re-sending a file changes nothing)."""
    matched_occupation: int
    bad_count: int
    bad: list[BadLinePublic]
    """The bad rows skipped, by line and column (the first 1,000)."""
    error: str
    """Why a failed job stopped."""
