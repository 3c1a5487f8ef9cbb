"""TF-IDF cosine of texts with skill labels (scikit-learn), the best of each skill's labels.

Every label of a skill (preferred, alternative, hidden) is one row; a text's score for a skill is its
cosine with the closest of them, so a sentence that writes any one name of a skill scores high. Word
n-grams (1-2) find shared words, character n-grams (3-5, within words) also find "analyse"/"analysis".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from microcareer.domain.extraction.ranking import FloatMatrix

Analyzer = Literal["word", "char_wb"]


class LabelTfidf:
    """Fitted on the label texts; ``scores(texts)`` is a (texts x skills) float32 matrix in 0..1."""

    def __init__(self, labels: Sequence[str], owners: Sequence[int], skills: int, analyzer: Analyzer) -> None:
        order = np.argsort(np.asarray(owners, dtype=np.int64), kind="stable")
        owner = np.asarray(owners, dtype=np.int64)[order]
        if skills == 0 or len(owner) == 0 or np.unique(owner).size != skills:
            raise ValueError("label TF-IDF: every skill needs at least one label")
        self.skills = skills
        self._starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        ngrams = (1, 2) if analyzer == "word" else (3, 5)
        self._vectorizer = TfidfVectorizer(
            analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True, lowercase=True, dtype=np.float32
        )
        self._matrix = self._vectorizer.fit_transform([labels[i] for i in order]).T.tocsr()

    def scores(self, texts: Sequence[str]) -> FloatMatrix:
        if not texts:
            return np.zeros((0, self.skills), dtype=np.float32)
        per_label = (self._vectorizer.transform(list(texts)) @ self._matrix).toarray()
        return np.maximum.reduceat(per_label, self._starts, axis=1).astype(np.float32, copy=False)

    @classmethod
    def of_analyzer(
        cls, labels: Sequence[str], owners: Sequence[int], skills: int, analyzer: str
    ) -> LabelTfidf:
        """``LabelScorerFactory``: ``analyzer`` is "word" or "char_wb"."""
        if analyzer not in ("word", "char_wb"):
            raise ValueError(f"label TF-IDF: unknown analyzer {analyzer!r}")
        return cls(labels, owners, skills, "word" if analyzer == "word" else "char_wb")
