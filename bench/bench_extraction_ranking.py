"""Skill ranking on the ESCO skill-extraction benchmark's validation splits and our development set.

    PYTHONPATH=src python -m bench.bench_extraction_ranking [--cache var/cache] [--skip-cli]

Two parts, results in bench/results/extraction-ranking-<date>.json:

* the product: ``microcareer eval extraction FILE --json`` on one core (``taskset -c 0``, torch on one
  thread), for the shipped default (ranking) and the lexical path, on decorte TECH and HOUSE
  validation and on the SkillSkape development part (the 20% that ``scripts/train_skill_ranker.py``
  holds out with its seed): RP@5, RP@10, MRR, P/R/F1 at the default threshold, sentences/s and the
  peak RSS of the process (``wait4``), model loaded and skill embeddings cached;
* the ablation, in this process: candidate features are computed once with every retriever; then
  each configuration (a retriever or the lexical feature left out, the re-ranker replaced by the
  untrained z-score fusion) is retrained on the SkillSkape train part exactly as the training script
  does and scored on the same sets. The candidate pool is the full fusion's in every row (so a row
  without a retriever still ranks candidates that retriever helped find: recall is shared).

The validation splits are only read here, for the final check: nothing is tuned on them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.train_skill_ranker import (  # noqa: E402
    ADAPTER,
    FEATURES,
    GENERATED,
    HIDDEN,
    PAIRWISE,
    SEED,
    TOOLS,
    bundle_taxonomy,
    dataset,
    esco_sentences,
    extraction_dev,
    fit,
    load_features,
    queries_kind,
    skillskape,
    split,
    tool_sentences,
)

from bench import report_file  # noqa: E402

VALIDATION = ROOT.parent / "shared/data/skill-extraction/decorte-validation"
SETS = {
    "TECH": VALIDATION / "tech_validation_annotations.csv",
    "HOUSE": VALIDATION / "house_validation_annotations.csv",
}


def decorte(path: Path, labels: tuple[str, ...]) -> tuple[list[str], list[set[int]]]:
    by_label = {label.strip(): i for i, label in enumerate(labels)}
    grouped: dict[str, set[int]] = {}
    for row in csv.DictReader(path.open(encoding="utf-8")):
        gold = grouped.setdefault(row["sentence"], set())
        index = by_label.get(row["label"].strip())
        if index is not None:
            gold.add(index)
    return list(grouped), list(grouped.values())


def rp(ranked: list[list[int]], gold: list[set[int]], k: int) -> float:
    scored = [(r, g) for r, g in zip(ranked, gold, strict=True) if g]
    return float(np.mean([len(set(r[:k]) & g) / min(k, len(g)) for r, g in scored]))


def mrr(ranked: list[list[int]], gold: list[set[int]]) -> float:
    values = []
    for r, g in zip(ranked, gold, strict=True):
        if g:
            values.append(next((1 / (i + 1) for i, j in enumerate(r) if j in g), 0.0))
    return float(np.mean(values))


def ablation(
    cache: Path, hidden: int, only: tuple[str, ...] = (), *, adapted: bool = False
) -> dict[str, dict[str, dict[str, float]]]:
    """The in-process ablation (module docstring); ``only``: just the rows named so (all when empty)."""
    from microcareer.adapters.ranking.tfidf import LabelTfidf
    from microcareer.adapters.semantic.embedding_cache import FileSkillEmbeddingStore
    from microcareer.adapters.semantic.sentence_embeddings import SentenceTransformerEmbedder
    from microcareer.adapters.tool_names import BundledToolNames
    from microcareer.domain.extraction.extractor import SkillExtractor
    from microcareer.domain.extraction.lexicon import Lexicon
    from microcareer.domain.extraction.query_adapter import QueryAdapter
    from microcareer.domain.extraction.ranking import ADAPTED, RETRIEVERS, LinearScorer, feature_names
    from microcareer.services.skill_ranking import SkillRanking

    taxonomy, label_rows, revision = bundle_taxonomy()
    # ``adapted``: the shipped query adapter's retriever is in every row but those without it
    adapter = QueryAdapter.from_bytes(ADAPTER.read_bytes()) if adapted else None
    retrievers = ADAPTED if adapter is not None else RETRIEVERS
    names = feature_names(retrievers)
    placeholder = LinearScorer.logistic(
        names, np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names)), 0.0
    )
    store = FileSkillEmbeddingStore(cache, prefix="ranking-embeddings-", one_key=False)
    ranking = SkillRanking(
        LabelTfidf.of_analyzer,
        lambda dense: placeholder,
        SentenceTransformerEmbedder(),
        store,
        SentenceTransformerEmbedder(quantized=True),  # the product's query model
        adapter=adapter,
    )
    ranker = ranking.build(revision, taxonomy)
    tools = BundledToolNames().label_rows()
    extractor = SkillExtractor(Lexicon([*label_rows, *tools]))
    texts, gold, _ = skillskape(taxonomy)
    parts = split(len(texts))
    sets: dict[str, tuple[list[str], list[set[int]]]] = {
        part: ([texts[i] for i in indices], [gold[i] for i in indices]) for part, indices in parts.items()
    }
    if GENERATED:
        sets["generated"] = esco_sentences(taxonomy, GENERATED)
        parts["generated"] = list(range(GENERATED))
    if TOOLS:
        sets["tools"] = tool_sentences(taxonomy, tools, TOOLS)
        parts["tools"] = list(range(TOOLS))
    sets["edev"] = extraction_dev(taxonomy)
    parts["edev"] = list(range(len(sets["edev"][0])))
    for name, path in SETS.items():
        sets[name] = decorte(path, taxonomy.labels)
    data = {}
    for name, pair in sets.items():
        size = len(pair[0])
        # the training script's own features for its parts, when it left them in the cache
        kind = queries_kind(False, adapter is not None)
        cached = cache / f"ranker-features-v{FEATURES}-{name}-full-{kind}-{size}-{SEED}.npz"
        found = load_features(cached) if name in parts else None
        data[name] = found if found is not None else dataset(ranker, extractor, *pair)

    fused = names.index("fused_z")
    fused_rank = names.index("fused_rank")
    z_columns = {r: names.index(f"{r}_z") for r in retrievers}

    def without(*prefixes: str) -> tuple[list[int], list[str]]:
        """The columns left, and the retrievers left (the fused z-score is their sum again)."""
        kept = [r for r in retrievers if not r.startswith(prefixes)]
        return [i for i, n in enumerate(names) if not n.startswith(prefixes)], kept

    every = list(range(len(names)))
    new_lexical = ("lexical_", "label_cover", "label_all")
    configs: dict[str, tuple[list[int], list[str], bool]] = {
        "re-ranker, every feature": (every, list(retrievers), True),
        "fusion only (no re-ranker)": (every, list(retrievers), False),
        "without lexical": (*without("lexical", "label_cover", "label_all"), True),
        "without lexical kinds and label cover": (
            [i for i, n in enumerate(names) if not n.startswith(new_lexical)],
            list(retrievers),
            True,
        ),
        "without token attention (dense_ctx)": (*without("dense_ctx"), True),
        "without the query adapter (dense_adapt)": (*without("dense_adapt"), True),
        "fusion without the query adapter (no re-ranker)": (*without("dense_adapt"), False),
        "without TF-IDF (word and char)": (*without("tfidf_"), True),
        "without dense preferred labels": (*without("dense_pref"), True),
        "without dense alternative labels and descriptions": (*without("dense_alt", "dense_desc"), True),
        "without any dense retriever": (*without("dense_"), True),
        "fusion of TF-IDF only (no re-ranker)": (*without("dense_"), False),
        "without skill facts (type, reuse, occupations, length)": (
            [
                i
                for i, n in enumerate(names)
                if not n.startswith(("knowledge", "reuse_", "occupations", "label_words"))
            ],
            list(retrievers),
            True,
        ),
    }

    def refused(matrix: np.ndarray, kept: list[str]) -> np.ndarray:
        """The feature matrix with the fused z-score (and its rank) of the kept retrievers only."""
        if len(kept) == len(retrievers):
            return matrix
        out = matrix.copy()
        out[:, fused] = matrix[:, [z_columns[r] for r in kept]].sum(axis=1)
        order = np.argsort(np.argsort(-out[:, fused], kind="stable"), kind="stable")
        out[:, fused_rank] = np.log1p(order)
        return out

    # (columns, retrievers, trained, training parts, pairwise)
    runs: dict[str, tuple[list[int], list[str], bool, tuple[str, ...], bool]] = {
        config: (columns, kept, trained, ("train", "generated", "tools"), PAIRWISE)
        for config, (columns, kept, trained) in configs.items()
    }
    runs["without tool-name sentences"] = (every, list(retrievers), True, ("train", "generated"), PAIRWISE)
    runs["SkillSkape train only"] = (every, list(retrievers), True, ("train",), PAIRWISE)
    runs["pairwise" if not PAIRWISE else "pointwise"] = (
        every,
        list(retrievers),
        True,
        ("train", "generated", "tools"),
        not PAIRWISE,
    )
    results: dict[str, dict[str, dict[str, float]]] = {}
    for config, (columns, kept, trained, parts_used, pairwise) in runs.items():
        if only and config not in only:
            continue
        results[config] = {}
        scorer = None
        if trained:  # as the training script does: our train part and the generated sentences
            training = [data[part] for part in parts_used if part in data]
            features = [refused(f, kept)[:, columns] for part in training for f in part[1]]
            labels = [y for part in training for y in part[2]]
            scorer = fit(features, labels, tuple(names[c] for c in columns), hidden, pairwise=pairwise)
        for name in ("dev", "edev", "TECH", "HOUSE"):
            rows, matrices, _ = data[name]
            ranked = []
            for chosen, matrix in zip(rows, matrices, strict=True):
                redone = refused(matrix, kept)
                score = scorer.probabilities(redone[:, columns]) if scorer else redone[:, fused]
                ranked.append([int(chosen[k]) for k in np.argsort(-score, kind="stable")])
            gold = sets[name][1]
            results[config][name] = {
                "rp@5": round(100 * rp(ranked, gold, 5), 1),
                "rp@10": round(100 * rp(ranked, gold, 10), 1),
                "mrr": round(100 * mrr(ranked, gold), 1),
            }
        print(config, results[config], file=sys.stderr, flush=True)
    return results


def product(dev_csv: Path, configs: tuple[str, ...]) -> dict[str, dict[str, object]]:
    """``microcareer eval extraction`` as a user runs it, one core, peak RSS of the child."""
    binary = [sys.executable, "-m", "microcareer"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}
    found: dict[str, dict[str, object]] = {}
    extraction_dev = ROOT / "tests/data/extraction_dev/dev.jsonl"  # our hand-written posting sentences
    for name, path in {**SETS, "dev": dev_csv, "extraction_dev": extraction_dev}.items():
        for config, methods in (
            ("ranking (default)", "lexical,fuzzy,ranking"),
            ("lexical+fuzzy", "lexical,fuzzy"),
        ):
            if config.split(" ")[0] not in configs:
                continue
            command = [
                "taskset",
                "-c",
                "0",
                *binary,
                "eval",
                "extraction",
                str(path),
                "--json",
                "--methods",
                methods,
            ]
            started = time.perf_counter()
            with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
                child = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env)
                # reaped here with wait4: this child's own peak RSS, not the largest child's so far
                _, status, usage = os.wait4(child.pid, 0)
                child.returncode = os.waitstatus_to_exitcode(status)
                out.seek(0)
                err.seek(0)
                stdout, stderr = out.read(), err.read()
            wall = time.perf_counter() - started
            if child.returncode != 0:
                found[f"{name} / {config}"] = {"error": stderr[-500:]}
                continue
            report = json.loads(stdout)
            ranking = report["ranking"]
            micro = report["skills_micro"]
            found[f"{name} / {config}"] = {
                "sentences": ranking["sentences"],
                "rp@5": round(100 * ranking["rp@5"], 1),
                "rp@10": round(100 * ranking["rp@10"], 1),
                "mrr": round(100 * ranking["mrr"], 1),
                "precision": round(100 * micro["precision"], 1),
                "recall": round(100 * micro["recall"], 1),
                "f1": round(100 * micro["f1"], 1),
                "threshold": report["threshold"],
                "sentences_per_second": report["sentences_per_second"],
                "wall_seconds_with_start": round(wall, 1),
                "peak_rss_mib": round(usage.ru_maxrss / 1024),
                "unmapped_gold_labels": sum(report["unmapped_gold_labels"].values()),
            }
            print(name, config, found[f"{name} / {config}"], file=sys.stderr, flush=True)
    return found


def write_dev_csv(target: Path) -> None:
    taxonomy, _, _ = bundle_taxonomy()
    texts, gold, _ = skillskape(taxonomy)
    with target.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["sentence", "label"])
        for i in split(len(texts))["dev"]:
            labels = [taxonomy.uris[j] for j in sorted(gold[i])] or ["LABEL NOT PRESENT"]
            for uri in labels:
                writer.writerow([texts[i], uri])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "var/cache")
    parser.add_argument("--skip-cli", action="store_true", help="only the in-process ablation")
    parser.add_argument("--skip-ablation", action="store_true")
    parser.add_argument(
        "--paths",
        default="ranking,lexical+fuzzy",
        help="which product paths to run (comma-separated; the earlier results of the others are kept)",
    )
    parser.add_argument("--hidden", type=int, default=HIDDEN, help="the scorer's hidden units, as trained")
    parser.add_argument(
        "--rows",
        default="",
        help="only these ablation rows (names separated by ';'; the earlier results of the others are kept)",
    )
    parser.add_argument(
        "--adapter",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="ablation with the query adapter's retriever (default: when the shipped scorer reads it)",
    )
    parser.add_argument("--out", type=Path, default=None)
    args, _ = parser.parse_known_args()
    today = dt.date.today().isoformat()
    out = args.out or ROOT / f"bench/results/extraction-ranking-{today}.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    results: dict[str, object] = {
        **previous,
        **report_file.header("extraction-ranking", "bench.bench_extraction_ranking", sys.argv[1:]),
        "seed": SEED,
    }
    if not args.skip_ablation:
        only = tuple(r for r in args.rows.split(";") if r)
        earlier_rows = results.get("ablation") if only else None
        kept_rows = dict(earlier_rows) if isinstance(earlier_rows, dict) else {}
        adapted = args.adapter
        if adapted is None:
            from microcareer.adapters.ranking.model import bundled_scorer

            adapted = "dense_adapt_score" in bundled_scorer(True).names
        results["ablation"] = {**kept_rows, **ablation(args.cache, args.hidden, only, adapted=adapted)}
        results["ablation_model"] = f"{args.hidden} hidden units" if args.hidden else "logistic regression"
    if not args.skip_cli:
        dev_csv = ROOT / "var/skillskape-dev.csv"
        dev_csv.parent.mkdir(exist_ok=True)
        write_dev_csv(dev_csv)
        earlier = results.get("product")
        kept = dict(earlier) if isinstance(earlier, dict) else {}
        results["product"] = {**kept, **product(dev_csv, tuple(args.paths.split(",")))}
    report_file.write(results, out, indent=1)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
