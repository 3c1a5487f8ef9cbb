"""/api/v1/profiles/{user_id}/cv and /json-resume: a CV proposed then confirmed; JSON Resume in and out.

Only the owner (or a platform admin) imports; the export is for whoever may read the profile (404 for
others, so a hidden profile does not leak), with the account's email for the owner and admins only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, File, Request, UploadFile

from microcareer.api.admission import run_upload
from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.profile_import import (
    CvImportResultPublic,
    CvProposalModel,
    JsonResumeImportPublic,
)
from microcareer.services import extraction, resume_import, skill_names, taxonomy_search
from microcareer.services.access import Action, Resource, authorize

router = PrefixRouter(prefix="/profiles", tags=["profiles"], route_class=OneHopRoute)


@router.post("/{user_id}/cv", response_model=CvProposalModel, summary="Propose a profile from a CV")
async def propose_from_cv(
    request: Request,
    user_id: RowId,
    file: Annotated[UploadFile, File(description="The CV: PDF, DOCX, HTML, Markdown or plain text.")],
    platform: PlatformDep,
    actor: ActorDep,
) -> CvProposalModel:
    """Experiences and skills found in the CV; nothing is saved. Send back what to keep to ``/cv/confirm``.
    Reading takes an upload slot, as ``POST /extract/file`` does (503/429 with ``Retry-After``)."""
    authorize(actor, Action.PROFILE_EDIT, Resource(owner_user_id=user_id))  # before reading anything

    def read_and_propose() -> CvProposalModel:
        # read in a reader process, within the MICROCAREER_DOCUMENT_* limits (the thread only waits)
        document = platform.documents.read_upload(file.file, filename=file.filename or "upload")
        extractor = extraction.extractor_cache(platform.caches).get(platform.uow(), platform.lexicons)
        proposal = resume_import.propose_cv_import(
            extractor,
            actor=actor,
            user_id=user_id,
            source=document.doc_id,
            text=document.text,
            today=platform.clock().date(),
        )
        return CvProposalModel.of(proposal)

    # the upload slot is held through the extraction too (CPU in this process), as POST /extract/file
    return await run_upload(request, platform, actor, read_and_propose)


@router.post(
    "/{user_id}/cv/confirm",
    response_model=CvImportResultPublic,
    summary="Save what was kept of a CV proposal",
)
def confirm_cv(
    user_id: RowId, body: CvProposalModel, platform: PlatformDep, actor: ActorDep
) -> CvImportResultPublic:
    """Experiences are added after the profile's own; skills get CV evidence. All of it or nothing."""
    result = resume_import.confirm_cv_import(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        proposal_accepted=body.model_dump(),
        now=platform.clock(),
    )
    return CvImportResultPublic.of(result)


@router.put("/{user_id}/json-resume", response_model=JsonResumeImportPublic, summary="Import a JSON Resume")
def import_json_resume(
    user_id: RowId,
    document: Annotated[dict[str, Any], Body(description="A JSON Resume (schema v1) document.")],
    platform: PlatformDep,
    actor: ActorDep,
) -> JsonResumeImportPublic:
    """Basics, experiences and the résumé's other fields replace the profile's; skills are mapped to
    ESCO by label, and the names that map to nothing are listed (and kept for the export)."""
    result = resume_import.import_json_resume(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        document=document,
        now=platform.clock(),
        cache=taxonomy_search.label_index_cache(platform.caches),
        lexicon=skill_names.extraction_lexicon(platform.uow(), platform.caches, platform.lexicons),
    )
    return JsonResumeImportPublic.of(result)


@router.get("/{user_id}/json-resume", summary="Export a profile as JSON Resume")
def export_json_resume(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> dict[str, Any]:
    """The profile as a JSON Resume v1 document; skills under their ESCO preferred labels."""
    return resume_import.export_json_resume(platform.uow(), actor=actor, user_id=user_id)
