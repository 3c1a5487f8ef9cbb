"""The re-ranker's training script on a small fixture: what CI can afford instead of the real run
(the shipped file is made from cached features of ~6,700 sentences: docs/ranking.md)."""

from __future__ import annotations

import numpy as np
from scripts.train_skill_ranker import fit
from scripts.train_skill_reranker import second_stage_rows

from microcareer.domain.extraction.ranking import LinearScorer
from microcareer.domain.extraction.reranking import CONTEXT_FEATURES, RERANK_TOP, reranker_names


def _fixture() -> tuple[LinearScorer, tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]], list[str]]:
    rng = np.random.default_rng(7)
    first = LinearScorer.logistic(("x",), np.zeros(1), np.ones(1), np.ones(1), 0.0)
    rows, features, labels, texts = [], [], [], []
    for _ in range(40):
        chosen = rng.choice(200, size=50, replace=False).astype(np.int64)
        matrix = rng.normal(size=(50, 1)).astype(np.float32)
        label = (rng.random(50) < 0.1).astype(np.int8)
        matrix[label == 1] += 1.0
        rows.append(chosen)
        features.append(matrix)
        labels.append(label)
        texts.append("build data pipelines")
    return first, (rows, features, labels), texts


def test_second_stage_rows_are_the_first_stages_best_with_context_and_fit_reproducibly() -> None:
    first, data, texts = _fixture()
    rng = np.random.default_rng(8)
    vectors = {"pref": rng.normal(size=(200, 4)), "desc": rng.normal(size=(200, 4))}
    words = [frozenset({"data"}) if j % 3 == 0 else frozenset() for j in range(200)]
    for with_first in (False, True):
        rows, features, labels = second_stage_rows(first, data, texts, vectors, words, with_first)
        assert all(len(r) == RERANK_TOP for r in rows)
        best = np.argsort(-data[1][0][:, 0], kind="stable")[:RERANK_TOP]
        assert rows[0].tolist() == data[0][0][best].tolist()
        assert labels[0].tolist() == data[2][0][best].tolist()
        assert features[0].shape == (RERANK_TOP, len(CONTEXT_FEATURES) + (1 if with_first else 0))
        names = reranker_names(("x",), with_first)
        once, again = fit(features, labels, names), fit(features, labels, names)
        assert once.to_json() == again.to_json()  # the same bytes from the same rows and seed
        assert once.names == names
