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
byte. ``--variant context``: the context features alone; ``full``: the first stage's 35 features too.
Seconds once the features are cached.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_skill_ranker import (
    ADAPTER,
    FEATURES,
    GENERATED,
    OUT,
    SEED,
    TOOLS,
    bundle_taxonomy,
    esco_sentences,
    extraction_dev,
    fit,
    load_features,
    queries_kind,
    skillskape,
    split,
    tool_sentences,
)

from microcareer.adapters.ranking.model import bundled_scorer
from microcareer.adapters.semantic.embedding_cache import FileSkillEmbeddingStore
from microcareer.adapters.semantic.sentence_embeddings import SentenceTransformerEmbedder
from microcareer.adapters.tool_names import BundledToolNames
from microcareer.domain.evaluation.ranking import ranking_scores
from microcareer.domain.extraction.ranking import LinearScorer, content_words
from microcareer.domain.extraction.reranking import (
    RERANK_TOP,
    ContextSource,
    reranker_names,
)
from microcareer.services.skill_ranking import dense_vectors

Rows = tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]  # per sentence: rows, features, labels


def second_stage_rows(
    first: LinearScorer,
    data: Rows,
    texts: list[str],
    vectors: dict[str, np.ndarray],
    description_words: list[frozenset[str]],
    with_first: bool,
) -> Rows:
    """Per sentence: the first stage's best ``RERANK_TOP`` candidates (best first), their re-ranker
    features and labels."""
    rows, features, labels = [], [], []
    for chosen, matrix, label, text in zip(*data, texts, strict=True):
        probabilities = first.probabilities(matrix)
        head = np.argsort(-probabilities, kind="stable")[:RERANK_TOP]
        context = ContextSource(vectors["pref"], vectors["desc"], description_words, content_words(text))
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
    parser.add_argument("--variant", choices=("context", "full"), default="context")
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=OUT / "skill_reranker.json")
    args = parser.parse_args()
    started = time.time()
    taxonomy, _, revision = bundle_taxonomy()
    first = bundled_scorer(True)
    store = FileSkillEmbeddingStore(args.cache, prefix="ranking-embeddings-", one_key=False)
    vectors = dense_vectors(taxonomy, SentenceTransformerEmbedder(), store, revision, only=("pref", "desc"))
    description_words = [content_words(text) for text in taxonomy.descriptions]
    texts, gold, _ = skillskape(taxonomy)
    parts = split(len(texts))
    tools = BundledToolNames().label_rows()
    for part, (made, made_gold) in {
        "generated": esco_sentences(taxonomy, GENERATED),
        "tools": tool_sentences(taxonomy, tools, TOOLS),
        "edev": extraction_dev(taxonomy),
    }.items():
        parts[part] = list(range(len(texts), len(texts) + len(made)))
        texts += made
        gold += made_gold
    kind = queries_kind(False, ADAPTER.exists())
    with_first = args.variant == "full"
    data: dict[str, Rows] = {}
    first_order: dict[str, Rows] = {}
    for part, indices in parts.items():
        path = args.cache / f"ranker-features-v{FEATURES}-{part}-full-{kind}-{len(indices)}-{SEED}.npz"
        found = load_features(path)
        if found is None:
            raise SystemExit(f"{path.name}: run scripts/train_skill_ranker.py --cache {args.cache} first")
        part_texts = [texts[i] for i in indices]
        data[part] = second_stage_rows(first, found, part_texts, vectors, description_words, with_first)
        first_order[part] = data[part]
    names = reranker_names(first.names, with_first)
    training = ("train", "generated", "tools")
    scorer = fit(
        [f for part in training for f in data[part][1]],
        [y for part in training for y in data[part][2]],
        names,
    )
    report: dict[str, object] = {
        "seed": SEED,
        "variant": args.variant,
        "rerank_top": RERANK_TOP,
        "sentences": {part: len(indices) for part, indices in parts.items()},
        "weights": dict(zip(names, np.round(scorer.layers[0].weights[:, 0], 4).tolist(), strict=True)),
    }
    for part in ("dev", "edev"):
        part_gold = [gold[i] for i in parts[part]]
        report[part] = {
            "first stage rp@5": rp_at_5(None, first_order[part], part_gold),
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
