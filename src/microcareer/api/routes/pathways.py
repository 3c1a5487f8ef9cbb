"""/api/v1/users/{user_id}/plans, /api/v1/plans/{id} and /api/v1/pathway-catalogue: learning pathways.

Only the person and platform admins make, read, re-plan and delete a person's plans; anyone else
signed in asking for a plan by id gets 404. Importing the catalogue is for platform admins; a file
with bad rows is a 422 problem listing each row (``rows``: line, column, message) and imports nothing.
"""

from __future__ import annotations

from fastapi import status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.pathways import (
    CatalogueBody,
    CatalogueImported,
    PlanBody,
    PlanPublic,
    ProgressBody,
)
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services import gap_analysis, pathway_catalogue, pathways, skill_names, taxonomy

router = PrefixRouter(tags=["pathways"], route_class=OneHopRoute)


def resolved_target(platform: Platform, actor: Actor, kind: str, target: str) -> str:
    """An occupation's label or key → its URI; skill names → their URIs; a job's id as it is."""
    if kind == "occupation":
        cache = taxonomy.label_index_cache(platform.caches)
        return taxonomy.match_occupation(
            platform.uow(), cache, actor=actor, text=target
        ).detail.occupation.uri
    if kind == "skills":
        names = [name.strip() for name in target.split(",") if name.strip()]
        return ",".join(
            skill_names.resolve_skill(
                platform.uow(), platform.caches, platform.lexicons, actor=actor, text=name
            ).skill.uri
            for name in names[: gap_analysis.MAX_TARGET_SKILLS + 1]
        )
    return target


@router.post(
    "/users/{user_id}/plans",
    response_model=PlanPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Make and save a learning pathway",
)
def create_plan(user_id: RowId, body: PlanBody, platform: PlatformDep, actor: ActorDep) -> PlanPublic:
    """Steps (microcredentials, courses, assessments, micro-jobs) that close the gap to the target,
    ordered by their prerequisites within the hours a week, the budget and the mode."""
    pathways.authorize_owner(actor, user_id)
    stored = pathways.create_plan(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        user_id=user_id,
        target_kind=body.target_kind,
        target=resolved_target(platform, actor, body.target_kind, body.target),
        options=body.to_options(),
        now=platform.clock(),
        policy=platform.evidence_policy,
    )
    return PlanPublic.of(stored)


@router.get("/users/{user_id}/plans", response_model=list[PlanPublic], summary="A person's saved plans")
def list_plans(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[PlanPublic]:
    return [PlanPublic.of(p) for p in pathways.list_plans(platform.uow(), actor=actor, user_id=user_id)]


@router.get("/plans/{plan_id}", response_model=PlanPublic, summary="One saved plan")
def get_plan(plan_id: RowId, platform: PlatformDep, actor: ActorDep) -> PlanPublic:
    return PlanPublic.of(pathways.get_plan(platform.uow(), actor=actor, plan_id=plan_id))


@router.post("/plans/{plan_id}/progress", response_model=PlanPublic, summary="Mark steps done and re-plan")
def record_progress(plan_id: RowId, body: ProgressBody, platform: PlatformDep, actor: ActorDep) -> PlanPublic:
    """Steps named done, and those the person's credentials and completed contracts show, are kept as
    done; the rest is planned again from the gap as it is now."""
    stored = pathways.record_progress(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        plan_id=plan_id,
        done=body.done,
        now=platform.clock(),
        policy=platform.evidence_policy,
    )
    return PlanPublic.of(stored)


@router.delete("/plans/{plan_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a saved plan")
def delete_plan(plan_id: RowId, platform: PlatformDep, actor: ActorDep) -> None:
    pathways.delete_plan(platform.uow(), actor=actor, plan_id=plan_id)


@router.post(
    "/pathway-catalogue",
    response_model=CatalogueImported,
    summary="Import outside steps into the pathway catalogue (platform admins)",
)
def import_catalogue(body: CatalogueBody, platform: PlatformDep, actor: ActorDep) -> CatalogueImported:
    result = pathway_catalogue.import_catalogue(
        platform.uow(),
        platform.caches,
        platform.lexicons,
        actor=actor,
        text=body.text,
        source=body.source,
        now=platform.clock(),
        currency=body.currency,
    )
    return CatalogueImported(added=result.added, replaced=result.replaced)
