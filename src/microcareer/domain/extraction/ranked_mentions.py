"""Ranked skills as mentions: the units of a text that are ranked, and the span each skill gets.

A short text (a sentence, a requirement line) is ranked whole; a longer one clause by clause, so a
posting's skills are found where they are asked for. A skill the lexical pass found inside a unit
keeps that tight span (the text names it); otherwise the span is the unit's (the text implies it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from microcareer.domain.extraction.clauses import clauses
from microcareer.domain.extraction.mentions import Method, SkillMention

WHOLE_TEXT_CHARS = 400  # texts up to this long are one unit
MIN_UNIT_WORDS = 3  # shorter clauses of a long text (headings, "Requirements:") are not ranked alone


@dataclass(frozen=True, slots=True)
class Unit:
    start: int
    end: int
    text: str


def ranking_units(text: str) -> list[Unit]:
    """The pieces of ``text`` to rank: the whole text when short, else its clauses of a few words."""
    stripped = text.strip()
    if not stripped:
        return []
    if len(text) <= WHOLE_TEXT_CHARS:
        start = text.index(stripped[0])
        return [Unit(start, start + len(stripped), stripped)]
    units = [Unit(c.start, c.end, c.text) for c in clauses(text) if c.words >= MIN_UNIT_WORDS]
    if units:
        return units
    return [Unit(c.start, c.end, c.text) for c in clauses(text)]


def unit_mention(
    unit: Unit, uri: str, label: str, probability: float, found: Sequence[SkillMention]
) -> SkillMention:
    """The mention of a ranked skill in a unit: at the lexical span that names it, else the unit."""
    named = [m for m in found if m.uri == uri and unit.start <= m.start and m.end <= unit.end]
    if named:
        best = max(named, key=lambda m: (m.confidence, -m.start))
        return SkillMention(
            uri=uri,
            label=label,
            start=best.start,
            end=best.end,
            matched_text=best.matched_text,
            matched_label=best.matched_label,
            method=Method.RANKING,
            confidence=round(probability, 4),
        )
    return SkillMention(
        uri=uri,
        label=label,
        start=unit.start,
        end=unit.end,
        matched_text=unit.text,
        matched_label=label,
        method=Method.RANKING,
        confidence=round(probability, 4),
    )
