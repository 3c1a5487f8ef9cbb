"""Ranking every skill of the taxonomy for a sentence: retriever scores, candidates, a learned scorer.

Retrievers score skills for a sentence: cosine of sentence embeddings with skill preferred labels,
with the best of a skill's alternative labels, with its description; TF-IDF cosine of word and
character n-grams with the best of its labels. The cheap ones (preferred labels, TF-IDF) score every
skill; their fused z-scores pick a pool of ``POOL`` skills that the costly ones (the ~112k label
vectors, the descriptions) score. The candidates are the ``CANDIDATES`` best of the pool by the sum
of every retriever's z-scores (an untrained fusion), plus every skill the lexical pass found.

Each (sentence, candidate) pair becomes a feature row (each retriever's score, z-score and rank, the
lexical confidence, the skill's type, reuse level, label length and how many occupations need it); a
small scorer over those rows (``LinearScorer``: logistic regression or one hidden layer) gives the
probability that the skill is one a person would assign to the sentence (trained by
``scripts/train_skill_ranker.py``; fit by log-loss, so the probability is calibrated on data like its
training data).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]
CANDIDATES = 100  # skills per sentence that the scorer re-ranks
POOL = 400  # skills per sentence that the costlier retrievers score, from which the candidates come
RETRIEVERS = ("dense_pref", "dense_alt", "dense_desc", "dense_ctx", "tfidf_word", "tfidf_char")
# with the query adapter (``query_adapter``): the adapted sentence vector's cosine with every preferred label
ADAPTED = (*RETRIEVERS, "dense_adapt")
# these need a sentence-embedding model
DENSE = ("dense_pref", "dense_alt", "dense_desc", "dense_ctx", "dense_adapt")
CONTEXT_TEMPERATURE = 0.05  # token attention's softmax temperature over token·label cosines
SPARSE = tuple(r for r in RETRIEVERS if r not in DENSE)
REUSE_LEVELS = ("transversal", "cross-sector", "sector-specific", "occupation-specific")
# how the lexical pass found a skill: the label kind it matched, and whether the text wrote it in capitals
LEXICAL_KINDS = ("preferred", "alternative", "tool", "fuzzy", "capitalised")
# words that say nothing of a skill: left out when counting a label's words found in the sentence
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "their",
        "to",
        "with",
        "within",
    ]
)
_WORD = re.compile(r"[^\W_]+(?:[+#]+|\.net)?", re.IGNORECASE)


def content_words(text: str) -> frozenset[str]:
    """A text's words, case-folded, without the stop words ("C++" and "C#" stay whole)."""
    return frozenset(w for w in (m.group().casefold() for m in _WORD.finditer(text)) if w not in STOP_WORDS)


@dataclass(frozen=True)
class LexicalHit:
    """What the lexical pass says of one skill in one sentence: its best confidence, and which kinds
    of match it made (``LEXICAL_KINDS``: a preferred label, an alternative or hidden label, a tool
    name, a spelling variant; and whether the matched text has a capital letter, "Docker", "SQL")."""

    confidence: float
    kinds: frozenset[str] = frozenset()


def scorer_retrievers(names: Sequence[str]) -> tuple[str, ...]:
    """The retrievers a scorer's feature names read, in ``ADAPTED`` order; refused unless the names
    are exactly ``feature_names`` of them."""
    found = tuple(r for r in ADAPTED if f"{r}_score" in names)
    if tuple(names) != feature_names(found):
        raise ValueError("ranker model: its features are not those of any set of retrievers")
    return found


def feature_names(retrievers: Sequence[str] = RETRIEVERS) -> tuple[str, ...]:
    per_retriever = [f"{r}_{part}" for r in retrievers for part in ("score", "z", "rank")]
    return (
        *per_retriever,
        "fused_z",
        "fused_rank",
        "lexical",
        *(f"lexical_{kind}" for kind in LEXICAL_KINDS),
        "label_cover",
        "label_all",
        "knowledge",
        *(f"reuse_{level}" for level in REUSE_LEVELS),
        "label_words",
        "occupations",
    )


@dataclass(frozen=True)
class SkillFacts:
    """What the scorer knows of each skill beyond the retrievers, in the retrievers' skill order."""

    knowledge: npt.NDArray[np.float32]  # 1.0 for a knowledge concept, else 0.0
    reuse: npt.NDArray[np.int64]  # index into REUSE_LEVELS, -1 unknown
    label_words: npt.NDArray[np.float32]  # words in the preferred label
    occupations: npt.NDArray[np.float32]  # log(1 + occupations that list the skill)
    label_content: tuple[frozenset[str], ...] = ()  # the preferred label's ``content_words``

    @classmethod
    def of(
        cls,
        skill_types: Sequence[str | None],
        reuse_levels: Sequence[str | None],
        labels: Sequence[str],
        occupation_counts: Sequence[int],
    ) -> SkillFacts:
        order = {level: i for i, level in enumerate(REUSE_LEVELS)}
        return cls(
            knowledge=np.array([t == "knowledge" for t in skill_types], dtype=np.float32),
            reuse=np.array([order.get((r or "").strip(), -1) for r in reuse_levels], dtype=np.int64),
            label_words=np.array([len(label.split()) for label in labels], dtype=np.float32),
            occupations=np.log1p(np.asarray(occupation_counts, dtype=np.float32)),
            label_content=tuple(content_words(label) for label in labels),
        )

    def label_cover(self, words: frozenset[str], chosen: npt.NDArray[np.int64]) -> FloatMatrix:
        """For each chosen skill: the share of its preferred label's content words in ``words`` (a
        sentence's), and 1.0 where all of them are there."""
        cover = np.zeros((len(chosen), 2), dtype=np.float32)
        if not self.label_content:
            return cover
        for k, j in enumerate(chosen.tolist()):
            label = self.label_content[j]
            if label:
                share = len(label & words) / len(label)
                cover[k] = (share, float(share == 1.0))
        return cover


