"""Intrapreneurship: members pitch ideas inside their organisation, colleagues support them or ask to
join, a manager sponsors one with a budget of hours and makes internal micro-jobs of it, and its author
or sponsor records the outcome.

Who may (``services.access``): the board and every idea only the organisation's members (and platform
admins) see, anyone else is told the organisation does not exist (404), signed-out callers are asked to
sign in (401). Pitching, supporting (once, never one's own idea) and asking to join are for members
themselves. Sponsoring and making jobs are for the organisation's managers: its admins, who approve
internal gigs and post internal jobs. The outcome is the author's or the sponsor's to record.

The jobs are made through ``micro_jobs.add_draft`` (and ``publish_in``), the one path every internal job
takes, so the internal-gig rules hold for them as for any other: applicants need their manager's approval
and stay within the organisation's share of their week (``job_applications``). Their expected hours
together stay within the idea's budget, checked with the idea's row locked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from microcareer.domain.accounts import Actor, Organisation
from microcareer.domain.ideas import (
    Idea,
    JoinState,
    Outcome,
    Pitch,
    check_budget,
    check_job_fits,
    check_may_answer,
    check_may_join,
    check_may_support,
    check_outcome_note,
    hours_left,
)
from microcareer.domain.marketplace.jobs import Audience, Budget, JobState, MicroJob
from microcareer.domain.marketplace.records import StoredJob
from microcareer.errors import InvalidInput, NotFound
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.micro_jobs import add_draft, publish_in, signed_in_user
from microcareer.services.organisations import organisation_for
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import visible_skill_labels

UNCOUNTED = (JobState.CANCELLED,)
"""Jobs whose hours no longer count against the budget."""


@dataclass(frozen=True, slots=True)
class IdeaView:
    """An idea as its organisation's members read it: names of the people in it, its jobs, its budget."""

    idea: Idea
    organisation: Organisation
    names: dict[int, str]
    skill_labels: dict[str, str]
    jobs: tuple[StoredJob, ...]

    @property
    def hours_used(self) -> int:
        return _hours_used(self.jobs)

    @property
    def hours_left(self) -> int:
        return hours_left(self.idea, [self.hours_used])

    def name(self, user_id: int | None) -> str:
        return "" if user_id is None else self.names.get(user_id, f"user {user_id}")


@dataclass(frozen=True, slots=True)
class IdeaJob:
    """An internal micro-job to make from a sponsored idea; no skills: the idea's own."""

    title: str
    brief: str
    expected_hours: int
    budget: Budget
    required_skills: tuple[str, ...] = ()
    end: date | None = None
    publish: bool = True


def _idea(uow: UnitOfWork, organisation: Organisation, idea_id: int, *, lock: bool = False) -> Idea:
    idea = uow.ideas.get_idea(idea_id, for_update=lock)
    if idea is None or idea.organisation_id != organisation.id:
        raise NotFound(f"no idea {idea_id} in organisation {organisation.slug!r}", idea_id=idea_id)
    return idea


def _jobs(uow: UnitOfWork, idea: Idea) -> tuple[StoredJob, ...]:
    found = (uow.marketplace.get_job(job_id) for job_id in idea.job_ids)
    return tuple(job for job in found if job is not None)


def _hours_used(jobs: Sequence[StoredJob]) -> int:
    return sum(j.job.expected_hours for j in jobs if j.job.state not in UNCOUNTED)


def _views(uow: UnitOfWork, actor: Actor, organisation: Organisation, ideas: list[Idea]) -> list[IdeaView]:
    names = {user.id: user.display_name for user, _ in uow.accounts.members_of(organisation.id)}
    people = {i.author_user_id for i in ideas} | {i.sponsor_user_id for i in ideas if i.sponsor_user_id}
    for user_id in people - set(names):  # someone who has since left the organisation
        user = uow.accounts.get_user(user_id)
        if user is not None:
            names[user_id] = user.display_name
    labels = visible_skill_labels(uow, actor, sorted({s for i in ideas for s in i.pitch.skills}))
    return [IdeaView(i, organisation, names, labels, _jobs(uow, i)) for i in ideas]


