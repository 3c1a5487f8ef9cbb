"""Exposure by account age: how much attention each age group's people get in ranked lists.

A person at rank r (1-based) of a list gets 1/log2(r + 1) of exposure (the DCG discount). Summed over
many lists and divided by the group's share of the population, a ratio near 1 means the group is seen
as often as its size; well under 1 means it is buried.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

AGE_GROUPS: tuple[tuple[str, int, int | None], ...] = (
    ("under 90 days", 0, 90),
    ("90 days to 1 year", 90, 365),
    ("1 to 3 years", 365, 1095),
    ("over 3 years", 1095, None),
)


def age_group(days: int) -> str:
    for name, low, high in AGE_GROUPS:
        if days >= low and (high is None or days < high):
            return name
    return AGE_GROUPS[-1][0]


@dataclass(frozen=True, slots=True)
class GroupExposure:
    group: str
    people: int
    population_share: float
    exposure_share: float

    @property
    def ratio(self) -> float:
        return self.exposure_share / self.population_share if self.population_share else 0.0


def exposure_by_age(rankings: Iterable[Sequence[int]], age_days: Mapping[int, int]) -> list[GroupExposure]:
    """``rankings``: lists of user ids best first; ``age_days``: each person's account age in days."""
    counts: dict[str, int] = {name: 0 for name, _, _ in AGE_GROUPS}
    for days in age_days.values():
        counts[age_group(days)] += 1
    exposure: dict[str, float] = dict.fromkeys(counts, 0.0)
    for ranking in rankings:
        for rank, user_id in enumerate(ranking, start=1):
            exposure[age_group(age_days[user_id])] += 1 / math.log2(rank + 1)
    people = sum(counts.values()) or 1
    seen = sum(exposure.values()) or 1.0
    return [
        GroupExposure(name, counts[name], counts[name] / people, exposure[name] / seen) for name in counts
    ]
