"""/api/v1/extract: ESCO skills in texts (JSON) or in an uploaded document (PDF, DOCX, HTML, text)."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, Request, UploadFile

from microcareer.api.admission import run_upload
from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.extraction import DocumentExtractionPublic, ExtractRequest, ExtractResponse
from microcareer.services import extraction

router = PrefixRouter(prefix="/extract", tags=["extraction"], route_class=OneHopRoute)


@router.post("", response_model=ExtractResponse, summary="Find ESCO skills in texts")
def extract_texts(body: ExtractRequest, platform: PlatformDep, actor: ActorDep) -> ExtractResponse:
    """Each document's mentions (URI, span, confidence, method) and its skill set; your organisations'
    own skills are found too."""
    request = extraction.ExtractionRequest(
        methods=frozenset(body.methods), min_confidence=body.min_confidence
    )
    extraction.options_for(actor, request, None)  # refuse before loading anything
    extractor = extraction.extractor_cache(platform.caches).get(platform.uow(), platform.lexicons)
    found = extraction.extract_texts(
        extractor, actor=actor, documents=((d.doc_id, d.text) for d in body.documents), request=request
    )
    return ExtractResponse(documents=[DocumentExtractionPublic.of(one) for one in found])


@router.post("/file", response_model=DocumentExtractionPublic, summary="Find ESCO skills in an uploaded file")
async def extract_file(
    request: Request,
    file: Annotated[UploadFile, File(description="PDF, DOCX, HTML, Markdown or plain text.")],
    platform: PlatformDep,
    actor: ActorDep,
    methods: Annotated[
        str,
        Form(
            description="Comma-separated: lexical, fuzzy, semantic, ranking (every skill ranked per "
            "sentence, calibrated scores)."
        ),
    ] = "lexical,fuzzy",
    min_confidence: Annotated[float, Form(ge=0.0, le=1.0)] = 0.5,
) -> DocumentExtractionPublic:
    """The document's text comes back too, so the offsets can be shown on it. Reading takes an upload
    slot (a document reader; half of them at most for one person): 503 with ``Retry-After`` when none
    comes free in time, 429 when this person already has their share waiting."""
    wanted = extraction.ExtractionRequest(
        methods=extraction.parse_methods(methods.split(",")), min_confidence=min_confidence
    )
    extraction.options_for(actor, wanted, None)

    def read_and_extract() -> DocumentExtractionPublic:
        # read in a reader process, within the MICROCAREER_DOCUMENT_* limits (the thread only waits)
        document = platform.documents.read_upload(file.file, filename=file.filename or "upload")
        extractor = extraction.extractor_cache(platform.caches).get(platform.uow(), platform.lexicons)
        found = extraction.extract_text(
            extractor, actor=actor, doc_id=document.doc_id, text=document.text, request=wanted
        )
        return DocumentExtractionPublic.of(found, text=document.text)

    # the upload slot is held through the extraction too: a long text's extraction is CPU in this
    # process, so the slots bound it (one person, half of them) instead of the shared thread pool
    return await run_upload(request, platform, actor, read_and_extract)
