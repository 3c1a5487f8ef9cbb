"""The trend test on synthetic monthly counts: a known rise and fall are found, noise is not flagged."""

from __future__ import annotations

import numpy as np

from microcareer.domain.market.trends import Direction, cochran_armitage, months_between, skill_trends

MONTHS = months_between("2025-01", "2026-12")


def _corpus(seed: int, postings_per_month: int = 40) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    rng = np.random.default_rng(seed)
    totals = dict.fromkeys(MONTHS, postings_per_month)
    counts: dict[str, dict[str, int]] = {}
    steps = np.linspace(0, 1, len(MONTHS))
    shares = {"rising": 0.05 + 0.25 * steps, "fading": 0.3 - 0.25 * steps}
    shares |= {f"noise-{i}": np.full(len(MONTHS), 0.05 + 0.01 * i) for i in range(40)}
    for uri, share in shares.items():
        counts[uri] = {
            m: int(rng.binomial(postings_per_month, p)) for m, p in zip(MONTHS, share, strict=True)
        }
    return totals, counts


def test_a_known_rise_and_fall_are_found_with_few_postings_and_flat_skills_are_not() -> None:
    flagged_noise = 0
    for seed in range(10):
        totals, counts = _corpus(seed)
        found = {t.uri: t for t in skill_trends(totals, counts, {})}
        assert found["rising"].direction is Direction.RISING
        assert found["fading"].direction is Direction.FADING
        assert found["rising"].growth is not None
        assert found["rising"].growth > 1
        flagged_noise += sum(
            1 for uri, t in found.items() if uri.startswith("noise") and t.direction is not Direction.STEADY
        )
    # 400 flat series tested over ten corpora: Benjamini-Hochberg keeps false flags rare
    assert flagged_noise <= 4


def test_a_skill_named_too_rarely_is_untested_and_a_missing_month_counts_as_none() -> None:
    totals = dict.fromkeys(MONTHS, 30)
    found = skill_trends(totals, {"rare": {MONTHS[0]: 2}}, {"rare": "Rare"}, months=MONTHS)
    assert found[0].direction is Direction.UNTESTED
    assert found[0].test is None
    assert len(found[0].series) == 24
    assert found[0].series[5].count == 0


def test_the_statistic_matches_the_textbook_formula_and_overdispersion_weakens_it() -> None:
    counts, totals = [2, 4, 6, 8, 10], [20] * 5
    test = cochran_armitage(counts, totals)
    assert test is not None
    p = sum(counts) / sum(totals)
    t_bar = 2.0
    score = sum(x * (t - t_bar) for t, x in enumerate(counts))
    variance = p * (1 - p) * sum(20 * (t - t_bar) ** 2 for t in range(5))
    assert abs(test.z - score / variance**0.5) < 1e-9
    wobbly = cochran_armitage([2, 12, 1, 14, 10], totals)
    assert wobbly is not None
    assert wobbly.dispersion > 1
    assert abs(wobbly.z) < abs(test.z)
