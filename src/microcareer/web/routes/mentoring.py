"""/mentoring: your mentoring offer, mentors for the skills of your gap, your mentorships;
/mentoring/{id}: one mentorship with its sessions, the mentor's answer and both confirmations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.errors import InvalidInput, MicrocareerError, NotFound
from microcareer.services import mentorship
from microcareer.services.mentorship import MentorMatch
from microcareer.services.profiles import visible_skill_labels
from microcareer.web.auth import WebActorDep, current_identity, page_context
from microcareer.web.marketplace_pages import resolve_skill
from microcareer.web.network_pages import act, number, refusal, skill_texts
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import to_login, today_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)


@router.get("/mentoring", response_class=HTMLResponse)
def mentoring_page(
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    skills: Annotated[str, Query(max_length=2000)] = "",
) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/mentoring")
    me = identity.user.id
    mentors: list[MentorMatch] = []
    error = None
    status = 200
    if skills.strip():
        try:
            uris = tuple(
                resolve_skill(platform, actor, t, f"skills[{i}]") for i, t in enumerate(skill_texts(skills))
            )
            mentors = mentorship.find_mentors(platform.uow(), actor=actor, user_id=me, skills=uris)
        except (InvalidInput, NotFound) as exc:
            error, status = str(exc), exc.status
    offer = mentorship.offer_of(platform.uow(), actor=actor, user_id=me)
    offer_skills = ""
    if offer is not None:
        with platform.uow() as uow:
            labels = visible_skill_labels(uow, actor, list(offer.skills))
        offer_skills = ", ".join(labels.get(u, u) for u in offer.skills)
    context = page_context(
        request,
        offer=offer,
        offer_skills=offer_skills,
        skills=skills,
        mentors=mentors,
        mentorships=mentorship.mentorships_of(platform.uow(), actor=actor, user_id=me),
        me=me,
        error=error,
    )
    return templates.TemplateResponse(request, "network/mentoring.html", context, status_code=status)


@router.post("/mentoring/offer", response_class=HTMLResponse)
async def save_offer(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> None:
        texts = skill_texts(field_of(data, "skills"))
        uris = tuple(resolve_skill(platform, actor, t, f"skills[{i}]") for i, t in enumerate(texts))
        hours = number(field_of(data, "hours_per_month"))
        if hours is None:
            raise InvalidInput("hours_per_month: a whole number of hours, 1 to 80", field="hours_per_month")
        mentorship.offer(
            platform.uow(),
            actor=actor,
            user_id=me,
            skills=uris,
            hours_per_month=hours,
            note=field_of(data, "note"),
            active=field_of(data, "active") != "off",
            now=platform.clock(),
        )

    return await act(request, "/mentoring", run)


@router.post("/mentoring/ask", response_class=HTMLResponse)
async def ask(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> str:
        mentor = number(field_of(data, "mentor_id"))
        if mentor is None:
            raise InvalidInput("mentor_id: a person's number", field="mentor_id")
        uris = tuple(u for u in data.getlist("skill") if isinstance(u, str))
        made = mentorship.ask(
            platform.uow(),
            actor=actor,
            user_id=me,
            mentor_id=mentor,
            skills=uris,
            message=field_of(data, "message"),
            now=platform.clock(),
        )
        return f"/mentoring/{made.id}"

    return await act(request, "/mentoring", run)


@router.get("/mentoring/{mentorship_id}", response_class=HTMLResponse)
def mentorship_page(
    request: Request, mentorship_id: RowId, platform: PlatformDep, actor: WebActorDep
) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login(f"/mentoring/{mentorship_id}")
    try:
        view = mentorship.get(platform.uow(), actor=actor, mentorship_id=mentorship_id)
    except MicrocareerError as exc:
        return refusal(request, str(exc), "/mentoring", exc.status)
    me = identity.user.id
    m = view.mentorship
    confirmed_by_me = (m.mentor_confirmed and me == m.mentor_id) or (m.mentee_confirmed and me == m.mentee_id)
    context = page_context(
        request, view=view, m=m, me=me, today=today_of(platform).isoformat(), confirmed_by_me=confirmed_by_me
    )
    return templates.TemplateResponse(request, "network/mentorship.html", context)


@router.post("/mentoring/{mentorship_id}/{step}", response_class=HTMLResponse)
async def mentorship_step(
    request: Request, mentorship_id: RowId, step: str, platform: PlatformDep, actor: WebActorDep
) -> Response:
    def run(data: FormData, me: int) -> None:
        uow = platform.uow()
        if step in ("accept", "decline"):
            mentorship.answer(uow, actor=actor, mentorship_id=mentorship_id, accept=step == "accept")
        elif step == "sessions":
            try:
                held_on = date.fromisoformat(field_of(data, "date"))
            except ValueError:
                raise InvalidInput("date: a date like 2026-11-23", field="date") from None
            minutes = number(field_of(data, "minutes"))
            if minutes is None:
                raise InvalidInput("minutes: a whole number of minutes", field="minutes")
            now = platform.clock()
            mentorship.record_session(
                uow,
                actor=actor,
                mentorship_id=mentorship_id,
                held_on=held_on,
                minutes=minutes,
                notes=field_of(data, "notes"),
                today=now.date(),
                now=now,
            )
        elif step == "complete":
            mentorship.confirm_complete(uow, actor=actor, mentorship_id=mentorship_id, now=platform.clock())
        else:
            raise NotFound(f"no step {step!r}")

    return await act(request, f"/mentoring/{mentorship_id}", run)
