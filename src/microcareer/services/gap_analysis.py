"""Gap analysis for a profile: to an occupation, to a list of skills; closest occupations; career shape.

The skills graph (hierarchy, skill→skill relations) and the occupation→skill index are read once per
taxonomy revision and kept in memory (``GraphCache``, about 1-2 s to build for the full ESCO), so a
gap or a ranking of all 3,000 occupations takes milliseconds.
"""

from __future__ import annotations

import threading
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.closest import OccupationFit, OccupationIndex
from microcareer.domain.profiles.evidence import EvidencePolicy
from microcareer.domain.profiles.gap import (
    ESSENTIAL_IMPORTANCE,
    OPTIONAL_IMPORTANCE,
    Gap,
    TargetSkill,
    analyse_gap,
)
from microcareer.domain.profiles.holdings import Holding
from microcareer.domain.profiles.shape import (
    AreaChange,
    CareerShape,
    PlannedSkill,
    areas_of,
    career_shape,
    holdings_after,
    shape_change,
    stale_skills,
)
from microcareer.domain.profiles.skill_graph import SkillGraph
from microcareer.errors import InvalidInput, NotFound
from microcareer.services.micro_jobs import visible_job
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import HeldSkill, held_skills, readable_profile, visible_skill_labels
from microcareer.services.taxonomy import get_occupation

CACHE_KEY = "profiles.graph"
MAX_TARGET_SKILLS = 500


@dataclass(frozen=True, slots=True)
class GraphData:
    revision: str
    graph: SkillGraph
    occupations: OccupationIndex
    parents: dict[str, tuple[str, ...]]


