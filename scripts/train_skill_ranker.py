"""Train the skill ranker's scorer: ``src/microcareer/data/skill_ranker*.json``.

    PYTHONPATH=src python scripts/train_skill_ranker.py [--cache var/cache] [--report FILE.json]

Data: the SkillSkape train split (../shared/data/skill-extraction/skillskape-train/train.csv, MIT):
LLM-written job-posting sentences with the ESCO preferred labels they were written from. Its sentences
are split with a fixed seed into our own train part (80%) and a development part (20%) that every
choice is measured on. The benchmark's validation and test splits are not read here.

For every sentence the ranker's candidates (``ranking.CANDIDATES`` by fused retriever z-scores, plus
the lexical pass's skills) get their features exactly as at run time (``SkillRanker.features``, with
the int8 query model the product embeds sentences with); a candidate is positive when it is one of the
sentence's gold skills. Training adds sentences written from ESCO labels and sentences that name O*NET
tools ("Experience with Docker and Kubernetes."), the tool's ESCO skill as gold;
``tests/data/extraction_dev`` is the second development set. A logistic regression (scikit-learn,
L2, standardised features) is fitted on the train part: one with every retriever, one with TF-IDF and
lexical features only (used when no sentence-embedding model is installed). Log-loss fitting makes its
output a probability; the development part checks that (reliability table in the report).

Skill embeddings are cached in ``--cache`` (the first run embeds ~112k labels and ~14k descriptions
with all-MiniLM-L6-v2: about ten minutes on one core), sentence embeddings too.
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from microcareer.adapters.esco_csv_reader import split_labels
from microcareer.adapters.ranking.tfidf import LabelTfidf
from microcareer.adapters.semantic.embedding_cache import FileSkillEmbeddingStore
from microcareer.adapters.semantic.sentence_embeddings import SentenceTransformerEmbedder
from microcareer.adapters.tool_names import BundledToolNames
from microcareer.domain.evaluation.ranking import ranking_scores
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.extraction.lexicon import LabelRow, Lexicon
from microcareer.domain.extraction.query_adapter import QueryAdapter
from microcareer.domain.extraction.ranking import (
    ADAPTED,
    RETRIEVERS,
    SPARSE,
    Layer,
    LinearScorer,
    feature_names,
)
from microcareer.services.skill_ranking import RankingTaxonomy, SkillRanker, SkillRanking

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "src/microcareer/data/esco"
SKILLSKAPE = ROOT.parent / "shared/data/skill-extraction/skillskape-train/train.csv"
EXTRACTION_DEV = ROOT / "tests/data/extraction_dev/dev.jsonl"  # hand-written posting sentences
OUT = ROOT / "src/microcareer/data"
SEED = 20261204
DEV_SHARE = 0.2
C = 1.0
# Chosen by the mean RP@5 over our two development sets (SkillSkape dev / tests/data/extraction_dev):
# logistic 45.5 / 86.1, 32 hidden units 47.6 / 85.0, logistic + 3,000 generated 44.9 / 88.8,
# 32 hidden units + 3,000 generated 46.7 / 72.1
# With the lexical kinds, label cover and token attention (int8 queries; RP@5 SkillSkape dev /
# extraction_dev): train + generated 45.1 / 90.4, + 1,500 tool sentences 44.2 / 89.4, + 750 44.6 / 90.4
# (kept: tool names then score as sure as their skill's own label, "Docker" 0.98 against 0.22 without),
# pairwise 41.4 / 88.5, 16 hidden units 46.0 / 76.9
HIDDEN = 0
GENERATED = 3000
TOOLS = 750  # sentences that name tools (O*NET tool names), their ESCO skills as gold
FEATURES = 2  # bump when the candidate features change: cached feature files are then not reused
ADAPTER = OUT / "skill_query_adapter.npz"  # scripts/train_query_adapter.py; its folds in --cache
ADAPTER_FOLDS = 4


def bundle_taxonomy() -> tuple[RankingTaxonomy, list[LabelRow], str]:
    """The bundled ESCO as the ranker sees it after ``microcareer init``, and its digest."""
    labels: list[LabelRow] = []
    skills: list[tuple[str, str | None, str | None, str]] = []
    with gzip.open(BUNDLE / "skills_en.csv.gz", "rt", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            uri = row["conceptUri"]
            labels.append((uri, row["preferredLabel"], "preferred", None))
            labels += [(uri, label, "alt", None) for label in split_labels(row.get("altLabels") or "")]
            labels += [(uri, label, "hidden", None) for label in split_labels(row.get("hiddenLabels") or "")]
            skills.append(
                (
                    uri,
                    row.get("skillType") or None,
                    row.get("reuseLevel") or None,
                    row.get("description") or "",
                )
            )
    with gzip.open(BUNDLE / "occupationSkillRelations_en.csv.gz", "rt", encoding="utf-8") as file:
        jobs = [(row["occupationUri"], row["skillUri"]) for row in csv.DictReader(file)]
    with gzip.open(BUNDLE / "broaderRelationsSkillPillar_en.csv.gz", "rt", encoding="utf-8") as file:
        broader = [(row["conceptUri"], row["broaderUri"]) for row in csv.DictReader(file)]
    digest = hashlib.sha256((BUNDLE / "skills_en.csv.gz").read_bytes()).hexdigest()[:16]
    taxonomy = RankingTaxonomy.of(labels, skills, (skill for _, skill in jobs), broader, jobs)
    return taxonomy, labels, f"bundle:{digest}"


def skillskape(taxonomy: RankingTaxonomy) -> tuple[list[str], list[set[int]], int]:
    by_label = {label.strip().casefold(): i for i, label in enumerate(taxonomy.labels)}
    texts: list[str] = []
    gold: list[set[int]] = []
    missing = 0
    with SKILLSKAPE.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            wanted = set()
            for label in ast.literal_eval(row["skills"]):
                index = by_label.get(label.strip().casefold())
                if index is None:
                    missing += 1
                else:
                    wanted.add(index)
            texts.append(row["sentence"])
            gold.append(wanted)
    return texts, gold, missing


DOING = (
    "You will {}.",
    "The role requires you to {}.",
    "You are able to {} with little supervision.",
    "Tasks: {}.",
)
KNOWING = (
    "Knowledge of {} is required.",
    "Experience with {}.",
    "Familiarity with {} is a plus.",
    "Solid {} skills.",
)
PAIRS = ("Experience with {} and {}.", "You will {} and {}.", "We look for someone who can {}, and {}.")


def esco_sentences(taxonomy: RankingTaxonomy, count: int) -> tuple[list[str], list[set[int]]]:
    """Job-posting-like sentences written from ESCO labels by templates, each with its skills as gold:
    one skill (a preferred or alternative label in a sentence for a skill or knowledge) or two."""
    rng = np.random.default_rng(SEED + 1)
    labels: dict[int, list[str]] = {}
    for text, owner in zip(taxonomy.label_texts, taxonomy.label_owners, strict=True):
        labels.setdefault(owner, []).append(text)
    skills = len(taxonomy.uris)
    texts: list[str] = []
    gold: list[set[int]] = []
    for n in range(count):
        pair = n % 3 == 2
        chosen = [int(i) for i in rng.choice(skills, size=2 if pair else 1, replace=False)]
        written = [str(rng.choice(labels[i])) for i in chosen]
        if pair:
            texts.append(str(rng.choice(PAIRS)).format(*written))
        else:
            knowledge = taxonomy.facts.knowledge[chosen[0]] > 0
            texts.append(str(rng.choice(KNOWING if knowledge else DOING)).format(written[0]))
        gold.append(set(chosen))
    return texts, gold


TOOL_ONE = (
    "Experience with {} is required.",
    "You will work with {} every day.",
    "Hands-on knowledge of {}.",
    "Proficiency in {} is a plus.",
    "Tools: {}.",
)
TOOL_PAIR = ("Experience with {} and {}.", "Our stack: {}, {}.", "You know your way around {} and {}.")
TOOL_WITH_SKILL = ("You will {} using {}.", "Knowledge of {}, ideally with {}.")


def tool_sentences(
    taxonomy: RankingTaxonomy, tools: list[LabelRow], count: int
) -> tuple[list[str], list[set[int]]]:
    """Sentences that name tools as postings write them ("Experience with Docker and Kubernetes."),
    with the ESCO skill each tool stands for as gold; every third one also names a skill by a label,
    so a tool name and a skill label compete in one sentence."""
    rng = np.random.default_rng(SEED + 2)
    row = {uri: i for i, uri in enumerate(taxonomy.uris)}
    named = [(row[uri], name) for uri, name, _, _ in tools if uri in row]
    texts: list[str] = []
    gold: list[set[int]] = []
    skills = len(taxonomy.uris)
    for n in range(count):
        first = named[int(rng.integers(len(named)))]
        if n % 3 == 0:
            texts.append(str(rng.choice(TOOL_ONE)).format(first[1]))
            gold.append({first[0]})
        elif n % 3 == 1:
            second = named[int(rng.integers(len(named)))]
            texts.append(str(rng.choice(TOOL_PAIR)).format(first[1], second[1]))
            gold.append({first[0], second[0]})
        else:
            skill = int(rng.integers(skills))
            texts.append(str(rng.choice(TOOL_WITH_SKILL)).format(taxonomy.labels[skill], first[1]))
            gold.append({skill, first[0]})
    return texts, gold


def extraction_dev(taxonomy: RankingTaxonomy) -> tuple[list[str], list[set[int]]]:
    """``tests/data/extraction_dev/dev.jsonl``: our second development set (sentences with gold only)."""
    row = {uri: i for i, uri in enumerate(taxonomy.uris)}
    texts: list[str] = []
    gold: list[set[int]] = []
    for line in EXTRACTION_DEV.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        texts.append(item["text"])
        gold.append({row[u] for u in item["uris"] if u in row})
    return texts, gold


def split(sentences: int, limit: int = 0) -> dict[str, list[int]]:
    """Our own train and development parts of SkillSkape train, by a fixed seed."""
    order = [int(i) for i in np.random.default_rng(SEED).permutation(sentences)]
    if limit:
        order = order[:limit]
    cut = int(len(order) * (1 - DEV_SHARE))
    return {"train": order[:cut], "dev": order[cut:]}


def dataset(
    ranker: SkillRanker, extractor: SkillExtractor, texts: list[str], gold: list[set[int]]
) -> Features:
    """Per sentence: candidate rows, features, labels (1 for a gold skill)."""
    options = ExtractionOptions(min_confidence=0.0)
    found = [extractor.extract(text, options=options).mentions for text in texts]
    rows, features, labels = [], [], []
    for (chosen, matrix), wanted in zip(ranker.features(texts, found), gold, strict=True):
        rows.append(chosen)
        features.append(matrix)
        labels.append(np.array([int(j) in wanted for j in chosen], dtype=np.int8))
    return rows, features, labels


Features = tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]


def queries_kind(float_queries: bool, adapted: bool) -> str:
    """How the sentences were embedded, in the names of cached feature files: float or int8, and
    which query adapter (its file's digest) made the ``dense_adapt`` features."""
    kind = "float" if float_queries else "int8"
    if adapted:  # another adapter's features are not reused
        kind += "-adapted-" + hashlib.sha256(ADAPTER.read_bytes()).hexdigest()[:8]
    return kind


def cross_fitted(
    ranker: SkillRanker, extractor: SkillExtractor, texts: list[str], gold: list[set[int]], cache: Path
) -> Features:
    """``dataset`` for the train part, each sentence's features made with the adapter of its fold
    (``train_query_adapter.py --folds``: folds by skill, the adapter trained without the sentences of
    the fold's skills), so its adapted cosine is as good as for a skill the adapter never saw."""
    dense = ranker.dense
    if dense is None or dense.adapter is None:
        raise SystemExit("cross-fitting needs the ranker's query adapter")
    shipped = dense.adapter
    rows: list[np.ndarray] = [np.zeros(0)] * len(texts)
    features: list[np.ndarray] = [np.zeros(0)] * len(texts)
    labels: list[np.ndarray] = [np.zeros(0)] * len(texts)
    folds = json.loads((cache / f"query-adapter-s{SEED}-folds{ADAPTER_FOLDS}.json").read_text())
    if len(folds) != len(texts):
        raise SystemExit("the adapter's folds are not of this train part: train_query_adapter.py again")
    try:
        for fold in range(ADAPTER_FOLDS):
            path = cache / f"query-adapter-s{SEED}-fold{fold}of{ADAPTER_FOLDS}.npz"
            dense.adapter = QueryAdapter.from_bytes(path.read_bytes())
            members = [i for i, f in enumerate(folds) if f == fold]
            found = dataset(ranker, extractor, [texts[i] for i in members], [gold[i] for i in members])
            for k, i in enumerate(members):
                rows[i], features[i], labels[i] = found[0][k], found[1][k], found[2][k]
    finally:
        dense.adapter = shipped
    return rows, features, labels


def save_features(path: Path, data: Features) -> None:
    rows, features, labels = data
    sizes = np.array([len(r) for r in rows])
    np.savez_compressed(
        path,
        sizes=sizes,
        rows=np.concatenate(rows),
        features=np.vstack(features),
        labels=np.concatenate(labels),
    )


def load_features(path: Path) -> Features | None:
    if not path.exists():
        return None
    stored = np.load(path)
    cuts = np.cumsum(stored["sizes"])[:-1]
    return (
        list(np.split(stored["rows"], cuts)),
        list(np.split(stored["features"], cuts)),
        list(np.split(stored["labels"], cuts)),
    )


def fit(
    features: list[np.ndarray],
    labels: list[np.ndarray],
    names: tuple[str, ...],
    hidden: int = 0,
    *,
    pairwise: bool = False,
) -> LinearScorer:
    """A logistic regression, or with ``hidden`` units a one-hidden-layer network (early stopping on a
    seeded tenth of the rows), on standardised features. ``pairwise``: the linear weights are fitted
    to order each sentence's gold skills above its other candidates (``pairwise_weights``), then
    scaled and shifted by a one-feature logistic regression on every row so the output stays a
    probability (Platt scaling: the order is the pairs', the calibration the rows')."""
    x = np.vstack(features).astype(np.float64)
    y = np.concatenate(labels)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    if pairwise:
        direction = pairwise_weights([(f - mean) / scale for f in features], labels, names.index("fused_z"))
        platt = LogisticRegression(C=C, max_iter=1000, random_state=SEED)
        platt.fit((z @ direction)[:, None], y)
        weights = direction * float(platt.coef_[0, 0])
        return LinearScorer.logistic(names, mean, scale, weights, float(platt.intercept_[0]))
    if hidden == 0:
        model = LogisticRegression(C=C, max_iter=2000, random_state=SEED)
        model.fit(z, y)
        weights = model.coef_[0].astype(np.float64)
        return LinearScorer.logistic(names, mean, scale, weights, float(model.intercept_[0]))
    network = MLPClassifier(
        hidden_layer_sizes=(hidden,),
        alpha=1e-3,
        early_stopping=True,
        validation_fraction=0.1,
        max_iter=200,
        random_state=SEED,
    )
    network.fit(z, y)
    layers = tuple(
        Layer(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64))
        for w, b in zip(network.coefs_, network.intercepts_, strict=True)
    )
    return LinearScorer(names, mean, scale, layers)


