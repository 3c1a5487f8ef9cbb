"""Span scores: strict and overlap matching, hand-computed cases and properties that must always hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcareer.domain.evaluation.scores import Scores
from microcareer.domain.evaluation.spans import Span, overlap, overlap_matches, span_scores, strict_matches

span = st.builds(lambda start, length: (start, start + length), st.integers(0, 40), st.integers(1, 12))
sentence_spans = st.lists(span, max_size=6)
corpus = st.lists(st.tuples(sentence_spans, sentence_spans), min_size=1, max_size=5)


def test_strict_and_overlap_scores_by_hand() -> None:
    gold: list[list[Span]] = [[(0, 6), (10, 20)], []]
    predicted: list[list[Span]] = [[(0, 6), (12, 25)], [(30, 35)]]
    strict = span_scores(gold, predicted, strict=True)
    loose = span_scores(gold, predicted, strict=False)
    assert (strict.true_positives, strict.predicted, strict.gold) == (1, 3, 2)
    assert (strict.precision, strict.recall, strict.f1) == pytest.approx((1 / 3, 1 / 2, 0.4))
    assert (loose.precision, loose.recall, loose.f1) == pytest.approx((2 / 3, 1.0, 0.8))


def test_each_span_is_matched_once_largest_overlap_first() -> None:
    assert overlap_matches([(0, 10)], [(0, 4), (2, 10)]) == 1
    assert overlap_matches([(0, 10), (8, 20)], [(5, 15)]) == 1
    assert overlap_matches([(0, 10), (12, 20)], [(5, 15)]) == 1
    assert overlap_matches([(0, 5)], [(5, 9)]) == 0  # touching is not overlapping
    # (0, 10) overlaps both predictions by 10: the exact one wins, leaving (0, 15) for (12, 20)
    assert overlap_matches([(0, 10), (12, 20)], [(0, 15), (0, 10)]) == 2


def test_repeated_spans_count_once() -> None:
    scores = span_scores([[(0, 3), (0, 3)]], [[(0, 3), (0, 3), (0, 3)]], strict=True)
    assert (scores.true_positives, scores.predicted, scores.gold) == (1, 1, 1)


def test_empty_sides_follow_one_rule() -> None:
    assert Scores.from_counts(0, 0, 0).f1 == 1.0
    assert (Scores.from_counts(0, 2, 0).precision, Scores.from_counts(0, 2, 0).recall) == (0.0, 0.0)
    assert (Scores.from_counts(0, 0, 2).precision, Scores.from_counts(0, 0, 2).recall) == (0.0, 0.0)
    with pytest.raises(ValueError, match="true positives"):
        Scores.from_counts(3, 2, 5)


def test_mismatched_sentence_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="1 gold sentences but 2 predicted"):
        span_scores([[(0, 1)]], [[], []], strict=True)


@given(corpus)
def test_perfect_predictions_score_one(pairs: list[tuple[list[Span], list[Span]]]) -> None:
    gold = [g for g, _ in pairs]
    for strict in (True, False):
        scores = span_scores(gold, gold, strict=strict)
        assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)


@given(corpus)
def test_strict_never_beats_overlap(pairs: list[tuple[list[Span], list[Span]]]) -> None:
    gold, predicted = [g for g, _ in pairs], [p for _, p in pairs]
    strict = span_scores(gold, predicted, strict=True)
    loose = span_scores(gold, predicted, strict=False)
    assert strict.true_positives <= loose.true_positives <= min(loose.predicted, loose.gold)
    assert strict.precision <= loose.precision
    assert strict.recall <= loose.recall


@given(corpus, st.booleans())
def test_f1_lies_between_precision_and_recall(
    pairs: list[tuple[list[Span], list[Span]]], strict: bool
) -> None:
    scores = span_scores([g for g, _ in pairs], [p for _, p in pairs], strict=strict)
    low, high = sorted((scores.precision, scores.recall))
    assert low - 1e-12 <= scores.f1 <= high + 1e-12
    assert 0.0 <= scores.f1 <= 1.0


@given(sentence_spans, sentence_spans)
def test_strict_matches_are_overlap_matches(gold: list[Span], predicted: list[Span]) -> None:
    assert strict_matches(gold, predicted) <= overlap_matches(gold, predicted)
    assert all(overlap(a, a) == a[1] - a[0] for a in gold)
