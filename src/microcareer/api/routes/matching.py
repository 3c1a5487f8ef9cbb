"""/api/v1/jobs/{job_id}/candidates and /users/{user_id}/recommendations: matching both ways.

Candidates: whoever may manage the job (poster, its organisation's admins, platform admins); 403 for
someone who only sees the job, 404 for someone who does not. Recommendations: the person and platform
admins (403 otherwise). Saving or dismissing: PUT a mark, DELETE forgets it (204).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response, status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.matching import CandidatesPublic, MarkBody, RecommendationsPublic
from microcareer.errors import NotAuthenticated
from microcareer.services import gap_analysis, matching
from microcareer.services.matching import Mark

router = PrefixRouter(tags=["matching"], route_class=OneHopRoute)
Limit = Annotated[int, Query(ge=1, le=matching.LIMIT_MAX, description="How many (a list).")]


@router.get("/jobs/{job_id}/candidates", response_model=CandidatesPublic, summary="People for a micro-job")
def candidates(
    platform: PlatformDep,
    actor: ActorDep,
    job_id: RowId,
    limit: Limit = 20,
    language: Annotated[
        list[str], Query(max_length=matching.LANGUAGES_MAX, description="Languages the work needs.")
    ] = [],  # noqa: B006 - FastAPI copies query defaults
) -> CandidatesPublic:
    """Available, visible people ranked by the matching model, each with the skills matched, how
    (exact, or via which related skill), what is missing, and the terms that weighed."""
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to see candidates")
    found = matching.people_for_job(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        job_id=job_id,
        today=platform.clock().date(),
        limit=limit,
        languages=language,
        policy=platform.evidence_policy,
        index=platform.candidate_index,
    )
    return CandidatesPublic.of(found)


@router.get(
    "/users/{user_id}/recommendations",
    response_model=RecommendationsPublic,
    summary="Micro-jobs for a person: fit now, stretch, internal",
)
def recommendations(
    platform: PlatformDep, actor: ActorDep, user_id: RowId, limit: Limit = 10
) -> RecommendationsPublic:
    found = matching.jobs_for_person(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        user_id=user_id,
        today=platform.clock().date(),
        limit=limit,
        policy=platform.evidence_policy,
        index=platform.job_index,
    )
    return RecommendationsPublic.of(found)


@router.put(
    "/users/{user_id}/recommendations/{job_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Save or dismiss a recommended job",
)
def mark(platform: PlatformDep, actor: ActorDep, user_id: RowId, job_id: RowId, body: MarkBody) -> Response:
    matching.mark_job(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        job_id=job_id,
        mark=Mark(body.mark),
        now=platform.clock(),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/users/{user_id}/recommendations/{job_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Forget a saved or dismissed mark",
)
def unmark(platform: PlatformDep, actor: ActorDep, user_id: RowId, job_id: RowId) -> Response:
    matching.mark_job(
        platform.uow(), actor=actor, user_id=user_id, job_id=job_id, mark=None, now=platform.clock()
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
