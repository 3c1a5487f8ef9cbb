"""Scoring predictions against a labelled data set: the pure half of an evaluation run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from microcareer.domain.evaluation.datasets import LabelledDataset
from microcareer.domain.evaluation.ranking import ranking_scores
from microcareer.domain.evaluation.report import EvaluationCounts, EvaluationReport
from microcareer.domain.evaluation.skills import macro_skill_scores, skill_scores
from microcareer.domain.evaluation.spans import Span, span_scores


@dataclass(frozen=True, slots=True)
class Prediction:
    """What an extractor said about one sentence: spans found, its URIs ranked best first, and the
    URIs it would show (``selected``: those at or above its threshold; None: every ranked one)."""

    spans: frozenset[Span] = frozenset()
    ranked_uris: tuple[str, ...] = ()
    selected: frozenset[str] | None = None

    @property
    def shown(self) -> frozenset[str]:
        return frozenset(self.ranked_uris) if self.selected is None else self.selected


def score(dataset: LabelledDataset, predictions: Sequence[Prediction], *, k: int = 5) -> EvaluationReport:
    """Every metric the data set supports; ``predictions[i]`` is about ``dataset.sentences[i]``."""
    sentences = dataset.sentences
    if len(predictions) != len(sentences):
        raise ValueError(f"{len(sentences)} sentences but {len(predictions)} predictions")
    gold_spans = [{(s.start, s.end) for s in sentence.spans} for sentence in sentences]
    gold_uris = [sentence.uris for sentence in sentences]
    predicted_spans = [p.spans for p in predictions]
    predicted_uris = [p.shown for p in predictions]
    counts = EvaluationCounts(
        sentences=len(sentences),
        sentences_without_gold=sum(1 for s in sentences if not s.spans and not s.uris),
        gold_spans=sum(map(len, gold_spans)),
        predicted_spans=sum(map(len, predicted_spans)),
        gold_uris=sum(map(len, gold_uris)),
        predicted_uris=sum(map(len, predicted_uris)),
        distinct_gold_uris=len(frozenset().union(*gold_uris)),
    )
    spans = dataset.has_spans
    uris = dataset.has_uris
    return EvaluationReport(
        dataset.name,
        dataset.format,
        counts,
        span_strict=span_scores(gold_spans, predicted_spans, strict=True) if spans else None,
        span_overlap=span_scores(gold_spans, predicted_spans, strict=False) if spans else None,
        skills_micro=skill_scores(gold_uris, predicted_uris) if uris else None,
        skills_macro=macro_skill_scores(gold_uris, predicted_uris) if uris else None,
        ranking=ranking_scores(gold_uris, [p.ranked_uris for p in predictions], k=k) if uris else None,
    )
