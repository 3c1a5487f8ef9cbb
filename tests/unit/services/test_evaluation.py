"""Evaluating an extractor: a toy exact-string matcher scored on five sentences, every figure by hand."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from microcareer.domain.evaluation.datasets import DatasetFormat, GoldSpan, LabelledDataset, LabelledSentence
from microcareer.domain.extraction.mentions import Method, SkillMention
from microcareer.services.evaluation import evaluate_extraction, prediction

PY, SQL, PM, XL, SPARK = (f"http://data.europa.eu/esco/skill/{k}" for k in ("py", "sql", "pm", "xl", "spark"))
# label -> (URI, confidence): the toy extractor's whole lexicon
LEXICON = {"Python": (PY, 0.9), "SQL": (SQL, 0.8), "project management": (PM, 0.7), "Excel": (XL, 0.5)}
LEXICON["Spark"] = (SPARK, 0.95)  # a wrong reading that outranks the right skill in sentence 5


def toy_extract(texts: Sequence[str]) -> list[list[SkillMention]]:
    """Every case-insensitive whole-word occurrence of a lexicon label."""
    return [
        [
            SkillMention(uri, label, m.start(), m.end(), m.group(), label, Method.LEXICAL, confidence)
            for label, (uri, confidence) in LEXICON.items()
            for m in re.finditer(rf"\b{re.escape(label)}\b", text, re.IGNORECASE)
        ]
        for text in texts
    ]


def _sentence(sentence_id: str, text: str, *gold: tuple[str, str]) -> LabelledSentence:
    spans = tuple(GoldSpan(text.index(words), text.index(words) + len(words), uri) for words, uri in gold)
    return LabelledSentence(sentence_id, text, spans, frozenset(uri for _, uri in gold))


SENTENCES = (
    _sentence("1", "I write Python and SQL daily.", ("Python", PY), ("SQL", SQL)),
    _sentence("2", "Managed projects in Excel.", ("Managed projects", PM), ("Excel", XL)),
    _sentence("3", "We excel at teamwork."),
    _sentence(
        "4", "Strong project management and Python skills.", ("project management", PM), ("Python skills", PY)
    ),
    _sentence("5", "Built pipelines with Spark and SQL.", ("SQL", SQL)),
)
BIO = LabelledDataset("toy.conll", DatasetFormat.BIO, SENTENCES)


class RecordingProgress:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def stage(self, name: str, total: int | None = None) -> None:
        self.events.append((name, total))

    def advance(self, amount: int = 1) -> None:
        self.events.append(("advance", amount))


def test_every_figure_of_the_toy_run() -> None:
    report = evaluate_extraction(BIO, toy_extract)
    assert report.span_strict is not None
    assert report.span_overlap is not None
    # 8 predicted spans, 7 gold; exact: Python, SQL, Excel, project management, SQL
    assert (report.span_strict.true_positives, report.span_strict.predicted, report.span_strict.gold) == (
        5,
        8,
        7,
    )
    assert report.span_strict.f1 == pytest.approx(2 / 3)
    # overlap adds "Python" inside "Python skills"
    assert (report.span_overlap.precision, report.span_overlap.recall) == pytest.approx((6 / 8, 6 / 7))
    assert report.span_overlap.f1 == pytest.approx(0.8)
    assert report.skills_micro is not None
    assert report.skills_macro is not None
    assert (report.skills_micro.true_positives, report.skills_micro.predicted) == (6, 8)
    assert report.skills_micro.recall == pytest.approx(6 / 7)
    macro = report.skills_macro
    assert (macro.precision, macro.recall, macro.f1, macro.sentences) == pytest.approx((0.7, 0.875, 2 / 3, 5))
    ranking = report.ranking
    assert ranking is not None
    # sentence 5 ranks SPARK above SQL: R-precision 0, reciprocal rank 1/2; sentence 2 misses PM
    assert (ranking.rp_at_k, ranking.r_precision, ranking.mrr, ranking.sentences) == pytest.approx(
        (0.875, 0.625, 0.875, 4)
    )
    assert (report.counts.sentences_without_gold, report.counts.distinct_gold_uris) == (1, 4)


def test_a_sentence_uri_data_set_gets_no_span_figures() -> None:
    uris_only = LabelledDataset("toy.jsonl", DatasetFormat.SENTENCE_URIS, SENTENCES)
    report = evaluate_extraction(uris_only, toy_extract)
    assert report.span_strict is None
    assert report.span_overlap is None
    assert report.skills_micro is not None
    assert report.skills_micro.precision == 0.75


def test_sentences_go_to_the_extractor_in_batches_with_progress() -> None:
    batches: list[int] = []

    def counting_extract(texts: Sequence[str]) -> list[list[SkillMention]]:
        batches.append(len(texts))
        return toy_extract(texts)

    progress = RecordingProgress()
    evaluate_extraction(BIO, counting_extract, progress=progress, batch_size=2)
    assert batches == [2, 2, 1]
    assert progress.events[0] == ("Extracting skills from toy.conll", 5)
    assert progress.events[1:] == [("advance", 2), ("advance", 2), ("advance", 1)]


def test_ranking_is_by_best_confidence_then_first_position() -> None:
    def mention(uri: str, start: int, confidence: float) -> SkillMention:
        return SkillMention(uri, uri, start, start + 1, "x", uri, Method.FUZZY, confidence)

    found = [mention(PY, 2, 0.6), mention(SQL, 0, 0.6), mention(PM, 4, 0.3), mention(PM, 6, 0.9)]
    result = prediction("abcdefgh", found)
    assert result.ranked_uris == (PM, SQL, PY)  # PM's best is 0.9; SQL and PY tie, SQL comes first
    assert result.spans == {(0, 1), (2, 3), (4, 5), (6, 7)}


def test_a_misbehaving_extractor_is_refused() -> None:
    with pytest.raises(ValueError, match="returned 0 results for 5 texts"):
        evaluate_extraction(BIO, lambda texts: [])
    outside = SkillMention(PY, "Python", 0, 99, "x", "Python", Method.LEXICAL, 1.0)
    with pytest.raises(ValueError, match="outside"):
        evaluate_extraction(BIO, lambda texts: [[outside] for _ in texts])
    with pytest.raises(ValueError, match="batch_size"):
        evaluate_extraction(BIO, toy_extract, batch_size=0)
