"""The hand-written source of the extraction development set, parsed: aliases, sentences, marked spans.

``@alias KEY  label`` names an ESCO skill; ``ID | text`` is a sentence whose skills are marked
``[words](alias)``. ``tokens`` splits a sentence for the CoNLL file so that every span starts and ends
on a token boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

ESCO_SKILL = "http://data.europa.eu/esco/skill/"
_ALIAS = re.compile(r"^@(?P<alias>[a-z0-9-]+) (?P<key>[0-9a-f-]{36})  (?P<label>\S.*)$")
_SENTENCE = re.compile(r"^(?P<id>[a-z0-9-]+) \| (?P<text>\S.*)$")
_MARK = re.compile(r"\[(?P<words>[^\[\]]+)\]\((?P<alias>[a-z0-9-]+)\)")
_LEADING = "(\"'"
_TRAILING = '.,;:!?)"'


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    uri: str


@dataclass(frozen=True, slots=True)
class Sentence:
    sentence_id: str
    text: str
    spans: tuple[Span, ...]


class SourceError(ValueError):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"source.txt, line {line}: {problem}")


def parse_source(source: str) -> tuple[dict[str, tuple[str, str]], list[Sentence]]:
    """The aliases (alias -> (URI, label)) and the sentences, in file order."""
    aliases: dict[str, tuple[str, str]] = {}
    sentences: list[Sentence] = []
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if alias := _ALIAS.match(line):
            aliases[alias["alias"]] = (ESCO_SKILL + alias["key"], alias["label"].strip())
        elif sentence := _SENTENCE.match(line):
            if any(s.sentence_id == sentence["id"] for s in sentences):
                raise SourceError(number, f"sentence id {sentence['id']!r} is used twice")
            sentences.append(_unmark(sentence["id"], sentence["text"], aliases, number))
        else:
            raise SourceError(number, "neither a comment, an @alias line nor an 'ID | text' line")
    return aliases, sentences


def _unmark(sentence_id: str, marked: str, aliases: dict[str, tuple[str, str]], line: int) -> Sentence:
    text, spans, position = "", [], 0
    for mark in _MARK.finditer(marked):
        if mark["alias"] not in aliases:
            raise SourceError(line, f"alias {mark['alias']!r} is not defined above it")
        if mark["words"] != mark["words"].strip():
            raise SourceError(line, f"marked words {mark['words']!r} start or end with a space")
        text += marked[position : mark.start()]
        spans.append(Span(len(text), len(text) + len(mark["words"]), aliases[mark["alias"]][0]))
        text += mark["words"]
        position = mark.end()
    text += marked[position:]
    if any(c in text for c in "[]") or "](" in text:
        raise SourceError(line, "a bracket is left over: a mark is malformed")
    return Sentence(sentence_id, text, tuple(spans))


def tokens(sentence: Sentence) -> list[tuple[int, int]]:
    """Token character ranges: words split at spaces, edge punctuation and span boundaries."""
    cuts = {b for s in sentence.spans for b in (s.start, s.end)}
    ranges: list[tuple[int, int]] = []
    for word in re.finditer(r"\S+", sentence.text):
        start, end = word.span()
        while start < end - 1 and sentence.text[start] in _LEADING:
            cuts.add(start + 1)
            start += 1
        while end - 1 > start and sentence.text[end - 1] in _TRAILING:
            cuts.add(end - 1)
            end -= 1
        inner = sorted(c for c in cuts if word.start() < c < word.end())
        edges = [word.start(), *inner, word.end()]
        ranges.extend(pairwise(edges))
    return ranges
