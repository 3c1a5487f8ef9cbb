"""An extraction result as a file to download: JSON in the API's shape, CSV in the CLI's shapes."""

from __future__ import annotations

import io
import re

from fastapi.responses import JSONResponse, Response

from microcareer.api.schemas.extraction import DocumentExtractionPublic
from microcareer.domain.extraction.mentions import DocumentExtraction
from microcareer.domain.extraction.records import MENTION_COLUMNS, SKILL_COLUMNS, mention_rows, skill_rows
from microcareer.domain.spreadsheet_cells import FormulaSafeWriter


def json_download(found: DocumentExtraction, *, text: str) -> Response:
    """What ``POST /api/v1/extract/file`` answers: the mentions, the skill set and the text."""
    body = DocumentExtractionPublic.of(found, text=text).model_dump(mode="json")
    return JSONResponse(body, headers=attachment(found.doc_id, ".json"))


def csv_text(found: DocumentExtraction, *, skills: bool) -> str:
    """One row per mention (``extract --output csv``) or per skill (``--output skills-csv``)."""
    out = io.StringIO()
    writer = FormulaSafeWriter(out, lineterminator="\n")
    writer.writerow(SKILL_COLUMNS if skills else MENTION_COLUMNS)
    writer.writerows(skill_rows(found) if skills else mention_rows(found))
    return out.getvalue()


def csv_download(found: DocumentExtraction, *, skills: bool) -> Response:
    headers = attachment(found.doc_id, "-skills.csv" if skills else "-mentions.csv")
    return Response(csv_text(found, skills=skills), media_type="text/csv; charset=utf-8", headers=headers)


def attachment(doc_id: str, suffix: str) -> dict[str, str]:
    """A download's file name from the document's name: safe characters only, never empty."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,8}$", "", doc_id)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "extraction"
    return {"Content-Disposition": f'attachment; filename="{stem}{suffix}"'}
