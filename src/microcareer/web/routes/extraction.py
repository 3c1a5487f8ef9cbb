"""The extraction page: paste a text or upload a document, and see its skills marked in the text.

``/extract`` is one plain form (multipart, so it takes a file as well) for signed-in users. Posting it
answers with the page, or, when a download button sets ``output``, with the result as JSON (the API's
shape) or CSV (the CLI's shapes). Sorting the skill table re-submits the same form, so nothing needs
JavaScript and nothing is kept on the server between requests. Every error shows the form again, as
the user filled it, with a message saying what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from microcareer.adapters.documents import MAX_FILE_BYTES
from microcareer.adapters.documents.plain import normalise_newlines
from microcareer.api.admission import run_upload
from microcareer.api.deps import PlatformDep
from microcareer.api.edge_guard import check_form
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.extraction.mentions import DocumentExtraction, Method
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.errors import InvalidInput, MicrocareerError
from microcareer.services import extraction
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.downloads import csv_download, json_download
from microcareer.web.highlights import SkillOrder, pieces, sorted_skills
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)
templates.env.filters["concept_key"] = concept_key

PAGE = "/extract"
# A pasted text may hold MAX_TEXT_LENGTH characters of up to 4 UTF-8 bytes each; the form parser
# refuses a larger field (1 MiB by default) before the length check could name the problem.
MAX_FIELD_BYTES = 4 * extraction.MAX_TEXT_LENGTH + 1024
OUTPUTS = ("html", "json", "csv", "skills-csv")


@dataclass(frozen=True)
class ExtractionForm:
    """What the user sent, kept as typed so that an error shows the form again as it was."""

    text: str = ""
    doc_id: str = ""
    methods: tuple[str, ...] = tuple(m.value for m in Method if m in extraction.DEFAULT_METHODS)
    min_confidence: str = str(extraction.ExtractionRequest().min_confidence)
    order: SkillOrder = SkillOrder.CONFIDENCE
    output: str = "html"

    @classmethod
    def of(cls, form: FormData) -> ExtractionForm:
        order = _field(form, "sort")
        output = _field(form, "output")
        return cls(
            # A browser sends a textarea's line ends as CRLF; offsets count them as the API would.
            text=normalise_newlines(_field(form, "text")),
            doc_id=_field(form, "doc_id")[:500],
            methods=tuple(v for v in form.getlist("methods") if isinstance(v, str)),
            min_confidence=_field(form, "min_confidence").strip(),
            order=SkillOrder(order) if order in {o.value for o in SkillOrder} else SkillOrder.CONFIDENCE,
            output=output if output in OUTPUTS else "html",
        )

    def request(self) -> extraction.ExtractionRequest:
        """The methods and confidence floor, checked; an error names the field."""
        raw = self.min_confidence or str(extraction.ExtractionRequest().min_confidence)
        try:
            floor = float(raw)
        except ValueError:
            raise InvalidInput(
                f"min_confidence: {raw!r} is not a number between 0 and 1", field="min_confidence"
            ) from None
        return extraction.ExtractionRequest(
            methods=extraction.parse_methods(self.methods), min_confidence=floor
        )


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _to_login() -> Response:
    return RedirectResponse(f"/login?next={PAGE}", status_code=303)


def _render(
    request: Request,
    form: ExtractionForm,
    *,
    found: DocumentExtraction | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = page_context(
        request,
        form=form,
        error=error,
        found=found,
        pieces=pieces(form.text, found.mentions) if found is not None else [],
        skills=sorted_skills(found.skills, form.order) if found is not None else [],
        all_methods=[m.value for m in Method],
        max_file_mib=MAX_FILE_BYTES // 2**20,
        max_text_chars=extraction.MAX_TEXT_LENGTH,
    )
    return templates.TemplateResponse(request, "extraction/page.html", context, status_code=status)


@router.get(PAGE, response_class=HTMLResponse)
def extraction_page(request: Request) -> Response:
    if current_identity(request) is None:
        return _to_login()
    return _render(request, ExtractionForm())


@router.post(PAGE, response_class=HTMLResponse)
async def extract(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return _to_login()
    try:
        async with request.form(max_part_size=MAX_FIELD_BYTES) as data:  # closes the upload after
            check_form(data)
            return await _answer(request, platform, actor, data)
    except HTTPException as exc:  # the form parser's refusal: too large, too many fields, malformed
        error = f"The form could not be read: {exc.detail}"
        return _render(request, ExtractionForm(), error=error, status=413 if exc.status_code == 413 else 400)


async def _answer(request: Request, platform: Platform, actor: Actor, data: FormData) -> Response:
    form = ExtractionForm.of(data)
    if not form_csrf_ok(request, _field(data, "csrf_token")):
        error = "This form expired or did not come from this site: please send it again."
        return _render(request, form, error=error, status=403)
    upload = data.get("file")
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            given = Upload(upload.filename, await upload.read(MAX_FILE_BYTES + 1))
            form.request()  # a bad form is refused before the file is read
            if len(given.data) > MAX_FILE_BYTES:
                limit = MAX_FILE_BYTES // 2**20
                raise InvalidInput(f"file: {given.filename} is over the {limit} MiB limit", field="file")

            # in a reader process, through the upload slots (half the readers at most for one person)
            # the slot is held through the extraction too (CPU in this process), as the API's upload
            def read_and_extract(
                form: ExtractionForm = form, given: Upload = given
            ) -> tuple[DocumentExtraction, ExtractionForm]:
                document = platform.documents.read_bytes(given.data, filename=given.filename)
                return _extract(platform, actor, replace(form, text=document.text, doc_id=document.doc_id))

            found, form = await run_upload(request, platform, actor, read_and_extract)
        else:
            found, form = await run_in_threadpool(_extract, platform, actor, form)
    except MicrocareerError as exc:
        response = _render(request, form, error=str(exc), status=exc.status)
        retry_after = exc.extra.get("retry_after")
        if isinstance(retry_after, int):
            response.headers["Retry-After"] = str(retry_after)
        return response
    if form.output == "json":
        return json_download(found, text=form.text)
    if form.output in ("csv", "skills-csv"):
        return csv_download(found, skills=form.output == "skills-csv")
    return _render(request, form, found=found)


def _extract(
    platform: Platform, actor: Actor, form: ExtractionForm
) -> tuple[DocumentExtraction, ExtractionForm]:
    """Check the form and extract from its text (an upload's text, once read, replaced the pasted one)."""
    request = form.request()
    if not form.text.strip():
        raise InvalidInput("text: paste a text or choose a file", field="text")
    extractor = extraction.extractor_cache(platform.caches).get(platform.uow(), platform.lexicons)
    found = extraction.extract_text(
        extractor, actor=actor, doc_id=form.doc_id, text=form.text, request=request
    )
    return found, form