PAIRWISE = False
PAIRS_PER_GOLD = 30  # candidates each gold skill is paired with: the hardest by the fusion, and random


def pairwise_weights(features: list[np.ndarray], labels: list[np.ndarray], hard_by: int) -> np.ndarray:
    """Weights w such that w·(gold - other) > 0 for the pairs of one sentence (a gold candidate and
    another): a logistic regression without intercept on the pairs' differences, both ways round.
    Each gold skill is paired with up to ``PAIRS_PER_GOLD`` others, half of them the candidates
    the untrained fusion puts highest (column ``hard_by``), half random."""
    rng = np.random.default_rng(SEED + 3)
    differences = []
    for matrix, label in zip(features, labels, strict=True):
        gold = np.flatnonzero(label == 1)
        others = np.flatnonzero(label == 0)
        if gold.size == 0 or others.size == 0:
            continue
        half = PAIRS_PER_GOLD // 2
        hard = others[np.argsort(-matrix[others, hard_by])[:half]]
        easy = rng.choice(others, size=min(half, others.size), replace=False)
        paired = np.unique(np.concatenate([hard, easy]))
        for g in gold:
            differences.append(matrix[g] - matrix[paired])
    d = np.vstack(differences)
    x = np.vstack([d, -d])
    y = np.concatenate([np.ones(len(d)), np.zeros(len(d))])
    model = LogisticRegression(C=C, max_iter=2000, fit_intercept=False, random_state=SEED)
    model.fit(x, y)
    return np.asarray(model.coef_[0], dtype=np.float64)


