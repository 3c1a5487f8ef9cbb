"""What the peer adapters share: the JSON Lines protocol, the bundled ESCO labels, and a worker pool.

Standard library only, so it runs under the repo's venv and under ``/tmp/peers-venv`` alike.
Protocol: stdin has one ``{"doc_id": ..., "text": ...}`` a line; stdout gets one line per mention,
``{"doc_id", "uri", "label", "start", "end", "score"}`` (character offsets, ``-1`` when unknown).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

REPO = Path(__file__).resolve().parents[2]
SKILLS_CSV = REPO / "src" / "microcareer" / "data" / "esco" / "skills_en.csv.gz"


class Mention(TypedDict):
    doc_id: str
    uri: str
    label: str
    start: int
    end: int
    score: float


@dataclass(frozen=True, slots=True)
class EscoLabel:
    uri: str
    preferred: str  # the skill's preferred label, reported as "label"
    text: str  # this label (the preferred one or an alternative)


def esco_labels(path: Path = SKILLS_CSV, *, hidden: bool = False) -> list[EscoLabel]:
    """Preferred and alternative labels of every skill (hidden ones too when asked), in file order."""
    out: list[EscoLabel] = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            uri, preferred = row["conceptUri"], row["preferredLabel"].strip()
            columns = ["altLabels", "hiddenLabels"] if hidden else ["altLabels"]
            alternatives = [label.strip() for c in columns for label in row[c].split("\n")]
            seen: set[str] = set()
            for text in [preferred, *alternatives]:
                if (
                    text and text not in seen
                ):  # the CSV often repeats the preferred label among the alternatives
                    seen.add(text)
                    out.append(EscoLabel(uri, preferred, text))
    return out


def preferred_labels(path: Path = SKILLS_CSV) -> dict[str, str]:
    """Skill URI -> preferred label."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return {row["conceptUri"]: row["preferredLabel"] for row in csv.DictReader(handle)}


def read_documents(stream: Iterable[str] | None = None) -> Iterator[tuple[str, str]]:
    """``(doc_id, text)`` for each non-blank line of ``stream`` (stdin by default)."""
    if stream is None:
        stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    for line in stream:
        if line.strip():
            record = json.loads(line)
            yield str(record["doc_id"]), str(record["text"])


def write_mentions(mentions: Iterable[Mention], out: Any = None) -> None:
    target = out if out is not None else sys.stdout
    for mention in mentions:
        target.write(json.dumps(mention, ensure_ascii=False) + "\n")


_WORK: Callable[[tuple[str, str]], list[Mention]] | None = None


def _call(document: tuple[str, str]) -> list[Mention]:
    assert _WORK is not None
    return _WORK(document)


def run(work: Callable[[tuple[str, str]], list[Mention]], workers: int = 1, chunksize: int = 4) -> None:
    """Read stdin, ``work`` on each document (in ``workers`` forked processes), write mentions in order.

    The extractor is built before the fork, so workers share its memory copy-on-write.
    """
    global _WORK
    _WORK = work
    documents = read_documents()
    if workers <= 1:
        for document in documents:
            write_mentions(work(document))
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for found in pool.imap(_call, documents, chunksize=chunksize):
                write_mentions(found)
    sys.stdout.flush()


def locate_tokens(text: str, tokens: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans in ``text`` of ``tokens`` found left to right (case-insensitively); ``(-1, -1)``
    for a token that cannot be found, which does not move the cursor."""
    lowered = text.lower() if len(text.lower()) == len(text) else text
    spans: list[tuple[int, int]] = []
    at = 0
    for token in tokens:
        found = lowered.find(token.lower(), at) if token else -1
        if found < 0:
            spans.append((-1, -1))
        else:
            spans.append((found, found + len(token)))
            at = found + len(token)
    return spans
