"""What verifiers fetch, at the addresses credentials name (no /api/v1 prefix, public, no sign-in):
``/issuers/{slug}/did.json`` (a did:web issuer's DID document), ``/status-lists/{id}`` (a signed
``BitstringStatusListCredential``, served exactly as signed and cacheable), and
``/achievements/{id}`` (the Open Badges 3.0 Achievement a credential's ``achievement.id`` names).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import Request, Response

from microcareer.api.deps import PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.services import achievements, credential_issuers, credential_issuing

router = PrefixRouter(tags=["published"], route_class=OneHopRoute)

JSON = "application/json"
DID_JSON = "application/did+json"
VC = "application/vc"
STATUS_LIST_MAX_AGE = 300


def _media_type(request: Request, preferred: str) -> str:
    """``preferred`` when the caller's Accept header names it, else plain JSON (what most clients want)."""
    accepted = [
        part.split(";", 1)[0].strip().lower() for part in request.headers.get("accept", "").split(",")
    ]
    return preferred if preferred in accepted else JSON


def _json(document: dict[str, Any], media_type: str) -> Response:
    return Response(json.dumps(document, ensure_ascii=False, indent=2), media_type=media_type)


@router.get(
    "/issuers/{slug}/did.json",
    summary="An issuer's did:web DID document",
    responses={200: {"content": {JSON: {}, DID_JSON: {}}}},
)
def did_json(slug: str, request: Request, platform: PlatformDep) -> Response:
    """Every key not withdrawn, as a Multikey ``assertionMethod``; 404 for an issuer known by did:key."""
    document = credential_issuers.did_document(platform.uow(), slug)
    return _json(document, _media_type(request, DID_JSON))


@router.get(
    "/status-lists/{list_id}",
    summary="A signed status list credential",
    responses={200: {"content": {JSON: {}, VC: {}}}, 304: {"description": "Not modified (If-None-Match)."}},
)
def status_list(list_id: RowId, request: Request, platform: PlatformDep) -> Response:
    """The ``BitstringStatusListCredential`` exactly as signed, re-signed only after a change; cached
    for five minutes, with an ETag for conditional requests."""
    text = credential_issuing.status_list_document(
        platform.uow(),
        platform.key_vault,
        list_id=list_id,
        publication=platform.publication,
        cache=platform.status_list_cache,
    )
    etag = '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={STATUS_LIST_MAX_AGE}"}
    match = request.headers.get("if-none-match", "")
    if etag in [tag.strip().removeprefix("W/") for tag in match.split(",")] or match.strip() == "*":
        return Response(status_code=304, headers=headers)
    return Response(text, media_type=_media_type(request, VC), headers=headers)


@router.get("/achievements/{achievement_id}", summary="An Open Badges 3.0 Achievement")
def achievement(achievement_id: RowId, platform: PlatformDep) -> Response:
    document = achievements.published_achievement(platform.uow(), achievement_id, platform.publication)
    return _json(document, JSON)
