"""Job postings uploaded to be ingested, for the API (``POST /api/v1/market/postings``) and the upload
form of the ``/market`` page: one form, one way through.

The form (``multipart/form-data``) is ``file`` (CSV, JSON Lines or Parquet), ``columns`` (the mapping,
``"id=job_id,text=description"``), ``source`` and ``format`` (else from the file's suffix). It is read
only after the caller is known to be allowed (``Action.MARKET_INGEST``): at most one file, short text
fields, NUL bytes refused (``edge_guard.check_form``). The file is spooled to a temporary file within
``market_ingest.UPLOAD_MAX_BYTES`` (else 413 naming ``file``) and ingested by
``market_ingest.ingest_file``, the service behind ``market ingest``, capped at ``UPLOAD_MAX_ROWS`` rows
and as many bytes of decoded text (413 naming ``file``) so that it ends within a request. It runs
synchronously, in a slot of the upload gate (``api/admission.py``: one upload at a time per person
while others wait, 503/429 with ``Retry-After`` when none comes free), out of the default thread pool.

A larger file (``market_ingest_jobs.JOB_MAX_ROWS`` rows, ``JOB_MAX_BYTES``) is ingested in the
background (``start_ingest_job``: ``POST /api/v1/market/ingests``, the form's "in the background"):
copied to a temporary folder of its own with the byte cap checked as it streams, checked as above,
then the job recorded (``market_ingest_jobs.start``: 503 ``busy`` with ``Retry-After``, the file
removed, when a job runs already in any process sharing the store), and the ingest run after the
answer (a Starlette background task, in a worker thread outside the default pool), the file removed
when it ends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial

import anyio
import anyio.to_thread
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from microcareer.adapters.posting_files import FORMATS, PostingFile, discard, kept_upload, spooled_upload
from microcareer.api.admission import run_upload
from microcareer.api.edge_guard import check_form
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.market.ingest_jobs import IngestJob
from microcareer.errors import InvalidInput
from microcareer.services import market_ingest, market_ingest_jobs
from microcareer.services.market_ingest import CheckedFile, IngestReport

MAX_TEXT_FIELD = 4 * 1024
MAX_FIELDS = 8
TEXT_FIELDS = ("columns", "source", "format", "csrf_token", "background")
FORM_SCHEMA = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "CSV, JSON Lines or Parquet."},
        "columns": {
            "type": "string",
            "description": "FIELD=COLUMN pairs, e.g. 'id=job_id,text=description' (fields: id, title, "
            "text, date, place, organisation, pay, source; unnamed fields keep their own name).",
        },
        "source": {"type": "string", "description": "Source of rows without one (default: the file's name)."},
        "format": {"type": "string", "enum": ["", *FORMATS], "description": "Default: the file's suffix."},
    },
}


@dataclass(frozen=True, slots=True)
class IngestForm:
    """The upload form as posted."""

    file: UploadFile | None
    columns: str
    source: str
    format: str
    csrf_token: str
    background: str  # the page's checkbox: "1" to ingest in the background


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{name}: text, not a file", field=name)
    return value or ""


@asynccontextmanager
async def ingest_form(request: Request) -> AsyncIterator[IngestForm]:
    """The posted form, open while the caller ingests it (its file is closed after)."""
    try:
        async with request.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=MAX_TEXT_FIELD) as data:
            check_form(data)
            upload = data.get("file")
            yield IngestForm(
                file=upload if isinstance(upload, UploadFile) and upload.filename else None,
                **{name: _text(data, name).strip() for name in TEXT_FIELDS},
            )
    except HTTPException as exc:  # the form parser's refusal: too many fields or files, a long field
        raise InvalidInput(f"form: cannot be read ({exc.detail})", field="file") from None


NO_FILE = "file: choose a CSV, JSON Lines or Parquet file of postings"


def _ingest(platform: Platform, actor: Actor, form: IngestForm) -> IngestReport:
    if form.file is None:
        raise InvalidInput(NO_FILE, field="file")
    form.file.file.seek(0)
    with spooled_upload(
        form.file.file,
        filename=form.file.filename or "",
        given=form.format or None,
        max_bytes=market_ingest.UPLOAD_MAX_BYTES,
    ) as file:
        return market_ingest.ingest_file(
            platform.uow(),
            platform.caches,
            platform.lexicons,
            actor=actor,
            file=file,
            columns=form.columns,
            source=form.source,
            max_rows=market_ingest.UPLOAD_MAX_ROWS,
            max_bytes=market_ingest.UPLOAD_MAX_BYTES,
        )


async def ingest_upload(request: Request, platform: Platform, actor: Actor, form: IngestForm) -> IngestReport:
    """The form's file ingested, in a slot of the upload gate (its thread, not the default pool's)."""
    return await run_upload(request, platform, actor, partial(_ingest, platform, actor, form))


def _kept_and_checked(actor: Actor, form: IngestForm) -> CheckedFile:
    """The form's file copied where a job can read it after the request, and checked (else removed)."""
    if form.file is None:
        raise InvalidInput(NO_FILE, field="file")
    form.file.file.seek(0)
    file = kept_upload(
        form.file.file,
        filename=form.file.filename or "",
        given=form.format or None,
        max_bytes=market_ingest_jobs.JOB_MAX_BYTES,
    )
    try:
        return market_ingest.check_file(
            actor,
            file=file,
            columns=form.columns,
            source=form.source,
            max_rows=market_ingest_jobs.JOB_MAX_ROWS,
            max_bytes=market_ingest_jobs.JOB_MAX_BYTES,
            larger="larger corpora go through `microcareer market ingest`",
        )
    except BaseException:
        discard(file)
        raise


async def start_ingest_job(
    request: Request, platform: Platform, actor: Actor, form: IngestForm
) -> tuple[IngestJob, BackgroundTask]:
    """The form's file checked and recorded as a running job (``Busy`` when one runs anywhere); the
    task to run after the answer ingests it, then removes the file."""
    checked = await run_in_threadpool(_kept_and_checked, actor, form)
    jobs = platform.ingest_jobs
    try:
        job = await run_in_threadpool(jobs.start, actor, checked)
    except BaseException:
        discard(_file_of(checked))
        raise
    work = partial(jobs.run, actor, job, checked)

    async def run_job() -> None:
        try:
            await anyio.to_thread.run_sync(work, limiter=anyio.CapacityLimiter(1))
        finally:
            discard(_file_of(checked))

    return job, BackgroundTask(run_job)


def _file_of(checked: CheckedFile) -> PostingFile:
    file = checked.file
    if not isinstance(file, PostingFile):  # pragma: no cover - uploads are always PostingFiles
        raise TypeError("an upload's file is a PostingFile")
    return file
