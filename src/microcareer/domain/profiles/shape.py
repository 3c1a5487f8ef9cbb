"""The shape of a career: how deep in how many areas (a T-shape measure), and what is going stale.

Areas are the second level of the skill hierarchy (for ESCO: "S1 communication, collaboration and
creativity", "K06 information and communication technologies", ...), reached through each skill's
broader chains. A skill adds its solidity (level met x belief, at most 1) to each of its areas. An
area whose solidity adds up to ``DEEP_AT`` (about three well-held skills) is deep; one that reaches
``BROAD_AT`` (one skill held at least halfway) is touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from microcareer.domain.profiles.evidence import SkillConfidence
from microcareer.domain.profiles.holdings import MAX_PROFICIENCY, Holding
from microcareer.domain.taxonomy.hierarchy import broader_chains

DEEP_AT = 2.5
BROAD_AT = 0.5
WIDE = 3
"""Touched areas besides the deep ones that make the bar of a T."""


class Shape(StrEnum):
    EMERGING = "emerging"  # nothing deep, few areas
    GENERALIST = "generalist"  # nothing deep, many areas
    I_SHAPED = "I-shaped"  # deep in one area, little else
    T_SHAPED = "T-shaped"  # deep in one area, broad across others
    COMB_SHAPED = "comb-shaped"  # deep in several areas


@dataclass(frozen=True, slots=True)
class AreaDepth:
    uri: str
    label: str
    depth: float
    skills: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CareerShape:
    shape: Shape
    areas: tuple[AreaDepth, ...]
    """Deepest first."""
    deep: int
    broad: int
    explanation: str


def areas_of(uri: str, parents: Mapping[str, Sequence[str]]) -> set[str]:
    """The second-level concepts above ``uri`` (the top one where a chain is that short)."""
    areas: set[str] = set()
    for chain in broader_chains(uri, parents):
        areas.add(chain[1] if len(chain) > 1 else chain[0])
    if not areas and uri not in parents:
        areas.add(uri)
    return areas


def career_shape(
    holdings: Iterable[Holding],
    parents: Mapping[str, Sequence[str]],
    label_of: Callable[[str], str],
) -> CareerShape:
    depth: dict[str, float] = {}
    members: dict[str, list[str]] = {}
    for holding in holdings:
        solidity = holding.strength(MAX_PROFICIENCY)
        for area in areas_of(holding.uri, parents):
            depth[area] = depth.get(area, 0.0) + solidity
            members.setdefault(area, []).append(holding.label)
    areas = sorted(
        (AreaDepth(uri, label_of(uri), round(d, 3), tuple(sorted(members[uri]))) for uri, d in depth.items()),
        key=lambda a: (-a.depth, a.label),
    )
    deep = sum(a.depth >= DEEP_AT for a in areas)
    broad = sum(a.depth >= BROAD_AT for a in areas)
    if deep >= 2:
        shape = Shape.COMB_SHAPED
    elif deep == 1:
        shape = Shape.T_SHAPED if broad - 1 >= WIDE else Shape.I_SHAPED
    else:
        shape = Shape.GENERALIST if broad >= WIDE + 1 else Shape.EMERGING
    deep_labels = ", ".join(a.label for a in areas if a.depth >= DEEP_AT)
    lead = f"deep in {deep_labels}" if deep else "nothing deep yet"
    plural = "s" if broad != 1 else ""
    explanation = f"{shape.value}: {lead}; {broad} area{plural} with at least one solid skill"
    return CareerShape(shape, tuple(areas), deep, broad, explanation)


PLANNED = SkillConfidence(1.0, "planned: taught by a step of the plan", None, 0.0)
"""The belief a planned skill is counted with: the step done and its evidence on the profile."""


@dataclass(frozen=True, slots=True)
class PlannedSkill:
    uri: str
    label: str
    level: int


def holdings_after(holdings: Iterable[Holding], planned: Iterable[PlannedSkill]) -> list[Holding]:
    """The holdings once a plan's steps are done: a skill a step teaches above the level held now (or
    not held) counts at the step's level with full belief; the rest stay as they are."""
    after = {h.uri: h for h in holdings}
    for skill in planned:
        now = after.get(skill.uri)
        level = min(MAX_PROFICIENCY, skill.level)
        if now is None or level > now.proficiency:
            after[skill.uri] = Holding(skill.uri, now.label if now else skill.label, level, PLANNED)
    return list(after.values())


@dataclass(frozen=True, slots=True)
class AreaChange:
    """How one area moves when a plan is done: ``opened`` when the person has no skill in it now."""

    uri: str
    label: str
    before: float
    after: float
    opened: bool

    @property
    def becomes_deep(self) -> bool:
        return self.before < DEEP_AT <= self.after


def shape_change(before: CareerShape, after: CareerShape) -> tuple[AreaChange, ...]:
    """The areas whose depth the plan raises: those opened first, then the rest, each by gain."""
    now = {a.uri: a.depth for a in before.areas}
    changes = [
        AreaChange(a.uri, a.label, now.get(a.uri, 0.0), a.depth, a.uri not in now)
        for a in after.areas
        if a.depth > now.get(a.uri, 0.0) + 1e-9
    ]
    return tuple(sorted(changes, key=lambda c: (not c.opened, -(c.after - c.before), c.label)))


def stale_skills(holdings: Iterable[Holding]) -> list[Holding]:
    """Skills whose freshest evidence has faded below half: the oldest first."""
    stale = [h for h in holdings if h.confidence.stale]
    return sorted(stale, key=lambda h: (h.confidence.freshness, h.label))
