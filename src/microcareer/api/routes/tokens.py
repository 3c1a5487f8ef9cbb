"""Personal access tokens of the signed-in user: create (the token is shown once), list, revoke."""

from __future__ import annotations

from fastapi import Response, status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.routes.users import signed_in_user_id
from microcareer.api.schemas.accounts import RowId, TokenCreate, TokenCreated, TokenPublic, TokensPublic
from microcareer.services import tokens

router = PrefixRouter(prefix="/tokens", tags=["tokens"], route_class=OneHopRoute)


@router.post(
    "", response_model=TokenCreated, status_code=status.HTTP_201_CREATED, summary="Create an API token"
)
def create_token(body: TokenCreate, platform: PlatformDep, actor: ActorDep) -> TokenCreated:
    """The response holds the token itself; it is not stored and cannot be shown again."""
    issued = tokens.create_token(
        platform.uow(),
        actor=actor,
        user_id=signed_in_user_id(actor),
        name=body.name,
        expires_days=body.expires_days,
        default_days=platform.settings.token_default_days,
        clock=platform.clock,
    )
    return TokenCreated(**TokenPublic.of(issued.token).model_dump(), token=issued.plaintext)


@router.get("", response_model=TokensPublic, summary="List your API tokens")
def list_tokens(platform: PlatformDep, actor: ActorDep) -> TokensPublic:
    found = tokens.list_tokens(platform.uow(), actor=actor, user_id=signed_in_user_id(actor))
    return TokensPublic(items=[TokenPublic.of(t) for t in found])


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke an API token")
def revoke_token(token_id: RowId, platform: PlatformDep, actor: ActorDep) -> Response:
    tokens.revoke_token(platform.uow(), actor=actor, token_id=token_id, clock=platform.clock)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
