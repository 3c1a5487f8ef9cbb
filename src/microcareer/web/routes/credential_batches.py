"""Verifying several credentials at once from the web: ``/verify/batch`` (signed-in users).

The form takes several files (JSON, JWT, baked PNG or SVG; a JSON file holding an array counts as its
elements) and shows one row per credential, in the order sent: its verdict, its name and the first
check that did not pass. The same service and bounds as ``POST /api/v1/credentials/verify-batch``
(``services/credential_verification_batches``); it works without JavaScript.
"""

from __future__ import annotations

from functools import partial

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from microcareer.api.admission import run_verification
from microcareer.api.deps import PlatformDep
from microcareer.api.edge_guard import check_form
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import MicrocareerError
from microcareer.services import credential_verification_batches as batches
from microcareer.services.credential_verification_batches import BatchItem, BatchVerdict
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import CSRF_ERROR, to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)
PATH = "/verify/batch"


def _page(
    request: Request,
    *,
    verdicts: list[BatchVerdict] | None = None,
    error: str | None = None,
    status: int = 200,
    key_only: bool = False,
) -> Response:
    counts = {"valid": 0, "status_unknown": 0, "invalid": 0}
    for verdict in verdicts or []:
        counts[verdict.report.verdict] += 1
    context = page_context(
        request,
        verdicts=verdicts,
        counts=counts,
        error=error,
        key_only=key_only,
        max_documents=batches.MAX_DOCUMENTS,
        max_mib=batches.MAX_BATCH_BYTES // 2**20,
    )
    return templates.TemplateResponse(request, "credentials/verify_batch.html", context, status_code=status)


@router.get(PATH, response_class=HTMLResponse)
def verify_batch_page(request: Request) -> Response:
    if current_identity(request) is None:
        return to_login(PATH)
    return _page(request)


def _verify(platform: Platform, actor: Actor, items: list[BatchItem], key_only: bool) -> list[BatchVerdict]:
    return batches.verify_batch(
        platform.uow(),
        platform.key_vault,
        actor=actor,
        items=items,
        publication=platform.publication,
        sources=platform.verifier_sources,
        now=platform.clock(),
        status_cache=platform.status_list_cache,
        accept_key_only_issuer=key_only,
    )


@router.post(PATH, response_class=HTMLResponse)
async def verify_batch_posted(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """Verify every uploaded file and show the verdicts in order (or what was wrong with the upload)."""
    if current_identity(request) is None:
        return to_login(PATH)
    items: list[BatchItem] = []
    try:
        async with request.form(
            max_files=batches.MAX_DOCUMENTS,
            max_fields=batches.MAX_DOCUMENTS + 5,
            max_part_size=batches.MAX_DOCUMENT_BYTES + 1024,
        ) as data:
            check_form(data)
            key_only = data.get("accept_key_only_issuer") == "on"
            if not form_csrf_ok(request, field_of(data, "csrf_token")):
                return _page(request, error=CSRF_ERROR, status=403, key_only=key_only)
            total = 0
            for upload in data.getlist("files"):
                if not isinstance(upload, UploadFile) or not upload.filename:
                    continue
                content = await upload.read(batches.MAX_DOCUMENT_BYTES + 1)
                total += len(content)
                if total > batches.MAX_BATCH_BYTES:
                    error = f"files: more than {batches.MAX_BATCH_BYTES // 2**20} MiB in all"
                    return _page(request, error=error, status=413, key_only=key_only)
                items.extend(batches.items_of_file(upload.filename, content))
    except HTTPException as exc:  # the form parser's refusal: too large, too many files, malformed
        return _page(request, error=f"The form could not be read: {exc.detail}", status=400)
    except MicrocareerError as exc:
        return _page(request, error=str(exc), status=exc.status)
    if not items:
        return _page(
            request, error="files: choose one or more credential files", status=422, key_only=key_only
        )
    try:  # in one verification slot, as a single verification (503/429 with Retry-After when none)
        verifying = partial(_verify, platform, actor, items, key_only)
        verdicts = await run_verification(request, platform, verifying)
    except MicrocareerError as exc:
        response = _page(request, error=str(exc), status=exc.status, key_only=key_only)
        retry_after = exc.extra.get("retry_after")
        if isinstance(retry_after, int):
            response.headers["Retry-After"] = str(retry_after)
        return response
    return _page(request, verdicts=verdicts, key_only=key_only)
