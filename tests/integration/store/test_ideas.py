"""Intrapreneurship on both stores: a member pitches, a colleague supports and asks to join, a manager
sponsors the idea and turns it into internal micro-jobs within its budget, which then follow the
internal-gig rules; the outcome is recorded. And who may do each of these, as a matrix."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.ideas import Outcome
from microcareer.domain.marketplace.applications import ApprovalState, Proposal
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState
from microcareer.errors import Conflict, InvalidInput, MicrocareerError, NotFound
from microcareer.services import ideas, job_applications, micro_jobs
from tests.integration.store.idea_helpers import PITCH, RATE, make_org
from tests.integration.store.marketplace_helpers import NOW
from tests.integration.taxonomy_helpers import PYTHON


def _job(hours: int) -> ideas.IdeaJob:
    return ideas.IdeaJob(
        title="Card export reader",
        brief="Read the card exports (CSV) and fill the monthly expense report template.",
        expected_hours=hours,
        budget=Budget(BudgetKind.HOURLY, RATE),
    )


def test_a_sponsored_idea_becomes_internal_micro_jobs_within_its_budget(taxonomy_platform: Platform) -> None:
    platform, org = taxonomy_platform, make_org(taxonomy_platform)
    idea = ideas.pitch(platform.uow(), actor=org.author, slug="acme", pitch=PITCH, now=NOW)
    ideas.support(platform.uow(), actor=org.member, slug="acme", idea_id=idea.id, now=NOW)
    ideas.ask_to_join(
        platform.uow(), actor=org.member, slug="Acme", idea_id=idea.id, note="I know CSV", now=NOW
    )
    with pytest.raises(Conflict, match="not sponsored"):
        ideas.make_job(platform.uow(), actor=org.manager, slug="acme", idea_id=idea.id, job=_job(5), now=NOW)

    ideas.sponsor(platform.uow(), actor=org.manager, slug="acme", idea_id=idea.id, budget_hours=30, now=NOW)
    first = ideas.make_job(
        platform.uow(), actor=org.manager, slug="acme", idea_id=idea.id, job=_job(20), now=NOW
    )
    with pytest.raises(InvalidInput, match="above the 10 hours left") as refused:
        ideas.make_job(platform.uow(), actor=org.manager, slug="acme", idea_id=idea.id, job=_job(15), now=NOW)
    assert refused.value.extra["field"] == "expected_hours"
    with pytest.raises(Conflict, match="below the 20 hours"):
        ideas.sponsor(
            platform.uow(), actor=org.manager, slug="acme", idea_id=idea.id, budget_hours=19, now=NOW
        )
    second = ideas.make_job(
        platform.uow(), actor=org.manager, slug="acme", idea_id=idea.id, job=_job(10), now=NOW
    )

    # The jobs are internal micro-jobs like any other: open, of the organisation, with the idea's skills,
    # seen by its members only, and applying needs the manager's approval (the internal-gig rules).
    job = micro_jobs.get_job(platform.uow(), actor=org.member, job_id=first.id).job
    assert (job.state, job.audience, job.required_skills) == (JobState.OPEN, Audience.INTERNAL, (PYTHON,))
    with pytest.raises(NotFound):
        micro_jobs.get_job(platform.uow(), actor=org.other_org_member, job_id=first.id)
    application = job_applications.apply(
        platform.uow(),
        actor=org.member,
        job_id=first.id,
        proposal=Proposal(RATE, 20, "I asked to join this idea.", 4.0),
        now=NOW,
    )
    assert application.approval is ApprovalState.PENDING

    ideas.record_outcome(
        platform.uow(),
        actor=org.manager,
        slug="acme",
        idea_id=idea.id,
        outcome=Outcome.IN_PROGRESS,
        note="Two gigs posted",
        now=NOW,
    )
    _, board = ideas.board(platform.uow(), actor=org.member, slug="acme")
    (view,) = board
    assert [j.id for j in view.jobs] == [first.id, second.id]
    assert (view.hours_used, view.hours_left, view.idea.budget_hours) == (30, 0, 30)
    assert view.idea.supporters == {org.member.user_id}
    assert [r.note for r in view.idea.join_requests] == ["I know CSV"]
    assert (view.idea.outcome, view.idea.outcome_note) == (Outcome.IN_PROGRESS, "Two gigs posted")
    assert (view.name(view.idea.sponsor_user_id), view.skill_labels[PYTHON]) == (
        "Mona",
        "Python (computer programming)",
    )

    # A cancelled job gives its hours back to the budget.
    micro_jobs.cancel_job(platform.uow(), actor=org.manager, job_id=second.id, now=NOW)
    assert ideas.get_idea(platform.uow(), actor=org.author, slug="acme", idea_id=idea.id).hours_left == 10


ACTIONS: dict[str, Callable[[Platform, Actor, int], object]] = {
    "read": lambda p, a, i: ideas.get_idea(p.uow(), actor=a, slug="acme", idea_id=i),
    "board": lambda p, a, i: ideas.board(p.uow(), actor=a, slug="acme"),
    "pitch": lambda p, a, i: ideas.pitch(p.uow(), actor=a, slug="acme", pitch=PITCH, now=NOW),
    "support": lambda p, a, i: ideas.support(p.uow(), actor=a, slug="acme", idea_id=i, now=NOW),
    "join": lambda p, a, i: ideas.ask_to_join(p.uow(), actor=a, slug="acme", idea_id=i, note="", now=NOW),
    "sponsor": lambda p, a, i: ideas.sponsor(
        p.uow(), actor=a, slug="acme", idea_id=i, budget_hours=40, now=NOW
    ),
    "make_job": lambda p, a, i: ideas.make_job(
        p.uow(), actor=a, slug="acme", idea_id=i, job=_job(2), now=NOW
    ),
    "outcome": lambda p, a, i: ideas.record_outcome(
        p.uow(), actor=a, slug="acme", idea_id=i, outcome=Outcome.IN_PROGRESS, note="", now=NOW
    ),
}
#                 read board pitch support join sponsor make_job outcome
MATRIX = {
    "manager": (200, 200, 200, 200, 200, 200, 200, 200),  # the sponsor, once they sponsored
    "author": (200, 200, 200, 409, 409, 403, 403, 200),  # no support or joining one's own idea
    "member": (200, 200, 200, 200, 200, 403, 403, 403),
    "other_org_member": (404,) * 8,
    "anonymous": (401,) * 8,
}


def _status(
    run: Callable[[Platform, Actor, int], object], platform: Platform, actor: Actor, idea_id: int
) -> int:
    try:
        run(platform, actor, idea_id)
    except MicrocareerError as error:
        return error.status
    return 200


def test_who_may_do_what_with_an_idea(taxonomy_platform: Platform) -> None:
    platform, org = taxonomy_platform, make_org(taxonomy_platform)
    idea = ideas.pitch(platform.uow(), actor=org.author, slug="acme", pitch=PITCH, now=NOW)
    actors = {
        "manager": org.manager,
        "author": org.author,
        "member": org.member,
        "other_org_member": org.other_org_member,
        "anonymous": Actor.anonymous(),
    }
    seen = {
        name: tuple(_status(run, platform, actors[name], idea.id) for run in ACTIONS.values())
        for name in MATRIX
    }
    assert seen == MATRIX
    # an idea of another organisation is not found through this one
    with pytest.raises(NotFound):
        ideas.get_idea(platform.uow(), actor=org.member, slug="other", idea_id=idea.id)


def test_the_people_on_an_idea_are_proposed_to_each_other_as_connections(taxonomy_platform: Platform) -> None:
    """Issue 21: a connection is proposed from shared work, an idea too; the tie names the organisation,
    not the idea, since introductions show a connection's ties to people outside it."""
    from microcareer.services import connections

    platform, org = taxonomy_platform, make_org(taxonomy_platform)
    idea = ideas.pitch(platform.uow(), actor=org.author, slug="acme", pitch=PITCH, now=NOW)
    ideas.ask_to_join(platform.uow(), actor=org.member, slug="acme", idea_id=idea.id, note="", now=NOW)
    ideas.sponsor(platform.uow(), actor=org.manager, slug="acme", idea_id=idea.id, budget_hours=30, now=NOW)

    def how(actor: Actor) -> dict[int, tuple[str, ...]]:
        assert actor.user_id is not None
        found = connections.proposals(platform.uow(), actor=actor, user_id=actor.user_id)
        return {p.user_id: p.how for p in found}

    on_idea = "both on an idea at Acme"
    of_member = how(org.member)
    assert on_idea in of_member[org.author.user_id or 0]
    assert on_idea in of_member[org.manager.user_id or 0]
    assert on_idea in how(org.author)[org.member.user_id or 0]
    assert on_idea in how(org.manager)[org.author.user_id or 0]
    assert org.other_org_member.user_id not in of_member
    assert all(PITCH.title not in " ".join(words) for words in of_member.values())


