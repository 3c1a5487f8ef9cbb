"""The candidate index gives the walk its candidates best bound first (ties by lower user id), a page
at a time from ``MatchIndex.top`` (the first ``head`` long, then four times longer), each once, at
most ``CANDIDATES_MAX`` of them."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

import microcareer.services.candidate_index as module
from microcareer.domain.matching.facts import JobFacts
from microcareer.domain.matching.index import MatchIndex, Scored
from microcareer.services.candidate_index import Candidates
from tests.unit.domain.matching.graph_helpers import graph
from tests.unit.domain.matching.test_index import JOBS, population


@pytest.mark.parametrize(("head", "most"), [(1, 5000), (8, 5000), (8, 100), (50, 37), (4000, 5000)])
def test_pages_give_the_full_ranking_in_order_each_once(
    monkeypatch: pytest.MonkeyPatch, head: int, most: int
) -> None:
    monkeypatch.setattr(module, "CANDIDATES_MAX", most)
    g = graph()
    people = population(700, seed=31)
    index = MatchIndex.build([*people, *(replace(p, user_id=p.user_id + 900) for p in people)])  # twins: ties
    for job in JOBS:
        full = index.top(job, g, k=len(index.user_ids))
        asked: list[int] = []

        def page(k: int, job: JobFacts = job, asked: list[int] = asked) -> list[Scored]:
            asked.append(k)
            return index.top(job, g, k)

        given = list(Candidates(len(full), head, page))
        assert given == [(s.user_id, s.score) for s in full][:most]
        assert asked[0] == head
        assert all(b == min(4 * a, most) for a, b in itertools.pairwise(asked))
        assert (len(asked) > 1) == (head < min(len(full), most))


def test_a_page_that_moved_gives_no_one_twice() -> None:
    pages = [
        [Scored(1, 0.9), Scored(2, 0.8)],
        [Scored(2, 0.85), Scored(1, 0.8), Scored(3, 0.7), Scored(4, 0.6), Scored(5, 0.5)],
    ]
    given = list(Candidates(5, 2, lambda k: pages[0] if k == 2 else pages[1]))
    assert [u for u, _ in given] == [1, 2, 3, 4, 5]


def test_pages_are_taken_one_at_a_time_and_give_what_iterating_gives() -> None:
    ranked = [Scored(u, 1.0 - u / 100) for u in range(1, 40)]
    asked: list[int] = []

    def page(k: int) -> list[Scored]:
        asked.append(k)
        return ranked[:k]

    pages = Candidates(len(ranked), 2, page).pages()
    first = next(pages)
    assert [u for u, _ in first] == [1, 2]
    assert asked == [2]  # the next page only when this one is used up
    rest = list(pages)
    assert [len(p) for p in rest] == [6, 24, 7]  # 8, 32 and 128 asked, each minus those given
    assert asked == [2, 8, 32, 128]
    assert [c for p in [first, *rest] for c in p] == list(Candidates(len(ranked), 2, page))


def test_a_slice_reaches_as_far_as_the_walk_is_expected_to_go() -> None:
    """``matching._slice_end``: before the top is found, as far as the walk would go if the next
    candidates needed (and an eighth more) scored their bounds; once found, exactly the candidates whose
    bound x ``TERMS_MAX`` still reaches the lowest score of the top; never past the cap, at least one."""
    from microcareer.domain.matching.index import TERMS_MAX
    from microcareer.services.matching import BOUND_SLACK, _slice_end

    bounds = [0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
    negated = [-b for b in bounds]

    def reach(floor: float) -> int:
        return sum(1 for b in bounds if b * TERMS_MAX + BOUND_SLACK >= floor)

    # nothing found yet, 2 wanted: the third (two and an eighth) bound, 0.8, is the expected floor
    assert _slice_end(negated, 0, [], 2, 100) == reach(0.8) == 3
    assert _slice_end(negated, 0, [], 2, 2) == 2  # the cap
    assert _slice_end(negated, 0, [], 9, 100) == 10  # more wanted than the page holds: all of it
    # one found (its score 0.45, under the next bounds): that is the floor
    assert _slice_end(negated, 1, [0.45], 2, 100) == reach(0.45) == 6
    # the top found: exactly those that may still reach its lowest score, from ``at``
    assert _slice_end(negated, 3, [0.65, 0.9], 2, 100) == reach(0.65) == 4
    assert _slice_end(negated, 5, [0.65, 0.9], 2, 100) == 6  # none left that can: one, the stop
