"""Organisations and their members; outsiders cannot see an organisation's people (404)."""

from __future__ import annotations

from fastapi import Response, status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.organisations import (
    MemberPublic,
    MembershipSet,
    MembersPublic,
    OrganisationCreate,
    OrganisationPublic,
)
from microcareer.services import organisations

router = PrefixRouter(prefix="/organisations", tags=["organisations"], route_class=OneHopRoute)


@router.post(
    "",
    response_model=OrganisationPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create an organisation (you become its admin)",
)
def create_organisation(
    body: OrganisationCreate, platform: PlatformDep, actor: ActorDep
) -> OrganisationPublic:
    organisation = organisations.create_organisation(
        platform.uow(), actor=actor, slug=body.slug, name=body.name, clock=platform.clock
    )
    return OrganisationPublic.of(organisation)


@router.get("/{slug}", response_model=OrganisationPublic, summary="One organisation (its members)")
def get_organisation(slug: str, platform: PlatformDep, actor: ActorDep) -> OrganisationPublic:
    return OrganisationPublic.of(organisations.get_organisation(platform.uow(), actor=actor, slug=slug))


@router.get("/{slug}/members", response_model=MembersPublic, summary="An organisation's members")
def list_members(slug: str, platform: PlatformDep, actor: ActorDep) -> MembersPublic:
    members = organisations.list_members(platform.uow(), actor=actor, slug=slug)
    return MembersPublic(items=[MemberPublic.of(m) for m in members])


@router.put(
    "/{slug}/members/{user_id}", response_model=MemberPublic, summary="Add a member or change their role"
)
def set_member(
    slug: str, user_id: RowId, body: MembershipSet, platform: PlatformDep, actor: ActorDep
) -> MemberPublic:
    member = organisations.add_member(
        platform.uow(), actor=actor, slug=slug, user_id=user_id, role=body.role, clock=platform.clock
    )
    return MemberPublic.of(member)


@router.delete("/{slug}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a member")
def remove_member(slug: str, user_id: RowId, platform: PlatformDep, actor: ActorDep) -> Response:
    organisations.remove_member(platform.uow(), actor=actor, slug=slug, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
