"""/api/v1/credentials/verify and /api/v1/users/{user_id}/wallet: verify any credential, keep one's own.

Verifying is public and answers 200 with the report even when the credential is invalid (the checks
ran); only a request that cannot be read (no body, broken JSON, over 5 MB) is a 422 problem. A
credential comes as a JSON object, as ``{"jwt": "..."}``, as JWT text, as raw PNG/SVG bytes, or as
a multipart upload (field ``file``). The wallet is its owner's (and platform admins'); the entries
its owner made public are for anyone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.types import Message

from microcareer.api.admission import run_verification
from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.edge_guard import check_json
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.wallet import (
    JwtBody,
    StackProgressPublic,
    VerificationPublic,
    WalletEntryPublic,
    WalletEntryUpdate,
    WalletImportPublic,
)
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import achievements, credential_verification, wallet
from microcareer.services.access import Action, Resource, authorize
from microcareer.services.wallet import MAX_IMPORT_BYTES

router = PrefixRouter(tags=["wallet"], route_class=OneHopRoute)

MULTIPART_OVERHEAD = 64 * 1024
"""Room for a multipart envelope around a file of the largest size accepted."""

CredentialId = Annotated[
    str, Path(min_length=1, max_length=45, description="The credential's UUID (or urn:uuid:UUID).")
]

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": 'The credential: a JSON object, {"jwt": ...}, JWT text, PNG/SVG bytes, or a file.',
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [
                        {"type": "object", "description": "A credential (JSON-LD with an embedded proof)."},
                        JwtBody.model_json_schema(),
                    ]
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "JSON, a VC-JWT, or a baked PNG/SVG (5 MB at most).",
                        }
                    },
                }
            },
            "text/plain": {"schema": {"type": "string", "description": "A VC-JWT."}},
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "image/svg+xml": {"schema": {"type": "string"}},
        },
    }
}


@dataclass(frozen=True, slots=True)
class Upload:
    """A credential as sent: its bytes and what to call it in messages."""

    data: bytes
    source: str


def _too_large(source: str) -> InvalidInput:
    return InvalidInput(f"{source}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB", field="file")


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large("request body")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large("request body")
        chunks.append(chunk)
    return b"".join(chunks)


async def _multipart_file(request: Request, body: bytes) -> Upload:
    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(
            max_files=1, max_fields=4, max_part_size=MAX_IMPORT_BYTES
        )
    except HTTPException as error:
        raise InvalidInput(f"the multipart body cannot be read: {error.detail}", field="file") from None
    part = form.get("file")
    if isinstance(part, UploadFile):
        name = part.filename or "file"
        data = await part.read(MAX_IMPORT_BYTES + 1)
    elif isinstance(part, str):
        name, data = "file", part.encode("utf-8")
    else:
        raise InvalidInput("the multipart body has no part named 'file'", field="file")
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_large(name)
    return Upload(data, name)


async def read_upload(request: Request) -> Upload:
    """The credential in the request, however it was sent (5 MB at most); 422 when there is none."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        body = await _read_body(request, MAX_IMPORT_BYTES + MULTIPART_OVERHEAD)
        return await _multipart_file(request, body)
    body = await _read_body(request, MAX_IMPORT_BYTES)
    if not body.strip():
        raise InvalidInput(
            "the request has no credential: send JSON, a JWT, an image or a file", field="body"
        )
    if kind == "application/json" or kind.endswith("+json"):
        try:
            document = json.loads(body)
        except (ValueError, RecursionError) as error:
            raise InvalidInput(f"request body: not JSON ({error})", field="body") from None
        check_json(document)  # no NUL, lone surrogate or 64-bit overflow, as for every other body
        if isinstance(document, dict) and set(document) == {"jwt"}:
            jwt = document["jwt"]
            if not isinstance(jwt, str) or not jwt.strip():
                raise InvalidInput("jwt: must be the compact JWT, as a string", field="jwt")
            return Upload(jwt.strip().encode("utf-8"), "jwt")
    return Upload(body, "request body")


UploadDep = Annotated[Upload, Depends(read_upload)]


async def read_own_upload(request: Request, user_id: RowId, actor: ActorDep) -> Upload:
    """The upload, read only once the caller is known to manage this wallet."""
    authorize(actor, Action.WALLET_MANAGE, Resource(owner_user_id=user_id))
    return await read_upload(request)


OwnUploadDep = Annotated[Upload, Depends(read_own_upload)]


