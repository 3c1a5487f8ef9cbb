"""Acronyms a document defines for itself: "natural language processing (NLP)" makes every later
"NLP" in that document a mention of the same skill, and so does "NLP (natural language processing)"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from microcareer.domain.extraction.mentions import SkillMention

_ACRONYM = r"([A-Z][A-Za-z0-9&+/]{1,9})"
_AFTER = re.compile(rf"\s*\(\s*{_ACRONYM}\s*\)")
_BEFORE = re.compile(rf"\b{_ACRONYM}\s*\(\s*$")
_CLOSE = re.compile(r"\s*\)")
DEFINED_FACTOR = 0.95


def _plausible(acronym: str, phrase: str) -> bool:
    capitals = sum(c.isupper() for c in acronym)
    return capitals >= 2 and acronym[0].casefold() == phrase.lstrip()[:1].casefold()


def definitions(text: str, mentions: Iterable[SkillMention]) -> dict[str, SkillMention]:
    """Acronym → the mention it stands for, from "phrase (ACR)" and "ACR (phrase)" in the text."""
    found: dict[str, SkillMention] = {}
    if "(" not in text:
        return found  # both ways of defining one need a bracket
    for mention in mentions:
        after = _AFTER.match(text, mention.end)
        if after and _plausible(after.group(1), mention.matched_text):
            found.setdefault(after.group(1), mention)
            continue
        before = _BEFORE.search(text, max(0, mention.start - 16), mention.start)
        if before and _CLOSE.match(text, mention.end) and _plausible(before.group(1), mention.matched_text):
            found.setdefault(before.group(1), mention)
    return found


def with_acronyms(text: str, mentions: list[SkillMention]) -> list[SkillMention]:
    """The mentions, with every use of an acronym the text defines read as the skill it stands for
    (replacing what the taxonomy alone made of it: "ML" after "machine learning (ML)")."""
    defined = definitions(text, mentions)
    if not defined:
        return mentions
    kept = [m for m in mentions if m.matched_text not in defined]
    return kept + list(_acronym_mentions(text, kept, defined))


def _acronym_mentions(
    text: str, mentions: list[SkillMention], defined: dict[str, SkillMention]
) -> Iterator[SkillMention]:
    taken = [(m.start, m.end) for m in mentions]
    for acronym, source in defined.items():
        for match in re.finditer(rf"(?<![\w]){re.escape(acronym)}(?![\w])", text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            yield replace(
                source,
                start=start,
                end=end,
                matched_text=acronym,
                matched_label=acronym,
                confidence=round(source.confidence * DEFINED_FACTOR, 4),
            )
