"""Who acts: users, their platform roles, organisation memberships, and the ``Actor`` of a request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """Platform-wide roles; a user may hold several."""

    PROFESSIONAL = "professional"
    CLIENT = "client"
    ISSUER = "issuer"
    PLATFORM_ADMIN = "platform_admin"


class OrgRole(StrEnum):
    """A user's role inside one organisation."""

    ADMIN = "admin"
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    display_name: str
    roles: frozenset[Role]
    is_active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Organisation:
    id: int
    slug: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Actor:
    """Whoever a service call acts for. Anonymous has no user; the system actor is the local operator."""

    user_id: int | None
    roles: frozenset[Role] = frozenset()
    memberships: Mapping[int, OrgRole] = field(default_factory=dict)
    is_system: bool = False

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(user_id=None)

    @classmethod
    def system(cls) -> Actor:
        """The operator at the machine (CLI): may do what a platform admin may."""
        return cls(user_id=None, roles=frozenset({Role.PLATFORM_ADMIN}), is_system=True)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.is_system

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def org_role(self, organisation_id: int) -> OrgRole | None:
        return self.memberships.get(organisation_id)

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(self.memberships)
