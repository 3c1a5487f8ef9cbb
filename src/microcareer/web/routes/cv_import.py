"""The CV import page: upload a CV, tick what is right in what it proposes, and save only that.

``/profiles/{user_id}/import-cv`` is for the profile's owner (and platform admins). Uploading a CV
(``read_document_bytes``: pdf, docx, txt, md, html, within the API's size limit) answers with the
proposal of ``services/resume_import.py`` as a form: experiences and skills with checkboxes, a level
for each skill, and the whole proposal in a hidden field. Nothing is saved until "Save what I ticked"
posts to ``/profiles/{user_id}/import-cv/confirm``: the proposal is read back from that field, cut down
to what was ticked, and ``confirm_cv_import`` checks it all again, since the client may have changed
anything. A reader who may not see the profile gets the same 404 as for a user that does not exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from microcareer.adapters.documents import MAX_FILE_BYTES
from microcareer.adapters.documents.model import Document
from microcareer.api.admission import run_upload
from microcareer.api.deps import PlatformDep
from microcareer.api.edge_guard import check_form
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.cv_proposal import CvProposal
from microcareer.errors import InvalidInput, MicrocareerError, NotFound
from microcareer.services import extraction, resume_import
from microcareer.services.profiles import ProfileView
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import (
    CSRF_ERROR,
    not_found,
    profile_view,
    to_login,
    today_of,
    user_id_of,
)
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

ACCEPTED = ".pdf,.docx,.txt,.md,.html,.htm"
MAX_FORM_PART = MAX_FILE_BYTES + 1024
"""The hidden proposal field holds a CV's text at most a few times over: allow a file's size."""
LEVELS = ("", "1", "2", "3", "4", "5")
NOT_EDITABLE = "Only the profile's owner can import a CV into it."


@dataclass(frozen=True)
class Shown:
    """What the page shows: the proposal to tick (if any), what was ticked, and what went wrong."""

    proposal: CvProposal | None = None
    confidence: dict[str, float] | None = None
    """Each proposed skill's extraction confidence (the proposal read back does not carry it)."""
    experiences: frozenset[str] | None = None
    """Refs ticked; None: all (a fresh proposal)."""
    skills: frozenset[str] | None = None
    levels: dict[str, str] | None = None
    error: str | None = None


def _render(request: Request, view: ProfileView, shown: Shown, status: int = 200) -> HTMLResponse:
    proposal = shown.proposal
    context = page_context(
        request,
        view=view,
        shown=shown,
        proposal=proposal,
        proposal_json=json.dumps(proposal.to_json(), ensure_ascii=False) if proposal is not None else "",
        refs={e.ref: e for e in proposal.experiences} if proposal is not None else {},
        ticked_experiences=shown.experiences,
        ticked_skills=shown.skills,
        levels=shown.levels or {},
        confidence=shown.confidence or {},
        accepted=ACCEPTED,
        max_file_mib=MAX_FILE_BYTES // 2**20,
    )
    return templates.TemplateResponse(request, "profiles/import_cv.html", context, status_code=status)


