"""Resolve what a person calls a skill ("Docker", "python", a key or a URI) to the skill it names.

Every interface that takes a skill's name goes through here (``domain/extraction/skill_names``
ranks; this module reads the indexes, checks who may see what, and words the errors), so the
profile, the search, achievements, jobs, the CLI and the API agree with extraction on what a name
means.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from microcareer.domain.accounts import Actor
from microcareer.domain.extraction.lexicon import Lexicon
from microcareer.domain.extraction.skill_names import NameMatch, NameResolution, SkillCandidate, resolve_name
from microcareer.domain.taxonomy.concepts import SkillDetail, SkillRef
from microcareer.errors import NotFound, NotReady
from microcareer.services.access import Action, authorize, visible_organisations
from microcareer.services.extraction import extractor_cache
from microcareer.services.ports import LexiconStore, UnitOfWork
from microcareer.services.taxonomy import get_skill
from microcareer.services.taxonomy_search import IndexKind, check_query, label_index_cache

MAX_CANDIDATES = 50


@dataclass(frozen=True, slots=True)
class NamedSkill:
    """A candidate with the skill as a list shows it."""

    skill: SkillRef
    label: str
    match: NameMatch
    why: str

    @property
    def names_the_skill(self) -> bool:
        return self.match.names_the_skill


@dataclass(frozen=True, slots=True)
class SkillNameResult:
    """The name as read, its candidates best first, and the skill it names when there is one."""

    name: str
    candidates: tuple[NamedSkill, ...]
    chosen: NamedSkill | None


class UnknownSkillName(NotFound):
    """No one skill has this name: ``candidates`` are the suggestions (also in the API's problem)."""

    def __init__(self, detail: str, candidates: tuple[NamedSkill, ...], **extra: Any) -> None:
        super().__init__(detail, candidates=[_public(c) for c in candidates], **extra)
        self.candidates = candidates


def _public(candidate: NamedSkill) -> dict[str, str]:
    return {"uri": candidate.skill.uri, "label": candidate.skill.preferred_label, "why": candidate.why}


def extraction_lexicon(
    uow: UnitOfWork, caches: MutableMapping[str, object], lexicons: LexiconStore | None
) -> Lexicon | None:
    """The extraction lexicon (tool names, folded label keys); None while the taxonomy is empty."""
    try:
        return extractor_cache(caches).get(uow, lexicons).lexicon
    except NotReady:
        return None


def suggest_skills(
    uow: UnitOfWork,
    caches: MutableMapping[str, object],
    lexicons: LexiconStore | None,
    *,
    actor: Actor,
    name: str,
    limit: int = 10,
) -> SkillNameResult:
    """The skills ``name`` may stand for, best first, each with why; ``chosen`` when one is named."""
    authorize(actor, Action.TAXONOMY_READ)
    text = check_query(name, min(limit, MAX_CANDIDATES), 0)
    visible = visible_organisations(actor)
    lexicon = extraction_lexicon(uow, caches, lexicons)
    with uow:
        labels = label_index_cache(caches).get(IndexKind.SKILLS, uow.taxonomy)
        resolution = resolve_name(text, labels=labels, lexicon=lexicon, visible_orgs=visible, limit=limit)
        refs = uow.taxonomy.skill_refs([c.uri for c in resolution.candidates])
    return _with_refs(resolution, refs)


def named_not_by_label(found: SkillNameResult) -> tuple[NamedSkill, ...]:
    """The skills a name names other than by one of their labels (a tool name, a plural, a label
    without its verb): what a label search misses and extraction finds. Search pages show them first."""
    return tuple(c for c in found.candidates if c.names_the_skill and c.match >= NameMatch.SAME_WORDS)


def _with_refs(resolution: NameResolution, refs: dict[str, SkillRef]) -> SkillNameResult:
    def named(candidate: SkillCandidate) -> NamedSkill:
        return NamedSkill(refs[candidate.uri], candidate.label, candidate.match, candidate.why)

    candidates = tuple(named(c) for c in resolution.candidates if c.uri in refs)
    chosen = resolution.chosen
    return SkillNameResult(
        resolution.name, candidates, named(chosen) if chosen is not None and chosen.uri in refs else None
    )


def resolve_skill(
    uow: UnitOfWork,
    caches: MutableMapping[str, object],
    lexicons: LexiconStore | None,
    *,
    actor: Actor,
    text: str,
) -> SkillDetail:
    """The skill ``text`` names: its URI, its key, or a name (a label, a tool name, ...).

    ``UnknownSkillName`` (404) when no one skill has the name: it says "no skill named ..." or which
    skills share it, and carries the suggestions.
    """
    wanted = " ".join(text.split())
    try:
        return get_skill(uow, actor=actor, uri_or_key=wanted)
    except NotFound:
        if not wanted or "://" in wanted:  # a URI is no name: it is a skill or nothing
            raise
    found = suggest_skills(uow, caches, lexicons, actor=actor, name=wanted)
    if found.chosen is not None:
        return get_skill(uow, actor=actor, uri_or_key=found.chosen.skill.uri)
    raise unknown_name(found)


def unknown_name(found: SkillNameResult) -> UnknownSkillName:
    """The error for a name that names no one skill, with its candidates."""
    tied = [c for c in found.candidates if c.names_the_skill and c.match is found.candidates[0].match]
    if len(tied) > 1:
        names = "; ".join(f"{c.skill.preferred_label} ({c.why})" for c in tied[:5])
        return UnknownSkillName(
            f"{found.name!r} names {len(tied)} skills: {names}: choose one (or give its URI or key)",
            tuple(tied),
        )
    closest = ", ".join(repr(c.skill.preferred_label) for c in found.candidates[:5])
    hint = f"; did you mean {closest}?" if closest else ""
    return UnknownSkillName(f"no skill named {found.name!r}{hint}", found.candidates)
