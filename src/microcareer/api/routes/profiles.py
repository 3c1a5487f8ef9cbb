"""/api/v1/profiles: read a profile as its visibility allows, edit your own, hold skills, see the gap.

A profile its caller may not read is 404 (its existence does not leak); a signed-out caller gets 401.
Confidence is computed for today (the platform clock) with ``MICROCAREER_EVIDENCE_HALF_LIFE_DAYS``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import Path, Query, Response, status
from starlette.concurrency import run_in_threadpool

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.gap_analysis import (
    ClosestOccupationPublic,
    ClosestOccupationsPublic,
    GapPublic,
    GapRequest,
    ShapePublic,
)
from microcareer.api.schemas.profiles import AvailabilityUpdate, ProfilePublic, ProfileUpdate, SkillUpdate
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound
from microcareer.services import gap_analysis, pathways, profiles, skill_names, taxonomy

router = PrefixRouter(prefix="/profiles", tags=["profiles"], route_class=OneHopRoute)

SkillParam = Annotated[
    str,
    Path(
        min_length=1,
        max_length=255,
        description="The skill's key (last segment of its URI), its whole URI, or its name (a label, "
        "a tool name such as Docker; a name that fits no one skill is a 404 listing candidates).",
    ),
]


def _view(platform: Platform, actor: Actor, user_id: int, today: date | None = None) -> ProfilePublic:
    view = profiles.get_profile(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        today=platform.clock().date() if today is None else today,
        policy=platform.evidence_policy,
    )
    return ProfilePublic.of(view)


def _skill_uri(platform: Platform, actor: Actor, skill: str, *, retired_ok: bool = False) -> str:
    """The URI of a skill given by URI, key or name (a label, a tool name); with ``retired_ok`` a URI
    the taxonomy dropped is kept."""
    try:
        return skill_names.resolve_skill(
            platform.uow(), platform.caches, platform.lexicons, actor=actor, text=skill
        ).skill.uri
    except NotFound:
        if retired_ok and "/" in skill:
            return skill
        raise


def _require_signed_in(actor: Actor) -> int | None:
    """Refuse a signed-out caller before looking anything up (401, not a 404 about the skill)."""
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in first: send a bearer token or the session cookie")
    return actor.user_id


@router.get("/me", response_model=ProfilePublic, summary="The signed-in user's profile")
async def my_profile(platform: PlatformDep, actor: ActorDep) -> ProfilePublic | Response:
    user_id = _require_signed_in(actor)
    if user_id is None:
        raise NotFound("the local operator has no profile of its own")
    recent = platform.recent_reads
    if not recent.enabled:
        return await run_in_threadpool(_view, platform, actor, user_id)
    # The answer as sent, remembered for this actor as a whole (whom it acts for, their roles and
    # memberships) and today (RecentReads' rules: it lapses at any commit through this process and after
    # its seconds), is given back on the event loop; the store is read in the thread pool only when it
    # is not (issue 17: a third of the reads mix).
    today = platform.clock().date()
    memberships = frozenset(actor.memberships.items())
    key = ("api my profile", user_id, actor.roles, memberships, actor.is_system, today)

    async def read() -> str:
        answer = await run_in_threadpool(_view, platform, actor, user_id, today)
        return answer.model_dump_json(by_alias=True)

    return Response(content=await recent.read_async(key, read), media_type="application/json")


@router.get("/{user_id}", response_model=ProfilePublic, summary="A profile, as its visibility allows")
def get_profile(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> ProfilePublic:
    """Public profiles: anyone signed in; organisation: fellow members; private: the person and admins."""
    return _view(platform, actor, user_id)


@router.put("/{user_id}", response_model=ProfilePublic, summary="Replace a profile and its experiences")
def put_profile(user_id: RowId, body: ProfileUpdate, platform: PlatformDep, actor: ActorDep) -> ProfilePublic:
    """Every field and every experience is replaced; skills held (with evidence) are kept."""
    profiles.save_profile(
        platform.uow(), actor=actor, user_id=user_id, profile=body.to_profile(), now=platform.clock()
    )
    return _view(platform, actor, user_id)


@router.patch(
    "/{user_id}/availability", response_model=ProfilePublic, summary="Show or hide a profile in searches"
)
def patch_availability(
    user_id: RowId, body: AvailabilityUpdate, platform: PlatformDep, actor: ActorDep
) -> ProfilePublic:
    """Change only ``available`` and ``hours_per_week``, leaving the rest as it is (a profile never
    written stays private until the person writes it)."""
    current = profiles.get_profile(
        platform.uow(), actor=actor, user_id=user_id, today=platform.clock().date()
    )
    updated = replace(current.profile, available=body.available, hours_per_week=body.hours_per_week)
    profiles.save_profile(platform.uow(), actor=actor, user_id=user_id, profile=updated, now=platform.clock())
    return _view(platform, actor, user_id)


@router.put(
    "/{user_id}/skills/{skill:path}", response_model=ProfilePublic, summary="Put a skill on a profile"
)
def put_skill(
    user_id: RowId, skill: SkillParam, body: SkillUpdate, platform: PlatformDep, actor: ActorDep
) -> ProfilePublic:
    """Set the level (1-5) and add evidence: a self-claim, or a skill confirmed from the person's CV."""
    _require_signed_in(actor)
    now = platform.clock()
    profiles.set_skill(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        uri=_skill_uri(platform, actor, skill),
        proficiency=body.proficiency,
        evidence=body.to_evidence(now.date()),
        now=now,
    )
    return _view(platform, actor, user_id)


