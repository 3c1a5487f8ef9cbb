"""Demand from job postings (issue 19): shares of postings per skill for a selection (period, place,
ESCO occupation, ESCO skill group), skills going together by lift, top skills per occupation, and the
pay of postings naming a skill against all postings with pay. Signed-in users read it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from microcareer.domain.accounts import Actor
from microcareer.domain.market.demand import CoSkill, SkillPay, SkillShare, lifts, pay_ratios, shares
from microcareer.domain.market.postings import place_key
from microcareer.domain.market.records import MarketFilter, PlaceCount
from microcareer.domain.taxonomy.concepts import OccupationRef
from microcareer.errors import InvalidInput, NotFound
from microcareer.services.access import Action, authorize
from microcareer.services.gap_analysis import GraphCache
from microcareer.services.ports import UnitOfWork

MAX_LIMIT = 200
MAX_GROUP_SKILLS = 20_000


@dataclass(frozen=True)
class Selection:
    """What a person asked for, as typed: dates, place, occupation URI, skill group URI."""

    start: date | None = None
    end: date | None = None
    place: str = ""
    occupation: str = ""
    skill_group: str = ""


@dataclass(frozen=True)
class DemandReport:
    selection: Selection
    postings: int
    skills: tuple[SkillShare, ...]
    pay: tuple[SkillPay, ...]
    mean_pay: float
    postings_with_pay: int
    occupation_label: str
    group_label: str


@dataclass(frozen=True)
class OccupationDemand:
    occupation: OccupationRef
    postings: int
    top: tuple[SkillShare, ...]


@dataclass(frozen=True)
class SkillDemand:
    uri: str
    label: str
    postings: int
    total: int
    share: float
    together: tuple[CoSkill, ...]
    pay: SkillPay | None


def labels_of(uow: UnitOfWork, uris: Sequence[str]) -> dict[str, str]:
    return {uri: ref.preferred_label for uri, ref in uow.taxonomy.skill_refs(list(uris)).items()}


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, not {limit}", field="limit")


def to_filter(uow: UnitOfWork, graphs: GraphCache, selection: Selection) -> tuple[MarketFilter, str, str]:
    """The store's filter for a selection, with the occupation's and group's labels; unknown ones 404."""
    if selection.start and selection.end and selection.start > selection.end:
        raise InvalidInput("start: the period starts after it ends", field="start")
    occupation_label = group_label = ""
    members: frozenset[str] | None = None
    with uow:
        if selection.occupation:
            refs = uow.taxonomy.occupation_refs([selection.occupation])
            if selection.occupation not in refs:
                raise NotFound(
                    f"no occupation has the URI {selection.occupation!r}", uri=selection.occupation
                )
            occupation_label = refs[selection.occupation].preferred_label
        if selection.skill_group:
            refs_s = uow.taxonomy.skill_refs([selection.skill_group])
            if selection.skill_group not in refs_s:
                raise NotFound(
                    f"no skill group has the URI {selection.skill_group!r}", uri=selection.skill_group
                )
            group_label = refs_s[selection.skill_group].preferred_label
    if selection.skill_group:
        members = frozenset(descendants(graphs, uow, selection.skill_group))
    market = MarketFilter(
        start=selection.start,
        end=selection.end,
        place_key=place_key(selection.place) or None,
        occupation_uri=selection.occupation or None,
        skills=members,
    )
    return market, occupation_label, group_label


def descendants(graphs: GraphCache, uow: UnitOfWork, uri: str) -> set[str]:
    """The group and every skill under it (narrower, transitively), bounded."""
    graph = graphs.get(uow).graph
    found = {uri}
    stack = [uri]
    while stack and len(found) < MAX_GROUP_SKILLS:
        for child in graph.children(stack.pop()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def demand(
    uow: UnitOfWork, graphs: GraphCache, *, actor: Actor, selection: Selection, limit: int = 25
) -> DemandReport:
    authorize(actor, Action.MARKET_READ)
    check_limit(limit)
    market, occupation_label, group_label = to_filter(uow, graphs, selection)
    with uow:
        total = uow.market.posting_count(market)
        counts = uow.market.skill_counts(market)
        top = sorted(counts, key=lambda u: -counts[u])[:limit]
        all_pay = uow.market.pay(market)
        by_skill = {u: v for u, v in uow.market.pay_by_skill(market).items() if u in set(top)}
        labels = labels_of(uow, top)
    return DemandReport(
        selection=selection,
        postings=total,
        skills=tuple(shares(total, counts, labels, limit)),
        pay=tuple(pay_ratios(all_pay, by_skill, labels)),
        mean_pay=all_pay[1],
        postings_with_pay=all_pay[0],
        occupation_label=occupation_label,
        group_label=group_label,
    )


def skill_demand(
    uow: UnitOfWork, graphs: GraphCache, *, actor: Actor, uri: str, selection: Selection, limit: int = 15
) -> SkillDemand:
    """One skill: its share, the skills that go with it by lift, and its pay."""
    authorize(actor, Action.MARKET_READ)
    check_limit(limit)
    market, _, _ = to_filter(uow, graphs, selection)
    with uow:
        label = labels_of(uow, [uri]).get(uri)
        if label is None:
            raise NotFound(f"no skill has the URI {uri!r}", uri=uri)
        total = uow.market.posting_count(market)
        counts = uow.market.skill_counts(market)
        together = uow.market.together(market, uri)
        found = lifts(total, counts.get(uri, 0), together, counts, {}, limit=limit)
        labels = labels_of(uow, [c.uri for c in found])
        pays = pay_ratios(
            uow.market.pay(market),
            {u: v for u, v in uow.market.pay_by_skill(market).items() if u == uri},
            {uri: label},
        )
    co = tuple(
        CoSkill(c.uri, labels.get(c.uri, c.uri), c.together, c.share_with, c.share_overall, c.lift)
        for c in found
    )
    postings = counts.get(uri, 0)
    return SkillDemand(
        uri, label, postings, total, postings / total if total else 0.0, co, pays[0] if pays else None
    )


def occupations(
    uow: UnitOfWork, graphs: GraphCache, *, actor: Actor, selection: Selection, limit: int = 10, top: int = 5
) -> list[OccupationDemand]:
    """The occupations postings were matched to, most postings first, each with its top skills."""
    authorize(actor, Action.MARKET_READ)
    check_limit(limit)
    check_limit(top)
    market, _, _ = to_filter(uow, graphs, Selection(selection.start, selection.end, selection.place))
    out = []
    with uow:
        counts = uow.market.occupation_counts(market)
        ranked = sorted(counts, key=lambda u: (-counts[u], u))[:limit]
        refs = uow.taxonomy.occupation_refs(ranked)
        for uri in ranked:
            narrowed = MarketFilter(market.start, market.end, market.place_key, uri)
            skill_counts = uow.market.skill_counts(narrowed)
            best = sorted(skill_counts, key=lambda u: -skill_counts[u])[:top]
            labels = labels_of(uow, best)
            if uri in refs:
                out.append(
                    OccupationDemand(
                        refs[uri], counts[uri], tuple(shares(counts[uri], skill_counts, labels, top))
                    )
                )
    return out


def places(uow: UnitOfWork, *, actor: Actor) -> list[PlaceCount]:
    authorize(actor, Action.MARKET_READ)
    with uow:
        return uow.market.places()
