"""Partial credit through the skills graph: a skill one has counts for part of a skill one lacks.

Someone who knows Python knows part of "computer programming" (a narrower skill counts for much of
its broader one); someone who knows "computer programming" knows a little of Python (a broader one
counts for less); siblings under the same small parent and skills ESCO relates to each other count
for a little. Each credit carries its path, so a gap can say why ("Python → broader: computer
programming").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Link(StrEnum):
    SAME = "same skill"
    NARROWER = "narrower skill"  # the person's skill is narrower than the target
    NARROWER_2 = "narrower skill, two levels down"
    BROADER = "broader skill"  # the person's skill is broader than the target
    SIBLING = "sibling skill"  # both sit under the same small parent
    RELATED_ESSENTIAL = "essential related skill"
    RELATED_OPTIONAL = "optional related skill"


CREDITS: Mapping[Link, float] = MappingProxyType(
    {
        Link.SAME: 1.0,
        Link.NARROWER: 0.75,
        Link.NARROWER_2: 0.6,
        Link.BROADER: 0.5,
        Link.RELATED_ESSENTIAL: 0.4,
        Link.SIBLING: 0.35,
        Link.RELATED_OPTIONAL: 0.25,
    }
)
MAX_SIBLINGS = 30
"""Siblings count only under a parent with at most this many children: a skill group of hundreds
says little about how close two of its members are."""


@dataclass(frozen=True, slots=True)
class Credit:
    """How much of ``target`` the person's ``source`` skill gives, and through which link."""

    target: str
    source: str
    link: Link
    via: str | None = None
    """The shared parent (siblings) or the middle skill (two levels down)."""

    @property
    def value(self) -> float:
        return CREDITS[self.link]


class SkillGraph:
    """The broader/narrower hierarchy and ESCO's skill→skill relations, as needed for credit."""

    def __init__(
        self,
        broader: Iterable[tuple[str, str]],
        related: Iterable[tuple[str, str, bool]] = (),
    ) -> None:
        """``broader``: (narrower, broader) pairs; ``related``: (skill, related skill, essential)."""
        parents: dict[str, list[str]] = {}
        children: dict[str, list[str]] = {}
        for narrower, wider in broader:
            if narrower == wider:
                continue
            parents.setdefault(narrower, []).append(wider)
            children.setdefault(wider, []).append(narrower)
        linked: dict[str, dict[str, bool]] = {}
        for skill, other, essential in related:
            if skill == other:
                continue
            for a, b in ((skill, other), (other, skill)):
                known = linked.setdefault(a, {})
                known[b] = known.get(b, False) or essential
        self._parents = {k: tuple(v) for k, v in parents.items()}
        self._children = {k: tuple(v) for k, v in children.items()}
        self._related = linked

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str]]) -> SkillGraph:
        """From (uri, other, link) edges: ``broader``, ``essential``, ``optional`` or ``related``."""
        broader: list[tuple[str, str]] = []
        related: list[tuple[str, str, bool]] = []
        for uri, other, link in rows:
            if link == "broader":
                broader.append((uri, other))
            else:
                related.append((uri, other, link == "essential"))
        return cls(broader, related)

    def parents(self, uri: str) -> Sequence[str]:
        return self._parents.get(uri, ())

    def children(self, uri: str) -> Sequence[str]:
        return self._children.get(uri, ())

    def related(self, uri: str) -> Mapping[str, bool]:
        """Skills ESCO relates to ``uri`` (either way), True where the relation is essential."""
        return self._related.get(uri, {})

    def credits_from(self, source: str) -> Iterable[Credit]:
        """Every skill that ``source`` gives some credit for (itself included), with the link."""
        yield Credit(source, source, Link.SAME)
        for parent in self.parents(source):
            yield Credit(parent, source, Link.NARROWER)
            for grandparent in self.parents(parent):
                yield Credit(grandparent, source, Link.NARROWER_2, via=parent)
            siblings = self.children(parent)
            if len(siblings) <= MAX_SIBLINGS:
                for sibling in siblings:
                    if sibling != source:
                        yield Credit(sibling, source, Link.SIBLING, via=parent)
        for child in self.children(source):
            yield Credit(child, source, Link.BROADER)
        for other, essential in self._related.get(source, {}).items():
            yield Credit(other, source, Link.RELATED_ESSENTIAL if essential else Link.RELATED_OPTIONAL)


def credits_to(graph: SkillGraph, target: str) -> Iterable[Credit]:
    """Every skill that gives some credit for ``target`` (itself included): ``credits_from`` read
    backwards, so candidate generation can look up who holds any of them (the same links, the same
    values; ``tests/unit/domain/test_skill_graph.py`` checks both directions agree)."""
    yield Credit(target, target, Link.SAME)
    for child in graph.children(target):
        yield Credit(target, child, Link.NARROWER)
        for grandchild in graph.children(child):
            yield Credit(target, grandchild, Link.NARROWER_2, via=child)
    for parent in graph.parents(target):
        yield Credit(target, parent, Link.BROADER)
        siblings = graph.children(parent)
        if len(siblings) <= MAX_SIBLINGS:
            for sibling in siblings:
                if sibling != target:
                    yield Credit(target, sibling, Link.SIBLING, via=parent)
    for other, essential in graph.related(target).items():
        yield Credit(target, other, Link.RELATED_ESSENTIAL if essential else Link.RELATED_OPTIONAL)


def best_sources(graph: SkillGraph, target: str) -> dict[str, Credit]:
    """For ``target``: each skill that credits it, with its best link (as ``best_credits`` would pick)."""
    best: dict[str, Credit] = {}
    for credit in credits_to(graph, target):
        known = best.get(credit.source)
        if known is None or credit.value > known.value:
            best[credit.source] = credit
    return best


def best_credits(graph: SkillGraph, strengths: Mapping[str, float]) -> dict[str, tuple[float, Credit]]:
    """For each skill reachable from the person's skills: the best (credit x strength, credit).

    ``strengths`` maps the person's skills to how well they hold them, in [0, 1].
    """
    best: dict[str, tuple[float, Credit]] = {}
    for source, strength in strengths.items():
        if strength <= 0:
            continue
        for credit in graph.credits_from(source):
            value = credit.value * strength
            known = best.get(credit.target)
            if known is None or value > known[0] or (value == known[0] and credit.source < known[1].source):
                best[credit.target] = (value, credit)
    return best
