"""Organisations and their members as the API shows them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from microcareer.domain.accounts import Organisation, OrgRole
from microcareer.services.organisations import Member


class OrganisationCreate(BaseModel):
    slug: str = Field(max_length=200, description="3-64 of a-z, 0-9 and hyphens; used in URLs.")
    name: str = Field(max_length=400)


class OrganisationPublic(BaseModel):
    id: int
    slug: str
    name: str
    created_at: datetime

    @classmethod
    def of(cls, organisation: Organisation) -> OrganisationPublic:
        return cls(
            id=organisation.id,
            slug=organisation.slug,
            name=organisation.name,
            created_at=organisation.created_at,
        )


class MemberPublic(BaseModel):
    user_id: int
    email: str
    display_name: str
    role: OrgRole

    @classmethod
    def of(cls, member: Member) -> MemberPublic:
        user = member.user
        return cls(user_id=user.id, email=user.email, display_name=user.display_name, role=member.role)


class MembersPublic(BaseModel):
    items: list[MemberPublic]


class MembershipSet(BaseModel):
    role: OrgRole = Field(OrgRole.MEMBER, description="admin or member.")
