"""A labelled data set in memory: sentences with gold character spans, gold ESCO URIs, or both.

The two formats of the field map onto one model. Token-level BIO files (CoNLL style) give spans, and
URIs too when they carry a URI column; sentence -> URI files give URIs only. What a data set holds
decides which figures an evaluation can report.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DatasetFormat(StrEnum):
    BIO = "bio"  # token-level BIO tags (CoNLL style), optionally with a URI per span
    SENTENCE_URIS = "sentence_uris"  # each sentence with the set of ESCO URIs it expresses


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """``text[start:end]`` expresses a skill (character offsets); ``uri`` is its ESCO skill when known."""

    start: int
    end: int
    uri: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"a span needs 0 <= start < end, not {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    """One sentence and its gold labels; empty ``spans`` and ``uris`` mean "no skill here"."""

    sentence_id: str
    text: str
    spans: tuple[GoldSpan, ...] = ()
    uris: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for span in self.spans:
            if span.end > len(self.text):
                raise ValueError(f"span {span.start}..{span.end} runs past sentence {self.sentence_id!r}")


@dataclass(frozen=True, slots=True)
class LabelledDataset:
    """Sentences in file order, with the format they were read from."""

    name: str
    format: DatasetFormat
    sentences: tuple[LabelledSentence, ...]

    @property
    def has_spans(self) -> bool:
        """Span labels exist for every sentence (a BIO file), so span metrics mean something."""
        return self.format is DatasetFormat.BIO

    @property
    def has_uris(self) -> bool:
        """URI labels exist: a sentence -> URI file, or a BIO file whose spans carry URIs."""
        if self.format is DatasetFormat.SENTENCE_URIS:
            return True
        return any(span.uri for sentence in self.sentences for span in sentence.spans)
