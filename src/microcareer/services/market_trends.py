"""Trends in demand (issue 19): monthly series per skill, growth, the Cochran-Armitage trend test with
Benjamini-Hochberg control (``domain/market/trends.py``), rising and fading lists, and a profile's
skills at risk: those it holds whose demand is significantly falling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from microcareer.domain.accounts import Actor
from microcareer.domain.market.trends import (
    ALPHA,
    MIN_POSTINGS,
    Direction,
    SkillTrend,
    months_between,
    skill_trends,
)
from microcareer.domain.profiles.evidence import EvidencePolicy
from microcareer.errors import NotFound
from microcareer.services.access import Action, authorize
from microcareer.services.gap_analysis import GraphCache
from microcareer.services.market_demand import Selection, check_limit, labels_of, to_filter
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import held_skills, readable_profile

TEST_NOTE = (
    "Cochran-Armitage test for a linear trend in each skill's monthly share of postings, corrected for "
    "overdispersion, p-values adjusted across all skills tested with Benjamini-Hochberg; "
    f"rising or fading when q < {ALPHA}; skills named in fewer than {MIN_POSTINGS} postings are not tested."
)


@dataclass(frozen=True)
class TrendsReport:
    selection: Selection
    months: tuple[str, ...]
    month_totals: tuple[int, ...]
    tested: int
    rising: tuple[SkillTrend, ...]
    fading: tuple[SkillTrend, ...]
    steady: tuple[SkillTrend, ...]
    note: str = TEST_NOTE


def all_trends(
    uow: UnitOfWork, graphs: GraphCache, selection: Selection
) -> tuple[list[str], dict[str, int], list[SkillTrend]]:
    """The months, the postings of each, and every skill's trend (tested together) for a selection."""
    market, _, _ = to_filter(uow, graphs, selection)
    with uow:
        totals = uow.market.month_totals(market)
        counts = uow.market.skill_month_counts(market)
        labels = labels_of(uow, list(counts))
    present = sorted(m for m, n in totals.items() if n)
    if selection.start and selection.end:
        months = months_between(selection.start.strftime("%Y-%m"), selection.end.strftime("%Y-%m"))
    else:
        months = months_between(present[0], present[-1]) if present else []
    return months, totals, skill_trends(totals, counts, labels, months=months)


def trends(
    uow: UnitOfWork, graphs: GraphCache, *, actor: Actor, selection: Selection, limit: int = 20
) -> TrendsReport:
    authorize(actor, Action.MARKET_READ)
    check_limit(limit)
    months, totals, found = all_trends(uow, graphs, selection)

    def of(direction: Direction) -> tuple[SkillTrend, ...]:
        return tuple(t for t in found if t.direction is direction)[:limit]

    steady = sorted((t for t in found if t.direction is Direction.STEADY), key=lambda t: -t.total)[:limit]
    return TrendsReport(
        selection=selection,
        months=tuple(months),
        month_totals=tuple(totals.get(m, 0) for m in months),
        tested=sum(1 for t in found if t.test is not None),
        rising=of(Direction.RISING),
        fading=of(Direction.FADING),
        steady=tuple(steady),
    )


def skill_trend(
    uow: UnitOfWork, graphs: GraphCache, *, actor: Actor, uri: str, selection: Selection
) -> SkillTrend:
    """One skill's series and test (tested among all skills, so its q-value is the same as in lists)."""
    authorize(actor, Action.MARKET_READ)
    months, totals, found = all_trends(uow, graphs, selection)
    for trend in found:
        if trend.uri == uri:
            return trend
    with uow:
        label = labels_of(uow, [uri]).get(uri)
    if label is None:
        raise NotFound(f"no skill has the URI {uri!r}", uri=uri)
    return skill_trends(totals, {uri: {}}, {uri: label}, months=months)[0]


@dataclass(frozen=True)
class SkillsAtRisk:
    user_id: int
    name: str
    at_risk: tuple[SkillTrend, ...]
    held: int
    in_postings: int  # held skills seen in postings at all
    note: str = TEST_NOTE


def skills_at_risk(
    uow: UnitOfWork,
    graphs: GraphCache,
    *,
    actor: Actor,
    user_id: int,
    today: date,
    selection: Selection | None = None,
    policy: EvidencePolicy | None = None,
) -> SkillsAtRisk:
    """The profile's skills whose share of postings is falling significantly (whom the profile is
    readable to only: others 404)."""
    authorize(actor, Action.MARKET_READ)
    with uow:
        _, name = readable_profile(uow, actor, user_id)
        held = {h.uri for h in held_skills(uow, user_id, today=today, policy=policy) if h.known}
    _, _, found = all_trends(uow, graphs, selection or Selection())
    seen = [t for t in found if t.uri in held and t.total > 0]
    falling = tuple(t for t in seen if t.direction is Direction.FADING)
    return SkillsAtRisk(user_id, name, falling, len(held), len(seen))
