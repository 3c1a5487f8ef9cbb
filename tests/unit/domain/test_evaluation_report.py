"""Scoring predictions against a data set: which sections a format supports, and the report's shapes."""

from __future__ import annotations

import json

import pytest

from microcareer.domain.evaluation.datasets import DatasetFormat, GoldSpan, LabelledDataset, LabelledSentence
from microcareer.domain.evaluation.scoring import Prediction, score

A, B = "http://data.europa.eu/esco/skill/a", "http://data.europa.eu/esco/skill/b"


def _dataset(fmt: DatasetFormat, *, uris_on_spans: bool = True) -> LabelledDataset:
    a, b = (A, B) if uris_on_spans else (None, None)
    return LabelledDataset(
        "toy",
        fmt,
        (
            LabelledSentence(
                "1", "Python and SQL", (GoldSpan(0, 6, a), GoldSpan(11, 14, b)), frozenset({A, B})
            ),
            LabelledSentence("2", "nothing here"),
        ),
    )


PREDICTIONS = [Prediction(frozenset({(0, 6)}), (A,)), Prediction(frozenset({(0, 7)}), (B,))]


def test_a_bio_file_with_uris_gets_every_section() -> None:
    report = score(_dataset(DatasetFormat.BIO), PREDICTIONS)
    assert report.span_strict is not None
    assert report.span_strict.precision == 0.5
    assert report.span_overlap is not None
    assert report.span_overlap.recall == 0.5
    assert report.skills_micro is not None
    assert report.skills_micro.f1 == 0.5
    assert report.ranking is not None
    assert report.ranking.sentences == 1
    counts = report.counts
    assert (counts.sentences, counts.sentences_without_gold, counts.gold_spans) == (2, 1, 2)
    assert (counts.predicted_spans, counts.gold_uris, counts.predicted_uris) == (2, 2, 2)


def test_sections_the_data_cannot_support_are_none() -> None:
    uris_only = score(_dataset(DatasetFormat.SENTENCE_URIS), PREDICTIONS)
    assert uris_only.span_strict is None
    assert uris_only.span_overlap is None
    assert uris_only.skills_micro is not None
    spans_only = score(_dataset(DatasetFormat.BIO, uris_on_spans=False), PREDICTIONS)
    assert spans_only.span_strict is not None
    assert spans_only.skills_micro is None
    assert spans_only.skills_macro is None
    assert spans_only.ranking is None


def test_to_dict_is_plain_json_and_rows_list_each_section() -> None:
    report = score(_dataset(DatasetFormat.BIO), PREDICTIONS, k=3)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["format"] == "bio"
    assert data["counts"]["distinct_gold_uris"] == 2
    assert data["ranking"]["rp@3"] == 0.5  # one of the two gold URIs ranked
    assert [row[0] for row in report.rows()] == [
        "span strict",
        "span overlap",
        "skills (micro)",
        "skills (macro)",
    ]
    assert score(_dataset(DatasetFormat.SENTENCE_URIS), PREDICTIONS).to_dict()["span_strict"] is None


def test_predictions_must_match_sentences_one_to_one() -> None:
    with pytest.raises(ValueError, match="2 sentences but 1 predictions"):
        score(_dataset(DatasetFormat.BIO), PREDICTIONS[:1])


def test_gold_spans_must_fit_their_sentence() -> None:
    with pytest.raises(ValueError, match="runs past"):
        LabelledSentence("x", "short", (GoldSpan(0, 9),))
    with pytest.raises(ValueError, match="start < end"):
        GoldSpan(4, 4)
