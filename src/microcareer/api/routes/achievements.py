"""/api/v1/achievements/{id}: an achievement, and issuing it to recipients (JSON, or a CSV batch).

Issuing is all or nothing: one bad recipient or row and nothing is issued; the 422 problem lists
every one (``rows``). Only the issuer's managers issue.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, status
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from microcareer.adapters.documents import MAX_FILE_BYTES
from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.credentials import AchievementPublic, CredentialPublic, IssueCreate
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issue_rows import BatchRejected, IssueRequest, parse_issue_csv
from microcareer.domain.credentials.records import Achievement, Issuer
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound
from microcareer.services import achievements, credential_issuers, credential_issuing
from microcareer.services.access import Action, authorize
from microcareer.services.credential_issuing import ProofFormat

router = PrefixRouter(prefix="/achievements", tags=["credentials"], route_class=OneHopRoute)

ProofFormatParam = Annotated[
    ProofFormat,
    Query(description="eddsa-rdfc-2022 or eddsa-jcs-2022 (Data Integrity), or jwt (VC-JWT)."),
]
_CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "A CSV with a header row: email and/or did, name, narrative, evidence_narrative, evidence_url, "
            "evidence_name, and result:NAME for each result the achievement defines."
        ),
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


@router.get("/{achievement_id}", response_model=AchievementPublic, summary="One achievement")
def get_achievement(achievement_id: RowId, platform: PlatformDep) -> AchievementPublic:
    achievement = achievements.get_achievement(platform.uow(), achievement_id)
    return AchievementPublic.of(achievement, platform.publication)


def _in_request(index: int, field: str) -> str:
    """A service's field name for one recipient (``recipient.email``) as a path in the request body."""
    if field == "recipient":
        return f"recipients[{index}]"
    if field.startswith("recipient."):
        return f"recipients[{index}].{field.removeprefix('recipient.')}"
    return f"recipients[{index}].{field}" if field else f"recipients[{index}]"


def _message(detail: str) -> str:
    return detail.split(": ", 1)[-1]


def _issue(
    platform: Platform,
    actor: Actor,
    achievement_id: int,
    requests: list[IssueRequest],
    proof_format: ProofFormat,
    source: str,
) -> list[CredentialPublic]:
    issued = credential_issuing.issue_credentials(
        platform.uow(),
        platform.key_vault,
        actor=actor,
        achievement_id=achievement_id,
        requests=requests,
        proof_format=proof_format,
        publication=platform.publication,
        now=platform.clock(),
        source=source,
    )
    publication = platform.publication
    return [CredentialPublic.of(record, publication) for record in issued]


@router.post(
    "/{achievement_id}/credentials",
    response_model=list[CredentialPublic],
    status_code=status.HTTP_201_CREATED,
    summary="Issue an achievement to recipients",
)
def issue(
    achievement_id: RowId, body: IssueCreate, platform: PlatformDep, actor: ActorDep
) -> list[CredentialPublic]:
    """Each recipient gets a signed Open Badges 3.0 credential; one with an account (the e-mail
    matches) finds it in their wallet and the aligned skills on their profile."""
    requests = [r.to_request() for r in body.recipients]
    try:
        return _issue(platform, actor, achievement_id, requests, body.proof_format, "recipients")
    except BatchRejected as rejected:
        rows = [
            {
                "index": int(str(row["line"])) - 2,
                "field": _in_request(int(str(row["line"])) - 2, str(row["column"])),
                "message": _message(str(row["message"])),
            }
            for row in rejected.extra.get("rows", [])
        ]
        first, more = rows[0], f" (and {len(rows) - 1} more)" if len(rows) > 1 else ""
        raise BatchRejected(
            f"{first['field']}: {first['message']}{more}; nothing was issued", field="recipients", rows=rows
        ) from None
    except InvalidInput as error:
        field = str(error.extra.get("field", ""))
        if len(requests) != 1 or not field.startswith(("recipient", "evidence", "results")):
            raise
        where = _in_request(0, field)
        raise InvalidInput(f"{where}: {_message(error.detail)}", field=where) from None


def _issuer_of(platform: Platform, achievement: Achievement) -> Issuer:
    issuer = next(
        (i for i in credential_issuers.list_issuers(platform.uow()) if i.id == achievement.issuer_id), None
    )
    if issuer is None:  # pragma: no cover - a foreign key keeps them together
        raise NotFound(f"no achievement {achievement.id}")
    return issuer


def _authorize_batch(platform: Platform, actor: Actor, achievement_id: int) -> list[str]:
    """Refuse a caller who may not issue before reading the file; the achievement's result names."""
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to issue credentials")
    achievement = achievements.get_achievement(platform.uow(), achievement_id)
    issuer = _issuer_of(platform, achievement)
    authorize(actor, Action.ISSUER_MANAGE, credential_issuers.issuer_resource(issuer))
    return [r.name for r in achievement.definition.results]


async def read_csv_upload(request: Request) -> tuple[str, str]:
    """The CSV's text and a name for it: a multipart ``file`` field or a ``text/csv`` body."""
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    too_big = f"file: the CSV is over {MAX_FILE_BYTES // 2**20} MiB; split it"
    if content_type == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file: a multipart upload needs the CSV in the field 'file'", field="file")
        data = await upload.read(MAX_FILE_BYTES + 1)
        source = upload.filename or "upload.csv"
    elif content_type in ("text/csv", "text/plain"):
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise InvalidInput(too_big, field="file")
            chunks.append(chunk)
        data, source = b"".join(chunks), "request body"
    else:
        sent = content_type or "no content type"
        raise InvalidInput(
            f"send the CSV as multipart/form-data (field 'file') or as a text/csv body, not {sent}",
            field="file",
        )
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(too_big, field="file")
    try:
        return data.decode("utf-8"), source
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{source}: not UTF-8 text (byte {error.start})", field="file") from None


@router.post(
    "/{achievement_id}/credentials/batch",
    response_model=list[CredentialPublic],
    status_code=status.HTTP_201_CREATED,
    summary="Issue an achievement to every row of a CSV",
    openapi_extra=_CSV_BODY,
)
async def issue_batch(
    achievement_id: RowId,
    request: Request,
    platform: PlatformDep,
    actor: ActorDep,
    proof_format: ProofFormatParam = "eddsa-rdfc-2022",
) -> list[CredentialPublic]:
    """Every row is checked first; a 422 problem names each bad row's line and column (``rows``) and
    nothing is issued."""
    result_names = await run_in_threadpool(_authorize_batch, platform, actor, achievement_id)
    text, source = await read_csv_upload(request)
    return await run_in_threadpool(
        _issue_csv, platform, actor, achievement_id, text, source, result_names, proof_format
    )


def _issue_csv(
    platform: Platform,
    actor: Actor,
    achievement_id: int,
    text: str,
    source: str,
    result_names: list[str],
    proof_format: ProofFormat,
) -> list[CredentialPublic]:
    requests = parse_issue_csv(text, source=source, result_names=result_names)
    return _issue(platform, actor, achievement_id, requests, proof_format, source)