@dataclass(frozen=True)
class Layer:
    weights: npt.NDArray[np.float64]  # (inputs x outputs)
    bias: npt.NDArray[np.float64]  # (outputs,)


@dataclass(frozen=True)
class LinearScorer:
    """A small network over standardised features, ``(x - mean) / scale``: ReLU between its layers,
    a logistic output. One layer is a logistic regression."""

    names: tuple[str, ...]
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    layers: tuple[Layer, ...]

    @classmethod
    def logistic(
        cls,
        names: tuple[str, ...],
        mean: npt.NDArray[np.float64],
        scale: npt.NDArray[np.float64],
        weights: npt.NDArray[np.float64],
        bias: float,
    ) -> LinearScorer:
        return cls(names, mean, scale, (Layer(weights.reshape(-1, 1), np.array([bias])),))

    def probabilities(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        values = (features - self.mean) / self.scale
        for i, layer in enumerate(self.layers):
            values = values @ layer.weights + layer.bias
            if i < len(self.layers) - 1:
                values = np.maximum(values, 0.0)
        logits = values[:, 0]
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float64)

    def to_json(self) -> str:
        return json.dumps(
            {
                "names": list(self.names),
                "mean": self.mean.tolist(),
                "scale": self.scale.tolist(),
                "layers": [
                    {"weights": layer.weights.tolist(), "bias": layer.bias.tolist()} for layer in self.layers
                ],
            },
            indent=None,
        )

    @classmethod
    def from_json(cls, text: str) -> LinearScorer:
        data = json.loads(text)
        names = tuple(str(n) for n in data["names"])
        mean, scale = (np.asarray(data[key], dtype=np.float64) for key in ("mean", "scale"))
        if mean.shape != (len(names),) or scale.shape != (len(names),):
            raise ValueError("ranker model: mean and scale must have one value per feature")
        layers = []
        width = len(names)
        for layer in data["layers"]:
            weights = np.asarray(layer["weights"], dtype=np.float64)
            bias = np.asarray(layer["bias"], dtype=np.float64)
            if weights.ndim != 2 or weights.shape[0] != width or bias.shape != (weights.shape[1],):
                raise ValueError("ranker model: a layer's weights do not fit its inputs")
            layers.append(Layer(weights, bias))
            width = weights.shape[1]
        if not layers or width != 1:
            raise ValueError("ranker model: the last layer must give one value")
        return cls(names, mean, scale, tuple(layers))


@dataclass(frozen=True)
class RankedSkill:
    index: int  # the skill's row in the retrievers' matrices
    probability: float


def zscores(scores: FloatMatrix) -> FloatMatrix:
    """Each row standardised over all skills (how far above its usual level a skill scores)."""
    mean = scores.mean(axis=1, keepdims=True)
    std = scores.std(axis=1, keepdims=True)
    return np.asarray((scores - mean) / np.maximum(std, 1e-6), dtype=np.float32)


# (sentence number, the pool's skill rows) → scores of those skills by the pooled retrievers
PoolScores = Callable[[int, npt.NDArray[np.int64]], Mapping[str, npt.NDArray[np.float32]]]


