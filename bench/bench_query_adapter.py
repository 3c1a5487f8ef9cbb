"""The query adapter's retriever against the plain one, alone and in the cheap retrievers' fusion.

    PYTHONPATH=src python -m bench.bench_query_adapter [--cache var/cache] [--out FILE.json]

Per set (our SkillSkape development part, tests/data/extraction_dev, and, as the final check, the
decorte TECH and HOUSE validation splits): RP@5 and the share of gold skills in the top 100 and 400
(the candidate pool's size) of: the plain cosine of the int8 MiniLM sentence vector with every
preferred label (``dense_pref``), the adapted cosine (``dense_adapt``, the shipped
``data/skill_query_adapter.npz``), the untrained fusion (sum of z-scores) of ``dense_pref`` and the
word and character TF-IDF, and that fusion with ``dense_adapt`` added. These are the retrievers that
score every skill and choose the pool; the pooled ones (every label, descriptions, token attention)
need the ~126k label and description vectors and are not run here. Nothing is trained here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.train_query_adapter import query_vectors, recall_at, rp_at  # noqa: E402
from scripts.train_skill_ranker import (  # noqa: E402
    ADAPTER,
    SEED,
    bundle_taxonomy,
    extraction_dev,
    skillskape,
    split,
)

from bench import report_file  # noqa: E402
from bench.bench_extraction_ranking import SETS, decorte  # noqa: E402


def main() -> None:
    from microcareer.adapters.ranking.tfidf import LabelTfidf
    from microcareer.adapters.semantic.embedding_cache import FileSkillEmbeddingStore
    from microcareer.adapters.semantic.sentence_embeddings import SentenceTransformerEmbedder
    from microcareer.domain.extraction.query_adapter import QueryAdapter
    from microcareer.domain.extraction.ranking import zscores
    from microcareer.services.skill_ranking import dense_vectors

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "var/cache")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    started = time.time()
    taxonomy, _, revision = bundle_taxonomy()
    store = FileSkillEmbeddingStore(args.cache, prefix="ranking-embeddings-", one_key=False)
    pref = dense_vectors(taxonomy, SentenceTransformerEmbedder(), store, revision, only=("pref",))["pref"]
    adapter = QueryAdapter.from_bytes(ADAPTER.read_bytes())
    skills = len(taxonomy.uris)
    sparse = {  # as the ranker fits them (SkillRanking.index)
        name: LabelTfidf.of_analyzer(taxonomy.label_texts, taxonomy.label_owners, skills, analyzer)
        for name, analyzer in (("tfidf_word", "word"), ("tfidf_char", "char_wb"))
    }
    texts, gold, _ = skillskape(taxonomy)
    dev = split(len(texts))["dev"]
    sets: dict[str, tuple[list[str], list[set[int]]]] = {
        "dev": ([texts[i] for i in dev], [gold[i] for i in dev]),
        "extraction_dev": extraction_dev(taxonomy),
    }
    for name, path in SETS.items():
        sets[name] = decorte(path, taxonomy.labels)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, (sentences, wanted) in sets.items():
        queries = query_vectors(args.cache, sentences, name.lower().replace("_", "-"))
        scores = {
            "dense_pref": queries @ pref.T,
            "dense_adapt": adapter.apply(queries) @ pref.T,
            **{r: sparse[r].scores(sentences) for r in ("tfidf_word", "tfidf_char")},
        }
        z = {r: zscores(np.asarray(s, dtype=np.float32)) for r, s in scores.items()}
        fused = z["dense_pref"] + z["tfidf_word"] + z["tfidf_char"]
        rows = {
            "plain cosine (dense_pref)": scores["dense_pref"],
            "adapted cosine (dense_adapt)": scores["dense_adapt"],
            "fusion: dense_pref + TF-IDF": fused,
            "fusion: dense_pref + TF-IDF + dense_adapt": fused + z["dense_adapt"],
        }
        results[name] = {
            row: {
                "rp@5": round(rp_at(matrix, wanted), 1),
                "recall@100": round(recall_at(matrix, wanted, 100), 1),
                "recall@400": round(recall_at(matrix, wanted, 400), 1),
            }
            for row, matrix in rows.items()
        }
        results[name]["sentences"] = {"count": float(sum(1 for g in wanted if g))}
        print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
    today = dt.date.today().isoformat()
    report = {
        **report_file.header("query-adapter-retrieval", "bench.bench_query_adapter", sys.argv[1:]),
        "seed": SEED,
        "note": "retrievers over every skill, no scorer; TECH/HOUSE validation read as the final check only",
        "results": results,
        "seconds": round(time.time() - started),
    }
    out = args.out or ROOT / f"bench/results/query-adapter-retrieval-{today}.json"
    report_file.write(report, out, indent=1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
