"""/api/v1/users/{user_id}/mentor-offer, /mentors, /mentorships; /api/v1/mentorships/{id} with its
answer, sessions and completion.

Offers, searches and requests act for the person (themselves, or a platform admin). A mentorship is
its mentor's and mentee's: anyone else gets 404. Only the mentor answers; each side confirms the
completion for themselves, and the second confirmation records the evidence for both.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.routes.network import skill_uri
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.network import (
    AnswerBody,
    MentorOfferBody,
    MentorOfferPublic,
    MentorPublic,
    MentorshipBody,
    MentorshipPublic,
    SessionBody,
)
from microcareer.errors import NotFound
from microcareer.services import mentorship
from microcareer.services.access import Action, Resource, authorize

router = PrefixRouter(tags=["mentoring"], route_class=OneHopRoute)

SkillsQuery = Annotated[
    list[str],
    Query(min_length=1, max_length=20, description="Skills (URI, key or name), the field repeated."),
]


@router.put("/users/{user_id}/mentor-offer", response_model=MentorOfferPublic, summary="Offer mentoring")
def put_offer(
    user_id: RowId, body: MentorOfferBody, platform: PlatformDep, actor: ActorDep
) -> MentorOfferPublic:
    authorize(actor, Action.MENTOR_OFFER, Resource(owner_user_id=user_id))
    uris = tuple(skill_uri(platform, actor, s) for s in body.skills)
    made = mentorship.offer(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        skills=uris,
        hours_per_month=body.hours_per_month,
        note=body.note,
        active=body.active,
        now=platform.clock(),
    )
    return MentorOfferPublic(
        user_id=made.user_id,
        skills=list(made.skills),
        hours_per_month=made.hours_per_month,
        note=made.note,
        active=made.active,
    )


@router.get("/users/{user_id}/mentor-offer", response_model=MentorOfferPublic, summary="Your mentoring offer")
def get_offer(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> MentorOfferPublic:
    found = mentorship.offer_of(platform.uow(), actor=actor, user_id=user_id)
    if found is None:
        raise NotFound(f"user {user_id} offers no mentoring")
    return MentorOfferPublic(
        user_id=found.user_id,
        skills=list(found.skills),
        hours_per_month=found.hours_per_month,
        note=found.note,
        active=found.active,
    )


@router.get("/users/{user_id}/mentors", response_model=list[MentorPublic], summary="Find mentors for skills")
def find_mentors(
    user_id: RowId, skill: SkillsQuery, platform: PlatformDep, actor: ActorDep
) -> list[MentorPublic]:
    """People offering mentoring on any of the skills (those of your gap), most matched first."""
    authorize(actor, Action.MENTOR_OFFER, Resource(owner_user_id=user_id))
    uris = tuple(skill_uri(platform, actor, s) for s in skill)
    return [
        MentorPublic.of(m)
        for m in mentorship.find_mentors(platform.uow(), actor=actor, user_id=user_id, skills=uris)
    ]


@router.post(
    "/users/{user_id}/mentorships",
    response_model=MentorshipPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Ask someone to mentor you",
)
def ask(user_id: RowId, body: MentorshipBody, platform: PlatformDep, actor: ActorDep) -> MentorshipPublic:
    authorize(actor, Action.MENTOR_OFFER, Resource(owner_user_id=user_id))
    uris = tuple(skill_uri(platform, actor, s) for s in body.skills)
    made = mentorship.ask(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        mentor_id=body.mentor_id,
        skills=uris,
        message=body.message,
        now=platform.clock(),
    )
    return MentorshipPublic.of(mentorship.get(platform.uow(), actor=actor, mentorship_id=made.id))


@router.get("/users/{user_id}/mentorships", response_model=list[MentorshipPublic], summary="Your mentorships")
def list_mentorships(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[MentorshipPublic]:
    return [
        MentorshipPublic.of(v)
        for v in mentorship.mentorships_of(platform.uow(), actor=actor, user_id=user_id)
    ]


@router.get("/mentorships/{mentorship_id}", response_model=MentorshipPublic, summary="A mentorship")
def get_mentorship(mentorship_id: RowId, platform: PlatformDep, actor: ActorDep) -> MentorshipPublic:
    return MentorshipPublic.of(mentorship.get(platform.uow(), actor=actor, mentorship_id=mentorship_id))


@router.post(
    "/mentorships/{mentorship_id}/answer",
    response_model=MentorshipPublic,
    summary="Accept or decline (the mentor)",
)
def answer(
    mentorship_id: RowId, body: AnswerBody, platform: PlatformDep, actor: ActorDep
) -> MentorshipPublic:
    mentorship.answer(platform.uow(), actor=actor, mentorship_id=mentorship_id, accept=body.accept)
    return MentorshipPublic.of(mentorship.get(platform.uow(), actor=actor, mentorship_id=mentorship_id))


@router.post(
    "/mentorships/{mentorship_id}/sessions",
    response_model=MentorshipPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Record a session",
)
def record_session(
    mentorship_id: RowId, body: SessionBody, platform: PlatformDep, actor: ActorDep
) -> MentorshipPublic:
    now = platform.clock()
    mentorship.record_session(
        platform.uow(),
        actor=actor,
        mentorship_id=mentorship_id,
        held_on=body.date,
        minutes=body.minutes,
        notes=body.notes,
        today=now.date(),
        now=now,
    )
    return MentorshipPublic.of(mentorship.get(platform.uow(), actor=actor, mentorship_id=mentorship_id))


@router.post(
    "/mentorships/{mentorship_id}/complete", response_model=MentorshipPublic, summary="Confirm it complete"
)
def complete(mentorship_id: RowId, platform: PlatformDep, actor: ActorDep) -> MentorshipPublic:
    """Your side's confirmation; once both confirmed, the mentorship is evidence for both."""
    view = mentorship.confirm_complete(
        platform.uow(), actor=actor, mentorship_id=mentorship_id, now=platform.clock()
    )
    return MentorshipPublic.of(view)