def test_the_author_or_sponsor_answers_a_request_to_join_once(taxonomy_platform: Platform) -> None:
    from microcareer.domain.ideas import JoinState
    from microcareer.errors import NotAuthenticated, PermissionDenied
    from microcareer.services import connections

    platform, org = taxonomy_platform, make_org(taxonomy_platform)
    idea = ideas.pitch(platform.uow(), actor=org.author, slug="acme", pitch=PITCH, now=NOW)
    for colleague in (org.member, org.manager):
        ideas.ask_to_join(platform.uow(), actor=colleague, slug="acme", idea_id=idea.id, note="", now=NOW)

    def answer(actor: Actor, user_id: int | None, accept: bool) -> JoinState:
        return ideas.answer_join_request(
            platform.uow(),
            actor=actor,
            slug="acme",
            idea_id=idea.id,
            user_id=user_id or 0,
            accept=accept,
            now=NOW,
        )

    with pytest.raises(PermissionDenied):  # a colleague is not the idea's lead
        answer(org.manager, org.member.user_id, True)
    with pytest.raises(NotFound):
        answer(org.other_org_member, org.member.user_id, True)
    with pytest.raises(NotAuthenticated):
        answer(Actor.anonymous(), org.member.user_id, True)
    with pytest.raises(NotFound) as nobody:
        answer(org.author, org.other_org_member.user_id, True)
    assert nobody.value.extra["field"] == "user_id"

    assert answer(org.author, org.member.user_id, True) is JoinState.ACCEPTED
    with pytest.raises(Conflict, match="accepted already"):
        answer(org.author, org.member.user_id, False)
    assert answer(org.author, org.manager.user_id, False) is JoinState.DECLINED
    seen = ideas.get_idea(platform.uow(), actor=org.member, slug="acme", idea_id=idea.id).idea
    assert {r.user_id: r.state for r in seen.join_requests} == {
        org.member.user_id: JoinState.ACCEPTED,
        org.manager.user_id: JoinState.DECLINED,
    }
    # who was declined is not tied to the idea's people (the organisation still ties them)
    assert org.manager.user_id is not None
    proposed = connections.proposals(platform.uow(), actor=org.manager, user_id=org.manager.user_id)
    assert all("both on an idea at Acme" not in p.how for p in proposed)
