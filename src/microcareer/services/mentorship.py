"""Mentorship (issue 21): offers, finding mentors for the skills of one's gap, requests, sessions, and
a completion both people confirm, recorded as evidence for both.

Who may do what (``access``): offering, finding and asking act for oneself (``MENTOR_OFFER``); seeing a
mentorship, answering it, recording a session and confirming it are for its mentor and mentee
(``MENTORSHIP_TAKE_PART``: the mentorship is shared with them), anyone else gets 404. Only the mentor
accepts or declines. The evidence (``domain/network/mentorship.py``) is written once, when the second
of the two confirms: the mentee's skills of the mentorship, and the mentor's *mentor individuals*; no
one confirms for the other, and no one mentors themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from microcareer.domain.accounts import Actor
from microcareer.domain.network.connections import check_message
from microcareer.domain.network.mentorship import (
    MENTEE_LEVEL,
    MENTOR_INDIVIDUALS,
    MENTOR_LEVEL,
    SESSIONS_MAX,
    SKILLS_MAX,
    MentoringSession,
    MentorOffer,
    Mentorship,
    MentorshipState,
    check_offer,
    check_session,
    evidence_of,
    require_state,
)
from microcareer.errors import Conflict, InvalidInput, NotFound
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import record_verified_evidence, visible_skill_labels

MENTORS_MAX = 50


@dataclass(frozen=True, slots=True)
class MentorMatch:
    user_id: int
    name: str
    hours_per_month: int
    note: str
    skills: tuple[tuple[str, str], ...]
    """The offered skills that are in what was asked for: (uri, label)."""


@dataclass(frozen=True, slots=True)
class MentorshipView:
    mentorship: Mentorship
    mentor_name: str
    mentee_name: str
    skills: tuple[tuple[str, str], ...]
    sessions: tuple[MentoringSession, ...]

    @property
    def hours(self) -> float:
        return sum(s.minutes for s in self.sessions) / 60


def _self(actor: Actor, user_id: int) -> None:
    authorize(actor, Action.MENTOR_OFFER, Resource(owner_user_id=user_id))


def _name(uow: UnitOfWork, user_id: int) -> str:
    user = uow.accounts.get_user(user_id)
    return user.display_name if user is not None else f"user {user_id}"


def _skills(uow: UnitOfWork, actor: Actor, uris: tuple[str, ...]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(uris))
    if len(wanted) > SKILLS_MAX:
        raise InvalidInput(f"skills: at most {SKILLS_MAX}", field="skills")
    known = visible_skill_labels(uow, actor, list(wanted))
    for uri in wanted:
        if uri not in known:
            raise InvalidInput(f"skills: {uri} is not a skill of the taxonomy", field="skills")
    return wanted


def offer(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int,
    skills: tuple[str, ...],
    hours_per_month: int,
    note: str = "",
    active: bool = True,
    now: datetime,
) -> MentorOffer:
    _self(actor, user_id)
    check_offer(skills, hours_per_month, note.strip())
    with uow:
        if uow.accounts.get_user(user_id) is None:
            raise NotFound(f"no user {user_id}")
        made = MentorOffer(user_id, _skills(uow, actor, skills), hours_per_month, note.strip(), active)
        uow.network.save_offer(made, at=now)
        uow.commit()
    return made


def offer_of(uow: UnitOfWork, *, actor: Actor, user_id: int) -> MentorOffer | None:
    _self(actor, user_id)
    with uow:
        return uow.network.get_offer(user_id)


def find_mentors(
    uow: UnitOfWork, *, actor: Actor, user_id: int, skills: tuple[str, ...], limit: int = MENTORS_MAX
) -> list[MentorMatch]:
    """People offering mentoring on any of ``skills`` (the skills of one's gap), most skills matched
    first, then most hours; never oneself, nobody blocked either way."""
    _self(actor, user_id)
    with uow:
        wanted = _skills(uow, actor, skills)
        shut = uow.network.blocked_either_way(user_id)
        labels = visible_skill_labels(uow, actor, list(wanted))
        found = [
            MentorMatch(
                user_id=o.user_id,
                name=_name(uow, o.user_id),
                hours_per_month=o.hours_per_month,
                note=o.note,
                skills=tuple((uri, labels[uri]) for uri in wanted if uri in o.skills),
            )
            for o in uow.network.offers_for(wanted, limit=MENTORS_MAX * 4)
            if o.user_id != user_id and o.user_id not in shut
        ]
    found.sort(key=lambda m: (-len(m.skills), -m.hours_per_month, m.name.casefold()))
    return found[: max(0, min(limit, MENTORS_MAX))]


def ask(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int,
    mentor_id: int,
    skills: tuple[str, ...],
    message: str,
    now: datetime,
) -> Mentorship:
    """Ask ``mentor_id`` to mentor ``user_id`` on ``skills`` (among those they offer)."""
    _self(actor, user_id)
    text = check_message(message)
    if mentor_id == user_id:
        raise InvalidInput("mentor: a person cannot mentor themselves", field="mentor")
    with uow:
        offered = uow.network.get_offer(mentor_id)
        if offered is None or not offered.active or uow.network.blocks_between(user_id, mentor_id):
            raise NotFound(f"no mentoring offer from user {mentor_id}")
        wanted = _skills(uow, actor, skills)
        if not wanted:
            raise InvalidInput("skills: name at least one skill to be mentored on", field="skills")
        outside = [uri for uri in wanted if uri not in offered.skills]
        if outside:
            raise InvalidInput(f"skills: {outside[0]} is not offered by this mentor", field="skills")
        open_states = (MentorshipState.REQUESTED, MentorshipState.ACTIVE)
        if any(
            m.mentor_id == mentor_id and m.state in open_states for m in uow.network.mentorships_of(user_id)
        ):
            raise Conflict(f"you have a mentorship with user {mentor_id} open already")
        made = uow.network.add_mentorship(mentor_id, user_id, wanted, text, at=now)
        uow.commit()
    return made


def _shared(mentorship: Mentorship) -> Resource:
    return Resource(owner_user_id=mentorship.mentee_id, readers=frozenset({mentorship.mentor_id}))


def _taking_part(uow: UnitOfWork, actor: Actor, mentorship_id: int) -> Mentorship:
    found = uow.network.get_mentorship(mentorship_id)
    if found is None or not is_allowed(actor, Action.MENTORSHIP_TAKE_PART, _shared(found)):
        if not actor.is_authenticated:
            authorize(actor, Action.MENTORSHIP_TAKE_PART, Resource(owner_user_id=-1))
        raise NotFound(f"no mentorship {mentorship_id}")
    return found


def _view(uow: UnitOfWork, actor: Actor, m: Mentorship) -> MentorshipView:
    labels = visible_skill_labels(uow, actor, list(m.skills))
    return MentorshipView(
        mentorship=m,
        mentor_name=_name(uow, m.mentor_id),
        mentee_name=_name(uow, m.mentee_id),
        skills=tuple((uri, labels.get(uri, uri)) for uri in m.skills),
        sessions=tuple(uow.network.sessions(m.id)),
    )


def get(uow: UnitOfWork, *, actor: Actor, mentorship_id: int) -> MentorshipView:
    with uow:
        return _view(uow, actor, _taking_part(uow, actor, mentorship_id))


def mentorships_of(uow: UnitOfWork, *, actor: Actor, user_id: int) -> list[MentorshipView]:
    _self(actor, user_id)
    with uow:
        return [_view(uow, actor, m) for m in uow.network.mentorships_of(user_id)]


def _mentor_only(actor: Actor, mentorship: Mentorship) -> None:
    if not is_allowed(actor, Action.MENTORSHIP_TAKE_PART, Resource(owner_user_id=mentorship.mentor_id)):
        raise InvalidInput("only the mentor answers a request for mentoring", field="mentorship")


def answer(uow: UnitOfWork, *, actor: Actor, mentorship_id: int, accept: bool) -> MentorshipState:
    with uow:
        found = _taking_part(uow, actor, mentorship_id)
        _mentor_only(actor, found)
        require_state(found, MentorshipState.REQUESTED)
        state = MentorshipState.ACTIVE if accept else MentorshipState.DECLINED
        uow.network.update_mentorship(
            found.id, state=state, mentor_confirmed=False, mentee_confirmed=False, completed_at=None
        )
        uow.commit()
    return state


def record_session(
    uow: UnitOfWork,
    *,
    actor: Actor,
    mentorship_id: int,
    held_on: date,
    minutes: int,
    notes: str,
    today: date,
    now: datetime,
) -> MentoringSession:
    check_session(held_on, minutes, notes.strip(), today)
    with uow:
        found = _taking_part(uow, actor, mentorship_id)
        require_state(found, MentorshipState.ACTIVE)
        if len(uow.network.sessions(found.id)) >= SESSIONS_MAX:
            raise Conflict(f"a mentorship holds at most {SESSIONS_MAX} sessions")
        recorder = actor.user_id if actor.user_id is not None else found.mentor_id
        made = uow.network.add_session(found.id, held_on, minutes, notes.strip(), recorder, at=now)
        uow.commit()
    return made


def confirm_complete(uow: UnitOfWork, *, actor: Actor, mentorship_id: int, now: datetime) -> MentorshipView:
    """One side's confirmation that the mentorship is complete; the second one completes it and records
    the evidence for both. Each side confirms for themselves (a platform admin acting is neither)."""
    with uow:
        found = _taking_part(uow, actor, mentorship_id)
        require_state(found, MentorshipState.ACTIVE)
        if actor.user_id not in (found.mentor_id, found.mentee_id):
            raise InvalidInput("only the mentor and the mentee confirm a mentorship", field="mentorship")
        sessions = uow.network.sessions(found.id)
        if not sessions:
            raise Conflict("record at least one session before completing the mentorship")
        mentor_ok = found.mentor_confirmed or actor.user_id == found.mentor_id
        mentee_ok = found.mentee_confirmed or actor.user_id == found.mentee_id
        done = mentor_ok and mentee_ok
        uow.network.update_mentorship(
            found.id,
            state=MentorshipState.COMPLETED if done else MentorshipState.ACTIVE,
            mentor_confirmed=mentor_ok,
            mentee_confirmed=mentee_ok,
            completed_at=now if done else None,
        )
        if done:
            record_verified_evidence(
                uow,
                found.mentee_id,
                list(found.skills),
                evidence_of(found, sessions, for_mentor=False),
                level=MENTEE_LEVEL,
                raise_level=False,
                now=now,
            )
            if uow.taxonomy.skill_refs([MENTOR_INDIVIDUALS]):
                record_verified_evidence(
                    uow,
                    found.mentor_id,
                    [MENTOR_INDIVIDUALS],
                    evidence_of(found, sessions, for_mentor=True),
                    level=MENTOR_LEVEL,
                    raise_level=False,
                    now=now,
                )
        uow.commit()
        updated = uow.network.get_mentorship(found.id)
        assert updated is not None
        return _view(uow, actor, updated)
