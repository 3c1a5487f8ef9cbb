"""Near-duplicate suppression: a ranked list is not flooded by results that are all alike.

Two results are alike when their signatures (for people: the job skills they match and how well, in
steps of 0.1; for jobs: the skills asked and the title's words) overlap by at least ``ALIKE_AT``
(Jaccard). A result alike to ``MAX_ALIKE`` results already placed is moved after the others, keeping
its order among the moved; nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

ALIKE_AT = 0.9
MAX_ALIKE = 2

T = TypeVar("T")


def jaccard(a: frozenset[Hashable], b: frozenset[Hashable]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def diversify(
    ranked: Sequence[T],
    signature: Callable[[T], frozenset[Hashable]],
    *,
    alike_at: float = ALIKE_AT,
    max_alike: int = MAX_ALIKE,
) -> list[T]:
    placed: list[T] = []
    signatures: list[frozenset[Hashable]] = []
    moved: list[T] = []
    for item in ranked:
        mine = signature(item)
        alike = sum(1 for other in signatures if jaccard(mine, other) >= alike_at)
        if alike >= max_alike:
            moved.append(item)
            continue
        placed.append(item)
        signatures.append(mine)
    return placed + moved
