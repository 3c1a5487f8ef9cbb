"""Train the skill ranker's query adapter: ``src/microcareer/data/skill_query_adapter.npz``.

    PYTHONPATH=src python scripts/train_query_adapter.py [--cache var/cache] [--report FILE.json]

A (384 x 384) matrix W, started at the identity, on the int8 all-MiniLM-L6-v2 sentence vectors q the
product embeds with, trained so that the cosine of ``q W`` with the preferred-label vectors (float
model, cached by the ranker, frozen) puts a sentence's gold skills first: softmax cross-entropy over
every skill of the taxonomy, or of ``NEGATIVES`` skills drawn afresh for each batch with the batch's
gold skills (temperature ``TAU``), the mean over a sentence's gold skills, plus
``DECAY`` * |W - I|² so the map stays near the plain cosine. Adam, fixed seed, torch on the CPU.

Pairs: the SkillSkape train part (the same 80% as ``scripts/train_skill_ranker.py``, same seed; its
other 20% is the development set every choice is measured on), and every ESCO skill's preferred label
→ the skill itself (``--pref-weight``: it keeps the map from folding the taxonomy's other 13,000
skills onto SkillSkape's ~500; their vectors are the ranker's cached ones, so they cost nothing),
every description → its skill (``--descriptions``, on by default) and a seeded sample of 14,000
alternative and hidden labels → their skill (``--esco-labels N``), at ``ESCO_WEIGHT``: they keep the
map general over ESCO rather than tuned to SkillSkape's wording and skills, and need the ranker's full
cache of label and description vectors (~126k texts to embed once). ``--no-descriptions
--esco-labels 0`` gives the first adapter (2026-12-06, never shipped). No benchmark validation or
test split is read.

``--folds K`` also trains K adapters and saves them in ``--cache`` with the fold of every train-part
sentence: ``train_skill_ranker.py`` computes a train-part sentence's features with the adapter of its
fold (cross-fitting). The folds go by skill, not by sentence: the skills of the train part are dealt
into K groups (seeded), a sentence's fold is the group of its first gold skill, and adapter k is
trained without every sentence that has a skill of group k. So a train-part sentence is scored by an
adapter that never saw its (first) gold skill: SkillSkape's ~500 skills recur across its sentences,
and the scorer must learn how far to trust the adapted cosine for skills the adapter was not trained
on, as for most of ESCO's 14k in the product.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from microcareer.adapters.semantic.embedding_cache import FileSkillEmbeddingStore  # noqa: E402
from microcareer.adapters.semantic.sentence_embeddings import (  # noqa: E402
    MODEL_NAME,
    SentenceTransformerEmbedder,
)
from microcareer.domain.extraction.query_adapter import QueryAdapter  # noqa: E402
from microcareer.services.skill_ranking import RankingTaxonomy, dense_vectors  # noqa: E402
from scripts.train_skill_ranker import (  # noqa: E402
    SEED,
    bundle_taxonomy,
    extraction_dev,
    skillskape,
    split,
)

OUT = ROOT / "src/microcareer/data/skill_query_adapter.npz"
TAU = 0.05  # softmax temperature over cosines
DECAY = 0.0  # weight of |W - I|^2
LR = 1e-3
EPOCHS = 3
BATCH = 256
PREF_WEIGHT = 0.5  # weight of a (preferred label → its skill) pair against a SkillSkape sentence
ESCO_LABELS = 14000  # alternative / hidden labels sampled as pairs (needs the labels' cached vectors)
ESCO_WEIGHT = 0.5  # weight of a description or alternative-label pair
FOLDS = 4
NEGATIVES = 2048  # skills each batch's softmax runs over besides its gold ones (0: every skill)


def fold_path(cache: Path, fold: int, folds: int) -> Path:
    return cache / f"query-adapter-s{SEED}-fold{fold}of{folds}.npz"


def folds_path(cache: Path, folds: int) -> Path:
    return cache / f"query-adapter-s{SEED}-folds{folds}.json"


def skill_groups(train: list[int], gold: list[set[int]], folds: int) -> dict[int, int]:
    """Each skill of the train part → its group (0 .. folds-1), dealt in a seeded order."""
    skills = sorted(set().union(*(gold[i] for i in train)))
    order = np.random.default_rng(SEED + 11).permutation(len(skills))
    return {skills[k]: n % folds for n, k in enumerate(order.tolist())}


def fold_of(train: list[int], gold: list[set[int]], groups: dict[int, int], folds: int) -> list[int]:
    """Each train-part sentence's fold, in the part's order: its first gold skill's group (a
    sentence without gold skills: its position modulo ``folds``)."""
    return [groups[min(gold[i])] if gold[i] else k % folds for k, i in enumerate(train)]


def query_vectors(cache: Path, texts: list[str], name: str = "skillskape") -> np.ndarray:
    """The sentences' int8-model vectors (as the product embeds queries), cached (per encoder: a shipped
    fine-tuning delta gives other vectors and another file)."""
    embedder = SentenceTransformerEmbedder(quantized=True)
    encoder = "" if embedder.model_name == MODEL_NAME else f"-{embedder.model_name.rsplit('-', 1)[-1]}"
    path = cache / f"{name}-int8-queries-{len(texts)}{encoder}.npy"
    if path.exists():
        return np.asarray(np.load(path), dtype=np.float32)
    vectors = embedder.embed(texts)
    np.save(path, vectors)
    return vectors


def esco_pairs(
    taxonomy: RankingTaxonomy, vectors: dict[str, np.ndarray], labels: int, descriptions: bool
) -> tuple[np.ndarray, list[list[int]]]:
    """(vectors, gold) of ESCO pairs: descriptions (when asked) and a seeded sample of ``labels``
    alternative and hidden labels → their skill."""
    rng = np.random.default_rng(SEED + 10)
    skills = len(taxonomy.uris)
    width = vectors["pref"].shape[1]
    described = (
        [i for i in range(skills) if taxonomy.descriptions[i] != taxonomy.labels[i]] if descriptions else []
    )
    others = np.arange(skills, len(taxonomy.label_texts))
    sample = (
        np.sort(rng.choice(others, size=min(labels, others.size), replace=False)) if labels else others[:0]
    )
    owners = np.asarray(taxonomy.label_owners)
    parts = [np.zeros((0, width), dtype=np.float32)]
    if described:
        parts.append(vectors["desc"][described])
    if sample.size:
        parts.append(vectors["labels"][sample])
    gold = [[i] for i in described] + [[int(owners[j])] for j in sample]
    return np.vstack(parts).astype(np.float32), gold


def train(
    x: np.ndarray,
    gold: list[list[int]],
    weight: np.ndarray,
    skills: np.ndarray,
    *,
    epochs: int,
    tau: float,
    decay: float,
    lr: float,
    seed: int,
    negatives: int = 0,
) -> np.ndarray:
    """W (d x d) minimising the weighted mean over examples of the mean over their gold skills of
    -log softmax(cos(x W, skills) / tau), plus ``decay`` * |W - I|²."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    eye = torch.eye(d)
    w = torch.nn.Parameter(eye.clone())
    optimiser = torch.optim.Adam([w], lr=lr)
    targets = torch.from_numpy(skills.astype(np.float32))
    xs = torch.from_numpy(x.astype(np.float32))
    weights = torch.from_numpy(weight.astype(np.float32))
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            rows = [k for k, i in enumerate(batch) for _ in gold[i]]
            columns = [g for i in batch for g in gold[i]]
            share = torch.tensor([1.0 / len(gold[i]) for i in batch for _ in gold[i]])
            adapted = torch.nn.functional.normalize(xs[batch] @ w, dim=1)
            if negatives and negatives < len(skills):
                drawn = rng.choice(len(skills), size=negatives, replace=False)
                among, inverse = np.unique(np.concatenate([columns, drawn]), return_inverse=True)
                columns = inverse[: len(columns)].tolist()
                logp = torch.log_softmax(adapted @ targets[among].T / tau, dim=1)
            else:
                logp = torch.log_softmax(adapted @ targets.T / tau, dim=1)
            per_pair = -logp[rows, columns] * share * weights[batch][rows]
            loss = per_pair.sum() / weights[batch].sum() + decay * ((w - eye) ** 2).sum()
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
    return w.detach().numpy().astype(np.float32)


