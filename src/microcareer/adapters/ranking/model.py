"""The skill ranker's trained scorers, shipped as JSON in ``microcareer/data`` (no pickle).

``skill_ranker.json`` scores candidates with every retriever's features; ``skill_ranker_sparse.json``
with TF-IDF, lexical and skill features alone, for installs without a sentence-embedding model. Both
are made by ``scripts/train_skill_ranker.py`` (fixed seed, SkillSkape train); see docs/ranking.md.
``skill_sentence_gate.json`` reads a sentence's all-MiniLM-L6-v2 vector and gives the probability that
it asks for any skill (made by ``scripts/train_sentence_gate.py``). ``skill_query_adapter.npz`` maps
a sentence's all-MiniLM-L6-v2 vector before its cosine with every preferred label (made by
``scripts/train_query_adapter.py``); the dense scorer reads that retriever's features when it was
trained with them. ``skill_reranker.json`` (when shipped) re-scores the dense scorer's best candidates
of each sentence with features of the candidates together (``domain/extraction/reranking.py``; made
by ``scripts/train_skill_reranker.py``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from microcareer.domain.extraction.query_adapter import QueryAdapter
from microcareer.domain.extraction.ranking import ADAPTED, RETRIEVERS, SPARSE, LinearScorer, feature_names
from microcareer.domain.extraction.reranking import reads_first_features

FULL = "skill_ranker.json"
SPARSE_FILE = "skill_ranker_sparse.json"
GATE = "skill_sentence_gate.json"
ADAPTER = "skill_query_adapter.npz"
RERANKER = "skill_reranker.json"


@cache
def bundled_scorer(dense: bool) -> LinearScorer:
    """The scorer for rankers with (``dense``) or without the embedding retrievers."""
    name = FULL if dense else SPARSE_FILE
    scorer = LinearScorer.from_json(resources.files("microcareer.data").joinpath(name).read_text("utf-8"))
    expected = (feature_names(RETRIEVERS), feature_names(ADAPTED)) if dense else (feature_names(SPARSE),)
    if scorer.names not in expected:
        raise ValueError(
            f"{name}: its features are not the ranker's: retrain it (scripts/train_skill_ranker.py)"
        )
    return scorer


@cache
def bundled_gate(model_name: str) -> LinearScorer | None:
    """The sentence gate for vectors of ``model_name``; None when none was trained for that model."""
    gate = LinearScorer.from_json(resources.files("microcareer.data").joinpath(GATE).read_text("utf-8"))
    if not all(name.startswith(f"{model_name}/") for name in gate.names):
        return None
    return gate


@cache
def bundled_adapter(model_name: str) -> QueryAdapter | None:
    """The query adapter for vectors of ``model_name``; None when none is shipped for that model."""
    stored = resources.files("microcareer.data").joinpath(ADAPTER)
    if not stored.is_file():
        return None
    adapter = QueryAdapter.from_bytes(stored.read_bytes())
    return adapter if adapter.model_name == model_name else None


@cache
def bundled_reranker() -> LinearScorer | None:
    """The second stage over the dense scorer's best candidates; None when none is shipped."""
    stored = resources.files("microcareer.data").joinpath(RERANKER)
    if not stored.is_file():
        return None
    reranker = LinearScorer.from_json(stored.read_text("utf-8"))
    reads_first_features(reranker, bundled_scorer(True).names)  # refused unless it fits the scorer
    return reranker
