"""A second, trained stage over the first scorer's best candidates of one sentence.

The first scorer (``ranking.LinearScorer`` over ``feature_names``) judges each candidate alone. Some
errors only show against the other candidates: "You will build and maintain our data pipelines and
track down bugs in the backend services" gets *analyse pipeline database information*, *detect flaws
in pipeline infrastructure* (gas pipelines) because each of them alone matches "pipelines" well. The
re-ranker re-scores the first stage's best ``RERANK_TOP`` candidates with features of the sentence's
candidates together (``CONTEXT_FEATURES``):

- ``first_logit``, ``first_rank``, ``first_gap``: the first stage's logit, log(1 + its rank) and its
  logit's distance below the sentence's best;
- ``peer_pref``, ``peer_desc``: cosine of the candidate's preferred-label vector (and description
  vector) with the centroid of the best ``PEERS`` other candidates' vectors, each weighted by its
  first-stage probability (does the candidate agree with what the rest of the list is about?);
- ``above_max``: the highest cosine of its preferred-label vector with a better-ranked candidate's
  (a near-duplicate of a skill already listed);
- ``desc_cover``: the share of the sentence's content words that the skill's description writes.

and, when the re-ranker reads them, two features of the ESCO graph (``GRAPH_FEATURES``), each the
mean over the best ``PEERS`` other candidates, weighted by their first-stage probabilities, of a set
cosine |A∩B| / sqrt(|A||B|):

- ``peer_group``: of the skill and its direct broader concepts (siblings, parent and child: 0.5);
- ``peer_occupations``: of the occupations that list the skill.

A re-ranker reads the context features alone, or the first stage's features followed by them, and
either may be followed by the graph features (``reranker_names``). Trained by
``scripts/train_skill_reranker.py``; docs/ranking.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from microcareer.domain.extraction.ranking import FloatMatrix, LinearScorer, RankedSkill

RERANK_TOP = 30  # the first stage's best candidates that the re-ranker scores again
PEERS = 10  # the best other candidates whose centroid a candidate is compared with
CONTEXT_FEATURES = (
    "first_logit",
    "first_rank",
    "first_gap",
    "peer_pref",
    "peer_desc",
    "above_max",
    "desc_cover",
)
GRAPH_FEATURES = ("peer_group", "peer_occupations")


def reranker_names(first: Sequence[str], with_first: bool, graph: bool = False) -> tuple[str, ...]:
    """A re-ranker's feature names: the context features, after the first stage's when ``with_first``,
    followed by the graph features when ``graph``."""
    names = (*first, *CONTEXT_FEATURES) if with_first else CONTEXT_FEATURES
    return (*names, *GRAPH_FEATURES) if graph else names


def reads_graph_features(reranker: LinearScorer) -> bool:
    """Whether ``reranker``'s last features are the graph features."""
    return reranker.names[-len(GRAPH_FEATURES) :] == GRAPH_FEATURES


def reads_first_features(reranker: LinearScorer, first: Sequence[str]) -> bool:
    """Whether ``reranker`` reads the first stage's features too; refused unless its names are one of
    ``reranker_names`` for that first stage."""
    graph = reads_graph_features(reranker)
    if reranker.names == reranker_names(first, True, graph):
        return True
    if reranker.names == reranker_names(first, False, graph):
        return False
    raise ValueError("re-ranker model: its features are not the first stage's and the context features")


def _peer_overlap(
    sets: Sequence[frozenset[int]], weights: npt.NDArray[np.float64]
) -> npt.NDArray[np.float32]:
    """Each set's set cosine with the first ``PEERS`` sets other than itself, averaged with
    ``weights`` (normalised over those peers)."""
    peers = min(PEERS, len(sets))
    found = np.zeros(len(sets), dtype=np.float32)
    for i, mine in enumerate(sets):
        total = weight = 0.0
        for j in range(peers):
            if j == i:
                continue
            weight += float(weights[j])
            if mine and sets[j]:
                total += float(weights[j]) * len(mine & sets[j]) / math.sqrt(len(mine) * len(sets[j]))
        found[i] = total / weight if weight > 0 else 0.0
    return found


def graph_features(
    probabilities: npt.NDArray[np.float64],
    groups: Sequence[frozenset[int]],
    occupations: Sequence[frozenset[int]],
) -> npt.NDArray[np.float32]:
    """``GRAPH_FEATURES`` of candidates given best first (``probabilities`` descending), with each
    one's set of itself and its broader concepts and its set of occupations."""
    if len(probabilities) == 0:
        return np.zeros((0, len(GRAPH_FEATURES)), dtype=np.float32)
    weights = np.asarray(probabilities, dtype=np.float64)
    return np.column_stack([_peer_overlap(groups, weights), _peer_overlap(occupations, weights)])


