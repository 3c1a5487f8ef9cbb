"""/api/v1/taxonomy: which ESCO taxonomy is loaded, from where, when, and how much of it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.domain.taxonomy.concepts import TaxonomyInfo
from microcareer.services.taxonomy_import import taxonomy_info

router = PrefixRouter(prefix="/taxonomy", tags=["taxonomy"], route_class=OneHopRoute)


class TaxonomyCountsPublic(BaseModel):
    skills: int
    skill_groups: int
    labels: int = Field(description="Skill labels: preferred, alternative and hidden.")
    occupations: int
    isco_groups: int
    occupation_skills: int = Field(description="Essential and optional occupation-skill relations.")
    skill_relations: int
    skill_broader: int
    organisation_skills: int


class TaxonomyInfoPublic(BaseModel):
    source: str | None = Field(description="Where the loaded taxonomy came from; null when none is loaded.")
    version: str | None = Field(description="The ESCO version, e.g. 1.1.1.")
    language: str | None
    imported_at: str | None = Field(description="When it was loaded (ISO 8601, UTC).")
    revision: int = Field(description="Changes whenever the skills graph does.")
    counts: TaxonomyCountsPublic

    @classmethod
    def of(cls, info: TaxonomyInfo) -> TaxonomyInfoPublic:
        counts = info.counts
        return cls(
            source=info.source,
            version=info.version,
            language=info.language,
            imported_at=info.imported_at,
            revision=info.revision,
            counts=TaxonomyCountsPublic(
                skills=counts.skills,
                skill_groups=counts.skill_groups,
                labels=counts.labels,
                occupations=counts.occupations,
                isco_groups=counts.isco_groups,
                occupation_skills=counts.occupation_skills,
                skill_relations=counts.skill_relations,
                skill_broader=counts.skill_broader,
                organisation_skills=counts.organisation_skills,
            ),
        )


@router.get("", response_model=TaxonomyInfoPublic, summary="Which taxonomy is loaded")
def get_taxonomy(platform: PlatformDep, actor: ActorDep) -> TaxonomyInfoPublic:
    return TaxonomyInfoPublic.of(taxonomy_info(platform.uow(), actor=actor))
