"""Precision, recall and F1 from counts, with one rule for empty sides shared by every metric."""

from __future__ import annotations

from dataclasses import dataclass


def ratio(hits: int, total: int, *, empty: float) -> float:
    """``hits / total``, or ``empty`` when there is nothing to divide by."""
    return hits / total if total else empty


def harmonic_mean(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall and F1, with the counts they come from (``true_positives`` is matched pairs)."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    gold: int

    @classmethod
    def from_counts(cls, true_positives: int, predicted: int, gold: int) -> Scores:
        """Micro-averaged figures from summed counts.

        An empty side scores 1.0 only when the other side is empty too: predicting nothing where
        nothing is gold is perfect, predicting nothing where something is gold gets precision 0.
        """
        if not 0 <= true_positives <= min(predicted, gold):
            raise ValueError(f"{true_positives} true positives out of {predicted} predicted, {gold} gold")
        nothing_either_way = 1.0 if predicted == gold == 0 else 0.0
        precision = ratio(true_positives, predicted, empty=nothing_either_way)
        recall = ratio(true_positives, gold, empty=nothing_either_way)
        return cls(precision, recall, harmonic_mean(precision, recall), true_positives, predicted, gold)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "true_positives": self.true_positives,
            "predicted": self.predicted,
            "gold": self.gold,
        }
