"""The walk of the candidate index visits candidates in exactly the order of a full sort by bound
(best first, ties by lower user id), partitioned or not, and at most ``CANDIDATES_MAX`` of them."""

from __future__ import annotations

import numpy as np
import pytest

from microcareer.services.matching import CANDIDATES_MAX, _best_first


@pytest.mark.parametrize(("n", "head"), [(0, 8), (5, 8), (300, 8), (2000, 40), (CANDIDATES_MAX + 700, 100)])
def test_same_order_as_a_full_sort(n: int, head: int) -> None:
    rng = np.random.default_rng(n)
    users = rng.permutation(n * 3)[:n].astype(np.int64)
    bounds = np.round(rng.random(n), 2)  # many ties, also at the partition's edge
    expected = np.lexsort((users, -bounds))[:CANDIDATES_MAX].tolist()
    assert list(_best_first(users, bounds, head)) == expected
