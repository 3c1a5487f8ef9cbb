"""Mentorship on both stores: offer, find mentors for a gap, ask, answer, sessions, and a completion
both confirm, which becomes dated evidence for the mentee's skills and the mentor's *mentor individuals*."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.network.mentorship import MENTOR_INDIVIDUALS, MentorshipState
from microcareer.domain.profiles.evidence import EvidenceKind, assess
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import connections, mentorship
from microcareer.store.tables.taxonomy import SkillRow
from microcareer.store.unit_of_work import SqlAlchemyUnitOfWork
from tests.integration.store.marketplace_helpers import NOW, Market, make_market
from tests.integration.taxonomy_helpers import HASKELL, PYTHON

TODAY = NOW.date()


def uid(actor: Actor) -> int:
    assert actor.user_id is not None
    return actor.user_id


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    made = make_market(taxonomy_platform)
    uow = taxonomy_platform.uow()
    assert isinstance(uow, SqlAlchemyUnitOfWork)
    with uow:  # the bundled ESCO has it; the mini one does not
        uow.session.add(
            SkillRow(
                uri=MENTOR_INDIVIDUALS,
                concept_type="KnowledgeSkillCompetence",
                preferred_label="mentor individuals",
            )
        )
        uow.commit()
    return made


def _started(platform: Platform, market: Market) -> int:
    """The client offers mentoring on Python; the professional asks; the client accepts."""
    mentor, mentee = market.client, market.professional
    mentorship.offer(
        platform.uow(),
        actor=mentor,
        user_id=uid(mentor),
        skills=(PYTHON,),
        hours_per_month=4,
        note="evenings",
        now=NOW,
    )
    asked = mentorship.ask(
        platform.uow(),
        actor=mentee,
        user_id=uid(mentee),
        mentor_id=uid(mentor),
        skills=(PYTHON,),
        message="help me with Python",
        now=NOW,
    )
    assert asked.state is MentorshipState.REQUESTED
    with pytest.raises(Conflict, match="open already"):
        mentorship.ask(
            platform.uow(),
            actor=mentee,
            user_id=uid(mentee),
            mentor_id=uid(mentor),
            skills=(PYTHON,),
            message="again",
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="only the mentor"):
        mentorship.answer(platform.uow(), actor=mentee, mentorship_id=asked.id, accept=True)
    assert (
        mentorship.answer(platform.uow(), actor=mentor, mentorship_id=asked.id, accept=True)
        is MentorshipState.ACTIVE
    )
    return asked.id


def test_find_mentors_for_the_skills_of_a_gap(taxonomy_platform: Platform, market: Market) -> None:
    platform = taxonomy_platform
    mentorship.offer(
        platform.uow(),
        actor=market.client,
        user_id=uid(market.client),
        skills=(PYTHON, HASKELL),
        hours_per_month=2,
        now=NOW,
    )
    mentorship.offer(
        platform.uow(),
        actor=market.stranger,
        user_id=uid(market.stranger),
        skills=(PYTHON,),
        hours_per_month=8,
        now=NOW,
    )
    found = mentorship.find_mentors(
        platform.uow(), actor=market.professional, user_id=uid(market.professional), skills=(PYTHON, HASKELL)
    )
    assert [(m.user_id, len(m.skills)) for m in found] == [(uid(market.client), 2), (uid(market.stranger), 1)]
    # a block hides a mentor; one's own offer is never proposed
    connections.block(
        platform.uow(),
        actor=market.stranger,
        user_id=uid(market.stranger),
        other_id=uid(market.professional),
        now=NOW,
    )
    found = mentorship.find_mentors(
        platform.uow(), actor=market.professional, user_id=uid(market.professional), skills=(PYTHON,)
    )
    assert [m.user_id for m in found] == [uid(market.client)]
    own = mentorship.find_mentors(
        platform.uow(), actor=market.client, user_id=uid(market.client), skills=(PYTHON,)
    )
    assert [m.user_id for m in own] == [uid(market.stranger)]  # never oneself


def test_completion_needs_both_and_becomes_evidence_for_both(
    taxonomy_platform: Platform, market: Market
) -> None:
    platform = taxonomy_platform
    mentor, mentee = market.client, market.professional
    mentorship_id = _started(platform, market)
    with pytest.raises(Conflict, match="at least one session"):
        mentorship.confirm_complete(platform.uow(), actor=mentee, mentorship_id=mentorship_id, now=NOW)
    held = TODAY - timedelta(days=3)
    mentorship.record_session(
        platform.uow(),
        actor=mentor,
        mentorship_id=mentorship_id,
        held_on=held,
        minutes=90,
        notes="pytest",
        today=TODAY,
        now=NOW,
    )
    with pytest.raises(InvalidInput, match="after today"):
        mentorship.record_session(
            platform.uow(),
            actor=mentee,
            mentorship_id=mentorship_id,
            held_on=TODAY + timedelta(days=1),
            minutes=30,
            notes="",
            today=TODAY,
            now=NOW,
        )
    with pytest.raises(NotFound):  # outsiders cannot tell it exists
        mentorship.get(platform.uow(), actor=market.stranger, mentorship_id=mentorship_id)
    with pytest.raises(NotAuthenticated):
        mentorship.get(platform.uow(), actor=Actor.anonymous(), mentorship_id=mentorship_id)
    # a platform admin may look, but confirms for no one
    assert mentorship.get(platform.uow(), actor=market.admin, mentorship_id=mentorship_id).hours == 1.5
    with pytest.raises(InvalidInput, match="only the mentor and the mentee"):
        mentorship.confirm_complete(platform.uow(), actor=market.admin, mentorship_id=mentorship_id, now=NOW)
    first = mentorship.confirm_complete(platform.uow(), actor=mentee, mentorship_id=mentorship_id, now=NOW)
    assert first.mentorship.state is MentorshipState.ACTIVE
    with platform.uow() as uow:
        assert uow.profiles.skills(uid(mentee)) == []  # nothing until both confirm
    done = mentorship.confirm_complete(platform.uow(), actor=mentor, mentorship_id=mentorship_id, now=NOW)
    assert done.mentorship.state is MentorshipState.COMPLETED
    with platform.uow() as uow:
        mentee_skills = {s.uri: s for s in uow.profiles.skills(uid(mentee))}
        mentor_skills = {s.uri: s for s in uow.profiles.skills(uid(mentor))}
    evidence = mentee_skills[PYTHON].evidence
    assert [(e.kind, e.last_used, e.source) for e in evidence] == [
        (EvidenceKind.MENTORSHIP, held, f"mentorship:{mentorship_id}")
    ]
    assert "was mentored: 1 session, 1.5 h" in evidence[0].note
    mentor_evidence = mentor_skills[MENTOR_INDIVIDUALS].evidence
    assert [(e.kind, e.last_used) for e in mentor_evidence] == [(EvidenceKind.MENTORSHIP, held)]
    confidence = assess(evidence, TODAY)
    assert 0.49 < confidence.value < 0.5  # the kind's weight 0.5, three days of fading
    assert "completed mentorship" in confidence.explanation
    with pytest.raises(Conflict, match="completed"):
        mentorship.confirm_complete(platform.uow(), actor=mentor, mentorship_id=mentorship_id, now=NOW)
    # the mentorship is now a tie: how the two know each other
    proposed = connections.proposals(platform.uow(), actor=mentee, user_id=uid(mentee))
    assert "mentorship: they mentor you" in proposed[0].how


def test_asking_is_checked(taxonomy_platform: Platform, market: Market) -> None:
    platform = taxonomy_platform
    pro = market.professional
    with pytest.raises(NotFound, match="no mentoring offer"):
        mentorship.ask(
            platform.uow(),
            actor=pro,
            user_id=uid(pro),
            mentor_id=uid(market.client),
            skills=(PYTHON,),
            message="",
            now=NOW,
        )
    mentorship.offer(
        platform.uow(),
        actor=market.client,
        user_id=uid(market.client),
        skills=(PYTHON,),
        hours_per_month=4,
        now=NOW,
    )
    with pytest.raises(InvalidInput, match="not offered"):
        mentorship.ask(
            platform.uow(),
            actor=pro,
            user_id=uid(pro),
            mentor_id=uid(market.client),
            skills=(HASKELL,),
            message="",
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="themselves"):
        mentorship.ask(
            platform.uow(),
            actor=market.client,
            user_id=uid(market.client),
            mentor_id=uid(market.client),
            skills=(PYTHON,),
            message="",
            now=NOW,
        )
    with pytest.raises(PermissionDenied):
        mentorship.ask(
            platform.uow(),
            actor=market.stranger,
            user_id=uid(pro),
            mentor_id=uid(market.client),
            skills=(PYTHON,),
            message="",
            now=NOW,
        )
    for hours in (0, 81):
        with pytest.raises(InvalidInput, match="hours_per_month"):
            mentorship.offer(
                platform.uow(), actor=pro, user_id=uid(pro), skills=(PYTHON,), hours_per_month=hours, now=NOW
            )
    with pytest.raises(InvalidInput, match="skills"):
        mentorship.offer(
            platform.uow(),
            actor=pro,
            user_id=uid(pro),
            skills=("https://x.test/s",),
            hours_per_month=2,
            now=NOW,
        )


def test_a_declined_request_takes_no_sessions(taxonomy_platform: Platform, market: Market) -> None:
    platform = taxonomy_platform
    mentorship.offer(
        platform.uow(),
        actor=market.client,
        user_id=uid(market.client),
        skills=(PYTHON,),
        hours_per_month=4,
        now=NOW,
    )
    asked = mentorship.ask(
        platform.uow(),
        actor=market.professional,
        user_id=uid(market.professional),
        mentor_id=uid(market.client),
        skills=(PYTHON,),
        message="",
        now=NOW,
    )
    mentorship.answer(platform.uow(), actor=market.client, mentorship_id=asked.id, accept=False)
    with pytest.raises(Conflict, match="declined"):
        mentorship.record_session(
            platform.uow(),
            actor=market.client,
            mentorship_id=asked.id,
            held_on=date(2026, 11, 1),
            minutes=30,
            notes="",
            today=TODAY,
            now=NOW,
        )