@router.delete(
    "/{user_id}/skills/{skill:path}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Take a skill off a profile",
)
def delete_skill(user_id: RowId, skill: SkillParam, platform: PlatformDep, actor: ActorDep) -> Response:
    _require_signed_in(actor)
    uri = _skill_uri(platform, actor, skill, retired_ok=True)
    profiles.remove_skill(platform.uow(), actor=actor, user_id=user_id, uri=uri)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{user_id}/gap", response_model=GapPublic, summary="The gap from a profile to an occupation or a job"
)
def gap_to_occupation(
    user_id: RowId,
    platform: PlatformDep,
    actor: ActorDep,
    occupation: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=255,
            description="The occupation's URI, key or label; `matched` says which label matched.",
        ),
    ] = None,
    job: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="A micro-job's id, instead of an occupation.")
    ] = None,
) -> GapPublic:
    """Each skill of the occupation (or of a micro-job you may see): covered, partly covered (the path
    shown) or missing.

    Essential skills (a job's required ones) weigh double; the fit comes with its breakdown."""
    if (occupation is None) == (job is None):
        raise InvalidInput("give either occupation or job, not both or neither", field="occupation")
    if job is not None:
        report = gap_analysis.gap_to_job(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=actor,
            user_id=user_id,
            job_id=job,
            today=platform.clock().date(),
            policy=platform.evidence_policy,
        )
        return GapPublic.of(report)
    assert occupation is not None
    matched = taxonomy.match_occupation(
        platform.uow(), taxonomy.label_index_cache(platform.caches), actor=actor, text=occupation
    )
    report = gap_analysis.gap_to_occupation(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        user_id=user_id,
        occupation=matched.detail.occupation.uri,
        today=platform.clock().date(),
        policy=platform.evidence_policy,
    )
    return GapPublic.of(report, matched)


@router.post("/{user_id}/gap", response_model=GapPublic, summary="The gap from a profile to a list of skills")
def gap_to_skills(user_id: RowId, body: GapRequest, platform: PlatformDep, actor: ActorDep) -> GapPublic:
    strangers = sorted(set(body.optional) - set(body.skills))
    if strangers:
        raise InvalidInput(f"optional: {strangers[0]!r} is not one of skills", field="optional")
    optional = set(body.optional)
    report = gap_analysis.gap_to_skills(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        user_id=user_id,
        skills=body.skills,
        label=body.label,
        essential=[uri not in optional for uri in body.skills],
        today=platform.clock().date(),
        policy=platform.evidence_policy,
    )
    return GapPublic.of(report)


@router.get(
    "/{user_id}/closest-occupations",
    response_model=ClosestOccupationsPublic,
    summary="The occupations a profile is closest to",
)
def closest_occupations(
    user_id: RowId,
    platform: PlatformDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=200, description="How many occupations.")] = 20,
) -> ClosestOccupationsPublic:
    """Every occupation with a skill list, ranked by fit; those without one cannot be ranked."""
    found = gap_analysis.closest_occupations(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        user_id=user_id,
        today=platform.clock().date(),
        limit=limit,
        policy=platform.evidence_policy,
    )
    return ClosestOccupationsPublic(items=[ClosestOccupationPublic.of(c) for c in found])


@router.get("/{user_id}/shape", response_model=ShapePublic, summary="The shape of a career")
def shape(
    user_id: RowId,
    platform: PlatformDep,
    actor: ActorDep,
    plan: Annotated[
        int | None, Query(ge=1, lt=2**31, description="A saved plan to show the effect of.")
    ] = None,
) -> ShapePublic:
    """Depth versus breadth (T-shape) over the skill hierarchy, skills whose evidence is going stale, and
    (for the person and platform admins) the shape once a saved plan's remaining steps are done."""
    found = pathways.shape_with_plan(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        user_id=user_id,
        today=platform.clock().date(),
        plan_id=plan,
        policy=platform.evidence_policy,
    )
    return ShapePublic.of(found.report, found.plan)
