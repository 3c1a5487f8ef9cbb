"""Scoring a skill extractor on a labelled data set: any callable from texts to mentions will do.

The extractor is a plain callable, so the same harness scores the lexical matcher, a semantic model
or a baseline: ``extract(texts)`` returns, for each text, the mentions found in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from microcareer.domain.evaluation.datasets import LabelledDataset
from microcareer.domain.evaluation.report import EvaluationReport
from microcareer.domain.evaluation.scoring import Prediction, score
from microcareer.domain.extraction.mentions import SkillMention
from microcareer.domain.progress import NoProgress, Progress

Extract = Callable[[Sequence[str]], Sequence[Sequence[SkillMention]]]


def evaluate_extraction(
    dataset: LabelledDataset,
    extract: Extract,
    *,
    progress: Progress | None = None,
    batch_size: int = 64,
    k: int = 5,
) -> EvaluationReport:
    """Run ``extract`` over the sentences in batches and score what it found (RP@``k`` for rankings).

    Span figures are reported when the data set has gold spans, skill and ranking figures when it
    has gold URIs; sentences without gold labels count against precision only.
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
        predictions.extend(prediction(text, mentions) for text, mentions in zip(batch, found, strict=True))
        progress.advance(len(batch))
    return score(dataset, predictions, k=k)


def prediction(text: str, mentions: Sequence[SkillMention]) -> Prediction:
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
    spans = frozenset((m.start, m.end) for m in mentions)
    return Prediction(spans=spans, ranked_uris=tuple(ranked))
