"""The second ranking stage: context features of a sentence's best candidates, and the re-ranking."""

from __future__ import annotations

import numpy as np
import pytest

from microcareer.adapters.ranking.model import bundled_reranker, bundled_scorer
from microcareer.domain.extraction.ranking import LinearScorer
from microcareer.domain.extraction.reranking import (
    CONTEXT_FEATURES,
    GRAPH_FEATURES,
    RERANK_TOP,
    ContextSource,
    context_features,
    graph_features,
    reads_first_features,
    reads_graph_features,
    rerank,
    reranker_names,
)

# four skills: three about software, one about gas pipelines (the known failure's shape)
PREFERRED = np.array(
    [[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.0, 0.0, 1.0], [0.95, 0.05, 0.0]],
    dtype=np.float32,
)
DESCRIPTIONS = PREFERRED.copy()
WORDS = (
    frozenset({"build", "data", "pipelines"}),
    frozenset({"software"}),
    frozenset({"gas", "pipelines"}),
    frozenset({"data"}),
)
COLUMN = {name: i for i, name in enumerate(CONTEXT_FEATURES)}


def test_a_candidate_unlike_the_rest_of_the_list_gets_low_coherence() -> None:
    rows = np.array([2, 0, 1, 3])  # the outlier ranked first by the first stage
    found = context_features(
        np.array([0.9, 0.8, 0.7, 0.6]),
        PREFERRED[rows],
        DESCRIPTIONS[rows],
        frozenset({"build", "data", "pipelines"}),
        [WORDS[j] for j in rows],
    )
    assert found.shape == (4, len(CONTEXT_FEATURES))
    peer = found[:, COLUMN["peer_pref"]]
    assert peer[0] < 0.1 < 0.5 < peer[1:].min()
    assert found[0, COLUMN["above_max"]] == 0.0  # nothing ranks above the best
    assert found[2, COLUMN["above_max"]] == pytest.approx(
        float(PREFERRED[1] @ PREFERRED[0]) / 0.9055, abs=1e-3
    )
    assert found[:, COLUMN["first_rank"]].tolist() == pytest.approx(np.log1p(np.arange(4)).tolist())
    assert found[0, COLUMN["first_gap"]] == 0.0 > found[1, COLUMN["first_gap"]]
    assert found[:, COLUMN["desc_cover"]].tolist() == pytest.approx([1 / 3, 1.0, 0.0, 1 / 3])


def test_no_candidates_give_no_rows() -> None:
    empty = np.zeros((0, 3), dtype=np.float32)
    assert context_features(np.zeros(0), empty, empty, frozenset(), []).shape == (0, len(CONTEXT_FEATURES))


def _scorers(weight: str, amount: float = 20.0) -> tuple[LinearScorer, LinearScorer]:
    first = LinearScorer.logistic(("x",), np.zeros(1), np.ones(1), np.ones(1), 0.0)
    weights = np.zeros(len(CONTEXT_FEATURES))
    weights[COLUMN["first_logit"]] = 1.0
    weights[COLUMN[weight]] = amount
    n = len(CONTEXT_FEATURES)
    return first, LinearScorer.logistic(CONTEXT_FEATURES, np.zeros(n), np.ones(n), weights, 0.0)


def test_the_reranker_puts_the_candidate_that_fits_the_list_above_the_outlier() -> None:
    first, reranker = _scorers("peer_pref")
    _, unchanged = _scorers("peer_pref", 0.0)
    chosen = np.array([0, 1, 2, 3])
    features = np.array([[0.5], [0.2], [1.0], [0.1]], dtype=np.float32)  # the first stage: 2 first
    source = ContextSource(PREFERRED, DESCRIPTIONS, WORDS, frozenset({"data"}))
    assert [r.index for r in rerank(first, unchanged, False, chosen, features, source, 4)] == [2, 0, 1, 3]
    ranked = rerank(first, reranker, False, chosen, features, source, 4)
    assert ranked[-1].index == 2
    assert [r.probability for r in ranked] == sorted((r.probability for r in ranked), reverse=True)