def _unit(vectors: FloatMatrix) -> FloatMatrix:
    norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return np.asarray(vectors / norms, dtype=np.float32)


def _peer_cosine(unit: FloatMatrix, weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    """Each row's cosine with the weighted centroid of the first ``PEERS`` rows other than itself."""
    peers = min(PEERS, unit.shape[0])
    mixing = np.zeros((unit.shape[0], peers), dtype=np.float64)
    mixing[:] = weights[:peers]
    own = np.arange(min(peers, unit.shape[0]))
    mixing[own, own] = 0.0  # a candidate is not its own peer
    centroids = mixing @ unit[:peers].astype(np.float64)
    norms = np.linalg.norm(centroids, axis=1)
    cosines = (centroids * unit).sum(axis=1) / np.maximum(norms, 1e-12)
    return np.asarray(np.where(norms > 1e-12, cosines, 0.0), dtype=np.float32)


def context_features(
    probabilities: npt.NDArray[np.float64],
    preferred: FloatMatrix,
    descriptions: FloatMatrix,
    sentence_words: frozenset[str],
    description_words: Sequence[frozenset[str]],
) -> npt.NDArray[np.float32]:
    """``CONTEXT_FEATURES`` of candidates given best first by the first stage (``probabilities``
    descending), with their preferred-label and description vectors and descriptions' content words."""
    count = len(probabilities)
    if count == 0:
        return np.zeros((0, len(CONTEXT_FEATURES)), dtype=np.float32)
    clipped = np.clip(probabilities, 1e-6, 1 - 1e-6)
    logits = np.log(clipped / (1 - clipped))
    pref, desc = _unit(preferred), _unit(descriptions)
    similar = pref @ pref.T
    above = np.where(np.tri(count, k=-1, dtype=bool), similar, -1.0).max(axis=1)
    above[0] = 0.0  # nothing ranks above the best
    words = len(sentence_words)
    cover = [len(sentence_words & d) / words if words else 0.0 for d in description_words]
    columns = [
        logits,
        np.log1p(np.arange(count)),
        logits - logits[0],
        _peer_cosine(pref, probabilities),
        _peer_cosine(desc, probabilities),
        above,
        np.asarray(cover),
    ]
    return np.column_stack(columns).astype(np.float32)


def rerank(
    first: LinearScorer,
    reranker: LinearScorer,
    with_first: bool,
    chosen: npt.NDArray[np.int64],
    features: npt.NDArray[np.float32],
    context: ContextSource,
    top: int,
) -> list[RankedSkill]:
    """The ``top`` candidates best first: the first stage's best ``RERANK_TOP`` by the re-ranker's
    probability, then (when ``top`` asks for more) the rest by the first stage's, each capped at
    the lowest re-ranked probability so the order holds."""
    probabilities = first.probabilities(features)
    order = np.argsort(-probabilities, kind="stable")
    head = order[:RERANK_TOP]
    extra = context(chosen[head], probabilities[head])
    rows = np.hstack([features[head], extra]) if with_first else extra
    second = reranker.probabilities(rows)
    ranked = [RankedSkill(int(chosen[head[k]]), float(second[k])) for k in np.argsort(-second, kind="stable")]
    if top > len(ranked):
        floor = min((r.probability for r in ranked), default=1.0)
        ranked += [
            RankedSkill(int(chosen[k]), min(float(probabilities[k]), floor)) for k in order[RERANK_TOP:]
        ]
    return ranked[:top]


class ContextSource:
    """The context features of a sentence's best candidates (and the graph features when ``graph``
    is given): the skills' vectors, descriptions' words and graph come from the ranker, the
    sentence's words from its text."""

    def __init__(
        self,
        preferred: FloatMatrix,
        descriptions: FloatMatrix,
        description_words: Sequence[frozenset[str]],
        sentence_words: frozenset[str],
        graph: tuple[Sequence[frozenset[int]], Sequence[frozenset[int]]] | None = None,
    ) -> None:
        self.preferred = preferred
        self.descriptions = descriptions
        self.description_words = description_words
        self.sentence_words = sentence_words
        self.graph = graph  # each skill's (itself and broader concepts, occupations): the graph features

    def __call__(
        self, rows: npt.NDArray[np.int64], probabilities: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float32]:
        found = context_features(
            probabilities,
            self.preferred[rows],
            self.descriptions[rows],
            self.sentence_words,
            [self.description_words[int(j)] for j in rows],
        )
        if self.graph is None:
            return found
        groups, occupations = self.graph
        graph = graph_features(
            probabilities, [groups[int(j)] for j in rows], [occupations[int(j)] for j in rows]
        )
        return np.hstack([found, graph]).astype(np.float32)
