"""Occupations as the API shows them: search hits, and an occupation with its skills."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from microcareer.api.schemas.skills import SkillRefPublic
from microcareer.domain.taxonomy.concepts import IscoGroup, Occupation, OccupationDetail, OccupationRef
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.services.taxonomy import SearchHit


class OccupationRefPublic(BaseModel):
    uri: str
    key: str = Field(description="The last segment of the URI; `GET /occupations/{key}` finds it.")
    preferred_label: str
    code: str | None

    @classmethod
    def of(cls, ref: OccupationRef) -> OccupationRefPublic:
        return cls(uri=ref.uri, key=concept_key(ref.uri), preferred_label=ref.preferred_label, code=ref.code)


class OccupationHitPublic(BaseModel):
    occupation: OccupationRefPublic
    matched_label: str
    match_kind: Literal["exact", "prefix", "words", "fuzzy"]
    label_kind: str
    score: float

    @classmethod
    def of(cls, hit: SearchHit[OccupationRef]) -> OccupationHitPublic:
        return cls(
            occupation=OccupationRefPublic.of(hit.concept),
            matched_label=hit.matched_label,
            match_kind=hit.match_kind.value,
            label_kind=hit.label_kind,
            score=hit.score,
        )


class IscoGroupPublic(BaseModel):
    uri: str
    code: str
    preferred_label: str

    @classmethod
    def of(cls, group: IscoGroup) -> IscoGroupPublic:
        return cls(uri=group.uri, code=group.code, preferred_label=group.preferred_label)


class OccupationPublic(BaseModel):
    uri: str
    key: str
    preferred_label: str
    code: str | None
    isco_group: str | None
    alt_labels: list[str]
    description: str
    definition: str
    regulated_profession_note: str

    @classmethod
    def of(cls, occupation: Occupation) -> OccupationPublic:
        return cls(
            uri=occupation.uri,
            key=concept_key(occupation.uri),
            preferred_label=occupation.preferred_label,
            code=occupation.code,
            isco_group=occupation.isco_group,
            alt_labels=list(occupation.alt_labels),
            description=occupation.description,
            definition=occupation.definition,
            regulated_profession_note=occupation.regulated_profession_note,
        )


class OccupationDetailPublic(BaseModel):
    occupation: OccupationPublic
    isco_group: IscoGroupPublic | None
    broader: list[OccupationRefPublic]
    has_skill_list: bool = Field(description="False where ESCO lists no skills for this occupation.")
    essential_skills: list[SkillRefPublic]
    optional_skills: list[SkillRefPublic]

    @classmethod
    def of(cls, detail: OccupationDetail) -> OccupationDetailPublic:
        return cls(
            occupation=OccupationPublic.of(detail.occupation),
            isco_group=IscoGroupPublic.of(detail.isco_group) if detail.isco_group else None,
            broader=[OccupationRefPublic.of(ref) for ref in detail.broader],
            has_skill_list=detail.has_skill_list,
            essential_skills=[SkillRefPublic.of(ref) for ref in detail.essential_skills],
            optional_skills=[SkillRefPublic.of(ref) for ref in detail.optional_skills],
        )
