"""/network: your connections with how you know each person, requests to answer, people proposed from
shared work, who sees your connections, blocks, and who can introduce you to someone with a skill
(``/network?skill=...``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.domain.network.connections import ConnectionsVisibility, visibility_of
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import connections, introductions, referrals
from microcareer.services.introductions import Path
from microcareer.web.auth import WebActorDep, current_identity, page_context
from microcareer.web.marketplace_pages import resolve_skill
from microcareer.web.network_pages import act, number
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import to_login, today_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

VISIBILITY_WORDS = {
    ConnectionsVisibility.ONLY_ME: "Only me",
    ConnectionsVisibility.CONNECTIONS: "My connections",
    ConnectionsVisibility.SIGNED_IN: "Anyone signed in",
}


@router.get("/network", response_class=HTMLResponse)
def network_page(
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    skill: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/network")
    me = identity.user.id
    mine = connections.connections(platform.uow(), actor=actor, user_id=me)
    paths: list[Path] = []
    error = None
    status = 200
    if skill.strip():
        try:
            uri = resolve_skill(platform, actor, skill.strip(), "skill")
            paths = introductions.who_can_introduce(
                platform.uow(),
                actor=actor,
                user_id=me,
                skill=uri,
                today=today_of(platform),
                policy=platform.evidence_policy,
            )
        except (InvalidInput, NotFound) as exc:
            error, status = str(exc), exc.status
    connected = {v.other_id for v in mine}
    context = page_context(
        request,
        incoming=[v for v in mine if v.incoming],
        outgoing=[v for v in mine if v.state.value == "pending" and not v.incoming],
        accepted=[v for v in mine if v.state.value == "accepted"],
        proposals=connections.proposals(platform.uow(), actor=actor, user_id=me),
        visibility=connections.visibility(platform.uow(), actor=actor, user_id=me),
        choices=VISIBILITY_WORDS,
        blocked=connections.blocked(platform.uow(), actor=actor, user_id=me),
        skill=skill,
        paths=paths,
        connected=connected,
        error=error,
        referrals_made=referrals.made_by(platform.uow(), actor=actor, user_id=me),
        referrals_received=referrals.to_my_jobs(platform.uow(), actor=actor, user_id=me),
    )
    return templates.TemplateResponse(request, "network/index.html", context, status_code=status)


def _person(data: FormData) -> int:
    found = number(field_of(data, "user_id"))
    if found is None:
        raise InvalidInput("user_id: a person's number", field="user_id")
    return found


@router.post("/network/connect", response_class=HTMLResponse)
async def connect(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> str:
        other = _person(data)
        connections.request(
            platform.uow(),
            actor=actor,
            user_id=me,
            other_id=other,
            message=field_of(data, "message"),
            now=platform.clock(),
        )
        # sent from the person's profile page (``back=profile``): back there, else to /network
        return f"/profiles/{other}#connect" if field_of(data, "back") == "profile" else "/network"

    return await act(request, "/network", run)


@router.post("/network/connections/{connection_id}/{answer}", response_class=HTMLResponse)
async def answer(
    request: Request, connection_id: RowId, answer: str, platform: PlatformDep, actor: WebActorDep
) -> Response:
    def run(data: FormData, me: int) -> None:
        if answer == "accept":
            connections.accept(
                platform.uow(), actor=actor, user_id=me, connection_id=connection_id, now=platform.clock()
            )
        elif answer == "decline":
            connections.decline(platform.uow(), actor=actor, user_id=me, connection_id=connection_id)
        else:
            raise NotFound(f"no answer {answer!r}: accept or decline")

    return await act(request, "/network", run)


@router.post("/network/remove", response_class=HTMLResponse)
async def remove(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> None:
        connections.remove(platform.uow(), actor=actor, user_id=me, other_id=_person(data))

    return await act(request, "/network", run)


@router.post("/network/block", response_class=HTMLResponse)
async def block(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> None:
        connections.block(
            platform.uow(), actor=actor, user_id=me, other_id=_person(data), now=platform.clock()
        )

    return await act(request, "/network", run)


@router.post("/network/unblock", response_class=HTMLResponse)
async def unblock(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> None:
        connections.unblock(platform.uow(), actor=actor, user_id=me, other_id=_person(data))

    return await act(request, "/network", run)


@router.post("/network/privacy", response_class=HTMLResponse)
async def privacy(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> None:
        value = visibility_of(field_of(data, "connections_visibility"))
        connections.set_visibility(platform.uow(), actor=actor, user_id=me, value=value)

    return await act(request, "/network", run)


@router.post("/network/refer", response_class=HTMLResponse)
async def refer(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> str:
        job = number(field_of(data, "job_id"))
        if job is None:
            raise InvalidInput(
                "job_id: the job's number (it is in the job's address, /jobs/NUMBER)", field="job_id"
            )
        referrals.refer(
            platform.uow(),
            actor=actor,
            user_id=me,
            job_id=job,
            candidate_id=_person(data),
            note=field_of(data, "note"),
            now=platform.clock(),
        )
        return "/network#referrals"

    return await act(request, "/network#referrals", run)