def rp_at(scores: np.ndarray, gold: list[set[int]], k: int = 5) -> float:
    values = []
    for row, wanted in zip(scores, gold, strict=True):
        if wanted:
            top = np.argpartition(-row, k)[:k]
            values.append(len(set(top.tolist()) & wanted) / min(k, len(wanted)))
    return 100 * float(np.mean(values))


def recall_at(scores: np.ndarray, gold: list[set[int]], k: int) -> float:
    found = total = 0
    for row, wanted in zip(scores, gold, strict=True):
        top = set(np.argpartition(-row, k)[:k].tolist())
        found += len(top & wanted)
        total += len(wanted)
    return 100 * found / max(1, total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "var/cache")
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--tau", type=float, default=TAU)
    parser.add_argument("--decay", type=float, default=DECAY)
    parser.add_argument("--lr", type=float, default=LR)
    parser.add_argument("--pref-weight", type=float, default=PREF_WEIGHT)
    parser.add_argument("--descriptions", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--esco-labels", type=int, default=ESCO_LABELS)
    parser.add_argument("--esco-weight", type=float, default=ESCO_WEIGHT)
    parser.add_argument("--negatives", type=int, default=NEGATIVES)
    parser.add_argument("--folds", type=int, default=FOLDS, help="cross-fitted adapters (0: none)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    started = time.time()
    taxonomy, _, revision = bundle_taxonomy()
    store = FileSkillEmbeddingStore(args.cache, prefix="ranking-embeddings-", one_key=False)
    kinds = ["pref"] + (["labels"] if args.esco_labels else []) + (["desc"] if args.descriptions else [])
    embedder = SentenceTransformerEmbedder()
    model_name = embedder.model_name  # the packaged model's, or with a shipped delta's digest
    vectors = dense_vectors(taxonomy, embedder, store, revision, only=kinds)
    texts, gold_sets, _ = skillskape(taxonomy)
    parts = split(len(texts))
    queries = query_vectors(args.cache, texts)
    esco_x, esco_gold = esco_pairs(taxonomy, vectors, args.esco_labels, args.descriptions)
    skills = vectors["pref"].astype(np.float32)
    own = [[i] for i in range(len(skills))] if args.pref_weight > 0 else []

    def fitted(train: list[int], seed: int) -> np.ndarray:
        usable = [i for i in train if gold_sets[i]]
        x = np.vstack([queries[usable], esco_x, skills[: len(own)]])
        gold = [sorted(gold_sets[i]) for i in usable] + esco_gold + own
        weight = np.concatenate(
            [
                np.ones(len(usable)),
                np.full(len(esco_gold), args.esco_weight),
                np.full(len(own), args.pref_weight),
            ]
        )
        return train_matrix(x, gold, weight, skills, args, seed)

    dev = parts["dev"]
    dev_gold = [gold_sets[i] for i in dev]
    plain = queries[dev] @ skills.T
    t = time.time()
    weights = fitted(parts["train"], SEED)
    adapter = QueryAdapter(model_name, weights)
    adapted = adapter.apply(queries[dev]) @ skills.T
    report: dict[str, object] = {
        "command": "PYTHONPATH=src python scripts/train_query_adapter.py " + " ".join(sys.argv[1:]),
        "seed": SEED,
        "settings": {
            "epochs": args.epochs,
            "tau": args.tau,
            "decay": args.decay,
            "lr": args.lr,
            "pref_weight": args.pref_weight,
            "descriptions": args.descriptions,
            "esco_labels": args.esco_labels,
            "esco_weight": args.esco_weight,
            "batch": BATCH,
            "negatives": args.negatives,
        },
        "pairs": {
            "skillskape_train": len(parts["train"]),
            "preferred_labels": len(own),
            "esco_descriptions_and_labels": len(esco_gold),
        },
        "dev (SkillSkape, retriever alone over every skill)": {
            "plain cosine": {
                "rp@5": round(rp_at(plain, dev_gold), 1),
                "recall@100": round(recall_at(plain, dev_gold, 100), 1),
                "recall@400": round(recall_at(plain, dev_gold, 400), 1),
            },
            "adapted cosine": {
                "rp@5": round(rp_at(adapted, dev_gold), 1),
                "recall@100": round(recall_at(adapted, dev_gold, 100), 1),
                "recall@400": round(recall_at(adapted, dev_gold, 400), 1),
            },
        },
        "train_seconds": round(time.time() - t),
    }
    edev_texts, edev_gold = extraction_dev(taxonomy)
    edev = query_vectors(args.cache, edev_texts, "extraction-dev")
    report["extraction_dev (hand-written, retriever alone)"] = {
        "plain cosine": {"rp@5": round(rp_at(edev @ skills.T, edev_gold), 1)},
        "adapted cosine": {"rp@5": round(rp_at(adapter.apply(edev) @ skills.T, edev_gold), 1)},
    }
    print(json.dumps(report, indent=1), file=sys.stderr)
    args.out.write_bytes(adapter.to_bytes())
    groups = skill_groups(parts["train"], gold_sets, args.folds) if args.folds else {}
    if args.folds:
        folds = fold_of(parts["train"], gold_sets, groups, args.folds)
        folds_path(args.cache, args.folds).write_text(json.dumps(folds), encoding="utf-8")
    unseen: list[np.ndarray] = []
    unseen_plain: list[np.ndarray] = []
    unseen_gold: list[set[int]] = []
    for k in range(args.folds):
        kept = [i for i in parts["train"] if all(groups[g] != k for g in gold_sets[i])]
        fold_adapter = QueryAdapter(model_name, fitted(kept, SEED + 100 + k))
        fold_path(args.cache, k, args.folds).write_bytes(fold_adapter.to_bytes())
        members = [i for i, f in zip(parts["train"], folds, strict=True) if f == k and gold_sets[i]]
        unseen.append(fold_adapter.apply(queries[members]) @ skills.T)
        unseen_plain.append(queries[members] @ skills.T)
        unseen_gold += [gold_sets[i] for i in members]
        print(f"fold {k + 1}/{args.folds} trained", file=sys.stderr)
    if args.folds:  # each train-part sentence by the adapter that never saw its first gold skill
        report["train part by the fold adapters (skills they were not trained on)"] = {
            "plain cosine": {"rp@5": round(rp_at(np.vstack(unseen_plain), unseen_gold), 1)},
            "adapted cosine": {"rp@5": round(rp_at(np.vstack(unseen), unseen_gold), 1)},
        }
    report["folds"] = args.folds
    report["seconds"] = round(time.time() - started)
    text = json.dumps(report, indent=1)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")


def train_matrix(
    x: np.ndarray,
    gold: list[list[int]],
    weight: np.ndarray,
    skills: np.ndarray,
    args: argparse.Namespace,
    seed: int,
) -> np.ndarray:
    return train(
        x,
        gold,
        weight,
        skills,
        epochs=args.epochs,
        tau=args.tau,
        decay=args.decay,
        lr=args.lr,
        seed=seed,
        negatives=args.negatives,
    )


if __name__ == "__main__":
    main()
