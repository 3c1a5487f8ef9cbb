"""What a CV import proposes before anything is saved: experiences and skills, as plain JSON-ready data.

A proposal goes to the person (a CLI table, an API response, a web form) and comes back with what they
accepted. What comes back is read again from scratch by ``CvProposal.from_json``: every field is
checked and every error names its JSON path ("skills[3].proficiency"), because the client may have
changed anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from microcareer.domain.profiles.profile import Experience, ExperienceKind, PartialDate
from microcareer.errors import InvalidInput

MAX_EXPERIENCES = 200
MAX_SKILLS = 1_000
MAX_TEXT = 20_000


@dataclass(frozen=True, slots=True)
class ProposedExperience:
    """An entry of the CV's history; ``ref`` ("e1") is how proposed skills point at it."""

    ref: str
    kind: ExperienceKind
    title: str
    organisation: str = ""
    start: str | None = None
    end: str | None = None
    description: str = ""
    highlights: tuple[str, ...] = ()
    section: str = ""

    def experience(self, skills: tuple[str, ...] = (), *, path: str = "experience") -> Experience:
        """As a profile's experience (with the accepted skills it used); ``InvalidInput`` names ``path``."""
        try:
            return Experience(
                kind=self.kind,
                title=self.title,
                organisation=self.organisation,
                description=self.description,
                start=PartialDate.parse(self.start, field=f"{path}.start"),
                end=PartialDate.parse(self.end, field=f"{path}.end"),
                highlights=self.highlights,
                skills=skills,
            )
        except InvalidInput as exc:
            field = str(exc.extra.get("field", ""))
            if field.startswith(path):
                raise
            raise InvalidInput(f"{path}: {exc}", field=f"{path}.{field}") from None

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "kind": self.kind.value,
            "title": self.title,
            "organisation": self.organisation,
            "start": self.start,
            "end": self.end,
            "description": self.description,
            "highlights": list(self.highlights),
            "section": self.section,
        }


@dataclass(frozen=True, slots=True)
class ProposedSkill:
    """A skill the extractor found: where (which experiences), as what words, and how sure it is."""

    uri: str
    label: str = ""
    proficiency: int | None = None
    """1-5; None: 3 for a new skill, the present level for one already on the profile."""
    experiences: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    confidence: float = 0.0
    last_used: str | None = None
    """ISO date its evidence will carry (the latest experience it appears in, else the import day)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "uri": self.uri,
            "label": self.label,
            "proficiency": self.proficiency,
            "experiences": list(self.experiences),
            "mentions": list(self.mentions),
            "confidence": self.confidence,
            "last_used": self.last_used,
        }


@dataclass(frozen=True, slots=True)
class CvProposal:
    source: str
    experiences: tuple[ProposedExperience, ...]
    skills: tuple[ProposedSkill, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "experiences": [e.to_json() for e in self.experiences],
            "skills": [s.to_json() for s in self.skills],
        }

    @classmethod
    def from_json(cls, data: object) -> CvProposal:
        """Read a proposal sent back by a client, checking every field."""
        root = _object(data, "the proposal")
        experiences = tuple(
            _experience(item, path) for path, item in _items(root, "experiences", MAX_EXPERIENCES)
        )
        refs = [e.ref for e in experiences]
        for index, ref in enumerate(refs):
            if refs.index(ref) != index:
                raise InvalidInput(f"experiences[{index}].ref: {ref!r} is used twice", field="ref")
        skills = tuple(_skill(item, path) for path, item in _items(root, "skills", MAX_SKILLS))
        uris = [s.uri for s in skills]
        for index, uri in enumerate(uris):
            if uris.index(uri) != index:
                raise InvalidInput(
                    f"skills[{index}].uri: {uri} is proposed twice", field=f"skills[{index}].uri"
                )
        return cls(_text(root, "source", "", limit=500), experiences, skills)


def _experience(item: Mapping[str, Any], path: str) -> ProposedExperience:
    kind_text = _text(item, "kind", path)
    try:
        kind = ExperienceKind(kind_text)
    except ValueError:
        known = ", ".join(k.value for k in ExperienceKind)
        raise InvalidInput(
            f"{path}.kind: {kind_text!r} is not one of {known}", field=f"{path}.kind"
        ) from None
    proposed = ProposedExperience(
        ref=_text(item, "ref", path, limit=50),
        kind=kind,
        title=_text(item, "title", path, limit=500),
        organisation=_text(item, "organisation", path, limit=500),
        start=_optional_text(item, "start", path),
        end=_optional_text(item, "end", path),
        description=_text(item, "description", path),
        highlights=tuple(_texts(item, "highlights", path)),
        section=_text(item, "section", path, limit=200),
    )
    if not proposed.ref:
        raise InvalidInput(f"{path}.ref: give the experience a ref", field=f"{path}.ref")
    proposed.experience(path=path)  # dates and the title-or-organisation rule, checked now
    return proposed


def _skill(item: Mapping[str, Any], path: str) -> ProposedSkill:
    uri = _text(item, "uri", path, limit=255)
    if not uri:
        raise InvalidInput(f"{path}.uri: give the skill's URI", field=f"{path}.uri")
    proficiency = item.get("proficiency")
    if proficiency is not None and (
        isinstance(proficiency, bool) or not isinstance(proficiency, int) or not 1 <= proficiency <= 5
    ):
        raise InvalidInput(
            f"{path}.proficiency: {proficiency!r} is not a level from 1 to 5", field=f"{path}.proficiency"
        )
    return ProposedSkill(
        uri=uri,
        label=_text(item, "label", path, limit=500),
        proficiency=proficiency,
        experiences=tuple(_texts(item, "experiences", path)),
        mentions=tuple(_texts(item, "mentions", path)),
    )


def _object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{path}: expected an object, got {type(value).__name__}", field=path)
    return value


def _items(root: Mapping[str, Any], key: str, limit: int) -> list[tuple[str, dict[str, Any]]]:
    value = root.get(key, [])
    if not isinstance(value, list):
        raise InvalidInput(f"{key}: expected a list, got {type(value).__name__}", field=key)
    if len(value) > limit:
        raise InvalidInput(f"{key}: at most {limit:,} items, not {len(value):,}", field=key)
    return [(f"{key}[{i}]", _object(item, f"{key}[{i}]")) for i, item in enumerate(value)]


def _text(item: Mapping[str, Any], key: str, path: str, *, limit: int = MAX_TEXT) -> str:
    where = f"{path}.{key}" if path else key
    value = item.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{where}: expected text, got {type(value).__name__}", field=where)
    if len(value) > limit:
        raise InvalidInput(f"{where}: at most {limit:,} characters", field=where)
    return value.strip()


def _optional_text(item: Mapping[str, Any], key: str, path: str) -> str | None:
    return _text(item, key, path, limit=10) or None


def _texts(item: Mapping[str, Any], key: str, path: str) -> list[str]:
    value = item.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= MAX_TEXT for v in value):
        raise InvalidInput(f"{path}.{key}: expected a list of texts", field=f"{path}.{key}")
    if len(value) > MAX_EXPERIENCES:
        raise InvalidInput(f"{path}.{key}: at most {MAX_EXPERIENCES} items", field=f"{path}.{key}")
    return [v.strip() for v in value]
