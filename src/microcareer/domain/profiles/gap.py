"""The gap between a profile and a target (an occupation, a micro-job, a list of skills).

Each target skill is covered, partly covered (through a related skill the person has, the path
shown) or missing. The gap is ranked by importance, by how far the person is from the skill, and by
market demand where it is known. The fit is the importance-weighted share covered, in [0, 1].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from microcareer.domain.profiles.holdings import DEFAULT_REQUIRED_LEVEL, Holding
from microcareer.domain.profiles.skill_graph import Credit, Link, SkillGraph, best_credits

ESSENTIAL_IMPORTANCE = 1.0
OPTIONAL_IMPORTANCE = 0.5
COVERED_AT = 0.7
"""Coverage from which a held skill counts as covered: one found in the CV at the required level is;
a bare self-claim (0.625) is not."""
NEUTRAL_DEMAND = 0.5


class GapStatus(StrEnum):
    COVERED = "covered"
    PARTIAL = "partial"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class TargetSkill:
    uri: str
    label: str
    importance: float = ESSENTIAL_IMPORTANCE
    demand: float | None = None
    """Market demand in [0, 1] (share of recent postings, scaled); None where no market data exists."""


@dataclass(frozen=True, slots=True)
class GapItem:
    skill: TargetSkill
    status: GapStatus
    coverage: float
    credit: Credit | None
    priority: float
    """Importance x distance (1 - coverage) x demand factor; 0 for covered skills."""
    explanation: str


@dataclass(frozen=True, slots=True)
class FitBreakdown:
    covered: int
    partial: int
    missing: int
    covered_weight: float
    partial_weight: float
    """The part of the fit that partial credits bring."""
    total_weight: float


@dataclass(frozen=True, slots=True)
class Gap:
    target: str
    fit: float
    breakdown: FitBreakdown
    items: tuple[GapItem, ...]
    """The gap first (missing and partial, highest priority first), then what is covered."""

    @property
    def to_close(self) -> tuple[GapItem, ...]:
        return tuple(item for item in self.items if item.status is not GapStatus.COVERED)


def analyse_gap(
    target: str,
    skills: Sequence[TargetSkill],
    holdings: Iterable[Holding],
    graph: SkillGraph,
    *,
    required_level: int = DEFAULT_REQUIRED_LEVEL,
    labels: Mapping[str, str] | None = None,
) -> Gap:
    """The gap of a profile's ``holdings`` to the ``skills`` of ``target``.

    ``labels`` names the skills a partial credit passes through (a shared parent), for explanations.
    """
    held = {h.uri: h for h in holdings}
    credits = best_credits(graph, {uri: h.strength(required_level) for uri, h in held.items()})
    items: list[GapItem] = []
    covered = partial = missing = 0
    covered_weight = partial_weight = total_weight = 0.0
    for skill in _merged(skills):
        value, credit = credits.get(skill.uri, (0.0, None))
        coverage = round(value, 4)
        if credit is not None and coverage >= COVERED_AT and credit.link is Link.SAME:
            status = GapStatus.COVERED
            covered += 1
            covered_weight += skill.importance * coverage
        elif credit is not None and coverage > 0:
            status = GapStatus.PARTIAL
            partial += 1
            if credit.link is Link.SAME:
                covered_weight += skill.importance * coverage
            else:
                partial_weight += skill.importance * coverage
        else:
            status = GapStatus.MISSING
            missing += 1
        total_weight += skill.importance
        demand = NEUTRAL_DEMAND if skill.demand is None else skill.demand
        priority = 0.0 if status is GapStatus.COVERED else skill.importance * (1 - coverage) * (0.5 + demand)
        why = _explain(status, credit, held, labels or {})
        items.append(GapItem(skill, status, coverage, credit, round(priority, 4), why))
    items.sort(key=lambda i: (i.status is GapStatus.COVERED, -i.priority, -i.skill.importance, i.skill.label))
    fit = (covered_weight + partial_weight) / total_weight if total_weight else 0.0
    breakdown = FitBreakdown(
        covered, partial, missing, round(covered_weight, 4), round(partial_weight, 4), total_weight
    )
    return Gap(target, round(fit, 4), breakdown, tuple(items))


def _merged(skills: Sequence[TargetSkill]) -> list[TargetSkill]:
    """A skill listed twice keeps its highest importance (an occupation may list one both ways)."""
    best: dict[str, TargetSkill] = {}
    for skill in skills:
        known = best.get(skill.uri)
        if known is None or skill.importance > known.importance:
            best[skill.uri] = skill
    return list(best.values())


def _explain(
    status: GapStatus, credit: Credit | None, held: Mapping[str, Holding], labels: Mapping[str, str]
) -> str:
    if credit is None:
        return "missing: no skill on the profile leads to it"
    source = held[credit.source]
    belief = f"level {source.proficiency}/5, confidence {source.confidence.value:.2f}"
    if credit.link is Link.SAME:
        if status is GapStatus.COVERED:
            return f"on the profile ({belief})"
        return f"on the profile, but weakly ({belief}: {source.confidence.explanation})"
    via = f" via {labels.get(credit.via, credit.via)}" if credit.via else ""
    return f"partly, through {source.label}: {credit.link.value}{via} (credit {credit.value:.2f}; {belief})"