def organisation(uow: UnitOfWork, *, actor: Actor, slug: str) -> Organisation:
    """The organisation if the actor may read its ideas (a form checks this before reading its fields,
    so an outsider learns nothing from what a form says is wrong)."""
    with uow:
        return organisation_for(uow.accounts, actor, slug, Action.IDEA_READ)


def board(uow: UnitOfWork, *, actor: Actor, slug: str) -> tuple[Organisation, list[IdeaView]]:
    """The organisation's ideas, newest first, for its members."""
    with uow:
        organisation = organisation_for(uow.accounts, actor, slug, Action.IDEA_READ)
        return organisation, _views(uow, actor, organisation, uow.ideas.ideas_of(organisation.id))


def get_idea(uow: UnitOfWork, *, actor: Actor, slug: str, idea_id: int) -> IdeaView:
    with uow:
        organisation = organisation_for(uow.accounts, actor, slug, Action.IDEA_READ)
        return _views(uow, actor, organisation, [_idea(uow, organisation, idea_id)])[0]


def pitch(uow: UnitOfWork, *, actor: Actor, slug: str, pitch: Pitch, now: datetime) -> Idea:
    """A member pitches an idea; its skills must be taxonomy skills the member may see."""
    author = signed_in_user(actor, "pitch an idea")
    pitch.validate()
    with uow:
        organisation = organisation_for(uow.accounts, actor, slug, Action.IDEA_READ)
        authorize(actor, Action.IDEA_TAKE_PART, Resource(organisation_id=organisation.id))
        labels = visible_skill_labels(uow, actor, list(pitch.skills))
        for index, uri in enumerate(pitch.skills):
            if uri not in labels:
                raise InvalidInput(f"skills[{index}]: {uri} is not a skill of the taxonomy", field="skills")
        idea = uow.ideas.add_idea(organisation.id, author, pitch, at=now)
        uow.commit()
    return idea


def _taking_part(uow: UnitOfWork, actor: Actor, slug: str, idea_id: int, what: str) -> tuple[int, Idea]:
    user_id = signed_in_user(actor, what)
    organisation = organisation_for(uow.accounts, actor, slug, Action.IDEA_READ)
    authorize(actor, Action.IDEA_TAKE_PART, Resource(organisation_id=organisation.id))
    return user_id, _idea(uow, organisation, idea_id)


def support(uow: UnitOfWork, *, actor: Actor, slug: str, idea_id: int, now: datetime) -> None:
    """A colleague supports the idea: once, and never their own."""
    with uow:
        user_id, idea = _taking_part(uow, actor, slug, idea_id, "support an idea")
        check_may_support(idea, user_id)
        uow.ideas.add_support(idea.id, user_id, at=now)
        uow.commit()


def ask_to_join(uow: UnitOfWork, *, actor: Actor, slug: str, idea_id: int, note: str, now: datetime) -> None:
    """A colleague asks to work on the idea (once); its sponsor sees who asked when making its jobs."""
    with uow:
        user_id, idea = _taking_part(uow, actor, slug, idea_id, "join an idea")
        check_may_join(idea, user_id, note)
        uow.ideas.add_join_request(idea.id, user_id, note.strip(), at=now)
        uow.commit()


def answer_join_request(
    uow: UnitOfWork, *, actor: Actor, slug: str, idea_id: int, user_id: int, accept: bool, now: datetime
) -> JoinState:
    """The idea's author or sponsor accepts a colleague onto the idea, or declines them (once)."""
    with uow:
        organisation = organisation_for(uow.accounts, actor, slug, Action.IDEA_READ)
        idea = _idea(uow, organisation, idea_id)
        authorize(actor, Action.IDEA_OUTCOME, _leads(idea))
        check_may_answer(idea, user_id, actor.user_id)
        state = JoinState.ACCEPTED if accept else JoinState.DECLINED
        uow.ideas.answer_join_request(idea.id, user_id, state, at=now)
        uow.commit()
    return state


