"""Portfolio items' uploaded images (issue 21): their owner alone uploads, replaces or removes one (not
even a platform admin: it is the person's own page); anyone who may read the page reads its images,
and to anyone else an image is the same 404 as one that does not exist.

What an upload may be and how it is kept (re-encoded WebP, no metadata, bounded sizes) is
``domain/network/portfolio_images``; the bytes are decoded before the unit of work opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from microcareer.domain.accounts import Actor
from microcareer.domain.network.portfolio_images import ImageFile, ImageInfo, check_alt, normalise
from microcareer.errors import NotFound
from microcareer.services.access import Action, Resource, authorize
from microcareer.services.portfolio import may_see_page, own_item
from microcareer.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class PageImage:
    file: ImageFile
    public: bool
    """Whether a signed-out stranger may read it too (a shared cache may keep it)."""


def _manage(actor: Actor, user_id: int) -> None:
    authorize(actor, Action.PORTFOLIO_IMAGE, Resource(owner_user_id=user_id))


def upload_image(
    uow: UnitOfWork, *, actor: Actor, user_id: int, item_id: int, data: bytes, alt: str, now: datetime
) -> ImageInfo:
    """The item's image set, or replaced; 422 naming ``file`` or ``alt`` when they are not fit."""
    _manage(actor, user_id)
    words = check_alt(alt)
    with uow:
        own_item(uow, user_id, item_id)  # a stranger's item is a 404 before any decoding
    image = normalise(data)
    with uow:
        stored = own_item(uow, user_id, item_id)
        saved = uow.portfolio.save_image(stored.id, image, words or stored.item.title, at=now)
        uow.commit()
    return saved


def remove_image(uow: UnitOfWork, *, actor: Actor, user_id: int, item_id: int) -> None:
    _manage(actor, user_id)
    with uow:
        own_item(uow, user_id, item_id)
        if not uow.portfolio.remove_image(item_id):
            raise NotFound(f"portfolio item {item_id} has no image")
        uow.commit()


def read_image(uow: UnitOfWork, *, actor: Actor, item_id: int, thumbnail: bool = False) -> PageImage:
    """The image (or its thumbnail) for whoever may read the item's page; else 404."""
    missing = NotFound(f"no image for portfolio item {item_id}")
    with uow:
        item = uow.portfolio.get_item(item_id)
        settings = uow.portfolio.get(item.user_id) if item is not None else None
        if item is None or settings is None or not may_see_page(uow, actor, item.user_id, settings):
            raise missing
        found = uow.portfolio.get_image(item_id, thumbnail=thumbnail)
        public = found is not None and may_see_page(uow, Actor.anonymous(), item.user_id, settings)
    if found is None:
        raise missing
    return PageImage(found, public)