@router.post(
    "/credentials/verify",
    response_model=VerificationPublic,
    summary="Verify a credential from anyone",
    openapi_extra=_UPLOAD_BODY,
)
async def verify_credential(
    request: Request,
    upload: UploadDep,
    platform: PlatformDep,
    accept_key_only_issuer: Annotated[
        bool,
        Query(
            description="Policy: accept an urn:uuid or https issuer signed by a did:key it does not list "
            "(an issuer identified only by its key), reported as a warning on the key check. "
            "Off by default: such a key is refused."
        ),
    ] = False,
) -> VerificationPublic:
    """Every check (format, proof, key, dates, status, schema); 200 with a ``verdict``: ``valid``,
    ``status_unknown`` (every check holds but the revocation status could not be checked; ``valid`` is
    false) or ``invalid`` (a check failed).

    Keys and status lists of this platform are read locally; did:web documents and other issuers'
    status lists are fetched over HTTPS. No account is needed. Verifications run in slots of their
    own (``MICROCAREER_OUTBOUND_MAX_IN_FLIGHT`` at once, ``MICROCAREER_VERIFICATIONS_PER_ADDRESS`` per
    client address); when none comes free in time the answer is 503 (429 when this address already has
    its share waiting), with ``Retry-After``."""
    report = await run_verification(
        request,
        platform,
        partial(
            credential_verification.verify,
            platform.uow(),
            platform.key_vault,
            raw=upload.data,
            publication=platform.publication,
            sources=platform.verifier_sources,
            now=platform.clock(),
            status_cache=platform.status_list_cache,
            accept_key_only_issuer=accept_key_only_issuer,
        ),
    )
    return VerificationPublic.of(report)


@router.get(
    "/credentials/{credential_id}/verification",
    response_model=VerificationPublic,
    summary="Verify a credential issued here",
)
async def verify_issued(
    request: Request, credential_id: CredentialId, platform: PlatformDep
) -> VerificationPublic:
    """The credential as stored, checked as any verifier would (its revocation status required).

    The check may fetch another issuer's status list, so it takes a verification slot as
    ``POST /credentials/verify`` does (503/429 with ``Retry-After`` when none comes free in time)."""
    report = await run_verification(
        request,
        platform,
        partial(
            credential_verification.verify_issued,
            platform.uow(),
            platform.key_vault,
            credential_id=credential_id,
            publication=platform.publication,
            sources=platform.verifier_sources,
            now=platform.clock(),
            status_cache=platform.status_list_cache,
        ),
    )
    return VerificationPublic.of(report)


