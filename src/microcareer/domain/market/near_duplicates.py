"""Near-duplicate re-posts: MinHash over word shingles with locality-sensitive hashing (``datasketch``).

A posting's text (title and body, case-folded, punctuation dropped) is cut into overlapping runs of
``SHINGLE_WORDS`` words; two postings whose shingle sets have an estimated Jaccard similarity of at
least ``THRESHOLD`` are the same posting re-posted (another id, a changed date, a word edited). The
LSH index finds candidates in constant time per posting; each candidate is confirmed on the estimated
Jaccard of the two signatures, so a banding false positive is not collapsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE_WORDS = 5
NUM_PERM = 64
THRESHOLD = 0.8
SEED = 19
SCHEME = "affine32"  # datasketch 2's default, named: stored signatures must keep one scheme
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The text's runs of ``size`` words (the whole text when shorter), as UTF-8 bytes."""
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


_PERMUTATIONS = MinHash(
    num_perm=NUM_PERM, seed=SEED, scheme=SCHEME
).permutations  # shared: made once, not per text


def signature(text: str) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` unsigned 64-bit values) of the text's shingles."""
    sketch = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_PERMUTATIONS)
    sketch.update_batch(list(shingles(text)))
    return np.asarray(sketch.hashvalues, dtype=np.uint64)


def signature_bytes(text: str) -> bytes:
    return signature(text).tobytes()


def similarity(first: np.ndarray, second: np.ndarray) -> float:
    """The estimated Jaccard similarity of two signatures: the share of equal minima."""
    return float(np.count_nonzero(first == second)) / len(first)


class NearDuplicateIndex:
    """Postings seen so far, by key; ``match`` gives the key of one this text re-posts, if any."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def _sketch(self, values: np.ndarray) -> MinHash:
        return MinHash(
            num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=values, permutations=_PERMUTATIONS
        )

    def add(self, key: str, values: np.ndarray) -> None:
        if key in self._signatures:
            return
        self._signatures[key] = values
        self._lsh.insert(key, self._sketch(values))

    def add_all(self, items: Iterable[tuple[str, bytes]]) -> None:
        for key, raw in items:
            self.add(key, np.frombuffer(raw, dtype=np.uint64).copy())

    def match(self, values: np.ndarray) -> str | None:
        """The most similar posting at or over the threshold (ties: the smallest key), or None."""
        best: tuple[float, str] | None = None
        for key in self._lsh.query(self._sketch(values)):
            name = str(key)
            score = similarity(values, self._signatures[name])
            if score >= self.threshold and (best is None or (-score, name) < (-best[0], best[1])):
                best = (score, name)
        return None if best is None else best[1]
