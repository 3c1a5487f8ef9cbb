"""Users: sign up (or create, as an admin), who am I, the list of users, roles, and sign-in unlocks."""

from __future__ import annotations

from fastapi import Request, status
from fastapi.responses import JSONResponse

from microcareer.api.client_address import client_address
from microcareer.api.deps import ActorDep, PageDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import (
    RolesUpdate,
    RowId,
    SignInUnlock,
    SignInUnlocked,
    SignUpAccepted,
    UserCreate,
    UserPublic,
    UsersPublic,
)
from microcareer.domain.accounts import Actor
from microcareer.errors import NotAuthenticated
from microcareer.services import sessions, users

router = PrefixRouter(prefix="/users", tags=["users"], route_class=OneHopRoute)


def signed_in_user_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise NotAuthenticated("sign in first: send a bearer token or the session cookie")
    return actor.user_id


@router.post(
    "",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Sign up or create a user",
    responses={
        202: {
            "model": SignUpAccepted,
            "description": "Sign-up received (the same answer whether or not the e-mail had an account).",
        },
        409: {"description": "Platform admins: a user with this e-mail exists already."},
        429: {"description": "Too many sign-ups from this address: see Retry-After."},
    },
)
def create_user(
    body: UserCreate, request: Request, platform: PlatformDep, actor: ActorDep
) -> UserPublic | JSONResponse:
    """Signed out: sign up as a professional and/or client (when the platform allows sign-up); the
    answer is 202 with the same words whether or not the e-mail has an account, which is left as it
    was. Platform admins: create a user with any roles (201 with the user, 409 when the e-mail is
    taken)."""
    if not users.may_create_users(actor):
        outcome = users.sign_up(
            platform.uow(),
            actor=actor,
            email=body.email,
            display_name=body.display_name,
            password=body.password.get_secret_value(),
            roles=body.roles,
            passwords=platform.passwords,
            clock=platform.clock,
            allow_signup=platform.settings.allow_signup,
            client_address=client_address(request, platform.settings),
            policy=platform.settings.sign_in_policy(),
        )
        accepted = SignUpAccepted(detail=outcome.message)
        return JSONResponse(accepted.model_dump(), status_code=status.HTTP_202_ACCEPTED)
    user = users.create_user(
        platform.uow(),
        actor=actor,
        email=body.email,
        display_name=body.display_name,
        password=body.password.get_secret_value(),
        roles=body.roles,
        passwords=platform.passwords,
        clock=platform.clock,
        allow_signup=platform.settings.allow_signup,
    )
    return UserPublic.of(user)


@router.get("/me", response_model=UserPublic, summary="The signed-in user")
def me(platform: PlatformDep, actor: ActorDep) -> UserPublic:
    user_id = signed_in_user_id(actor)
    return UserPublic.of(users.get_user(platform.uow(), actor=actor, user_id=user_id))


@router.get("", response_model=UsersPublic, summary="List users (platform admins)")
def list_users(platform: PlatformDep, actor: ActorDep, page: PageDep) -> UsersPublic:
    found, total = users.list_users(platform.uow(), actor=actor, offset=page.offset, limit=page.limit)
    return UsersPublic(
        items=[UserPublic.of(u) for u in found], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/{user_id}", response_model=UserPublic, summary="One user (yourself, or any for admins)")
def get_user(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> UserPublic:
    return UserPublic.of(users.get_user(platform.uow(), actor=actor, user_id=user_id))


@router.put("/{user_id}/roles", response_model=UserPublic, summary="Set a user's roles (platform admins)")
def set_roles(user_id: RowId, body: RolesUpdate, platform: PlatformDep, actor: ActorDep) -> UserPublic:
    return UserPublic.of(users.set_roles(platform.uow(), actor=actor, user_id=user_id, roles=body.roles))


@router.post(
    "/unlock",
    response_model=SignInUnlocked,
    summary="Lift a sign-in lock (platform admins)",
)
def unlock_sign_in(body: SignInUnlock, platform: PlatformDep, actor: ActorDep) -> SignInUnlocked:
    """Forget the failed sign-ins of an account (``email``), of a client ``address``, or both, so a
    lock a stranger keeps renewing ends now; 422 when neither is given or the address is not one."""
    cleared = sessions.unlock_sign_in(platform.uow(), actor=actor, email=body.email, address=body.address)
    return SignInUnlocked(cleared=cleared)
