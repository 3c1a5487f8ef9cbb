"""Train the skill ranker's second stage: ``src/microcareer/data/skill_reranker.json``.

    PYTHONPATH=src python scripts/train_skill_ranker.py --cache var/cache --no-sparse   # first
    PYTHONPATH=src python scripts/train_skill_reranker.py --cache var/cache [--variant context|full] \
        [--report FILE.json]

The first stage (the shipped ``skill_ranker.json``) scores each sentence's ~100 candidates alone; this
script fits the re-ranker (``domain/extraction/reranking.py``) that re-scores the first stage's best
``RERANK_TOP`` of each sentence with features of the candidates together (agreement of a candidate's
label and description vectors with the rest of the list, near-duplicates of a better-ranked one,
description words in the sentence). Those best candidates are the hard negatives.

Data: the candidate features ``train_skill_ranker.py`` left in ``--cache`` (same seed, same parts: the
SkillSkape train part with cross-fitted adapter features, 3,000 ESCO template sentences, 750 tool
sentences for training; SkillSkape's held-out 20% and ``tests/data/extraction_dev`` for the report),
the cached preferred-label and description vectors, the bundled ESCO's descriptions. No benchmark
validation or test split is read. A logistic regression (L2, C=1, lbfgs, seed 20261204) on
standardised features, so its output is a probability; a second run gives the same file byte for
byte. ``--variant context``: the context features alone; ``full``: the first stage's 35 features too;
``graph``: the context features and the ESCO-graph features (shared broader concepts and occupations
with the other best candidates).
Seconds once the features are cached.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microcareer.adapters.ranking.model import bundled_scorer
from microcareer.adapters.ranking.tfidf import LabelTfidf
from microcareer.adapters.semantic.embedding_cache import FileSkillEmbeddingStore
from microcareer.adapters.semantic.sentence_embeddings import SentenceTransformerEmbedder
from microcareer.adapters.tool_names import BundledToolNames
from microcareer.domain.evaluation.ranking import ranking_scores
from microcareer.domain.extraction.extractor import SkillExtractor
from microcareer.domain.extraction.lexicon import LabelRow, Lexicon
from microcareer.domain.extraction.query_adapter import QueryAdapter
from microcareer.domain.extraction.ranking import ADAPTED, LinearScorer, content_words, feature_names
from microcareer.domain.extraction.reranking import (
    RERANK_TOP,
    ContextSource,
    reranker_names,
)
from microcareer.services.skill_ranking import RankingTaxonomy, SkillRanker, SkillRanking, dense_vectors
from scripts.train_skill_ranker import (
    ADAPTER,
    FEATURES,
    GENERATED,
    OUT,
    SEED,
    TOOLS,
    bundle_taxonomy,
    dataset,
    esco_sentences,
    extraction_dev,
    fit,
    load_features,
    queries_kind,
    save_features,
    skillskape,
    split,
    tool_sentences,
)

CHUNK = 1500  # train-part sentences per cached feature file
TRAIN_SENTENCES = 1500  # of the SkillSkape train part, in the seed's order (compute: docs/ranking.md)


class FeatureMaker:
    """The first stage's candidate features of sentences, made as ``train_skill_ranker.py`` makes them
    (the product's int8 queries, the shipped query adapter, or the identity map in its place); the
    ranker is built on first use."""

    def __init__(
        self,
        cache: Path,
        revision: str,
        taxonomy: RankingTaxonomy,
        labels: list[LabelRow],
        tools: list[LabelRow],
    ) -> None:
        self.cache, self.revision, self.taxonomy = cache, revision, taxonomy
        self.labels, self.tools = labels, tools

    @cached_property
    def ranker(self) -> tuple[SkillRanker, SkillExtractor]:
        adapter = QueryAdapter.from_bytes(ADAPTER.read_bytes())
        names = feature_names(ADAPTED)
        zero = np.zeros(len(names))
        placeholder = LinearScorer.logistic(names, zero, np.ones(len(names)), zero, 0.0)
        store = FileSkillEmbeddingStore(self.cache, prefix="ranking-embeddings-", one_key=False)
        queries = SentenceTransformerEmbedder(quantized=True)
        ranking = SkillRanking(
            LabelTfidf.of_analyzer,
            lambda dense: placeholder,
            SentenceTransformerEmbedder(),
            store,
            queries,
            adapter=adapter,
        )
        extractor = SkillExtractor(Lexicon([*self.labels, *self.tools]))
        return ranking.build(self.revision, self.taxonomy), extractor

    def cached(
        self, name: str, texts: list[str], gold: list[set[int]], indices: list[int], *, identity: bool
    ) -> Rows:
        """``features`` of ``texts[i]`` for i in ``indices``, kept in the cache under ``name``."""
        prefix = "reranker" if identity else "ranker"  # the first stage's script's names for its parts
        path = self.cache / f"{prefix}-features-v{FEATURES}-{name}-{SEED}.npz"
        found = load_features(path)
        if found is None:
            chosen = [texts[i] for i in indices], [gold[i] for i in indices]
            found = self.features(*chosen, identity=identity)
            save_features(path, found)
        return found

    def features(self, texts: list[str], gold: list[set[int]], *, identity: bool) -> Rows:
        ranker, extractor = self.ranker
        dense = ranker.dense
        if dense is None or dense.adapter is None:
            raise SystemExit("the ranker has no query adapter")
        shipped = dense.adapter
        if identity:
            dense.adapter = QueryAdapter.identity(shipped.model_name, shipped.dimensions)
        try:
            return dataset(ranker, extractor, texts, gold)
        finally:
            dense.adapter = shipped


Rows = tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]  # per sentence: rows, features, labels


def second_stage_rows(
    first: LinearScorer,
    data: Rows,
    texts: list[str],
    vectors: dict[str, np.ndarray],
    description_words: list[frozenset[str]],
    with_first: bool,
    graph: tuple[Sequence[frozenset[int]], Sequence[frozenset[int]]] | None = None,
) -> Rows:
    """Per sentence: the first stage's best ``RERANK_TOP`` candidates (best first), their re-ranker
    features and labels."""
    rows, features, labels = [], [], []
    for chosen, matrix, label, text in zip(*data, texts, strict=True):
        probabilities = first.probabilities(matrix)
        head = np.argsort(-probabilities, kind="stable")[:RERANK_TOP]
        context = ContextSource(
            vectors["pref"], vectors["desc"], description_words, content_words(text), graph
        )
        extra = context(chosen[head], probabilities[head])
        rows.append(chosen[head])
        features.append(np.hstack([matrix[head], extra]) if with_first else extra)
        labels.append(label[head])
    return rows, features, labels


def rp_at_5(scorer: LinearScorer | None, data: Rows, gold: list[set[int]]) -> float:
    """RP@5 of the re-ranked heads (None: the first stage's order, as the rows come)."""
    ranked = []
    for chosen, matrix, _ in zip(*data, strict=True):
        order = np.argsort(-scorer.probabilities(matrix), kind="stable") if scorer else np.arange(len(chosen))
        ranked.append([str(int(chosen[k])) for k in order])
    return round(100 * ranking_scores([{str(j) for j in g} for g in gold], ranked, k=5).rp_at_k, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("var/cache"))
    parser.add_argument("--variant", choices=("context", "full", "graph"), default="context")
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=OUT / "skill_reranker.json")
    parser.add_argument(
        "--train-sentences", type=int, default=TRAIN_SENTENCES, help="SkillSkape train-part sentences used"
    )
    parser.add_argument("--generated", type=int, default=GENERATED, help="ESCO template sentences (0: none)")
    parser.add_argument("--tools", type=int, default=TOOLS, help="tool-name sentences (0: none)")
    args = parser.parse_args()
    started = time.time()
    taxonomy, label_rows, revision = bundle_taxonomy()
    first = bundled_scorer(True)
    store = FileSkillEmbeddingStore(args.cache, prefix="ranking-embeddings-", one_key=False)
    vectors = dense_vectors(taxonomy, SentenceTransformerEmbedder(), store, revision, only=("pref", "desc"))
    description_words = [content_words(text) for text in taxonomy.descriptions]
    texts, gold, _ = skillskape(taxonomy)
    parts = split(len(texts))
    tools = BundledToolNames().label_rows()
    for part, (made, made_gold) in {
        "generated": esco_sentences(taxonomy, args.generated),
        "tools": tool_sentences(taxonomy, tools, args.tools),
        "edev": extraction_dev(taxonomy),
    }.items():
        if not made:
            continue
        parts[part] = list(range(len(texts), len(texts) + len(made)))
        texts += made
        gold += made_gold
    kind = "full-" + queries_kind(False, True)
    with_first = args.variant == "full"
    graph = (taxonomy.groups, taxonomy.occupations) if args.variant == "graph" else None
    parts["train"] = parts["train"][: args.train_sentences]
    builder = FeatureMaker(args.cache, revision, taxonomy, label_rows, tools)
    data: dict[str, Rows] = {}
    for part, indices in parts.items():
        sentences = [texts[i] for i in indices]
        if part == "train":  # the identity adapter (the shipped one saw these sentences), in chunks
            chunks = [
                builder.cached(
                    f"train{start}-{start + len(indices[start : start + CHUNK])}-identity",
                    texts,
                    gold,
                    indices[start : start + CHUNK],
                    identity=True,
                )
                for start in range(0, len(indices), CHUNK)
            ]
            found = (
                [r for c in chunks for r in c[0]],
                [f for c in chunks for f in c[1]],
                [y for c in chunks for y in c[2]],
            )
        else:  # as train_skill_ranker.py names them: its files are reused
            found = builder.cached(f"{part}-{kind}-{len(indices)}", texts, gold, indices, identity=False)
        data[part] = second_stage_rows(first, found, sentences, vectors, description_words, with_first, graph)
        print(f"{part}: {len(indices)} sentences ({time.time() - started:.0f}s)", file=sys.stderr, flush=True)
    names = reranker_names(first.names, with_first, graph is not None)
    training = [part for part in ("train", "generated", "tools") if part in data]
    scorer = fit(
        [f for part in training for f in data[part][1]],
        [y for part in training for y in data[part][2]],
        names,
    )
    report: dict[str, object] = {
        "seed": SEED,
        "variant": args.variant,
        "rerank_top": RERANK_TOP,
        "command": "PYTHONPATH=src python scripts/train_skill_reranker.py " + " ".join(sys.argv[1:]),
        "sentences": {part: len(indices) for part, indices in parts.items()},
        "weights": dict(zip(names, np.round(scorer.layers[0].weights[:, 0], 4).tolist(), strict=True)),
    }
    for part in ("dev", "edev"):
        part_gold = [gold[i] for i in parts[part]]
        report[part] = {
            "first stage rp@5": rp_at_5(None, data[part], part_gold),
            "re-ranked rp@5": rp_at_5(scorer, data[part], part_gold),
            "gold in the first stage's best 30": round(
                sum(int(y.sum()) for y in data[part][2]) / max(1, sum(len(g) for g in part_gold)), 4
            ),
        }
    report["seconds"] = round(time.time() - started)
    args.out.write_text(scorer.to_json() + "\n", encoding="utf-8")
    text = json.dumps(report, indent=1)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
