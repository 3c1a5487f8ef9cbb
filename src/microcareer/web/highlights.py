"""A text cut into pieces for showing its skill mentions, and the orders the skill table sorts in.

Mentions may overlap (a long label with a shorter one inside it, two skills on the same words) or
touch. Cutting the text at every mention's start and end gives pieces that each lie inside one fixed
set of mentions, so the page marks each piece once, with every mention that covers it, and never
needs one mark inside another. The pieces joined give back the text exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from microcareer.domain.extraction.mentions import DocumentSkill, SkillMention


@dataclass(frozen=True, slots=True)
class Piece:
    """``text[start:end]`` and the mentions that cover all of it, most confident first."""

    start: int
    end: int
    text: str
    mentions: tuple[SkillMention, ...]

    @property
    def best(self) -> SkillMention | None:
        return self.mentions[0] if self.mentions else None


def pieces(text: str, mentions: Sequence[SkillMention]) -> list[Piece]:
    """The text cut at every mention boundary (clamped to the text), in order; empty pieces dropped."""
    size = len(text)
    clamped = ((max(0, min(m.start, size)), max(0, min(m.end, size)), m) for m in mentions)
    spans = [(start, end, m) for start, end, m in clamped if start < end]
    cuts = sorted({0, size} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    by_start = sorted((s, i) for i, (s, _, _) in enumerate(spans))
    active: dict[int, SkillMention] = {}
    result: list[Piece] = []
    next_start = 0
    for start, end in pairwise(cuts):
        while next_start < len(by_start) and by_start[next_start][0] <= start:
            index = by_start[next_start][1]
            active[index] = spans[index][2]
            next_start += 1
        for index in [i for i in active if spans[i][1] <= start]:
            del active[index]
        covering = sorted(active.values(), key=lambda m: (-m.confidence, m.start, m.label))
        result.append(Piece(start, end, text[start:end], tuple(covering)))
    return result


class SkillOrder(StrEnum):
    """How the skill table is sorted; confidence (the skill set's own order) is the default."""

    CONFIDENCE = "confidence"
    COUNT = "count"
    LABEL = "label"


def sorted_skills(skills: Sequence[DocumentSkill], order: SkillOrder) -> list[DocumentSkill]:
    if order is SkillOrder.LABEL:
        return sorted(skills, key=lambda s: (s.label.casefold(), s.uri))
    if order is SkillOrder.COUNT:
        return sorted(skills, key=lambda s: (-s.count, -s.confidence, s.label.casefold()))
    return sorted(skills, key=lambda s: (-s.confidence, -s.count, s.label.casefold()))
