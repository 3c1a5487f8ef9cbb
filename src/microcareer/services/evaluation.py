"""Scoring a skill extractor on a labelled data set: any callable from texts to mentions will do.

The extractor is a plain callable, so the same harness scores the lexical matcher, a semantic model
or a baseline: ``extract(texts)`` returns, for each text, the mentions found in it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from microcareer.domain.evaluation.datasets import LabelledDataset
from microcareer.domain.evaluation.report import EvaluationReport
from microcareer.domain.evaluation.scoring import Prediction, score
from microcareer.domain.extraction.mentions import SkillMention
from microcareer.domain.progress import NoProgress, Progress
from microcareer.services.ports import UnitOfWork

Extract = Callable[[Sequence[str]], Sequence[Sequence[SkillMention]]]


def evaluate_extraction(
    dataset: LabelledDataset,
    extract: Extract,
    *,
    progress: Progress | None = None,
    batch_size: int = 64,
    k: int = 5,
    threshold: float | None = None,
) -> EvaluationReport:
    """Run ``extract`` over the sentences in batches and score what it found (RP@``k`` for rankings).

    Span figures are reported when the data set has gold spans, skill and ranking figures when it
    has gold URIs; sentences without gold labels count against precision only. With a ``threshold``,
    the ranking reads every mention and P/R/F1 only those scored at or above it (a ranked list's
    long tail is not what a user is shown).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    progress = progress or NoProgress()
    texts = [sentence.text for sentence in dataset.sentences]
    progress.stage(f"Extracting skills from {dataset.name}", total=len(texts))
    predictions: list[Prediction] = []
    for begin in range(0, len(texts), batch_size):
        batch = texts[begin : begin + batch_size]
        found = extract(batch)
        if len(found) != len(batch):
            raise ValueError(f"the extractor returned {len(found)} results for {len(batch)} texts")
        predictions.extend(
            prediction(text, mentions, threshold) for text, mentions in zip(batch, found, strict=True)
        )
        progress.advance(len(batch))
    return score(dataset, predictions, k=k)


def prediction(text: str, mentions: Sequence[SkillMention], threshold: float | None = None) -> Prediction:
    """The spans of the mentions, and their URIs ranked by best confidence, then first position."""
    best: dict[str, tuple[float, int]] = {}
    for mention in mentions:
        if not 0 <= mention.start < mention.end <= len(text):
            raise ValueError(
                f"mention {mention.start}..{mention.end} lies outside a {len(text)}-character text"
            )
        confidence, first = best.get(mention.uri, (mention.confidence, mention.start))
        best[mention.uri] = (max(confidence, mention.confidence), min(first, mention.start))
    ranked = sorted(best, key=lambda uri: (-best[uri][0], best[uri][1], uri))
    if threshold is None:
        spans = frozenset((m.start, m.end) for m in mentions)
        return Prediction(spans=spans, ranked_uris=tuple(ranked))
    shown = [m for m in mentions if m.confidence >= threshold]
    spans = frozenset((m.start, m.end) for m in shown)
    return Prediction(spans=spans, ranked_uris=tuple(ranked), selected=frozenset(m.uri for m in shown))


class PreferredLabels:
    """Gold labels written as ESCO preferred labels → URIs (as the skill-extraction benchmark maps
    them): the label stripped, matched exactly, else ignoring case. Labels the taxonomy lacks are
    counted in ``missing`` (and left out of the gold set), so a report can say how many there were."""

    def __init__(self, rows: Iterable[tuple[str, str, str, int | None]]) -> None:
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        for uri, label, kind, organisation_id in rows:
            if kind != "preferred" or organisation_id is not None:
                continue
            self._exact.setdefault(label.strip(), uri)
            self._folded.setdefault(label.strip().casefold(), uri)
        self.missing: Counter[str] = Counter()

    def __call__(self, label: str) -> str | None:
        uri = self._exact.get(label.strip()) or self._folded.get(label.strip().casefold())
        if uri is None:
            self.missing[label.strip()] += 1
        return uri


def preferred_labels(uow: UnitOfWork) -> PreferredLabels:
    """The stored taxonomy's preferred labels, for reading a data set labelled with them."""
    with uow:
        return PreferredLabels(uow.taxonomy.skill_label_rows())