class GraphCache:
    """The skills graph and occupation index of the stored taxonomy, rebuilt when its revision moves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: GraphData | None = None

    def get(self, uow: UnitOfWork) -> GraphData:
        with uow:
            revision = uow.taxonomy.revision_id()
            data = self._data
            if data is not None and data.revision == revision:
                return data
            with self._lock:
                if self._data is None or self._data.revision != revision:
                    edges = list(uow.taxonomy.skill_graph_rows())
                    parents: dict[str, list[str]] = {}
                    for uri, other, link in edges:
                        if link == "broader":
                            parents.setdefault(uri, []).append(other)
                    self._data = GraphData(
                        revision=revision,
                        graph=SkillGraph.from_rows(edges),
                        occupations=OccupationIndex(uow.taxonomy.occupation_skill_rows()),
                        parents={k: tuple(v) for k, v in parents.items()},
                    )
                return self._data


def graph_cache(caches: MutableMapping[str, object]) -> GraphCache:
    cache = caches.get(CACHE_KEY)
    if not isinstance(cache, GraphCache):
        cache = GraphCache()
        caches[CACHE_KEY] = cache
    return cache


@dataclass(frozen=True, slots=True)
class GapReport:
    target_uri: str | None
    target_label: str
    gap: Gap
    note: str
    """Plain words about the target ("ESCO lists no skills for this occupation ...") or ""."""


@dataclass(frozen=True, slots=True)
class ClosestOccupation:
    fit: OccupationFit
    label: str
    matched_labels: tuple[str, ...]


def _holdings(
    uow: UnitOfWork, actor: Actor, user_id: int, today: date, policy: EvidencePolicy | None
) -> list[HeldSkill]:
    with uow:
        readable_profile(uow, actor, user_id)
        return list(held_skills(uow, user_id, today=today, policy=policy))


def _labels(uow: UnitOfWork, uris: Sequence[str]) -> dict[str, str]:
    with uow:
        return {uri: ref.preferred_label for uri, ref in uow.taxonomy.skill_refs(list(uris)).items()}


DEMAND_WINDOW_DAYS = 180


def _with_demand(uow: UnitOfWork, skills: Sequence[TargetSkill], today: date) -> list[TargetSkill]:
    """Market demand from the open-market micro-jobs of the last 180 days: each skill's share of the
    postings, scaled so the most asked-for target skill is 1. With no postings there is no market data
    and demand stays unknown (neutral in the ranking)."""
    since = datetime.combine(today - timedelta(days=DEMAND_WINDOW_DAYS), time.min, tzinfo=UTC)
    with uow:
        total, counts = uow.marketplace.skill_demand([s.uri for s in skills], since=since)
    if not total:
        return list(skills)
    top = max(counts.values(), default=0)
    return [replace(s, demand=(counts.get(s.uri, 0) / top) if top else 0.0) for s in skills]


def _report(
    uow: UnitOfWork,
    graph: GraphData,
    held: Sequence[HeldSkill],
    target_uri: str | None,
    target_label: str,
    skills: Sequence[TargetSkill],
    note: str,
    today: date,
) -> GapReport:
    skills = _with_demand(uow, skills, today)
    holdings = [h.holding() for h in held if h.known]
    via = {p for s in skills for p in graph.graph.parents(s.uri)} | {
        p for h in holdings for p in graph.graph.parents(h.uri)
    }
    gap = analyse_gap(target_label, skills, holdings, graph.graph, labels=_labels(uow, sorted(via)))
    return GapReport(target_uri, target_label, gap, note)


def gap_to_occupation(
    uow: UnitOfWork,
    cache: GraphCache,
    *,
    actor: Actor,
    user_id: int,
    occupation: str,
    today: date,
    policy: EvidencePolicy | None = None,
) -> GapReport:
    """The gap of a profile to an ESCO occupation (URI, key): essential skills weigh double."""
    held = _holdings(uow, actor, user_id, today, policy)
    detail = get_occupation(uow, actor=actor, uri_or_key=occupation)
    skills = [TargetSkill(s.uri, s.preferred_label, ESSENTIAL_IMPORTANCE) for s in detail.essential_skills]
    skills += [TargetSkill(s.uri, s.preferred_label, OPTIONAL_IMPORTANCE) for s in detail.optional_skills]
    note = ""
    if not detail.has_skill_list:
        note = (
            f"the taxonomy lists no skills for {detail.occupation.preferred_label}: import the complete "
            "ESCO download (`microcareer import-esco`) to compare with it"
        )
    graph = cache.get(uow)
    return _report(
        uow, graph, held, detail.occupation.uri, detail.occupation.preferred_label, skills, note, today
    )


def gap_to_skills(
    uow: UnitOfWork,
    cache: GraphCache,
    *,
    actor: Actor,
    user_id: int,
    skills: Sequence[str],
    label: str = "custom skill list",
    essential: Sequence[bool] | None = None,
    today: date,
    policy: EvidencePolicy | None = None,
) -> GapReport:
    """The gap to a list of skill URIs (a micro-job's, or one the person chose)."""
    if not skills:
        raise InvalidInput("skills: give at least one skill", field="skills")
    if len(skills) > MAX_TARGET_SKILLS:
        raise InvalidInput(f"skills: at most {MAX_TARGET_SKILLS}", field="skills")
    held = _holdings(uow, actor, user_id, today, policy)
    with uow:
        labels = visible_skill_labels(uow, actor, list(dict.fromkeys(skills)))
    unknown = [uri for uri in skills if uri not in labels]
    if unknown:
        raise NotFound(f"no skill has the URI {unknown[0]!r}", uri=unknown[0])
    flags = list(essential) if essential is not None else [True] * len(skills)
    targets = [
        TargetSkill(uri, labels[uri], ESSENTIAL_IMPORTANCE if flag else OPTIONAL_IMPORTANCE)
        for uri, flag in zip(skills, flags, strict=True)
    ]
    return _report(uow, cache.get(uow), held, None, label, targets, "", today)


def gap_to_job(
    uow: UnitOfWork,
    cache: GraphCache,
    *,
    actor: Actor,
    user_id: int,
    job_id: int,
    today: date,
    policy: EvidencePolicy | None = None,
) -> GapReport:
    """The gap of a profile to a micro-job the actor may see: required skills essential, nice-to-have
    optional."""
    with uow:
        job = visible_job(uow, actor, job_id).job
    skills = [*job.required_skills, *job.nice_skills]
    essential = [True] * len(job.required_skills) + [False] * len(job.nice_skills)
    return gap_to_skills(
        uow,
        cache,
        actor=actor,
        user_id=user_id,
        skills=skills,
        label=job.title,
        essential=essential,
        today=today,
        policy=policy,
    )


def closest_occupations(
    uow: UnitOfWork,
    cache: GraphCache,
    *,
    actor: Actor,
    user_id: int,
    today: date,
    limit: int = 20,
    policy: EvidencePolicy | None = None,
) -> list[ClosestOccupation]:
    """Every occupation with a skill list, ranked by fit to the profile; the best ``limit``."""
    if not 1 <= limit <= 200:
        raise InvalidInput("limit must be between 1 and 200", field="limit")
    held = [h.holding() for h in _holdings(uow, actor, user_id, today, policy) if h.known]
    graph = cache.get(uow)
    fits = graph.occupations.rank(held, graph.graph, limit=limit)
    with uow:
        occupations = uow.taxonomy.occupation_refs([f.uri for f in fits])
        skills = uow.taxonomy.skill_refs(sorted({uri for f in fits for uri in f.matched}))
    return [
        ClosestOccupation(
            fit,
            occupations[fit.uri].preferred_label if fit.uri in occupations else fit.uri,
            tuple(skills[u].preferred_label for u in fit.matched if u in skills),
        )
        for fit in fits
    ]


@dataclass(frozen=True, slots=True)
class ShapeReport:
    shape: CareerShape
    stale: tuple[Holding, ...]
    after: CareerShape | None = None
    """The shape once the planned skills are held (when skills were planned)."""
    changes: tuple[AreaChange, ...] = ()
    """The areas the planned skills deepen or open."""


def shape_of_career(
    uow: UnitOfWork,
    cache: GraphCache,
    *,
    actor: Actor,
    user_id: int,
    today: date,
    policy: EvidencePolicy | None = None,
    planned: Sequence[PlannedSkill] = (),
) -> ShapeReport:
    """Depth versus breadth over the skill hierarchy, and the skills whose evidence is going stale;
    with ``planned`` skills (a plan's steps), also the shape once they are held, by the same measure."""
    held = [h.holding() for h in _holdings(uow, actor, user_id, today, policy) if h.known]
    graph = cache.get(uow)
    after = holdings_after(held, planned) if planned else held
    areas = {area for h in after for area in areas_of(h.uri, graph.parents)}
    labels = _labels(uow, sorted(areas))
    shape = career_shape(held, graph.parents, lambda uri: labels.get(uri, uri))
    if not planned:
        return ShapeReport(shape, tuple(stale_skills(held)))
    shape_after = career_shape(after, graph.parents, lambda uri: labels.get(uri, uri))
    return ShapeReport(shape, tuple(stale_skills(held)), shape_after, shape_change(shape, shape_after))
