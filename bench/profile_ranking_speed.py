"""Where the ranking path's time goes per sentence, on one core, and what a speed change costs in RP@5.

    PYTHONPATH=src python -m bench.profile_ranking_speed --cache var/cache [--quantize] [--max-seq N]
        [--pool N] [--candidates N] [--limit N]

Runs the shipped scorer over the SkillSkape development part (the 20% that
``scripts/train_skill_ranker.py`` holds out with its seed) with torch on one thread, and prints the
seconds spent in each stage (sentence embedding, TF-IDF word and character, dense matmuls and
candidate features, scoring) and RP@5 / RP@10 / MRR. Nothing is tuned on the benchmark's splits.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.train_skill_ranker import bundle_taxonomy, skillskape, split  # noqa: E402


def timed(spent: dict[str, float], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - t

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "var/cache")
    parser.add_argument(
        "--quantize", action="store_true", help="int8 dynamic quantisation of the query model"
    )
    parser.add_argument("--max-seq", type=int, default=0)
    parser.add_argument("--pool", type=int, default=0)
    parser.add_argument("--candidates", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0, help="only this many development sentences")
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    from microcareer.adapters.ranking.model import bundled_scorer
    from microcareer.adapters.ranking.tfidf import LabelTfidf
    from microcareer.adapters.semantic import sentence_embeddings
    from microcareer.adapters.semantic.embedding_cache import FileSkillEmbeddingStore
    from microcareer.adapters.semantic.sentence_embeddings import SentenceTransformerEmbedder
    from microcareer.adapters.tool_names import BundledToolNames
    from microcareer.domain.evaluation.ranking import ranking_scores
    from microcareer.domain.extraction import ranking
    from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
    from microcareer.domain.extraction.lexicon import Lexicon
    from microcareer.services import skill_ranking
    from microcareer.services.skill_ranking import SkillRanking

    taxonomy, label_rows, revision = bundle_taxonomy()
    extractor = SkillExtractor(Lexicon([*label_rows, *BundledToolNames().label_rows()]))
    store = FileSkillEmbeddingStore(args.cache, prefix="ranking-embeddings-", one_key=False)
    queries = SentenceTransformerEmbedder(quantized=args.quantize)
    built = SkillRanking(
        LabelTfidf.of_analyzer, bundled_scorer, SentenceTransformerEmbedder(), store, queries
    )
    ranker = built.build(revision, taxonomy)
    if args.max_seq:
        model = sentence_embeddings._quantized_model() if args.quantize else sentence_embeddings._model()
        model.max_seq_length = args.max_seq
    if args.pool or args.candidates:
        original = ranking.candidate_features

        def narrowed(*a: Any, **k: Any) -> Any:
            if args.pool:
                k["pool"] = args.pool
            if args.candidates:
                k["candidates"] = args.candidates
            return original(*a, **k)

        setattr(skill_ranking, "candidate_features", narrowed)  # noqa: B010

    texts, gold, _ = skillskape(taxonomy)
    dev = split(len(texts))["dev"]
    if args.limit:
        dev = dev[: args.limit]
    sentences, wanted = [texts[i] for i in dev], [gold[i] for i in dev]

    spent: dict[str, float] = defaultdict(float)
    dense = ranker.dense
    assert dense is not None
    dense.embed_with_tokens = timed(spent, "embed", dense.embed_with_tokens)  # type: ignore[method-assign]
    dense.pooled = timed(spent, "pooled (alt labels, descriptions, token attention)", dense.pooled)  # type: ignore[method-assign]
    for name in ranker.sparse:
        ranker.sparse[name].scores = timed(spent, name, ranker.sparse[name].scores)  # type: ignore[method-assign]
    features_of = vars(skill_ranking)["candidate_features"]
    timed_features = timed(spent, "candidate features (incl. pooled)", features_of)
    setattr(skill_ranking, "candidate_features", timed_features)  # noqa: B010
    score = timed(spent, "scorer", ranker.scorer.probabilities)

    start = time.perf_counter()
    options = ExtractionOptions(min_confidence=0.0)
    found = [extractor.extract(text, options=options).mentions for text in sentences]
    spent["lexical pass"] = time.perf_counter() - start
    features = ranker.features(sentences, found)
    ranked = []
    for chosen, matrix in features:
        p = score(matrix)
        ranked.append([str(int(chosen[k])) for k in np.argsort(-p, kind="stable")])
    total = time.perf_counter() - start
    at5 = ranking_scores([{str(j) for j in g} for g in wanted], ranked, k=5)
    result = {
        "label": args.label or "baseline",
        "sentences": len(sentences),
        "seconds": round(total, 2),
        "sentences_per_s": round(len(sentences) / total, 1),
        "stages_ms_per_sentence": {k: round(1000 * v / len(sentences), 2) for k, v in spent.items()},
        "rp@5": round(100 * at5.rp_at_k, 2),
        "rp@10": round(100 * at5.rp_at_10, 2),
        "mrr": round(100 * at5.mrr, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
