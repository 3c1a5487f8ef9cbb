"""/api/v1/organisations/{slug}/skills and /gap: for an organisation's admins; outsiders get 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.org_skills import OrganisationGapPublic, SkillsInventoryPublic
from microcareer.services import gap_analysis, org_skills, taxonomy

router = PrefixRouter(prefix="/organisations", tags=["organisations"], route_class=OneHopRoute)

RoleParam = Annotated[
    list[str],
    Query(
        min_length=1,
        max_length=org_skills.MAX_ROLES,
        description="Target roles: ESCO occupation URIs, keys or exact labels (repeat the parameter).",
    ),
]


@router.get(
    "/{slug}/skills",
    response_model=SkillsInventoryPublic,
    summary="The skills inventory of an organisation's members",
)
def skills_inventory(slug: str, platform: PlatformDep, actor: ActorDep) -> SkillsInventoryPublic:
    """Members whose profile you may not read (private) are left out, and counted as such."""
    inventory = org_skills.skills_inventory(
        platform.uow(), actor=actor, slug=slug, today=platform.clock().date(), policy=platform.evidence_policy
    )
    return SkillsInventoryPublic.of(inventory)


@router.get(
    "/{slug}/gap",
    response_model=OrganisationGapPublic,
    summary="Who could grow into what: members ranked by fit to target roles",
)
def organisation_gap(
    slug: str, role: RoleParam, platform: PlatformDep, actor: ActorDep
) -> OrganisationGapPublic:
    result = org_skills.organisation_gap(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        taxonomy.label_index_cache(platform.caches),
        actor=actor,
        slug=slug,
        roles=role,
        today=platform.clock().date(),
        policy=platform.evidence_policy,
    )
    return OrganisationGapPublic.of(result)
