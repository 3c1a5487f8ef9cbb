"""Which occupations a profile is closest to: every occupation's fit, ranked, in milliseconds.

The occupation→skill relations are indexed once by skill; a profile's credits (its skills and what
they give partial credit for) then touch only the occupations that list one of them. A short skill
list is not an easy win: the fit is shrunk towards 0 by ``PRIOR_WEIGHT`` of unknown skills, so an
occupation needs real overlap to rank high. Occupations without a skill list are reported apart.

Ranking asks "whose core do I have?", so an optional skill counts a quarter of an essential one here
(``RANK_OPTIONAL_WEIGHT``; the gap to one occupation weighs it half). Otherwise an occupation with a
long optional list (software developer lists some 80 programming languages as optional) sinks below
narrower ones whose short lists a profile covers by chance.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from microcareer.domain.profiles.gap import ESSENTIAL_IMPORTANCE
from microcareer.domain.profiles.holdings import DEFAULT_REQUIRED_LEVEL, Holding
from microcareer.domain.profiles.skill_graph import SkillGraph, best_credits

PRIOR_WEIGHT = 3.0
RANK_OPTIONAL_WEIGHT = 0.25


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
    """Occupation→skill relations, inverted for ranking many occupations at once.

    Per skill, the occupations that list it are kept as parallel tuples (all, and the essential ones),
    so ranking is one pass of additions over the postings of the profile's credited skills; the
    matched skills are worked out only for the occupations that make the top.
    """

    def __init__(self, relations: Iterable[tuple[str, str, bool]]) -> None:
        """``relations``: (occupation URI, skill URI, essential)."""
        by_skill: dict[str, tuple[list[int], list[float], list[int]]] = {}
        skills_of: list[dict[str, float]] = []
        slot: dict[str, int] = {}
        totals: list[float] = []
        essentials: list[int] = []
        for occupation, skill, essential in relations:
            index = slot.get(occupation)
            if index is None:
                index = slot[occupation] = len(totals)
                totals.append(0.0)
                essentials.append(0)
                skills_of.append({})
            if skill in skills_of[index]:
                continue
            weight = ESSENTIAL_IMPORTANCE if essential else RANK_OPTIONAL_WEIGHT
            skills_of[index][skill] = weight
            totals[index] += weight
            essentials[index] += essential
            indices, weights, essential_indices = by_skill.setdefault(skill, ([], [], []))
            indices.append(index)
            weights.append(weight)
            if essential:
                essential_indices.append(index)
        self._postings = {
            skill: (tuple(indices), tuple(weights), tuple(essential_indices))
            for skill, (indices, weights, essential_indices) in by_skill.items()
        }
        self._skills_of = skills_of
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
        touched: set[int] = set()
        for skill, value in credits.items():
            postings = self._postings.get(skill)
            if postings is None:
                continue
            indices, weights, essential_indices = postings
            touched.update(indices)
            for index, weight in zip(indices, weights, strict=True):
                scores[index] += weight * value
            if value >= 0.5:
                for index in essential_indices:
                    covered_essentials[index] += 1
        totals, uris = self._totals, self._uris
        ranked = heapq.nsmallest(
            limit, touched, key=lambda i: (-scores[i] / (totals[i] + PRIOR_WEIGHT), uris[i])
        )
        fits: list[OccupationFit] = []
        for index in ranked:
            total = totals[index]
            found = [
                (weight * credits[skill], skill)
                for skill, weight in self._skills_of[index].items()
                if skill in credits
            ]
            matched = sorted(found, key=lambda pair: (-pair[0], pair[1]))[:5]
            fits.append(
                OccupationFit(
                    uri=uris[index],
                    fit=round(scores[index] / (total + PRIOR_WEIGHT), 4),
                    raw_fit=round(scores[index] / total, 4),
                    essential_covered=covered_essentials[index],
                    essential_total=self._essentials[index],
                    matched=tuple(skill for _, skill in matched),
                )
            )
        return fits
