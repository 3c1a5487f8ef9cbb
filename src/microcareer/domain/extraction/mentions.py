"""What extraction produces: skill mentions with their spans, and each document's skill set."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Method(StrEnum):
    """How a mention was found; every method can be switched on or off."""

    LEXICAL = "lexical"  # a label of the skill, word for word after normalisation
    FUZZY = "fuzzy"  # a label with a spelling variant or near miss
    SEMANTIC = "semantic"  # a sentence whose meaning is close to the skill's (optional extra)
    RANKING = "ranking"  # every skill ranked per sentence by retrievers and a trained scorer


@dataclass(frozen=True, slots=True)
class SkillMention:
    """A skill found in a text: ``text[start:end]`` is ``matched_text`` (character offsets)."""

    uri: str
    label: str  # the skill's preferred label
    start: int
    end: int
    matched_text: str
    matched_label: str  # the label of the skill that matched (may be an alternative or hidden one)
    method: Method
    confidence: float  # 0..1, higher is more confident; one scale across methods


@dataclass(frozen=True, slots=True)
class DocumentSkill:
    """One skill of a document's skill set: how often it was mentioned and the best confidence."""

    uri: str
    label: str
    count: int
    confidence: float
    methods: tuple[Method, ...]


@dataclass(frozen=True, slots=True)
class DocumentExtraction:
    """Everything found in one document, mentions in text order and skills by confidence."""

    doc_id: str
    mentions: tuple[SkillMention, ...]
    skills: tuple[DocumentSkill, ...]


def skill_set(mentions: Iterable[SkillMention]) -> tuple[DocumentSkill, ...]:
    """Each skill once, with its count and best confidence, most confident (then most frequent) first."""
    grouped: dict[str, list[SkillMention]] = {}
    for mention in mentions:
        grouped.setdefault(mention.uri, []).append(mention)
    skills = [
        DocumentSkill(uri, found[0].label, 1, found[0].confidence, (found[0].method,))
        if len(found) == 1
        else DocumentSkill(
            uri=uri,
            label=found[0].label,
            count=len(found),
            confidence=max(m.confidence for m in found),
            methods=_methods(found),
        )
        for uri, found in grouped.items()
    ]
    skills.sort(key=lambda s: (-s.confidence, -s.count, s.label))
    return tuple(skills)


_METHOD_ORDER = {method: i for i, method in enumerate(Method)}


def _methods(found: list[SkillMention]) -> tuple[Method, ...]:
    """The methods that found a skill, in ``Method``'s order."""
    first = found[0].method
    if all(m.method is first for m in found):
        return (first,)
    return tuple(sorted({m.method for m in found}, key=_METHOD_ORDER.__getitem__))
