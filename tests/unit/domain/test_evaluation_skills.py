"""Skill-level scores (micro and macro) and the ranking metrics, against figures worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcareer.domain.evaluation.ranking import r_precision, ranking_scores, reciprocal_rank, rp_at_k
from microcareer.domain.evaluation.skills import macro_skill_scores, skill_scores

GOLD = [{"a", "b"}, {"c"}, set()]
PREDICTED = [{"a"}, {"c", "d"}, {"e"}]
uri_sets = st.lists(st.frozensets(st.sampled_from("abcdefg"), max_size=4), min_size=1, max_size=6)


def test_micro_scores_sum_counts_over_sentences() -> None:
    scores = skill_scores(GOLD, PREDICTED)
    assert (scores.true_positives, scores.predicted, scores.gold) == (2, 4, 3)
    assert (scores.precision, scores.recall, scores.f1) == pytest.approx((0.5, 2 / 3, 4 / 7))


def test_macro_scores_average_where_each_is_defined() -> None:
    scores = macro_skill_scores(GOLD, PREDICTED)
    # precision over the 3 sentences with predictions, recall over the 2 with gold, F1 over all 3
    assert (scores.precision, scores.recall, scores.f1) == pytest.approx((0.5, 0.75, 4 / 9))
    assert scores.sentences == 3


def test_macro_leaves_out_sentences_with_nothing_either_way() -> None:
    scores = macro_skill_scores([{"a"}, set()], [{"a"}, set()])
    assert (scores.precision, scores.recall, scores.f1, scores.sentences) == (1.0, 1.0, 1.0, 1)
    assert macro_skill_scores([set()], [set()]).sentences == 0


def test_ranking_metrics_of_one_sentence() -> None:
    gold, ranked = {"a", "b"}, ["x", "a", "y", "b"]
    assert rp_at_k(gold, ranked, 5) == 1.0  # both gold URIs are in the top 5, and at most 2 could be
    assert rp_at_k(gold, ranked, 1) == 0.0
    assert r_precision(gold, ranked) == 0.5  # top 2 holds one of them
    assert reciprocal_rank(gold, ranked) == 0.5
    assert rp_at_k(set("abcdef"), list("abcxyd"), 5) == pytest.approx(3 / 5)


def test_ranking_averages_skip_sentences_without_gold() -> None:
    scores = ranking_scores([{"a", "b"}, {"c"}, set()], [["x", "a", "y", "b"], [], ["z"]], k=5)
    assert (scores.rp_at_k, scores.r_precision, scores.mrr, scores.sentences) == (0.5, 0.25, 0.25, 2)
    assert scores.to_dict()["rp@5"] == 0.5


def test_ranking_with_no_gold_at_all_or_a_bad_k() -> None:
    assert ranking_scores([set()], [["a"]]).sentences == 0
    with pytest.raises(ValueError, match="k >= 1"):
        ranking_scores([{"a"}], [["a"]], k=0)


@given(uri_sets)
def test_perfect_predictions_score_one(gold: list[frozenset[str]]) -> None:
    micro = skill_scores(gold, gold)
    assert (micro.precision, micro.recall, micro.f1) == (1.0, 1.0, 1.0)
    if any(gold):
        macro = macro_skill_scores(gold, gold)
        assert (macro.precision, macro.recall, macro.f1) == (1.0, 1.0, 1.0)
        ranking = ranking_scores(gold, [sorted(g) for g in gold])
        assert (ranking.rp_at_k, ranking.r_precision, ranking.mrr) == (1.0, 1.0, 1.0)


@given(uri_sets, uri_sets)
def test_scores_stay_in_bounds(gold: list[frozenset[str]], predicted: list[frozenset[str]]) -> None:
    predicted = (predicted * len(gold))[: len(gold)]
    micro = skill_scores(gold, predicted)
    low, high = sorted((micro.precision, micro.recall))
    assert low - 1e-12 <= micro.f1 <= high + 1e-12
    ranking = ranking_scores(gold, [sorted(p) for p in predicted])
    for figure in (ranking.rp_at_k, ranking.r_precision, ranking.mrr):
        assert 0.0 <= figure <= 1.0
    assert ranking.r_precision <= ranking.rp_at_k  # every gold set fits in the top 5