def candidate_features(
    scores: Mapping[str, FloatMatrix],
    facts: SkillFacts,
    lexical: Sequence[Mapping[int, float | LexicalHit]],
    *,
    texts: Sequence[str] | None = None,
    retrievers: Sequence[str] = RETRIEVERS,
    candidates: int = CANDIDATES,
    hidden: npt.NDArray[np.bool_] | None = None,
    pooled: PoolScores | None = None,
    pool: int = POOL,
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]]:
    """Per sentence: its candidate skills' rows and their feature matrix (``feature_names`` order).

    ``scores[r]`` is retriever r's (sentences x skills) matrix, for the retrievers cheap enough to run
    over every skill; the others (``pooled``) score only a pool of the ``pool`` skills those fuse
    best, and their z-scores and ranks are within the pool. The candidates are the ``candidates``
    best of the pool by every retriever's z-scores, plus the skills the lexical pass found
    (``lexical[i]``: skill row → confidence); ``hidden`` skills are never candidates.
    """
    whole = [name for name in retrievers if name in scores]
    later = [name for name in retrievers if name not in scores]
    if later and pooled is None:
        raise ValueError(f"no scores for {', '.join(later)}")
    zs = {name: zscores(scores[name]) for name in whole}
    first = np.sum([zs[name] for name in whole], axis=0)
    if hidden is not None:
        first[:, hidden] = -np.inf
    skills = first.shape[1]
    reuse = np.zeros((skills, len(REUSE_LEVELS)), dtype=np.float32)
    known = facts.reuse >= 0
    reuse[np.flatnonzero(known), facts.reuse[known]] = 1.0
    result = []
    for i in range(first.shape[0]):
        extra = np.asarray([j for j in lexical[i] if hidden is None or not hidden[j]], dtype=np.int64)
        wide = min(pool if later else candidates, skills)
        top = np.argpartition(-first[i], wide - 1)[:wide]
        top = top[np.isfinite(first[i][top])]  # a small taxonomy's pool would take hidden skills too
        members = np.unique(np.concatenate([top, extra])).astype(np.int64)
        if members.size == 0:  # every skill hidden from this actor
            result.append((members, np.zeros((0, len(feature_names(retrievers))), dtype=np.float32)))
            continue
        parts: dict[str, tuple[npt.NDArray[np.float32], ...]] = {}
        for name in whole:
            raw = scores[name][i]
            parts[name] = (raw[members], zs[name][i][members], _log_ranks(raw, members))
        if later and pooled is not None:
            found = pooled(i, members)
            for name in later:
                raw = np.asarray(found[name], dtype=np.float32)
                std = max(float(raw.std()), 1e-6)
                parts[name] = (raw, (raw - raw.mean()) / std, _log_ranks(raw, np.arange(len(raw))))
        fused = np.sum([parts[name][1] for name in retrievers], axis=0).astype(np.float32)
        keep = min(candidates, len(members))
        best = np.argpartition(-fused, keep - 1)[:keep]
        lexical_rows = np.flatnonzero(np.isin(members, extra))
        picked = np.unique(np.concatenate([best, lexical_rows])).astype(np.int64)
        chosen = members[picked]
        columns: list[npt.NDArray[np.float32]] = []
        for name in retrievers:
            columns += [part[picked] for part in parts[name]]
        columns += [fused[picked], _log_ranks(fused, picked)]
        hits = [_hit(lexical[i].get(int(j))) for j in chosen]
        columns.append(np.array([h.confidence for h in hits], dtype=np.float32))
        columns += [np.array([kind in h.kinds for h in hits], dtype=np.float32) for kind in LEXICAL_KINDS]
        cover = facts.label_cover(content_words(texts[i]) if texts is not None else frozenset(), chosen)
        columns += [cover[:, 0], cover[:, 1]]
        columns.append(facts.knowledge[chosen])
        columns += [reuse[chosen, k] for k in range(len(REUSE_LEVELS))]
        columns += [facts.label_words[chosen], facts.occupations[chosen]]
        result.append((chosen, np.column_stack(columns).astype(np.float32)))
    return result


def context_match(
    tokens: FloatMatrix, skills: FloatMatrix, temperature: float = CONTEXT_TEMPERATURE
) -> FloatMatrix:
    """ConTeXT-match-style scores (TechWolf, 2025) without its training: for each skill vector s (unit
    length), attention a_i = softmax(cos(t_i, s) / temperature) over the sentence's token embeddings
    t_i, the context c = Σ a_i t_i / |t_i| that s attends to, and the cosine of c with s. A skill that
    matches one part of a long sentence well scores high even where the whole sentence's mean vector
    is about something else."""
    if tokens.shape[0] == 0:
        return np.zeros(skills.shape[0], dtype=np.float32)
    unit = tokens / np.maximum(np.linalg.norm(tokens, axis=1, keepdims=True), 1e-12)
    logits = (skills @ unit.T) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    weights /= weights.sum(axis=1, keepdims=True)
    context = weights @ unit
    norms = np.maximum(np.linalg.norm(context, axis=1), 1e-12)
    return np.asarray((context * skills).sum(axis=1) / norms, dtype=np.float32)


NO_HIT = LexicalHit(0.0)


def _hit(found: float | LexicalHit | None) -> LexicalHit:
    if found is None:
        return NO_HIT
    return found if isinstance(found, LexicalHit) else LexicalHit(float(found))


def _log_ranks(row: FloatMatrix, chosen: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    """log(1 + rank) of the chosen skills in the whole row (rank 0 is the best)."""
    ordered = np.sort(row)
    ranks = len(row) - np.searchsorted(ordered, row[chosen], side="right")
    return np.log1p(ranks).astype(np.float32)


def rank(
    scorer: LinearScorer, chosen: npt.NDArray[np.int64], features: npt.NDArray[np.float32], top: int
) -> list[RankedSkill]:
    """The ``top`` candidates by the scorer's probability, best first."""
    probabilities = scorer.probabilities(features)
    order = np.argsort(-probabilities, kind="stable")[:top]
    return [RankedSkill(int(chosen[k]), float(probabilities[k])) for k in order]


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))