def _leads(idea: Idea) -> Resource:
    """Who leads an idea: its author, and its sponsor once it has one."""
    readers = frozenset({idea.sponsor_user_id} if idea.sponsor_user_id is not None else ())
    return Resource(owner_user_id=idea.author_user_id, readers=readers)


def sponsor(
    uow: UnitOfWork, *, actor: Actor, slug: str, idea_id: int, budget_hours: int, now: datetime
) -> None:
    """A manager backs the idea with a budget of hours (again: a new budget, never below what its jobs
    take already); they become its sponsor."""
    sponsor_id = signed_in_user(actor, "sponsor an idea")
    with uow:
        organisation = organisation_for(uow.accounts, actor, slug, Action.IDEA_READ)
        authorize(actor, Action.IDEA_SPONSOR, Resource(organisation_id=organisation.id))
        idea = _idea(uow, organisation, idea_id, lock=True)
        check_budget(budget_hours, _hours_used(_jobs(uow, idea)))
        uow.ideas.sponsor(idea.id, sponsor_id, budget_hours, at=now)
        uow.commit()


def make_job(
    uow: UnitOfWork, *, actor: Actor, slug: str, idea_id: int, job: IdeaJob, now: datetime
) -> StoredJob:
    """An internal micro-job of the sponsored idea, within its budget: posted (and published, unless
    ``job.publish`` is false) as any internal job is, by a manager of the organisation."""
    with uow:
        organisation = organisation_for(uow.accounts, actor, slug, Action.IDEA_READ)
        authorize(actor, Action.IDEA_SPONSOR, Resource(organisation_id=organisation.id))
        idea = _idea(uow, organisation, idea_id, lock=True)
        check_job_fits(idea, [_hours_used(_jobs(uow, idea))], job.expected_hours)
        micro_job = MicroJob(
            title=job.title,
            brief=job.brief,
            required_skills=job.required_skills or idea.pitch.skills,
            nice_skills=(),
            budget=job.budget,
            expected_hours=job.expected_hours,
            start=None,
            end=job.end,
            remote=True,
            place="",
            audience=Audience.INTERNAL,
            organisation_id=organisation.id,
        )
        stored = add_draft(uow, actor, micro_job, now)
        if job.publish:
            stored = publish_in(uow, actor, stored, now)
        uow.ideas.add_job(idea.id, stored.id)
        uow.commit()
    return stored


def record_outcome(
    uow: UnitOfWork, *, actor: Actor, slug: str, idea_id: int, outcome: Outcome, note: str, now: datetime
) -> None:
    """The idea's author or sponsor says what became of it (again: the latest word stands)."""
    check_outcome_note(note)
    with uow:
        organisation = organisation_for(uow.accounts, actor, slug, Action.IDEA_READ)
        idea = _idea(uow, organisation, idea_id)
        authorize(actor, Action.IDEA_OUTCOME, _leads(idea))
        uow.ideas.set_outcome(idea.id, outcome, note.strip(), at=now)
        uow.commit()


def may(actor: Actor, view: IdeaView) -> dict[str, bool]:
    """What the actor may do with the idea, for the buttons a page shows (the services decide again)."""
    idea, me = view.idea, actor.user_id
    member = is_allowed(actor, Action.IDEA_TAKE_PART, Resource(organisation_id=idea.organisation_id))
    colleague = member and me is not None and me != idea.author_user_id
    leads = me is not None and is_allowed(actor, Action.IDEA_OUTCOME, _leads(idea))
    is_open = idea.outcome not in (Outcome.SHIPPED, Outcome.DROPPED)
    return {
        "support": colleague and me not in idea.supporters,
        "join": colleague
        and all(r.user_id != me for r in idea.join_requests)
        and idea.outcome not in (Outcome.SHIPPED, Outcome.DROPPED),
        "sponsor": is_allowed(actor, Action.IDEA_SPONSOR, Resource(organisation_id=idea.organisation_id)),
        "outcome": leads,
        "answer": leads
        and is_open
        and any(r.state is JoinState.ASKED and r.user_id != me for r in idea.join_requests),
    }
