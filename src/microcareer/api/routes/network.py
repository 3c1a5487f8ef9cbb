"""/api/v1/users/{user_id}/connections, /blocks, /network-settings, /connection-proposals,
/introductions and /referrals; /api/v1/jobs/{job_id}/referrals.

Everything under a user acts for that person (themselves, or a platform admin): others get 403, a
signed-out caller 401. A person's connections are read as their setting allows (404 otherwise). A
request to someone blocked, or to no one, is the same 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response, status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.network import (
    BlockBody,
    ConnectionPublic,
    ConnectionRequest,
    IntroductionPublic,
    NetworkSettingsBody,
    PersonRef,
    ProposalPublic,
    ReferralBody,
    ReferralPublic,
)
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services import connections, introductions, referrals, skill_names
from microcareer.services.access import Action, Resource, authorize

router = PrefixRouter(tags=["network"], route_class=OneHopRoute)

SkillQuery = Annotated[str, Query(min_length=1, max_length=500, description="A skill's URI, key or name.")]


def skill_uri(platform: Platform, actor: Actor, text: str) -> str:
    return skill_names.resolve_skill(
        platform.uow(), platform.caches, platform.lexicons, actor=actor, text=text
    ).skill.uri


def _view(platform: Platform, actor: Actor, user_id: int, connection_id: int) -> ConnectionPublic:
    for view in connections.connections(platform.uow(), actor=actor, user_id=user_id):
        if view.id == connection_id:
            return ConnectionPublic.of(view)
    raise AssertionError("a connection just made is listed")  # pragma: no cover


@router.get(
    "/users/{user_id}/connections", response_model=list[ConnectionPublic], summary="A person's connections"
)
def list_connections(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[ConnectionPublic]:
    """With how the two know each other; the person also sees pending requests, both ways."""
    return [
        ConnectionPublic.of(v) for v in connections.connections(platform.uow(), actor=actor, user_id=user_id)
    ]


@router.post(
    "/users/{user_id}/connections",
    response_model=ConnectionPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Ask someone to connect",
)
def request_connection(
    user_id: RowId, body: ConnectionRequest, platform: PlatformDep, actor: ActorDep
) -> ConnectionPublic:
    """A request they had sent you already is accepted instead."""
    made = connections.request(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        other_id=body.user_id,
        message=body.message,
        now=platform.clock(),
    )
    return _view(platform, actor, user_id, made.id)


@router.post(
    "/users/{user_id}/connections/{connection_id}/accept",
    response_model=ConnectionPublic,
    summary="Accept a connection request",
)
def accept_connection(
    user_id: RowId, connection_id: RowId, platform: PlatformDep, actor: ActorDep
) -> ConnectionPublic:
    connections.accept(
        platform.uow(), actor=actor, user_id=user_id, connection_id=connection_id, now=platform.clock()
    )
    return _view(platform, actor, user_id, connection_id)


@router.post(
    "/users/{user_id}/connections/{connection_id}/decline",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Decline a connection request",
)
def decline_connection(
    user_id: RowId, connection_id: RowId, platform: PlatformDep, actor: ActorDep
) -> Response:
    connections.decline(platform.uow(), actor=actor, user_id=user_id, connection_id=connection_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/users/{user_id}/connections/{other_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End a connection or withdraw a request",
)
def remove_connection(user_id: RowId, other_id: RowId, platform: PlatformDep, actor: ActorDep) -> Response:
    connections.remove(platform.uow(), actor=actor, user_id=user_id, other_id=other_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/users/{user_id}/connection-proposals",
    response_model=list[ProposalPublic],
    summary="People to connect with, from shared work",
)
def list_proposals(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[ProposalPublic]:
    """Same contract, same organisation, same internal gig, a mentorship: each with how you know them."""
    return [ProposalPublic.of(p) for p in connections.proposals(platform.uow(), actor=actor, user_id=user_id)]


@router.get(
    "/users/{user_id}/network-settings",
    response_model=NetworkSettingsBody,
    summary="Who sees your connections",
)
def get_settings(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> NetworkSettingsBody:
    return NetworkSettingsBody(
        connections_visibility=connections.visibility(platform.uow(), actor=actor, user_id=user_id)
    )


@router.put(
    "/users/{user_id}/network-settings",
    response_model=NetworkSettingsBody,
    summary="Choose who sees your connections",
)
def put_settings(
    user_id: RowId, body: NetworkSettingsBody, platform: PlatformDep, actor: ActorDep
) -> NetworkSettingsBody:
    value = connections.set_visibility(
        platform.uow(), actor=actor, user_id=user_id, value=body.connections_visibility
    )
    return NetworkSettingsBody(connections_visibility=value)


@router.get("/users/{user_id}/blocks", response_model=list[PersonRef], summary="People you blocked")
def list_blocks(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[PersonRef]:
    return [
        PersonRef(user_id=u, name=n)
        for u, n in connections.blocked(platform.uow(), actor=actor, user_id=user_id)
    ]


@router.post("/users/{user_id}/blocks", status_code=status.HTTP_204_NO_CONTENT, summary="Block someone")
def block(user_id: RowId, body: BlockBody, platform: PlatformDep, actor: ActorDep) -> Response:
    """Ends your connection; neither can ask the other, see the other's connections, or be proposed."""
    connections.block(
        platform.uow(), actor=actor, user_id=user_id, other_id=body.user_id, now=platform.clock()
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/users/{user_id}/blocks/{other_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Unblock someone"
)
def unblock(user_id: RowId, other_id: RowId, platform: PlatformDep, actor: ActorDep) -> Response:
    connections.unblock(platform.uow(), actor=actor, user_id=user_id, other_id=other_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/users/{user_id}/introductions",
    response_model=list[IntroductionPublic],
    summary="Who in your network has a skill, or can introduce you to someone who does",
)
def who_can_introduce(
    user_id: RowId, skill: SkillQuery, platform: PlatformDep, actor: ActorDep
) -> list[IntroductionPublic]:
    """Up to two hops, ranked by evidence x closeness, each explained."""
    authorize(actor, Action.NETWORK_MANAGE, Resource(owner_user_id=user_id))  # 401/403 before the skill
    paths = introductions.who_can_introduce(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        skill=skill_uri(platform, actor, skill),
        today=platform.clock().date(),
        policy=platform.evidence_policy,
    )
    return [IntroductionPublic.of(p) for p in paths]


@router.post(
    "/users/{user_id}/referrals",
    response_model=ReferralPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Recommend one of your connections for a micro-job",
)
def refer(user_id: RowId, body: ReferralBody, platform: PlatformDep, actor: ActorDep) -> ReferralPublic:
    made = referrals.refer(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        job_id=body.job_id,
        candidate_id=body.candidate_id,
        note=body.note,
        now=platform.clock(),
    )
    return ReferralPublic.of(made)


@router.get(
    "/users/{user_id}/referrals",
    response_model=list[ReferralPublic],
    summary="Your referrals and how they went",
)
def my_referrals(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[ReferralPublic]:
    return [ReferralPublic.of(v) for v in referrals.made_by(platform.uow(), actor=actor, user_id=user_id)]


@router.get(
    "/jobs/{job_id}/referrals", response_model=list[ReferralPublic], summary="Who referred whom for a job"
)
def job_referrals(job_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[ReferralPublic]:
    """For the job's poster, its organisation's admins and platform admins (404 to others)."""
    return [ReferralPublic.of(v) for v in referrals.for_job(platform.uow(), actor=actor, job_id=job_id)]