def evaluate(
    scorer: LinearScorer | None,
    rows: list[np.ndarray],
    features: list[np.ndarray],
    labels: list[np.ndarray],
    gold: list[set[int]],
    fused_column: int,
) -> dict[str, float]:
    ranked, probabilities, hits = [], [], []
    for chosen, matrix, label in zip(rows, features, labels, strict=True):
        score = scorer.probabilities(matrix) if scorer else matrix[:, fused_column].astype(np.float64)
        order = np.argsort(-score, kind="stable")
        ranked.append([str(int(chosen[k])) for k in order])
        probabilities.append(score)
        hits.append(label)
    gold_ids = [{str(j) for j in g} for g in gold]
    at5 = ranking_scores(gold_ids, ranked, k=5)
    found_anywhere = sum(int(lab.sum()) for lab in hits) / max(1, sum(len(g) for g in gold))
    result = {"rp@5": at5.rp_at_k, "rp@10": at5.rp_at_10, "mrr": at5.mrr, "candidate_recall": found_anywhere}
    if scorer is not None:
        p = np.concatenate(probabilities)
        y = np.concatenate(hits)
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
            shown = p >= threshold
            tp = int((shown & (y == 1)).sum())
            precision = tp / max(1, int(shown.sum()))
            recall = tp / max(1, sum(len(g) for g in gold))
            result[f"precision@{threshold}"] = precision
            result[f"recall@{threshold}"] = recall
        bins = np.clip((p * 5).astype(int), 0, 4)
        result["reliability"] = [  # type: ignore[assignment]
            [
                round(b / 5, 1),
                int((bins == b).sum()),
                round(float(y[bins == b].mean()), 3) if (bins == b).any() else None,
            ]
            for b in range(5)
        ]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "var/cache")
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=0, help="use only this many sentences (a quick check)")
    parser.add_argument(
        "--reuse-features",
        action="store_true",
        help="read the candidate features a previous run saved in --cache",
    )
    parser.add_argument("--hidden", type=int, default=HIDDEN, help="hidden units (0: a logistic regression)")
    parser.add_argument(
        "--pairwise", action=argparse.BooleanOptionalAction, default=PAIRWISE, help="fit on pairs"
    )
    parser.add_argument(
        "--generated",
        type=int,
        default=GENERATED,
        help="sentences written from ESCO labels added to training",
    )
    parser.add_argument("--tools", type=int, default=TOOLS, help="sentences naming tools added to training")
    parser.add_argument(
        "--sparse",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also refit skill_ranker_sparse.json (TF-IDF and lexical features: no adapter there)",
    )
    parser.add_argument(
        "--adapter",
        action=argparse.BooleanOptionalAction,
        default=True,  # shipped since 2026-12-06 (docs/ranking.md, "Query adapter"); --no-adapter: before
        help="with the query adapter's retriever (dense_adapt): train_query_adapter.py first, same --cache",
    )
    parser.add_argument(
        "--float-queries",
        action="store_true",
        help="embed sentences with the float model (the product embeds them with the int8 copy)",
    )
    args = parser.parse_args()
    started = time.time()
    taxonomy, label_rows, revision = bundle_taxonomy()
    embedder = SentenceTransformerEmbedder()
    # the product's sentence vectors: the int8 copy (skill vectors come from the float model)
    queries = None if args.float_queries else SentenceTransformerEmbedder(quantized=True)
    store = FileSkillEmbeddingStore(args.cache, prefix="ranking-embeddings-", one_key=False)
    adapter = QueryAdapter.from_bytes(ADAPTER.read_bytes()) if args.adapter else None
    names = feature_names(ADAPTED if adapter else RETRIEVERS)
    sparse_names = feature_names(SPARSE)
    placeholder = LinearScorer.logistic(
        names, np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names)), 0.0
    )
    ranking = SkillRanking(
        LabelTfidf.of_analyzer, lambda dense: placeholder, embedder, store, queries, adapter=adapter
    )
    ranker = ranking.build(revision, taxonomy)
    # Without the model: the TF-IDF retrievers alone choose the candidates and give the features
    sparse_ranker = SkillRanker(taxonomy, ranker.sparse, None, placeholder)
    tools = BundledToolNames().label_rows()
    extractor = SkillExtractor(Lexicon([*label_rows, *tools]))
    texts, gold, missing = skillskape(taxonomy)
    parts = split(len(texts), args.limit)
    extra = {
        "generated": esco_sentences(taxonomy, args.generated),  # written from ESCO labels, training only
        "tools": tool_sentences(taxonomy, tools, args.tools),  # naming tools, training only
        "edev": extraction_dev(taxonomy),  # our second development set
    }
    for part, (made, made_gold) in extra.items():
        if made:
            parts[part] = list(range(len(texts), len(texts) + len(made)))
            texts += made
            gold += made_gold
    data: dict[tuple[str, str], Features] = {}
    query_kind = queries_kind(args.float_queries, adapter is not None)
    for part, indices in parts.items():
        for name, one in (("full", ranker), ("sparse", sparse_ranker)):
            if name == "sparse" and not args.sparse:
                continue
            t = time.time()
            kind = f"{name}-{query_kind}" if name == "full" else name
            cached = args.cache / f"ranker-features-v{FEATURES}-{part}-{kind}-{len(indices)}-{SEED}.npz"
            found = load_features(cached) if args.reuse_features else None
            if found is None:
                sentences, wanted = [texts[i] for i in indices], [gold[i] for i in indices]
                if part == "train" and name == "full" and adapter is not None:
                    found = cross_fitted(one, extractor, sentences, wanted, args.cache)
                else:
                    found = dataset(one, extractor, sentences, wanted)
                save_features(cached, found)
            data[part, name] = found
            print(
                f"{part} {name}: {len(indices)} sentences, features in {time.time() - t:.0f}s",
                file=sys.stderr,
            )
    training = [part for part in ("train", "generated", "tools") if part in parts]
    scorers = {}
    for name, columns in (("full", names), ("sparse", sparse_names)):
        if name == "sparse" and not args.sparse:
            continue
        scorers[name] = fit(
            [f for part in training for f in data[part, name][1]],
            [y for part in training for y in data[part, name][2]],
            columns,
            args.hidden,
            pairwise=args.pairwise,
        )
    report: dict[str, object] = {
        "seed": SEED,
        "query_adapter": args.adapter,
        "sentences": {part: len(indices) for part, indices in parts.items()},
        "queries": query_kind,
        "hidden_units": args.hidden,
        "pairwise": args.pairwise,
        "unmapped_gold_labels": missing,
    }
    for part in ("dev", "edev"):
        part_gold = [gold[i] for i in parts[part]]
        report[part] = {
            "fusion of every retriever (no training)": evaluate(
                None, *data[part, "full"], part_gold, names.index("fused_z")
            ),
            "scorer, every retriever": evaluate(scorers["full"], *data[part, "full"], part_gold, 0),
        }
        if args.sparse:
            report[part] |= {  # type: ignore[operator]
                "fusion of TF-IDF (no training)": evaluate(
                    None, *data[part, "sparse"], part_gold, sparse_names.index("fused_z")
                ),
                "scorer, TF-IDF and lexical only": evaluate(
                    scorers["sparse"], *data[part, "sparse"], part_gold, 0
                ),
            }
    report["seconds"] = round(time.time() - started)
    (OUT / "skill_ranker.json").write_text(scorers["full"].to_json() + "\n", encoding="utf-8")
    if args.sparse:
        (OUT / "skill_ranker_sparse.json").write_text(scorers["sparse"].to_json() + "\n", encoding="utf-8")
    text = json.dumps(report, indent=1)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
