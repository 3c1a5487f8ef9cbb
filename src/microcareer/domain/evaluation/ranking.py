"""Ranked-output metrics per sentence, averaged over the sentences that have gold URIs.

A sentence with no gold URI has no right answer to rank, so RP@K, R-precision and MRR leave it out of
their averages (its predictions still count against precision in the skill-level figures).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from statistics import fmean


def rp_at_k(gold: Set[str], ranked: Sequence[str], k: int) -> float:
    """Gold URIs in the top ``k``, over the most that could be there: ``min(k, |gold|)``."""
    if k < 1 or not gold:
        raise ValueError("RP@K needs k >= 1 and at least one gold URI")
    return len(gold & set(ranked[:k])) / min(k, len(gold))


def r_precision(gold: Set[str], ranked: Sequence[str]) -> float:
    """Gold URIs in the top ``|gold|``, over ``|gold|``."""
    return rp_at_k(gold, ranked, len(gold))


def reciprocal_rank(gold: Set[str], ranked: Sequence[str]) -> float:
    """1 / the rank of the first gold URI in ``ranked``; 0.0 when none is there."""
    for rank, uri in enumerate(ranked, start=1):
        if uri in gold:
            return 1.0 / rank
    return 0.0


@dataclass(frozen=True, slots=True)
class RankingScores:
    """Averages over the ``sentences`` that have at least one gold URI."""

    k: int
    rp_at_k: float
    r_precision: float
    mrr: float
    sentences: int
    rp_at_10: float = 0.0  # the field's second cut-off, whatever ``k`` is

    def to_dict(self) -> dict[str, float | int]:
        return {
            f"rp@{self.k}": self.rp_at_k,
            "rp@10": self.rp_at_10,
            "r_precision": self.r_precision,
            "mrr": self.mrr,
            "sentences": self.sentences,
        }


def ranking_scores(gold: Sequence[Set[str]], ranked: Sequence[Sequence[str]], *, k: int = 5) -> RankingScores:
    """``ranked[i]`` is sentence i's predicted URIs, best first; 0.0 averages when no sentence has gold."""
    if k < 1:
        raise ValueError(f"RP@K needs k >= 1, not {k}")
    if len(gold) != len(ranked):
        raise ValueError(f"{len(gold)} gold sentences but {len(ranked)} ranked lists")
    scored = [(g, r) for g, r in zip(gold, ranked, strict=True) if g]
    if not scored:
        return RankingScores(k, 0.0, 0.0, 0.0, 0)
    return RankingScores(
        k=k,
        rp_at_k=fmean(rp_at_k(g, r, k) for g, r in scored),
        r_precision=fmean(r_precision(g, r) for g, r in scored),
        mrr=fmean(reciprocal_rank(g, r) for g, r in scored),
        sentences=len(scored),
        rp_at_10=fmean(rp_at_k(g, r, 10) for g, r in scored),
    )
