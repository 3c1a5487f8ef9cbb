"""Every figure of one evaluation run, with the counts behind them, ready for a table or JSON.

A section is ``None`` when the data set cannot support it: span figures need gold spans (a BIO
file), skill and ranking figures need gold URIs (a sentence -> URI file, or a BIO file with a URI
column). Sentences with no gold label count for precision (their predictions are false positives)
but are left out of the ranking averages.
"""

from __future__ import annotations

from dataclasses import dataclass

from microcareer.domain.evaluation.datasets import DatasetFormat
from microcareer.domain.evaluation.ranking import RankingScores
from microcareer.domain.evaluation.scores import Scores
from microcareer.domain.evaluation.skills import MacroScores


@dataclass(frozen=True, slots=True)
class EvaluationCounts:
    sentences: int
    sentences_without_gold: int  # no gold span and no gold URI: a "no skill here" sentence
    gold_spans: int
    predicted_spans: int
    gold_uris: int  # summed over sentences: a URI gold in two sentences counts twice
    predicted_uris: int
    distinct_gold_uris: int


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    dataset: str
    format: DatasetFormat
    counts: EvaluationCounts
    span_strict: Scores | None = None
    span_overlap: Scores | None = None
    skills_micro: Scores | None = None
    skills_macro: MacroScores | None = None
    ranking: RankingScores | None = None

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values; absent sections are ``None``."""
        return {
            "dataset": self.dataset,
            "format": self.format.value,
            "counts": {name: getattr(self.counts, name) for name in EvaluationCounts.__dataclass_fields__},
            "span_strict": self.span_strict.to_dict() if self.span_strict else None,
            "span_overlap": self.span_overlap.to_dict() if self.span_overlap else None,
            "skills_micro": self.skills_micro.to_dict() if self.skills_micro else None,
            "skills_macro": self.skills_macro.to_dict() if self.skills_macro else None,
            "ranking": self.ranking.to_dict() if self.ranking else None,
        }

    def rows(self) -> list[tuple[str, float, float, float]]:
        """``(metric, precision, recall, F1)`` for each P/R/F1 section present, for a table."""
        sections: list[tuple[str, Scores | MacroScores | None]] = [
            ("span strict", self.span_strict),
            ("span overlap", self.span_overlap),
            ("skills (micro)", self.skills_micro),
            ("skills (macro)", self.skills_macro),
        ]
        return [(name, s.precision, s.recall, s.f1) for name, s in sections if s is not None]
