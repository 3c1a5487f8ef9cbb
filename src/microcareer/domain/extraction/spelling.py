"""Near misses: words of a text that no label uses, corrected to the closest word that labels do use.

A symmetric-delete index (as in SymSpell) finds the candidates: a word and every word with one letter
fewer point to the label words they come from, so two words within two edits (a typo, a missing or
swapped letter) share an entry. The optimal-string-alignment distance (rapidfuzz) then decides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rapidfuzz.distance import OSA

MIN_LENGTH = 5  # shorter words have too many neighbours to correct safely


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class SpellingIndex:
    def __init__(self, vocabulary: Counter[str]) -> None:
        self.vocabulary = vocabulary
        self._index: dict[str, list[str]] = {}
        for word in vocabulary:
            if len(word) >= MIN_LENGTH - 1 and word.isalpha():
                for variant in _deletes(word) | {word}:
                    self._index.setdefault(variant, []).append(word)

    def correct(self, word: str) -> tuple[str, float] | None:
        """The label word closest to ``word`` and how similar (0..1), or None if none is close enough.

        One edit is allowed, two for words of nine letters or more; ties go to the word more labels use.
        """
        if len(word) < MIN_LENGTH or not word.isalpha() or word in self.vocabulary:
            return None
        limit = 2 if len(word) >= 9 else 1
        candidates: set[str] = set()
        for variant in _deletes(word) | {word}:
            candidates.update(self._index.get(variant, ()))
        best: tuple[int, int, str] | None = None
        for candidate in candidates:
            distance = OSA.distance(word, candidate, score_cutoff=limit)
            if distance <= limit:
                rank = (distance, -self.vocabulary[candidate], candidate)
                best = rank if best is None or rank < best else best
        if best is None:
            return None
        return best[2], 1.0 - best[0] / max(len(word), len(best[2]))

    def corrections(self, words: Iterable[str]) -> dict[str, tuple[str, float]]:
        found: dict[str, tuple[str, float]] = {}
        for word in set(words):
            corrected = self.correct(word)
            if corrected is not None:
                found[word] = corrected
        return found
