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
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from microcareer.adapters.posting_files import FORMATS, spooled_upload
from microcareer.api.admission import run_upload
from microcareer.api.edge_guard import check_form
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import InvalidInput
from microcareer.services import market_ingest
from microcareer.services.market_ingest import IngestReport

MAX_TEXT_FIELD = 4 * 1024
MAX_FIELDS = 8
TEXT_FIELDS = ("columns", "source", "format", "csrf_token")
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


def _ingest(platform: Platform, actor: Actor, form: IngestForm) -> IngestReport:
    if form.file is None:
        raise InvalidInput("file: choose a CSV, JSON Lines or Parquet file of postings", field="file")
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
