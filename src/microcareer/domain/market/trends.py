"""Monthly demand series per skill, their growth, and a test that tells a real rise or fall from noise.

The test is the Cochran-Armitage test for trend in proportions: month ``t`` has ``n_t`` postings of
which ``x_t`` name the skill; under "no trend" the share is the same every month, and the score
statistic for a linear trend in ``t`` is normal. It is exact enough with few postings a month (it uses
every posting, not monthly shares) and needs no fitting. Real monthly shares wobble more than binomial
sampling explains (seasons, one employer's campaign), so the statistic is divided by the series' own
overdispersion (Armitage's partition: the homogeneity chi-square less the trend's, over its degrees of
freedom, never below 1: a quasi-binomial correction). Testing every skill at once, the p-values are
adjusted with Benjamini-Hochberg (``scipy.stats.false_discovery_control``): a skill is "rising" or
"fading" when its adjusted p (q) is under ``alpha`` (5% of the flagged skills are expected to be false).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from scipy.stats import false_discovery_control, norm

ALPHA = 0.05
MIN_POSTINGS = 5  # a skill named fewer times over the period is not tested (nothing to tell)


class Direction(StrEnum):
    RISING = "rising"
    FADING = "fading"
    STEADY = "steady"  # tested, no significant trend
    UNTESTED = "untested"  # too few postings to test


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str  # YYYY-MM
    postings: int  # all postings that month (the exposure)
    count: int  # postings naming the skill

    @property
    def share(self) -> float:
        return self.count / self.postings if self.postings else 0.0


@dataclass(frozen=True, slots=True)
class TrendTest:
    z: float  # Cochran-Armitage statistic after the dispersion correction
    p_value: float  # two-sided
    dispersion: float  # Pearson chi-square / df of the linear fit, at least 1


@dataclass(frozen=True, slots=True)
class SkillTrend:
    uri: str
    label: str
    series: tuple[MonthCount, ...]
    total: int
    share_first: float  # share of postings in the first half of the period
    share_last: float  # ... in the second half
    growth: float | None  # share_last / share_first - 1 (None when the first half had none)
    annual_change: float  # the fitted linear trend in share, per 12 months (share points, 0.01 = 1 pt)
    test: TrendTest | None
    q_value: float | None
    direction: Direction


def months_between(first: str, last: str) -> list[str]:
    """Every YYYY-MM from ``first`` to ``last``, both included."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def cochran_armitage(counts: Sequence[int], totals: Sequence[int]) -> TrendTest | None:
    """The trend test over months 0..k-1 (months without postings drop out); None when undefined."""
    pairs = [(t, x, n) for t, (x, n) in enumerate(zip(counts, totals, strict=True)) if n > 0]
    if len(pairs) < 3:
        return None
    big_n = sum(n for _, _, n in pairs)
    big_x = sum(x for _, x, _ in pairs)
    p = big_x / big_n
    if p <= 0.0 or p >= 1.0:
        return None
    t_bar = sum(t * n for t, _, n in pairs) / big_n
    score = sum(x * (t - t_bar) for t, x, _ in pairs)
    spread = sum(n * (t - t_bar) ** 2 for t, _, n in pairs)
    variance = p * (1 - p) * spread
    if variance <= 0:
        return None
    # Armitage's partition: the homogeneity chi-square = the trend's (z squared) + departure from a
    # linear trend; the departure per degree of freedom estimates the overdispersion.
    homogeneity = sum((x - n * p) ** 2 / n for _, x, n in pairs) / (p * (1 - p))
    departure = max(0.0, homogeneity - score**2 / variance)
    dispersion = max(1.0, departure / (len(pairs) - 2))
    z = score / math.sqrt(variance * dispersion)
    return TrendTest(z=z, p_value=float(2 * norm.sf(abs(z))), dispersion=dispersion)


def _half_shares(series: Sequence[MonthCount]) -> tuple[float, float]:
    half = len(series) // 2
    first, last = series[:half], series[len(series) - half :]

    def share(part: Sequence[MonthCount]) -> float:
        n = sum(m.postings for m in part)
        return sum(m.count for m in part) / n if n else 0.0

    return share(first), share(last)


def _annual_change(series: Sequence[MonthCount]) -> float:
    pairs = [(t, m.count, m.postings) for t, m in enumerate(series) if m.postings]
    big_n = sum(n for _, _, n in pairs)
    if big_n == 0:
        return 0.0
    t_bar = sum(t * n for t, _, n in pairs) / big_n
    spread = sum(n * (t - t_bar) ** 2 for t, _, n in pairs)
    return 12 * sum(x * (t - t_bar) for t, x, _ in pairs) / spread if spread else 0.0


def skill_trends(
    month_totals: Mapping[str, int],
    counts: Mapping[str, Mapping[str, int]],
    labels: Mapping[str, str],
    *,
    months: Sequence[str] | None = None,
    alpha: float = ALPHA,
    min_postings: int = MIN_POSTINGS,
) -> list[SkillTrend]:
    """Every skill's series over ``months`` (default: first to last month with postings), tested and
    adjusted together; ordered by q-value, then by how much the share moved."""
    if months is None:
        present = sorted(m for m, n in month_totals.items() if n)
        months = months_between(present[0], present[-1]) if present else []
    partial: list[tuple[str, tuple[MonthCount, ...], int, TrendTest | None]] = []
    for uri, by_month in counts.items():
        series = tuple(MonthCount(m, month_totals.get(m, 0), by_month.get(m, 0)) for m in months)
        total = sum(m.count for m in series)
        test = (
            cochran_armitage([m.count for m in series], [m.postings for m in series])
            if total >= min_postings
            else None
        )
        partial.append((uri, series, total, test))
    tested = [i for i, (_, _, _, test) in enumerate(partial) if test is not None]
    q_values: dict[int, float] = {}
    if tested:
        p_values = [partial[i][3].p_value for i in tested]  # type: ignore[union-attr]
        adjusted = false_discovery_control(p_values, method="bh")
        q_values = {i: float(q) for i, q in zip(tested, adjusted, strict=True)}
    out = []
    for i, (uri, series, total, test) in enumerate(partial):
        first, last = _half_shares(series)
        q = q_values.get(i)
        if test is None or q is None:
            direction = Direction.UNTESTED
        elif q < alpha:
            direction = Direction.RISING if test.z > 0 else Direction.FADING
        else:
            direction = Direction.STEADY
        out.append(
            SkillTrend(
                uri=uri,
                label=labels.get(uri, uri),
                series=series,
                total=total,
                share_first=first,
                share_last=last,
                growth=(last / first - 1) if first > 0 else None,
                annual_change=_annual_change(series),
                test=test,
                q_value=q,
                direction=direction,
            )
        )
    out.sort(key=lambda s: (s.q_value if s.q_value is not None else 2.0, -abs(s.annual_change), s.label))
    return out
