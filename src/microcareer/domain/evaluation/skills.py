"""Skill-level precision, recall and F1: each sentence's set of predicted URIs against its gold URIs.

Micro figures sum true positives, predictions and gold URIs over all sentences, so a sentence with no
gold skill still counts its predictions as false positives. Macro figures average per-sentence
scores: precision over sentences with a prediction, recall over sentences with a gold URI, F1 over
sentences with either; a sentence with neither says nothing about the extractor and is left out.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from statistics import fmean

from microcareer.domain.evaluation.scores import Scores, harmonic_mean


@dataclass(frozen=True, slots=True)
class MacroScores:
    """Per-sentence precision, recall and F1 averaged over the sentences each one is defined for."""

    precision: float
    recall: float
    f1: float
    sentences: int  # sentences with a gold URI or a prediction

    def to_dict(self) -> dict[str, float | int]:
        scores = {"precision": self.precision, "recall": self.recall, "f1": self.f1}
        return {**scores, "sentences": self.sentences}


def _check_lengths(gold: Sequence[Set[str]], predicted: Sequence[Set[str]]) -> None:
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predicted")


def skill_scores(gold: Sequence[Set[str]], predicted: Sequence[Set[str]]) -> Scores:
    """Micro-averaged: ``gold[i]`` and ``predicted[i]`` are sentence i's URI sets."""
    _check_lengths(gold, predicted)
    hits = sum(len(g & p) for g, p in zip(gold, predicted, strict=True))
    return Scores.from_counts(hits, sum(map(len, predicted)), sum(map(len, gold)))


def macro_skill_scores(gold: Sequence[Set[str]], predicted: Sequence[Set[str]]) -> MacroScores:
    """Averages of per-sentence scores; 0.0 for an average over no sentence."""
    _check_lengths(gold, predicted)
    precisions: list[float] = []
    recalls: list[float] = []
    f1s: list[float] = []
    for g, p in zip(gold, predicted, strict=True):
        hits = len(g & p)
        precision = hits / len(p) if p else 0.0
        recall = hits / len(g) if g else 0.0
        if p:
            precisions.append(precision)
        if g:
            recalls.append(recall)
        if g or p:
            f1s.append(harmonic_mean(precision, recall))
    return MacroScores(_mean(precisions), _mean(recalls), _mean(f1s), len(f1s))


def _mean(values: list[float]) -> float:
    return fmean(values) if values else 0.0