def test_candidates_beyond_the_reranked_head_follow_it_in_the_first_stages_order() -> None:
    first, reranker = _scorers("desc_cover")
    count = RERANK_TOP + 5
    rng = np.random.default_rng(0)
    preferred = rng.normal(size=(count, 3)).astype(np.float32)
    words = tuple(frozenset({"data"}) if j % 2 else frozenset() for j in range(count))
    source = ContextSource(preferred, preferred, words, frozenset({"data"}))
    features = np.linspace(1.0, -1.0, count, dtype=np.float32)[:, None]
    ranked = rerank(first, reranker, False, np.arange(count), features, source, count)
    assert [r.index for r in ranked[RERANK_TOP:]] == list(range(RERANK_TOP, count))
    assert {r.index for r in ranked[:RERANK_TOP]} == set(range(RERANK_TOP))
    assert ranked[0].index % 2 == 1  # writes the sentence's word
    assert [r.probability for r in ranked] == sorted((r.probability for r in ranked), reverse=True)
    assert len(rerank(first, reranker, False, np.arange(count), features, source, 3)) == 3


def test_a_reranker_reads_the_context_features_alone_or_after_the_first_stages() -> None:
    first = ("a", "b")
    n = len(CONTEXT_FEATURES)
    alone = LinearScorer.logistic(reranker_names(first, False), np.zeros(n), np.ones(n), np.zeros(n), 0.0)
    both = LinearScorer.logistic(
        reranker_names(first, True), np.zeros(n + 2), np.ones(n + 2), np.zeros(n + 2), 0.0
    )
    assert reads_first_features(alone, first) is False
    assert reads_first_features(both, first) is True
    with pytest.raises(ValueError, match="re-ranker"):
        reads_first_features(both, ("a", "c"))


def test_a_reranker_may_read_the_graph_features_last() -> None:
    first = ("a", "b")
    names = reranker_names(first, False, graph=True)
    assert names == (*CONTEXT_FEATURES, *GRAPH_FEATURES)
    n = len(names)
    graph = LinearScorer.logistic(names, np.zeros(n), np.ones(n), np.zeros(n), 0.0)
    assert reads_graph_features(graph) is True
    assert reads_first_features(graph, first) is False
    plain = LinearScorer.logistic(CONTEXT_FEATURES, np.zeros(n - 2), np.ones(n - 2), np.zeros(n - 2), 0.0)
    assert reads_graph_features(plain) is False


def test_graph_features_are_weighted_set_cosines_with_the_best_other_candidates() -> None:
    # 0 and 1 are siblings (broader concept 10), 2 stands alone, 3 is 1's child
    groups = [frozenset({0, 10}), frozenset({1, 10}), frozenset({2, 20}), frozenset({3, 1})]
    occupations = [frozenset({5, 6}), frozenset({5}), frozenset(), frozenset({7})]
    found = graph_features(np.array([0.8, 0.6, 0.4, 0.2]), groups, occupations)
    assert found.shape == (4, len(GRAPH_FEATURES))
    group, jobs = found[:, 0], found[:, 1]
    # 0's peers 1, 2, 3 (weights .6, .4, .2): cosine 0.5 with its sibling only
    assert group[0] == pytest.approx(0.6 * 0.5 / 1.2)
    # 1's peers 0 (sibling, 0.5) and 3 (its child, 0.5)
    assert group[1] == pytest.approx((0.8 * 0.5 + 0.2 * 0.5) / 1.4)
    assert group[2] == 0.0
    assert jobs[0] == pytest.approx(0.6 * (1 / np.sqrt(2)) / 1.2)
    assert jobs[2] == 0.0  # no occupation lists it
    assert jobs[3] == 0.0
    empty = graph_features(np.zeros(0), [], [])
    assert empty.shape == (0, len(GRAPH_FEATURES))


def test_a_context_source_with_a_graph_appends_the_graph_features() -> None:
    groups = [frozenset({j}) for j in range(4)]
    occupations = [frozenset({1})] * 4
    source = ContextSource(PREFERRED, DESCRIPTIONS, WORDS, frozenset({"data"}), (groups, occupations))
    found = source(np.array([0, 1, 3]), np.array([0.9, 0.5, 0.4]))
    assert found.shape == (3, len(CONTEXT_FEATURES) + len(GRAPH_FEATURES))
    assert found[:, -2].tolist() == [0.0, 0.0, 0.0]  # no shared broader concept
    assert found[:, -1].tolist() == pytest.approx([1.0, 1.0, 1.0])  # the same occupation


def test_the_shipped_reranker_if_any_reads_the_shipped_scorers_features() -> None:
    reranker = bundled_reranker()
    if reranker is not None:
        reads_first_features(reranker, bundled_scorer(True).names)