def _page_or_refusal(
    request: Request, platform: Platform, actor: Actor, user_key: str
) -> ProfileView | Response:
    """The profile when the actor may import into it; else the 404 (hidden) or 403 (not theirs) page."""
    user_id = user_id_of(user_key)
    if user_id is None:
        return not_found(request, f"no profile for user {user_key!r}")
    try:
        view = profile_view(platform, actor, user_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    if not view.editable:
        return _render(request, view, Shown(error=NOT_EDITABLE), 403)
    return view


@router.get("/profiles/{user_key}/import-cv", response_class=HTMLResponse)
def import_page(user_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/profiles/{user_key}/import-cv")
    found = _page_or_refusal(request, platform, actor, user_key)
    return found if isinstance(found, Response) else _render(request, found, Shown())


@router.post("/profiles/{user_key}/import-cv", response_class=HTMLResponse)
async def upload_cv(user_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """Read the uploaded CV and show what it proposes; nothing is saved."""
    if current_identity(request) is None:
        return to_login(f"/profiles/{user_key}/import-cv")
    found = await run_in_threadpool(_page_or_refusal, request, platform, actor, user_key)
    if isinstance(found, Response):
        return found
    try:
        async with request.form(max_part_size=MAX_FORM_PART) as data:
            check_form(data)
            if not form_csrf_ok(request, field_of(data, "csrf_token")):
                return _render(request, found, Shown(error=CSRF_ERROR), 403)
            upload = data.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return _render(request, found, Shown(error="file: choose a CV to upload"), 422)
            filename, content = upload.filename, await upload.read(MAX_FILE_BYTES + 1)
    except HTTPException as exc:  # the form parser's refusal: too large, too many fields, malformed
        error = f"The form could not be read: {exc.detail}"
        return _render(request, found, Shown(error=error), 413 if exc.status_code == 413 else 400)
    try:
        if len(content) > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 2**20
            raise InvalidInput(f"file: {filename} is over the {limit} MiB limit", field="file")

        # in a reader process, through the upload slots (half the readers at most for one person)
        # the slot is held through the extraction too (CPU in this process), as the API's upload
        def read_and_propose() -> Shown:
            document = platform.documents.read_bytes(content, filename=filename)
            return _propose(platform, actor, found.user_id, filename, document)

        shown = await run_upload(request, platform, actor, read_and_propose)
    except MicrocareerError as exc:
        response = _render(request, found, Shown(error=str(exc)), exc.status)
        retry_after = exc.extra.get("retry_after")
        if isinstance(retry_after, int):
            response.headers["Retry-After"] = str(retry_after)
        return response
    return _render(request, found, shown)


def _propose(platform: Platform, actor: Actor, user_id: int, filename: str, document: Document) -> Shown:
    if not document.text.strip():
        raise InvalidInput(f"file: {filename} holds no text to read", field="file")
    extractor = extraction.extractor_cache(platform.caches).get(platform.uow(), platform.lexicons)
    proposal = resume_import.propose_cv_import(
        extractor,
        actor=actor,
        user_id=user_id,
        source=document.doc_id,
        text=document.text,
        today=today_of(platform),
    )
    return Shown(proposal=proposal, confidence={s.uri: s.confidence for s in proposal.skills})


@router.post("/profiles/{user_key}/import-cv/confirm", response_class=HTMLResponse)
async def confirm_cv(user_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """Save the ticked part of the proposal, checked again by the service; then back to the profile."""
    if current_identity(request) is None:
        return to_login(f"/profiles/{user_key}/import-cv")
    found = await run_in_threadpool(_page_or_refusal, request, platform, actor, user_key)
    if isinstance(found, Response):
        return found
    try:
        async with request.form(max_part_size=MAX_FORM_PART) as data:
            check_form(data)
            return await run_in_threadpool(_confirm, request, platform, actor, found, data)
    except HTTPException as exc:
        error = f"The form could not be read: {exc.detail}"
        return _render(request, found, Shown(error=error), 413 if exc.status_code == 413 else 400)


def _confirm(
    request: Request, platform: Platform, actor: Actor, view: ProfileView, data: FormData
) -> Response:
    try:
        proposal = CvProposal.from_json(json.loads(field_of(data, "proposal")))
    except (json.JSONDecodeError, InvalidInput) as exc:
        error = f"proposal: the proposal sent back could not be read ({exc}): upload the CV again"
        return _render(request, view, Shown(error=error), 400)
    experiences = frozenset(v for v in data.getlist("experience") if isinstance(v, str))
    skills = frozenset(v for v in data.getlist("skill") if isinstance(v, str))
    levels = {s.uri: field_of(data, f"level:{s.uri}") for s in proposal.skills}
    shown = Shown(proposal=proposal, experiences=experiences, skills=skills, levels=levels)
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _render(request, view, replace(shown, error=CSRF_ERROR), 403)
    try:
        accepted = _accepted(proposal, experiences, skills, levels)
        resume_import.confirm_cv_import(
            platform.uow(),
            actor=actor,
            user_id=view.user_id,
            proposal_accepted=accepted,
            now=platform.clock(),
        )
    except MicrocareerError as exc:
        return _render(request, view, replace(shown, error=str(exc)), exc.status)
    return RedirectResponse(f"/profiles/{view.user_id}#experiences", status_code=303)


def _accepted(
    proposal: CvProposal, experiences: frozenset[str], skills: frozenset[str], levels: dict[str, str]
) -> dict[str, Any]:
    """The proposal as JSON, cut down to what was ticked, with the levels chosen."""
    if not experiences and not skills:
        raise InvalidInput("selection: tick at least one experience or skill to save", field="selection")
    document = proposal.to_json()
    document["experiences"] = [e for e in document["experiences"] if e["ref"] in experiences]
    kept = []
    for skill in document["skills"]:
        if skill["uri"] not in skills:
            continue
        level = levels.get(skill["uri"], "")
        if level not in LEVELS:
            raise InvalidInput(
                f"level: {level!r} for {skill['label']} is not a level from 1 to 5", field="level"
            )
        kept.append({**skill, "proficiency": int(level) if level else None})
    document["skills"] = kept
    return document
