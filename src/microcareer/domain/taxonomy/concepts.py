"""Concepts of the skills graph as ESCO defines them, plus an organisation's own skills.

These are what an import carries (``TaxonomyBundle``) and what look-ups return (``SkillDetail``,
``OccupationDetail``). URIs are the identity everywhere else in microcareer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ConceptType(StrEnum):
    SKILL = "KnowledgeSkillCompetence"
    SKILL_GROUP = "SkillGroup"


class SkillType(StrEnum):
    SKILL = "skill/competence"
    KNOWLEDGE = "knowledge"


class RelationType(StrEnum):
    ESSENTIAL = "essential"
    OPTIONAL = "optional"


class OrgLinkRelation(StrEnum):
    """How an organisation's skill hangs on the graph: narrower than its target, or related to it."""

    NARROWER = "narrower"
    RELATED = "related"


@dataclass(frozen=True, slots=True)
class Skill:
    """A concept of the skill pillar (skill/competence, knowledge, or a skill group)."""

    uri: str
    preferred_label: str
    concept_type: ConceptType = ConceptType.SKILL
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    skill_type: str | None = None
    reuse_level: str | None = None
    code: str | None = None
    status: str | None = None
    description: str = ""
    definition: str = ""
    scope_note: str = ""
    collections: tuple[str, ...] = ()
    organisation_id: int | None = None


@dataclass(frozen=True, slots=True)
class IscoGroup:
    uri: str
    code: str
    preferred_label: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Occupation:
    uri: str
    preferred_label: str
    code: str | None = None
    isco_group: str | None = None
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    status: str | None = None
    description: str = ""
    definition: str = ""
    scope_note: str = ""
    regulated_profession_note: str = ""


@dataclass(frozen=True, slots=True)
class Broader:
    """``uri`` is narrower than ``broader_uri``."""

    uri: str
    broader_uri: str


@dataclass(frozen=True, slots=True)
class SkillRelation:
    """``related_uri`` is essential or optional for ``skill_uri``."""

    skill_uri: str
    related_uri: str
    relation_type: RelationType


@dataclass(frozen=True, slots=True)
class OccupationSkill:
    occupation_uri: str
    skill_uri: str
    relation_type: RelationType


@dataclass(frozen=True, slots=True)
class SkippedReferences:
    """Relation rows of one file that were left out because they name a concept no concept file holds."""

    file: str
    count: int
    examples: tuple[str, ...]
    """The first few as ``file:line <uri>``."""


@dataclass(slots=True)
class TaxonomyBundle:
    """A whole taxonomy in one language, as read from ESCO CSV files, ready to replace the stored one."""

    source: str
    version: str
    language: str
    skills: list[Skill] = field(default_factory=list)
    skill_groups: list[Skill] = field(default_factory=list)
    isco_groups: list[IscoGroup] = field(default_factory=list)
    occupations: list[Occupation] = field(default_factory=list)
    skill_broader: list[Broader] = field(default_factory=list)
    occupation_broader: list[Broader] = field(default_factory=list)
    skill_relations: list[SkillRelation] = field(default_factory=list)
    occupation_skills: list[OccupationSkill] = field(default_factory=list)
    skipped: list[SkippedReferences] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TaxonomyCounts:
    skills: int
    skill_groups: int
    labels: int
    occupations: int
    isco_groups: int
    occupation_skills: int
    skill_relations: int
    skill_broader: int
    organisation_skills: int = 0


@dataclass(frozen=True, slots=True)
class TaxonomyInfo:
    source: str | None
    version: str | None
    language: str | None
    imported_at: str | None
    revision: int
    counts: TaxonomyCounts


@dataclass(frozen=True, slots=True)
class SkillRef:
    """A skill as a list item: enough to show and link it."""

    uri: str
    preferred_label: str
    concept_type: ConceptType = ConceptType.SKILL
    skill_type: str | None = None
    organisation_id: int | None = None


@dataclass(frozen=True, slots=True)
class LinkedSkill:
    skill: SkillRef
    relation: str


@dataclass(frozen=True, slots=True)
class SkillDetail:
    skill: Skill
    broader_chain: tuple[tuple[SkillRef, ...], ...]
    narrower: tuple[SkillRef, ...]
    related: tuple[LinkedSkill, ...]
    occupations_essential: int
    occupations_optional: int


@dataclass(frozen=True, slots=True)
class OccupationRef:
    uri: str
    preferred_label: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class OccupationDetail:
    occupation: Occupation
    isco_group: IscoGroup | None
    broader: tuple[OccupationRef, ...]
    essential_skills: tuple[SkillRef, ...]
    optional_skills: tuple[SkillRef, ...]

    @property
    def has_skill_list(self) -> bool:
        return bool(self.essential_skills or self.optional_skills)
