"""Demand from postings: each skill's share, skills that go together (lift), pay where it is given.

Lift of skill B given skill A is P(B | A) / P(B): how much more often B appears in postings that name
A than in postings at large (1: independent). Raw co-occurrence counts would rank the commonest skills
first for every A; lift ranks what goes with A in particular. A pair seen in fewer than
``MIN_PAIR_POSTINGS`` postings is left out (a lift of 40 from one posting tells nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MIN_PAIR_POSTINGS = 3


@dataclass(frozen=True, slots=True)
class SkillShare:
    uri: str
    label: str
    postings: int
    share: float  # of all postings in the selection


@dataclass(frozen=True, slots=True)
class CoSkill:
    uri: str
    label: str
    together: int  # postings naming both
    share_with: float  # P(B | A)
    share_overall: float  # P(B)
    lift: float


@dataclass(frozen=True, slots=True)
class SkillPay:
    uri: str
    label: str
    postings_with_pay: int
    mean_pay: float
    ratio_to_all: float  # mean pay of postings naming the skill / mean pay of all postings with pay


def shares(total: int, counts: Mapping[str, int], labels: Mapping[str, str], limit: int) -> list[SkillShare]:
    """The ``limit`` most named skills, with their share of ``total`` postings."""
    if total <= 0:
        return []
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], labels.get(kv[0], kv[0])))[:limit]
    return [SkillShare(uri, labels.get(uri, uri), n, n / total) for uri, n in ranked]


def lifts(
    total: int,
    focus_count: int,
    together: Mapping[str, int],
    counts: Mapping[str, int],
    labels: Mapping[str, str],
    *,
    limit: int,
    min_together: int = MIN_PAIR_POSTINGS,
) -> list[CoSkill]:
    """Skills seen with the focus skill (in ``focus_count`` of ``total`` postings), by lift."""
    if total <= 0 or focus_count <= 0:
        return []
    out = []
    for uri, both in together.items():
        overall = counts.get(uri, 0)
        if both < min_together or overall <= 0:
            continue
        with_share = both / focus_count
        overall_share = overall / total
        out.append(
            CoSkill(uri, labels.get(uri, uri), both, with_share, overall_share, with_share / overall_share)
        )
    out.sort(key=lambda c: (-c.lift, -c.together, c.label))
    return out[:limit]


def pay_ratios(
    all_pay: tuple[int, float],
    by_skill: Mapping[str, tuple[int, float]],
    labels: Mapping[str, str],
    *,
    min_postings: int = MIN_PAIR_POSTINGS,
) -> list[SkillPay]:
    """Mean pay of postings naming each skill against the mean of all postings with pay; ``(count,
    mean)`` pairs in, skills with fewer than ``min_postings`` paid postings left out, highest first."""
    count, mean = all_pay
    if count <= 0 or mean <= 0:
        return []
    out = [
        SkillPay(uri, labels.get(uri, uri), n, m, m / mean)
        for uri, (n, m) in by_skill.items()
        if n >= min_postings
    ]
    out.sort(key=lambda p: (-p.ratio_to_all, p.label))
    return out
