"""Baseline peer: every ESCO preferred and alternative label, matched word for word, speaking JSON Lines.

    python -m bench.peers.exact_label_matcher [--workers N] < docs.jsonl > mentions.jsonl   # repo root

Standard library only. Text and labels are cut into lowercase word tokens (``\\w+`` with a trailing
``+``/``#`` kept, so C++ and C# stay themselves); a hash lookup over token n-grams, pruned by a set of
label prefixes, finds the longest label starting at each token, and matches do not overlap (leftmost
longest). Every skill carrying the matched label is reported, with score 1.0 and its character span.
"""

from __future__ import annotations

import argparse
import re
import sys
import time

from bench.peers.peer_common import EscoLabel, Mention, esco_labels, run

TOKEN = re.compile(r"\w+[+#]*")


class ExactMatcher:
    def __init__(self, labels: list[EscoLabel]) -> None:
        self.skills: dict[str, list[tuple[str, str]]] = {}
        self.prefixes: set[str] = set()
        for label in labels:
            tokens = [t.lower() for t in TOKEN.findall(label.text)]
            if not tokens:
                continue
            key = " ".join(tokens)
            found = self.skills.setdefault(key, [])
            if (label.uri, label.preferred) not in found:
                found.append((label.uri, label.preferred))
            for n in range(1, len(tokens)):
                self.prefixes.add(" ".join(tokens[:n]))

    def __call__(self, document: tuple[str, str]) -> list[Mention]:
        doc_id, text = document
        spans = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
        words = [text[start:end].lower() for start, end in spans]
        skills, prefixes = self.skills, self.prefixes
        out: list[Mention] = []
        i, count = 0, len(words)
        while i < count:
            key, best, j = words[i], -1, i
            while True:
                if key in skills:
                    best = j
                if key not in prefixes or j + 1 >= count:
                    break
                j += 1
                key = key + " " + words[j]
            if best < 0:
                i += 1
                continue
            start, end = spans[i][0], spans[best][1]
            for uri, preferred in skills[" ".join(words[i : best + 1])]:
                out.append(
                    {
                        "doc_id": doc_id,
                        "uri": uri,
                        "label": preferred,
                        "start": start,
                        "end": end,
                        "score": 1.0,
                    }
                )
            i = best + 1
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="processes (forked after loading)")
    args = parser.parse_args()
    started = time.perf_counter()
    matcher = ExactMatcher(esco_labels())
    print(
        f"exact matcher: {len(matcher.skills):,} distinct labels in {time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
    run(matcher, workers=args.workers, chunksize=16)


if __name__ == "__main__":
    main()
