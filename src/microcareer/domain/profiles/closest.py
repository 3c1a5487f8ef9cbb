"""Which occupations a profile is closest to: every occupation's fit, ranked, in milliseconds.

The occupation→skill relations are indexed once by skill; a profile's credits (its skills and what
they give partial credit for) then touch only the occupations that list one of them. A short skill
list is not an easy win: the fit is shrunk towards 0 by ``PRIOR_WEIGHT`` of unknown skills, so an
occupation needs real overlap to rank high. Occupations without a skill list are reported apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from microcareer.domain.profiles.gap import ESSENTIAL_IMPORTANCE, OPTIONAL_IMPORTANCE
from microcareer.domain.profiles.holdings import DEFAULT_REQUIRED_LEVEL, Holding
from microcareer.domain.profiles.skill_graph import SkillGraph, best_credits

PRIOR_WEIGHT = 3.0


@dataclass(frozen=True, slots=True)
class OccupationFit:
    uri: str
    fit: float
    """Shrunk fit used for ranking, in [0, 1]."""
    raw_fit: float
    """Importance-weighted share of the occupation's skills the profile covers, in [0, 1]."""
    essential_covered: int
    essential_total: int
    matched: tuple[str, ...]
    """The occupation's skills that the profile gives most credit for, best first (at most five)."""


class OccupationIndex:
    """Occupation→skill relations, inverted for ranking many occupations at once."""

    def __init__(self, relations: Iterable[tuple[str, str, bool]]) -> None:
        """``relations``: (occupation URI, skill URI, essential)."""
        by_skill: dict[str, list[tuple[int, float, bool]]] = {}
        slot: dict[str, int] = {}
        totals: list[float] = []
        essentials: list[int] = []
        seen: set[tuple[str, str]] = set()
        for occupation, skill, essential in relations:
            if (occupation, skill) in seen:
                continue
            seen.add((occupation, skill))
            index = slot.get(occupation)
            if index is None:
                index = slot[occupation] = len(totals)
                totals.append(0.0)
                essentials.append(0)
            weight = ESSENTIAL_IMPORTANCE if essential else OPTIONAL_IMPORTANCE
            totals[index] += weight
            essentials[index] += essential
            by_skill.setdefault(skill, []).append((index, weight, essential))
        self._by_skill = by_skill
        self._slot = slot
        self._uris = list(slot)
        self._totals = totals
        self._essentials = essentials

    def __len__(self) -> int:
        return len(self._uris)

    def __contains__(self, uri: object) -> bool:
        return uri in self._slot

    def rank(
        self,
        holdings: Iterable[Holding],
        graph: SkillGraph,
        *,
        limit: int = 20,
        required_level: int = DEFAULT_REQUIRED_LEVEL,
    ) -> list[OccupationFit]:
        """The ``limit`` occupations with the best fit for these holdings, best first."""
        strengths = {h.uri: h.strength(required_level) for h in holdings}
        credits = best_credits(graph, strengths)
        return self.rank_credits({uri: value for uri, (value, _) in credits.items()}, limit)

    def rank_credits(self, credits: Mapping[str, float], limit: int) -> list[OccupationFit]:
        """Rank from a ready map of skill → credit in [0, 1]."""
        scores = [0.0] * len(self._uris)
        covered_essentials = [0] * len(self._uris)
        best_skills: dict[int, list[tuple[float, str]]] = {}
        for skill, value in credits.items():
            for index, weight, essential in self._by_skill.get(skill, ()):
                scores[index] += weight * value
                covered_essentials[index] += essential and value >= 0.5
                best_skills.setdefault(index, []).append((weight * value, skill))
        ranked = sorted(
            best_skills,
            key=lambda i: (-scores[i] / (self._totals[i] + PRIOR_WEIGHT), self._uris[i]),
        )[:limit]
        fits: list[OccupationFit] = []
        for index in ranked:
            total = self._totals[index]
            matched = sorted(best_skills[index], key=lambda pair: (-pair[0], pair[1]))[:5]
            fits.append(
                OccupationFit(
                    uri=self._uris[index],
                    fit=round(scores[index] / (total + PRIOR_WEIGHT), 4),
                    raw_fit=round(scores[index] / total, 4),
                    essential_covered=covered_essentials[index],
                    essential_total=self._essentials[index],
                    matched=tuple(skill for _, skill in matched),
                )
            )
        return fits
