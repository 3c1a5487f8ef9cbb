"""/api/v1/credentials/verify-batch: verify several credentials in one request (signed-in users).

The body is ``{"credentials": [...]}``: up to 50 credentials, each a JSON object or a string (a VC-JWT
or JSON text), 5 MiB each and 10 MiB in all. The answer is 200 with each report in the order sent (a
report says ``invalid`` when a check failed: the checks ran) and the count of each verdict; a body
that cannot be read, or breaks a bound, is a 422 naming what; anonymous callers get 401; a second
batch of the same user while one runs, or a full server, gets 503
(``services/credential_verification_batches``). A batch takes one verification slot of the admission
gate (``api/admission.py``), as one verification does: 503/429 with ``Retry-After`` when none comes free.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Any

from fastapi import Query, Request

from microcareer.api.admission import run_verification
from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.edge_guard import check_json
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.wallet import VerificationBatchPublic, VerifyBatchBody
from microcareer.errors import InvalidInput
from microcareer.services import credential_verification_batches as batches
from microcareer.services.access import Action, authorize

router = PrefixRouter(tags=["wallet"], route_class=OneHopRoute)

_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": VerifyBatchBody.model_json_schema()}},
    }
}


async def _read_json(request: Request) -> Any:
    limit = batches.MAX_BATCH_BYTES + 64 * 1024  # the JSON around the credentials
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InvalidInput(f"request body: larger than {limit:,} bytes", field="body")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise InvalidInput(f"request body: larger than {limit:,} bytes", field="body")
        chunks.append(chunk)
    try:
        document = json.loads(b"".join(chunks))
    except (ValueError, RecursionError) as error:
        raise InvalidInput(f"request body: not JSON ({error})", field="body") from None
    check_json(document)
    if not isinstance(document, dict) or set(document) != {"credentials"}:
        raise InvalidInput('request body: {"credentials": [...]} and nothing else', field="body")
    return document["credentials"]


@router.post(
    "/credentials/verify-batch",
    response_model=VerificationBatchPublic,
    summary="Verify several credentials at once",
    openapi_extra=_BODY,
)
async def verify_batch(
    request: Request,
    platform: PlatformDep,
    actor: ActorDep,
    accept_key_only_issuer: Annotated[
        bool,
        Query(description="Policy, as for one credential: accept an issuer identified only by its key."),
    ] = False,
) -> VerificationBatchPublic:
    """Every check on each credential, as ``POST /credentials/verify`` makes them for one; the
    reports in the order sent. Up to 50 credentials; one batch per user at a time."""
    authorize(actor, Action.CREDENTIALS_VERIFY_BATCH)  # before the body is read
    items = batches.items_of_values(await _read_json(request))
    verdicts = await run_verification(  # one verification slot for the batch (503/429 when none)
        request,
        platform,
        partial(
            batches.verify_batch,
            platform.uow(),
            platform.key_vault,
            actor=actor,
            items=items,
            publication=platform.publication,
            sources=platform.verifier_sources,
            now=platform.clock(),
            status_cache=platform.status_list_cache,
            accept_key_only_issuer=accept_key_only_issuer,
        ),
    )
    return VerificationBatchPublic.of([(verdict.name, verdict.report) for verdict in verdicts])
