"""Skills as the API shows them: search hits, a skill with its neighbourhood, a new organisation skill."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from microcareer.domain.taxonomy.concepts import LinkedSkill, Skill, SkillDetail, SkillRef
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.services.skill_names import NamedSkill, SkillNameResult
from microcareer.services.taxonomy import SearchHit


class SkillRefPublic(BaseModel):
    """A skill as a list item."""

    uri: str
    key: str = Field(description="The last segment of the URI; `GET /skills/{key}` finds the skill.")
    preferred_label: str
    concept_type: str
    skill_type: str | None
    organisation_id: int | None = Field(description="Set for an organisation's own skill.")

    @classmethod
    def of(cls, ref: SkillRef) -> SkillRefPublic:
        return cls(
            uri=ref.uri,
            key=concept_key(ref.uri),
            preferred_label=ref.preferred_label,
            concept_type=ref.concept_type.value,
            skill_type=ref.skill_type,
            organisation_id=ref.organisation_id,
        )


class SkillHitPublic(BaseModel):
    skill: SkillRefPublic
    matched_label: str = Field(description="The label of the skill that matched the query best.")
    match_kind: Literal["exact", "prefix", "words", "fuzzy"]
    label_kind: str = Field(description="preferred, alt or hidden")
    score: float = Field(description="Similarity of the matched label to the query, 0 to 1.")

    @classmethod
    def of(cls, hit: SearchHit[SkillRef]) -> SkillHitPublic:
        return cls(
            skill=SkillRefPublic.of(hit.concept),
            matched_label=hit.matched_label,
            match_kind=hit.match_kind.value,
            label_kind=hit.label_kind,
            score=hit.score,
        )


class NamedSkillPublic(BaseModel):
    skill: SkillRefPublic
    matched_label: str = Field(description="The label or tool name that matched the name.")
    match: str = Field(
        description="How it matched, best first: preferred, alternative, hidden, same_words, tool, "
        "without_verb (these name the skill), then prefix, words, near_spelling."
    )
    why: str = Field(description='For people: "tool name: Docker", "alternative label: Python".')
    names_the_skill: bool

    @classmethod
    def of(cls, named: NamedSkill) -> NamedSkillPublic:
        return cls(
            skill=SkillRefPublic.of(named.skill),
            matched_label=named.label,
            match=named.match.name.lower(),
            why=named.why,
            names_the_skill=named.names_the_skill,
        )


class SkillNamePublic(BaseModel):
    name: str = Field(description="The name as read (spaces collapsed).")
    chosen: NamedSkillPublic | None = Field(
        description="The one skill the name names; null when it names none or several (see candidates)."
    )
    candidates: list[NamedSkillPublic] = Field(description="Every skill the name may stand for, best first.")

    @classmethod
    def of(cls, result: SkillNameResult) -> SkillNamePublic:
        return cls(
            name=result.name,
            chosen=NamedSkillPublic.of(result.chosen) if result.chosen is not None else None,
            candidates=[NamedSkillPublic.of(c) for c in result.candidates],
        )


class LinkedSkillPublic(BaseModel):
    skill: SkillRefPublic
    relation: str = Field(
        description="essential/optional: the linked skill is essential/optional for this one; "
        "essential_for/optional_for: this skill is for the linked one; related: linked by an organisation."
    )

    @classmethod
    def of(cls, linked: LinkedSkill) -> LinkedSkillPublic:
        return cls(skill=SkillRefPublic.of(linked.skill), relation=linked.relation)


class SkillPublic(SkillRefPublic):
    alt_labels: list[str]
    reuse_level: str | None
    description: str
    definition: str
    scope_note: str
    collections: list[str]

    @classmethod
    def of_skill(cls, skill: Skill) -> SkillPublic:
        return cls(
            uri=skill.uri,
            key=concept_key(skill.uri),
            preferred_label=skill.preferred_label,
            concept_type=skill.concept_type.value,
            skill_type=skill.skill_type,
            organisation_id=skill.organisation_id,
            alt_labels=list(skill.alt_labels),
            reuse_level=skill.reuse_level,
            description=skill.description,
            definition=skill.definition,
            scope_note=skill.scope_note,
            collections=list(skill.collections),
        )


class SkillDetailPublic(BaseModel):
    skill: SkillPublic
    broader_chains: list[list[SkillRefPublic]] = Field(
        description="Each chain runs from the top of the skill pillar down to a direct broader concept."
    )
    narrower: list[SkillRefPublic]
    related: list[LinkedSkillPublic]
    occupations_essential: int = Field(description="How many occupations need this skill as essential.")
    occupations_optional: int

    @classmethod
    def of(cls, detail: SkillDetail) -> SkillDetailPublic:
        return cls(
            skill=SkillPublic.of_skill(detail.skill),
            broader_chains=[[SkillRefPublic.of(ref) for ref in chain] for chain in detail.broader_chain],
            narrower=[SkillRefPublic.of(ref) for ref in detail.narrower],
            related=[LinkedSkillPublic.of(linked) for linked in detail.related],
            occupations_essential=detail.occupations_essential,
            occupations_optional=detail.occupations_optional,
        )


class OrgSkillLinkIn(BaseModel):
    uri: str = Field(min_length=1, max_length=255, description="The URI of an existing skill.")
    relation: Literal["narrower", "related"] = Field(
        description="narrower: the new skill is narrower than this one; related: the two are related."
    )


class OrgSkillCreate(BaseModel):
    organisation_id: int
    label: str = Field(min_length=1, max_length=200)
    alt_labels: list[str] = Field(default_factory=list, max_length=50)
    description: str = Field("", max_length=5000)
    links: list[OrgSkillLinkIn] = Field(default_factory=list, max_length=50)
