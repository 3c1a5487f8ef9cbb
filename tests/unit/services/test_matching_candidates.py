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
