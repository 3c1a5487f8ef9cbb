"""/api/v1/users/{user_id}/portfolio/items/{item_id}/image: the item's owner uploads (or replaces) its
image as ``multipart/form-data`` (``file``: PNG, JPEG or WebP, 5 MB at most; ``alt``: words for who
cannot see it) and removes it; nobody else may, not even a platform admin. The image is served by the
site at the ``url`` the answer (and the page's items) give."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.network import PortfolioImagePublic
from microcareer.domain.network.portfolio_images import ALT_MAX, MAX_IMAGE_BYTES
from microcareer.services import portfolio_images

router = PrefixRouter(tags=["portfolio"], route_class=OneHopRoute)

IMAGE_PATH = "/users/{user_id}/portfolio/items/{item_id}/image"


@router.put(
    IMAGE_PATH,
    response_model=PortfolioImagePublic,
    summary="Upload or replace a portfolio item's image",
    responses={413: {"description": "The request body is over the upload limit."}},
)
async def put_image(
    user_id: RowId,
    item_id: RowId,
    file: Annotated[UploadFile, File(description="A PNG, JPEG or WebP image (by content), 5 MB at most.")],
    platform: PlatformDep,
    actor: ActorDep,
    alt: Annotated[str, Form(max_length=ALT_MAX, description="Words for who cannot see it.")] = "",
) -> PortfolioImagePublic:
    """Re-encoded as WebP on the server (orientation applied, EXIF and GPS left behind), at most 2048
    pixels a side, with a thumbnail; 40 million pixels at most. 422 naming ``file`` when it is not such
    an image (an SVG, a GIF, a bomb, a damaged file)."""
    data = await file.read(MAX_IMAGE_BYTES + 1)
    saved = await run_in_threadpool(
        portfolio_images.upload_image,
        platform.uow(),
        actor=actor,
        user_id=user_id,
        item_id=item_id,
        data=data,
        alt=alt,
        now=platform.clock(),
    )
    return PortfolioImagePublic.of(saved)


@router.delete(IMAGE_PATH, status_code=status.HTTP_204_NO_CONTENT, summary="Remove a portfolio item's image")
def delete_image(user_id: RowId, item_id: RowId, platform: PlatformDep, actor: ActorDep) -> Response:
    portfolio_images.remove_image(platform.uow(), actor=actor, user_id=user_id, item_id=item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
