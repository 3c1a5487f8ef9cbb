"""Users, sessions and tokens as the API shows them: never a password hash or a token hash."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, Field, SecretStr

from microcareer.api.schemas.common import Page
from microcareer.domain.access_tokens import ApiToken
from microcareer.domain.accounts import Role, User

# Ids are 32-bit integers in the store; a larger number is no id at all (422, not a database error).
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="A numeric id.")]


class UserCreate(BaseModel):
    email: str = Field(max_length=400, description="Email address; stored lower-case.")
    display_name: str = Field(max_length=400, description="The name others see.")
    password: SecretStr = Field(
        description="At least 10 characters, not the email address, not one of the most common passwords."
    )
    roles: list[Role] = Field(
        default_factory=lambda: [Role.PROFESSIONAL],
        description="Platform roles; sign-up may choose professional and/or client.",
    )


class SignUpAccepted(BaseModel):
    """The answer to every sign-up, whether or not the e-mail had an account (no enumeration)."""

    status: str = Field("accepted", description="Always `accepted`.")
    detail: str = Field(description="What to do next, the same words for every sign-up.")


class UserPublic(BaseModel):
    id: int
    email: str
    display_name: str
    roles: list[Role]
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserPublic:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            roles=sorted(user.roles),
            is_active=user.is_active,
            created_at=user.created_at,
        )


UsersPublic = Page[UserPublic]


class RolesUpdate(BaseModel):
    roles: list[Role] = Field(description="The user's new set of platform roles.")


class SignInUnlock(BaseModel):
    email: str | None = Field(
        None, max_length=400, description="The account (an e-mail, as typed at sign-in) to unlock."
    )
    address: str | None = Field(None, max_length=64, description="A client address (IPv4 or IPv6) to unlock.")


class SignInUnlocked(BaseModel):
    cleared: list[str] = Field(description="What was unlocked, in words.")


class SessionCreate(BaseModel):
    email: str = Field(max_length=400)
    password: SecretStr


class SessionPublic(BaseModel):
    user: UserPublic
    expires_at: datetime | None = None
    csrf_token: str = Field(
        description="Send as the X-CSRF-Token header with unsafe requests authenticated by the cookie."
    )


class TokenCreate(BaseModel):
    name: str = Field(max_length=400, description="What the token is for, to tell it apart later.")
    expires_days: int | None = Field(
        None,
        ge=1,
        le=3650,
        description=(
            "Days until it stops working; left out: the platform's default lifetime "
            "(MICROCAREER_TOKEN_DEFAULT_DAYS, 90 unless set). Every token expires."
        ),
    )


class TokenPublic(BaseModel):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenPublic:
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )


class TokenCreated(TokenPublic):
    token: str = Field(description="The token itself: shown this once, store it now.")


class TokensPublic(BaseModel):
    items: list[TokenPublic]