@router.get("/users/{user_id}/wallet", response_model=list[WalletEntryPublic], summary="A person's wallet")
def get_wallet(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[WalletEntryPublic]:
    """Every entry, issued here or imported (the owner and platform admins)."""
    items = wallet.wallet(platform.uow(), actor=actor, user_id=user_id)
    return [WalletEntryPublic.of(i) for i in items]


@router.get(
    "/users/{user_id}/wallet/public",
    response_model=list[WalletEntryPublic],
    summary="The entries a person shows",
)
def get_public_wallet(user_id: RowId, platform: PlatformDep) -> list[WalletEntryPublic]:
    """The entries the person made public; anyone may read them."""
    return [WalletEntryPublic.of(i) for i in wallet.public_wallet(platform.uow(), user_id=user_id)]


@router.post(
    "/users/{user_id}/wallet",
    response_model=WalletImportPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Import a credential into a wallet",
    openapi_extra=_UPLOAD_BODY,
)
async def import_credential(
    request: Request, user_id: RowId, upload: OwnUploadDep, platform: PlatformDep, actor: ActorDep
) -> WalletImportPublic:
    """Verified on the way in: one that does not read or whose proof fails is refused (422), one
    already held is a 409. If it names this person, its aligned skills get credential evidence.
    Open Badges 2.0 assertions are kept for display, marked unverifiable. The verification takes a
    verification slot as ``POST /credentials/verify`` does (503/429 with ``Retry-After`` when none)."""
    entry, report = await run_verification(
        request,
        platform,
        partial(
            wallet.import_credential,
            platform.uow(),
            platform.key_vault,
            actor=actor,
            user_id=user_id,
            data=upload.data,
            source=upload.source,
            publication=platform.publication,
            sources=platform.verifier_sources,
            now=platform.clock(),
        ),
    )
    item = await run_in_threadpool(wallet.wallet_entry, platform.uow(), actor=actor, entry_id=entry.id)
    return WalletImportPublic(
        entry=WalletEntryPublic.of(item),
        report=VerificationPublic.of(report) if report is not None else None,
    )


def _entries(text: str | None) -> list[int] | None:
    if text is None or not text.strip():
        return None
    ids = []
    for part in text.split(","):
        if not part.strip().isdigit():
            raise InvalidInput(
                f"entries: {part.strip()!r} is not an entry id (give ids as 1,2,3)", field="entries"
            )
        ids.append(int(part))
    return ids


@router.get("/users/{user_id}/wallet/clr", summary="Export a wallet as a signed CLR 2.0")
def export_clr(
    user_id: RowId,
    platform: PlatformDep,
    actor: ActorDep,
    entries: Annotated[
        str | None,
        Query(
            max_length=2000, description="Comma-separated entry ids; all that can be embedded when absent."
        ),
    ] = None,
) -> dict[str, Any]:
    """A Comprehensive Learner Record signed by this platform (did:key), each credential keeping its
    own proof. Only Open Badges 3.0 credentials with an embedded proof can go in."""
    return wallet.export_clr(
        platform.uow(),
        platform.key_vault,
        actor=actor,
        user_id=user_id,
        entry_ids=_entries(entries),
        publication=platform.publication,
        now=platform.clock(),
    )


def _own_entry(platform: Platform, actor: Actor, user_id: int, entry_id: int) -> wallet.WalletItem:
    item = wallet.wallet_entry(platform.uow(), actor=actor, entry_id=entry_id)
    if item.entry.user_id != user_id:
        raise NotFound(f"no wallet entry {entry_id}")
    return item


@router.get(
    "/users/{user_id}/wallet/{entry_id}", response_model=WalletEntryPublic, summary="One wallet entry"
)
def get_entry(user_id: RowId, entry_id: RowId, platform: PlatformDep, actor: ActorDep) -> WalletEntryPublic:
    """A public entry for anyone; a private one for its owner (others get 404)."""
    return WalletEntryPublic.of(_own_entry(platform, actor, user_id, entry_id))


@router.patch(
    "/users/{user_id}/wallet/{entry_id}", response_model=WalletEntryPublic, summary="Show or hide an entry"
)
def patch_entry(
    user_id: RowId, entry_id: RowId, body: WalletEntryUpdate, platform: PlatformDep, actor: ActorDep
) -> WalletEntryPublic:
    _own_entry(platform, actor, user_id, entry_id)
    wallet.set_public(platform.uow(), actor=actor, entry_id=entry_id, public=body.public)
    return WalletEntryPublic.of(wallet.wallet_entry(platform.uow(), actor=actor, entry_id=entry_id))


@router.post(
    "/users/{user_id}/wallet/{entry_id}/accept",
    response_model=WalletEntryPublic,
    summary="Accept a pending credential",
)
def accept_entry(
    user_id: RowId, entry_id: RowId, platform: PlatformDep, actor: ActorDep
) -> WalletEntryPublic:
    """Its aligned skills get credential evidence, weighted by the issuer's standing (docs/trust.md);
    it may then be shown. 409 when it is not pending."""
    _own_entry(platform, actor, user_id, entry_id)
    return WalletEntryPublic.of(wallet.accept_entry(platform.uow(), actor=actor, entry_id=entry_id))


@router.post(
    "/users/{user_id}/wallet/{entry_id}/decline",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Decline a pending credential",
)
def decline_entry(user_id: RowId, entry_id: RowId, platform: PlatformDep, actor: ActorDep) -> Response:
    """It leaves the wallet; 409 when it was accepted (remove it instead)."""
    _own_entry(platform, actor, user_id, entry_id)
    wallet.decline_entry(platform.uow(), actor=actor, entry_id=entry_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/users/{user_id}/wallet/{entry_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a credential from the wallet and the profile",
)
def delete_entry(user_id: RowId, entry_id: RowId, platform: PlatformDep, actor: ActorDep) -> Response:
    """Any credential, issued here or imported: it and the skill evidence it gave go."""
    _own_entry(platform, actor, user_id, entry_id)
    wallet.remove_entry(platform.uow(), actor=actor, entry_id=entry_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/users/{user_id}/stacks",
    response_model=list[StackProgressPublic],
    summary="Progress towards stacked achievements",
)
def get_stacks(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[StackProgressPublic]:
    """Each stacked achievement the person holds a part of: parts held and missing (owner and admins)."""
    authorize(actor, Action.WALLET_MANAGE, Resource(owner_user_id=user_id))
    progress = achievements.stack_progress(platform.uow(), user_id=user_id)
    return [StackProgressPublic.model_validate(p) for p in progress]
