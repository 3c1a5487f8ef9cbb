"""Texts cut into clauses with their character spans: the units the semantic method embeds.

A clause ends at a sentence end, a line break, a semicolon, a colon or a bullet; within a sentence,
commas and "and"/"or" cut it further when both sides keep a few words ("wrote the deployment scripts
and ran the nightly builds" is two clauses, "Python and SQL" stays one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_BREAK = re.compile(r"[.!?](?=\s|$)|[;:](?=\s|$)|[\n\r•·▪●■◦|]+|\s[-–—]\s")
_CLAUSE_BREAK = re.compile(r",\s*(?:and\s+|or\s+|but\s+)?|\s(?:and|or|but|while|whereas)\s", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*[+#]*")
MIN_CLAUSE_WORDS = 4  # a shorter piece stays with its neighbour
MAX_CLAUSE_CHARS = 400  # longer runs (tables, lists without punctuation) are cut at word ends


@dataclass(frozen=True, slots=True)
class Clause:
    """``text[start:end]`` of some text, trimmed of spaces and punctuation at both ends."""

    start: int
    end: int
    text: str
    words: int


def clauses(text: str) -> list[Clause]:
    """The clauses of ``text`` in order, each with at least one word."""
    found: list[Clause] = []
    for start, end in _pieces(text, _SENTENCE_BREAK, 0, len(text)):
        for piece_start, piece_end in _joined(text, _pieces(text, _CLAUSE_BREAK, start, end)):
            for part_start, part_end in _bounded(text, piece_start, piece_end):
                clause = _trimmed(text, part_start, part_end)
                if clause is not None:
                    found.append(clause)
    return found


def _pieces(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    position = start
    for match in pattern.finditer(text, start, end):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, end))
    return spans


def _word_count(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pieces of fewer than ``MIN_CLAUSE_WORDS`` words joined to the piece before (or after) them."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and (
            _word_count(text, start, end) < MIN_CLAUSE_WORDS
            or _word_count(text, *joined[-1]) < MIN_CLAUSE_WORDS
        ):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    while end - start > MAX_CLAUSE_CHARS:
        cut = text.rfind(" ", start, start + MAX_CLAUSE_CHARS)
        cut = cut if cut > start else start + MAX_CLAUSE_CHARS
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return spans


def _trimmed(text: str, start: int, end: int) -> Clause | None:
    words = list(_WORD.finditer(text, start, end))
    if not words:
        return None
    first, last = words[0].start(), words[-1].end()
    return Clause(first, last, text[first:last], len(words))
