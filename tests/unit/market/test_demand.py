"""Lift on a small example checked by hand: 10 postings, the focus skill F in 4 of them.

B is in 5 postings, 3 of them with F: 3/4 of F's postings against 5/10 of all, a lift of 1.5.
C is in 2 postings, both with F: 2/4 against 2/10, a lift of 2.5 (but seen together only twice).
D is in 6 postings, 3 with F: 3/4 against 6/10, a lift of 1.25.
"""

from __future__ import annotations

import pytest

from microcareer.domain.market.demand import lifts, shares

TOGETHER = {"B": 3, "C": 2, "D": 3}
COUNTS = {"F": 4, "B": 5, "C": 2, "D": 6}


def test_lift_is_the_share_with_the_skill_over_the_share_overall() -> None:
    found = lifts(10, 4, TOGETHER, COUNTS, {}, limit=10, min_together=1)
    assert [c.uri for c in found] == ["C", "B", "D"]  # by lift, not by how often they go together
    by_uri = {c.uri: c for c in found}
    assert by_uri["C"].lift == pytest.approx(2.5)
    assert (by_uri["B"].share_with, by_uri["B"].share_overall, by_uri["B"].lift) == pytest.approx(
        (0.75, 0.5, 1.5)
    )
    assert by_uri["D"].lift == pytest.approx(1.25)
    assert by_uri["D"].together == 3


def test_pairs_seen_too_rarely_are_left_out_and_limit_cuts() -> None:
    assert [c.uri for c in lifts(10, 4, TOGETHER, COUNTS, {}, limit=10, min_together=3)] == ["B", "D"]
    assert [c.uri for c in lifts(10, 4, TOGETHER, COUNTS, {}, limit=1, min_together=1)] == ["C"]
    assert lifts(0, 4, TOGETHER, COUNTS, {}, limit=10) == []


def test_shares_rank_by_postings_then_label() -> None:
    found = shares(10, {"x": 2, "y": 5, "z": 2}, {"x": "beta", "z": "alpha"}, 2)
    assert [(s.uri, s.postings, s.share) for s in found] == [("y", 5, 0.5), ("z", 2, 0.2)]
