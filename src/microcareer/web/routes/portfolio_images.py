"""Portfolio items' images: ``/portfolio/items/{id}/image`` (upload or replace, as ``multipart/form-data``
with ``file`` and ``alt``) and ``/portfolio/items/{id}/image/remove`` for their owner; and
``/media/portfolio/{id}/image.webp`` and ``thumbnail.webp``, served to whoever may read the page
(a 404 to anyone else), with ``nosniff``, an ETag and cache headers (shared caches only for a page
open to signed-out strangers)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from microcareer.api.deps import PlatformDep
from microcareer.api.edge_guard import check_form
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.network.portfolio_images import MAX_IMAGE_BYTES, ImageFile
from microcareer.errors import MicrocareerError
from microcareer.services import portfolio_images
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok
from microcareer.web.network_pages import act, refusal
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import CSRF_ERROR, to_login

router = PrefixRouter(include_in_schema=False)

BACK = "/portfolio"
SHARED_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, no-cache"


@router.post("/portfolio/items/{item_id}/image", response_class=HTMLResponse)
async def upload(request: Request, item_id: RowId, platform: PlatformDep, actor: WebActorDep) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login(BACK, request)
    try:
        async with request.form(max_files=1, max_fields=8, max_part_size=MAX_IMAGE_BYTES + 1) as data:
            check_form(data)
            if not form_csrf_ok(request, field_of(data, "csrf_token")):
                return refusal(request, CSRF_ERROR, BACK, 403)
            part = data.get("file")
            if not isinstance(part, UploadFile) or not part.filename:
                return refusal(request, "file: choose an image to upload", BACK, 422)
            content = await part.read(MAX_IMAGE_BYTES + 1)
            alt = field_of(data, "alt")
    except HTTPException as exc:  # the form parser's refusal: a part over the limit, malformed
        message = f"file: the form could not be read ({exc.detail}); an image is 5 MB at most"
        return refusal(request, message, BACK, 413 if exc.status_code == 413 else 422)
    try:
        await run_in_threadpool(
            portfolio_images.upload_image,
            platform.uow(),
            actor=actor,
            user_id=identity.user.id,
            item_id=item_id,
            data=content,
            alt=alt,
            now=platform.clock(),
        )
    except MicrocareerError as exc:
        return refusal(request, str(exc), BACK, exc.status)
    return RedirectResponse(f"{BACK}#item-{item_id}", status_code=303)


@router.post("/portfolio/items/{item_id}/image/remove", response_class=HTMLResponse)
async def remove(request: Request, item_id: RowId, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(_: object, me: int) -> str:
        portfolio_images.remove_image(platform.uow(), actor=actor, user_id=me, item_id=item_id)
        return f"{BACK}#item-{item_id}"

    return await act(request, BACK, run)


def _served(request: Request, found: ImageFile, *, shared: bool) -> Response:
    tag = f'"{found.info.version}-{found.info.width}"'
    headers = {
        "ETag": tag,
        "Cache-Control": SHARED_CACHE if shared else PRIVATE_CACHE,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="portfolio-{found.info.item_id}.webp"',
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if tag in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(found.data, media_type=found.content_type, headers=headers)


def _media(request: Request, platform: Platform, actor: Actor, item_id: int, *, thumbnail: bool) -> Response:
    try:
        found = portfolio_images.read_image(platform.uow(), actor=actor, item_id=item_id, thumbnail=thumbnail)
    except MicrocareerError as exc:
        return Response(str(exc), status_code=exc.status, media_type="text/plain")
    return _served(request, found.file, shared=found.public)


@router.get("/media/portfolio/{item_id}/image.webp")
def image(request: Request, item_id: RowId, platform: PlatformDep, actor: WebActorDep) -> Response:
    return _media(request, platform, actor, item_id, thumbnail=False)


@router.get("/media/portfolio/{item_id}/thumbnail.webp")
def thumbnail(request: Request, item_id: RowId, platform: PlatformDep, actor: WebActorDep) -> Response:
    return _media(request, platform, actor, item_id, thumbnail=True)
