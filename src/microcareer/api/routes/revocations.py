"""/api/v1/issuers/{slug}/credentials/revoke-batch: revoking many credentials from a CSV.

All or nothing: each row names a credential id, or a recipient's e-mail or DID (all their
credentials from this issuer); one bad row and nothing is revoked, and the 422 problem lists every
bad row's line, column and message (``rows``). Only the issuer's managers revoke; the caller is
checked before the file is read.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.routes.achievements import read_csv_upload
from microcareer.api.schemas.credentials import CredentialSummary
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import NotAuthenticated, NotFound
from microcareer.services import credential_issuers, credential_revocation
from microcareer.services.access import Action, authorize

router = PrefixRouter(prefix="/issuers", tags=["credentials"], route_class=OneHopRoute)

_CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "A CSV with a header row and one of credential_id (urn:uuid:… or the uuid), email or did "
            "filled on each row (a recipient's e-mail or DID revokes everything this issuer issued to "
            "them), and optionally reason."
        ),
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


def _authorize(platform: Platform, actor: Actor, slug: str) -> None:
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to revoke credentials")
    issuer = next((i for i in credential_issuers.list_issuers(platform.uow()) if i.slug == slug), None)
    if issuer is None:
        raise NotFound(f"no issuer {slug!r}")
    authorize(actor, Action.ISSUER_MANAGE, credential_issuers.issuer_resource(issuer))


def _revoke_csv(
    platform: Platform, actor: Actor, slug: str, text: str, source: str
) -> list[CredentialSummary]:
    revoked = credential_revocation.revoke_csv(
        platform.uow(), actor=actor, issuer_slug=slug, text=text, source=source, now=platform.clock()
    )
    return [CredentialSummary.of(record, platform.publication) for record in revoked]


@router.post(
    "/{slug}/credentials/revoke-batch",
    response_model=list[CredentialSummary],
    summary="Revoke every credential a CSV names (all or nothing)",
    openapi_extra=_CSV_BODY,
)
async def revoke_batch(
    slug: str, request: Request, platform: PlatformDep, actor: ActorDep
) -> list[CredentialSummary]:
    """Every row is checked first; a 422 problem names each bad row's line and column (``rows``) and
    nothing is revoked. Revoking is final: the bits are set in the published revocation lists."""
    await run_in_threadpool(_authorize, platform, actor, slug)
    text, source = await read_csv_upload(request)
    return await run_in_threadpool(_revoke_csv, platform, actor, slug, text, source)
