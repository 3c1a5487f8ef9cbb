"""Span precision, recall and F1: strict (same start and end) and overlap (any shared character).

Spans are character ranges ``(start, end)`` per sentence; which skill a span names is scored by the
skill-level metrics, not here. Repeated spans in one sentence count once. Both figures are
micro-averaged over all sentences, so sentences with no gold span still count their predictions as
false positives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from microcareer.domain.evaluation.scores import Scores

Span = tuple[int, int]


def strict_matches(gold: Iterable[Span], predicted: Iterable[Span]) -> int:
    """How many predicted spans have exactly the boundaries of a gold span."""
    return len(set(gold) & set(predicted))


def overlap(a: Span, b: Span) -> int:
    """Characters the two spans share (0 when they are disjoint or only touch)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def overlap_matches(gold: Iterable[Span], predicted: Iterable[Span]) -> int:
    """Pairs of overlapping spans, each gold and each predicted span used at most once.

    Pairs are taken greedily, largest overlap first, exact matches first among equals. No other
    pair involving a span can overlap more than that span's exact match, so every strict match is
    kept and the overlap count is never below the strict one.
    """
    gold_spans, predicted_spans = sorted(set(gold)), sorted(set(predicted))
    candidates = [
        (-overlap(g, p), g != p, g, p) for g in gold_spans for p in predicted_spans if overlap(g, p) > 0
    ]
    used_gold: set[Span] = set()
    used_predicted: set[Span] = set()
    for _, _, g, p in sorted(candidates):
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
    return len(used_gold)


def span_scores(
    gold: Sequence[Iterable[Span]], predicted: Sequence[Iterable[Span]], *, strict: bool
) -> Scores:
    """Micro-averaged span scores over sentences; ``gold[i]`` and ``predicted[i]`` are sentence i's."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predicted")
    matched = found = expected = 0
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        gold_set, predicted_set = set(gold_spans), set(predicted_spans)
        match = strict_matches if strict else overlap_matches
        matched += match(gold_set, predicted_set)
        found += len(predicted_set)
        expected += len(gold_set)
    return Scores.from_counts(matched, found, expected)
