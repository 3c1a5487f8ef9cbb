"""/api/v1/organisations/{slug}/ideas: an organisation's idea board, for its members only (outsiders
404, signed out 401): pitch, support, ask to join, sponsor with a budget of hours, make internal
micro-jobs of it, record the outcome. The rules are ``services.ideas``'."""

from __future__ import annotations

from fastapi import Response, status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.routes.jobs import skill_uris
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.ideas import (
    IdeaJobBody,
    IdeaPitch,
    IdeaPublic,
    JoinAnswerBody,
    JoinBody,
    OutcomeBody,
    SponsorBody,
)
from microcareer.api.schemas.jobs import JobPublic
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services import ideas

router = PrefixRouter(prefix="/organisations/{slug}/ideas", tags=["ideas"], route_class=OneHopRoute)


def _idea(platform: Platform, actor: Actor, slug: str, idea_id: int) -> IdeaPublic:
    return IdeaPublic.of(ideas.get_idea(platform.uow(), actor=actor, slug=slug, idea_id=idea_id))


@router.get("", response_model=list[IdeaPublic], summary="The organisation's idea board, newest first")
def board(slug: str, platform: PlatformDep, actor: ActorDep) -> list[IdeaPublic]:
    _, views = ideas.board(platform.uow(), actor=actor, slug=slug)
    return [IdeaPublic.of(v) for v in views]


@router.post("", response_model=IdeaPublic, status_code=status.HTTP_201_CREATED, summary="Pitch an idea")
def pitch(slug: str, body: IdeaPitch, platform: PlatformDep, actor: ActorDep) -> IdeaPublic:
    skills = skill_uris(platform, actor, body.skills, "skills")
    made = ideas.pitch(
        platform.uow(), actor=actor, slug=slug, pitch=body.to_pitch(skills), now=platform.clock()
    )
    return _idea(platform, actor, slug, made.id)


@router.get("/{idea_id}", response_model=IdeaPublic, summary="An idea")
def get_idea(slug: str, idea_id: RowId, platform: PlatformDep, actor: ActorDep) -> IdeaPublic:
    return _idea(platform, actor, slug, idea_id)


@router.post(
    "/{idea_id}/support", status_code=status.HTTP_204_NO_CONTENT, summary="Support a colleague's idea"
)
def support(slug: str, idea_id: RowId, platform: PlatformDep, actor: ActorDep) -> Response:
    ideas.support(platform.uow(), actor=actor, slug=slug, idea_id=idea_id, now=platform.clock())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{idea_id}/join-requests", status_code=status.HTTP_204_NO_CONTENT, summary="Ask to join an idea"
)
def ask_to_join(
    slug: str, idea_id: RowId, body: JoinBody, platform: PlatformDep, actor: ActorDep
) -> Response:
    ideas.ask_to_join(
        platform.uow(), actor=actor, slug=slug, idea_id=idea_id, note=body.note, now=platform.clock()
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/{idea_id}/join-requests/{user_id}",
    response_model=IdeaPublic,
    summary="Accept or decline a colleague's request to join (the idea's author or sponsor)",
)
def answer_join_request(
    slug: str, idea_id: RowId, user_id: RowId, body: JoinAnswerBody, platform: PlatformDep, actor: ActorDep
) -> IdeaPublic:
    ideas.answer_join_request(
        platform.uow(),
        actor=actor,
        slug=slug,
        idea_id=idea_id,
        user_id=user_id,
        accept=body.accept,
        now=platform.clock(),
    )
    return _idea(platform, actor, slug, idea_id)


@router.put(
    "/{idea_id}/sponsorship",
    response_model=IdeaPublic,
    summary="Sponsor an idea with a budget of hours (the organisation's managers)",
)
def sponsor(
    slug: str, idea_id: RowId, body: SponsorBody, platform: PlatformDep, actor: ActorDep
) -> IdeaPublic:
    ideas.sponsor(
        platform.uow(),
        actor=actor,
        slug=slug,
        idea_id=idea_id,
        budget_hours=body.budget_hours,
        now=platform.clock(),
    )
    return _idea(platform, actor, slug, idea_id)


@router.post(
    "/{idea_id}/jobs",
    response_model=JobPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Make an internal micro-job of a sponsored idea, within its budget",
)
def make_job(
    slug: str, idea_id: RowId, body: IdeaJobBody, platform: PlatformDep, actor: ActorDep
) -> JobPublic:
    job = body.to_job(skill_uris(platform, actor, body.required_skills, "required_skills"))
    made = ideas.make_job(
        platform.uow(), actor=actor, slug=slug, idea_id=idea_id, job=job, now=platform.clock()
    )
    return JobPublic.of(made)


@router.put("/{idea_id}/outcome", response_model=IdeaPublic, summary="Record what became of an idea")
def record_outcome(
    slug: str, idea_id: RowId, body: OutcomeBody, platform: PlatformDep, actor: ActorDep
) -> IdeaPublic:
    ideas.record_outcome(
        platform.uow(),
        actor=actor,
        slug=slug,
        idea_id=idea_id,
        outcome=body.outcome,
        note=body.note,
        now=platform.clock(),
    )
    return _idea(platform, actor, slug, idea_id)
