"""/api/v1/users/{user_id}/portfolio (settings and items, the owner's) and /api/v1/portfolios/{handle}
(the page as JSON, and as JSON Resume), for whoever may read it: anyone when the owner's profile is
public and the page published, signed out too; a hidden page is a 404, as a missing one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Response, status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.routes.network import skill_uri
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.network import (
    PortfolioItemBody,
    PortfolioItemPublic,
    PortfolioPublic,
    PortfolioSettingsBody,
)
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.network.portfolio import PortfolioItem
from microcareer.services import portfolio
from microcareer.services.access import Action, Resource, authorize

router = PrefixRouter(tags=["portfolio"], route_class=OneHopRoute)

Handle = Annotated[str, Path(min_length=1, max_length=40, description="The page's handle.")]


def page_url(platform: Platform, handle: str) -> str:
    return f"{platform.settings.public_url.rstrip('/')}/p/{handle}"


def _page(platform: Platform, actor: Actor, handle: str) -> portfolio.Portfolio:
    return portfolio.page(
        platform.uow(),
        actor=actor,
        handle=handle,
        today=platform.clock().date(),
        policy=platform.evidence_policy,
    )


@router.get(
    "/users/{user_id}/portfolio", response_model=PortfolioSettingsBody, summary="Your portfolio's settings"
)
def get_settings(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> PortfolioSettingsBody:
    return PortfolioSettingsBody.of(portfolio.settings_of(platform.uow(), actor=actor, user_id=user_id))


@router.put(
    "/users/{user_id}/portfolio",
    response_model=PortfolioSettingsBody,
    summary="Save your portfolio's settings",
)
def put_settings(
    user_id: RowId, body: PortfolioSettingsBody, platform: PlatformDep, actor: ActorDep
) -> PortfolioSettingsBody:
    saved = portfolio.save_settings(
        platform.uow(), actor=actor, user_id=user_id, settings=body.settings(), now=platform.clock()
    )
    return PortfolioSettingsBody.of(saved)


def _item(platform: Platform, actor: Actor, user_id: int, body: PortfolioItemBody) -> PortfolioItem:
    authorize(actor, Action.PORTFOLIO_EDIT, Resource(owner_user_id=user_id))
    return body.item(tuple(skill_uri(platform, actor, s) for s in body.skills))


@router.post(
    "/users/{user_id}/portfolio/items",
    response_model=PortfolioItemPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add a portfolio item",
)
def add_item(
    user_id: RowId, body: PortfolioItemBody, platform: PlatformDep, actor: ActorDep
) -> PortfolioItemPublic:
    made = portfolio.add_item(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        item=_item(platform, actor, user_id, body),
        now=platform.clock(),
    )
    handle = portfolio.settings_of(platform.uow(), actor=actor, user_id=user_id).handle
    return next(PortfolioItemPublic.of(i) for i in _page(platform, actor, handle).items if i.id == made.id)


@router.put(
    "/users/{user_id}/portfolio/items/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change an item",
)
def put_item(
    user_id: RowId, item_id: RowId, body: PortfolioItemBody, platform: PlatformDep, actor: ActorDep
) -> Response:
    portfolio.update_item(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        item_id=item_id,
        item=_item(platform, actor, user_id, body),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/users/{user_id}/portfolio/items/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove an item",
)
def delete_item(user_id: RowId, item_id: RowId, platform: PlatformDep, actor: ActorDep) -> Response:
    portfolio.remove_item(platform.uow(), actor=actor, user_id=user_id, item_id=item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/portfolios/{handle}", response_model=PortfolioPublic, summary="A public portfolio")
def get_page(handle: Handle, platform: PlatformDep, actor: ActorDep) -> PortfolioPublic:
    return PortfolioPublic.of(_page(platform, actor, handle), page_url(platform, handle))


@router.get(
    "/portfolios/{handle}/resume.json",
    summary="A public portfolio as JSON Resume",
    responses={200: {"content": {"application/json": {}}}},
)
def get_resume(handle: Handle, platform: PlatformDep, actor: ActorDep) -> dict[str, Any]:
    """What the page shows, as a JSON Resume v1 document (never the e-mail)."""
    return portfolio.json_resume(_page(platform, actor, handle), page_url(platform, handle))
