"""Micro-job services on SQLite and PostgreSQL: who may post and see, the draft → open → cancelled path."""

from __future__ import annotations

from datetime import date

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole
from microcareer.domain.marketplace.applications import ApplicationState
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState
from microcareer.domain.marketplace.money import Money
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import job_applications, micro_jobs
from tests.integration.job_market_helpers import NOW, a_job, a_proposal, make_people, uid
from tests.integration.taxonomy_helpers import HASKELL, PYTHON


def test_who_may_post(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    posted = micro_jobs.post_job(uow(), actor=people.client, job=a_job(), now=NOW)
    assert posted.job.state is JobState.DRAFT
    assert posted.poster_user_id == uid(people.client)
    with pytest.raises(PermissionDenied):  # a professional is no client
        micro_jobs.post_job(uow(), actor=people.pro, job=a_job(), now=NOW)
    with pytest.raises(NotAuthenticated):
        micro_jobs.post_job(uow(), actor=Actor.anonymous(), job=a_job(), now=NOW)
    internal = a_job(audience=Audience.INTERNAL, organisation_id=people.acme)
    made = micro_jobs.post_job(uow(), actor=people.admin, job=internal, now=NOW)
    assert made.job.organisation_id == people.acme
    for not_admin in (people.employee, people.client, people.stranger):
        with pytest.raises(PermissionDenied):
            micro_jobs.post_job(uow(), actor=not_admin, job=internal, now=NOW)


def test_posting_checks_the_job_and_its_skills(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    with pytest.raises(InvalidInput, match=r"nice_skills\[0\]: http://example.org/nope is not a skill"):
        micro_jobs.post_job(
            uow(), actor=people.client, job=a_job(nice_skills=("http://example.org/nope",)), now=NOW
        )
    with pytest.raises(InvalidInput, match="title"):
        micro_jobs.post_job(uow(), actor=people.client, job=a_job(title="x"), now=NOW)
    with pytest.raises(InvalidInput, match="already required"):
        micro_jobs.post_job(uow(), actor=people.client, job=a_job(nice_skills=(PYTHON,)), now=NOW)
    with uow() as check:
        assert check.marketplace.list_jobs(
            states=list(JobState), visible_orgs=None, viewer_id=None, limit=10, offset=0
        ) == ([], 0)


def test_drafts_and_internal_jobs_are_hidden(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    draft = micro_jobs.post_job(uow(), actor=people.client, job=a_job(), now=NOW)
    with pytest.raises(NotFound):
        micro_jobs.get_job(uow(), actor=people.pro, job_id=draft.id)
    assert micro_jobs.list_jobs(uow(), actor=people.pro) == ([], 0)
    assert micro_jobs.get_job(uow(), actor=people.client, job_id=draft.id).id == draft.id
    mine, total = micro_jobs.list_jobs(uow(), actor=people.client, mine=True, states=[JobState.DRAFT])
    assert [j.id for j in mine] == [draft.id]
    assert total == 1

    internal = micro_jobs.post_job(
        uow(), actor=people.admin, job=a_job(audience=Audience.INTERNAL, organisation_id=people.acme), now=NOW
    )
    micro_jobs.publish_job(uow(), actor=people.admin, job_id=internal.id, now=NOW)
    micro_jobs.publish_job(uow(), actor=people.client, job_id=draft.id, now=NOW)
    assert micro_jobs.get_job(uow(), actor=people.employee, job_id=internal.id).job.state is JobState.OPEN
    for outsider in (people.stranger, people.pro, people.client):
        with pytest.raises(NotFound):  # not even 403: the job does not exist for them
            micro_jobs.get_job(uow(), actor=outsider, job_id=internal.id)
        with pytest.raises(NotFound):
            micro_jobs.publish_job(uow(), actor=outsider, job_id=internal.id, now=NOW)
    seen = {j.id for j in micro_jobs.list_jobs(uow(), actor=people.stranger)[0]}
    assert seen == {draft.id}
    seen = {j.id for j in micro_jobs.list_jobs(uow(), actor=people.employee)[0]}
    assert seen == {draft.id, internal.id}
    only_acme, _ = micro_jobs.list_jobs(uow(), actor=people.employee, organisation=people.acme)
    assert [j.id for j in only_acme] == [internal.id]
    by_skill, _ = micro_jobs.list_jobs(uow(), actor=people.employee, skills=[HASKELL])
    assert {j.id for j in by_skill} == {draft.id, internal.id}
    with pytest.raises(PermissionDenied):  # a member sees the job but does not manage it
        micro_jobs.cancel_job(uow(), actor=people.employee, job_id=internal.id, now=NOW)


def test_an_organisation_admin_manages_a_colleagues_draft(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    with uow() as setup:  # a second admin of acme posts
        setup.accounts.set_membership(people.acme, uid(people.manager), OrgRole.ADMIN, created_at=NOW)
        setup.commit()
    second = Actor(user_id=people.manager.user_id, memberships={people.acme: OrgRole.ADMIN})
    draft = micro_jobs.post_job(
        uow(), actor=second, job=a_job(audience=Audience.INTERNAL, organisation_id=people.acme), now=NOW
    )
    with pytest.raises(NotFound):  # a member does not see drafts
        micro_jobs.get_job(uow(), actor=people.employee, job_id=draft.id)
    opened = micro_jobs.publish_job(uow(), actor=people.admin, job_id=draft.id, now=NOW)
    assert opened.job.state is JobState.OPEN


def test_publish_update_and_cancel_follow_the_states(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    job = micro_jobs.post_job(uow(), actor=people.client, job=a_job(), now=NOW)
    with pytest.raises(NotFound):  # someone else's draft
        micro_jobs.publish_job(uow(), actor=people.admin, job_id=job.id, now=NOW)
    edited = micro_jobs.update_job(
        uow(), actor=people.client, job_id=job.id, job=a_job(title="Port a tool to Python"), now=NOW
    )
    assert edited.job.state is JobState.DRAFT
    assert micro_jobs.get_job(uow(), actor=people.client, job_id=job.id).job.title == "Port a tool to Python"
    opened = micro_jobs.publish_job(uow(), actor=people.client, job_id=job.id, now=NOW)
    assert opened.job.state is JobState.OPEN
    with pytest.raises(Conflict, match="cannot go from open to open"):
        micro_jobs.publish_job(uow(), actor=people.client, job_id=job.id, now=NOW)
    with pytest.raises(PermissionDenied):  # the job is visible once open, but not theirs to change
        micro_jobs.update_job(uow(), actor=people.pro, job_id=job.id, job=a_job(), now=NOW)
    applied = job_applications.apply(uow(), actor=people.pro, job_id=job.id, proposal=a_proposal(), now=NOW)
    with pytest.raises(Conflict, match="currency stays"):
        micro_jobs.update_job(
            uow(),
            actor=people.client,
            job_id=job.id,
            job=a_job(budget=Budget(BudgetKind.FIXED, Money(50_000, "USD"))),
            now=NOW,
        )
    cancelled = micro_jobs.cancel_job(uow(), actor=people.client, job_id=job.id, now=NOW)
    assert cancelled.job.state is JobState.CANCELLED
    [application] = job_applications.my_applications(uow(), actor=people.pro)
    assert application.id == applied.id
    assert application.state is ApplicationState.DECLINED
    with pytest.raises(Conflict, match="cannot go from cancelled to open"):
        micro_jobs.publish_job(uow(), actor=people.client, job_id=job.id, now=NOW)
    with pytest.raises(Conflict, match="only draft and open"):
        micro_jobs.update_job(uow(), actor=people.client, job_id=job.id, job=a_job(), now=NOW)


def test_publishing_a_job_that_has_ended_is_refused(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    job = micro_jobs.post_job(
        uow(), actor=people.client, job=a_job(start=date(2026, 10, 1), end=date(2026, 10, 31)), now=NOW
    )
    with pytest.raises(InvalidInput, match="end: 2026-10-31 is in the past"):
        micro_jobs.publish_job(uow(), actor=people.client, job_id=job.id, now=NOW)


def test_skills_are_proposed_from_the_brief(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    required, nice = micro_jobs.propose_skills(
        taxonomy_platform.uow(),
        taxonomy_platform.caches,
        None,
        actor=people.client,
        brief="We need Python and SQL for a data mining job; some statistics helps.",
    )
    assert required, "a job needs one required skill"
    assert all(s.confidence >= micro_jobs.REQUIRED_CONFIDENCE for s in required)
    assert all(s.confidence < micro_jobs.REQUIRED_CONFIDENCE for s in nice)
    assert PYTHON in {s.uri for s in (*required, *nice)}
    assert not {s.uri for s in required} & {s.uri for s in nice}
    with pytest.raises(InvalidInput, match="brief"):
        micro_jobs.propose_skills(
            taxonomy_platform.uow(), taxonomy_platform.caches, None, actor=people.client, brief="  "
        )
