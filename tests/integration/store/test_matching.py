"""Matching both ways through the services, on SQLite and PostgreSQL: who is found, why, who may ask,
and saved/dismissed recommendations remembered in the store.

Every test runs twice: people for a job from the store's holders, and from the candidate index
(``services/candidate_index.py``, kept across the calls of one test, so later calls read its catch-up
from the change log): the same people, in the same order, with the same authorisation; and jobs for a
person from the store's open jobs, and from the job index (``services/job_index.py``, likewise)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.jobs import Audience
from microcareer.domain.matching.scoring import How
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.domain.profiles.skill_graph import Link
from microcareer.errors import NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import gap_analysis, matching, micro_jobs, profiles
from microcareer.services.candidate_index import CandidateIndex
from microcareer.services.job_index import JobIndex
from microcareer.services.matching import Mark
from tests.integration.job_market_helpers import NOW, TODAY, People, a_job, make_people, uid
from tests.integration.taxonomy_helpers import HASKELL, PROGRAMMING, PYTHON


@pytest.fixture(autouse=True, params=["store", "index"])
def candidates_from(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[str]:
    """With "index", ``people_for_job`` is given one candidate index for the whole test and
    ``jobs_for_person`` one job index, and each call that returns must have been answered by it (not
    fallen back to the store)."""
    if request.param == "store":
        yield "store"
        return
    index = CandidateIndex(tmp_path / "matching.npz")
    jobs = JobIndex(tmp_path / "matching-jobs.npz")
    original = matching.people_for_job
    original_jobs = matching.jobs_for_person
    answered: list[object] = []
    listed: list[object] = []

    @wraps(original)
    def with_index(*args: Any, **kwargs: Any) -> matching.PeopleForJob:
        found = original(*args, **kwargs, index=index)
        answered.append(found)
        return found

    @wraps(original_jobs)
    def with_job_index(*args: Any, **kwargs: Any) -> matching.JobsForPerson:
        found = original_jobs(*args, **kwargs, index=jobs)
        listed.append(found)
        return found

    monkeypatch.setattr(matching, "people_for_job", with_index)
    monkeypatch.setattr(matching, "jobs_for_person", with_job_index)
    yield "index"
    assert index.served == len(answered)
    assert jobs.served == len(listed)


def _profile(
    platform: Platform,
    actor: Actor,
    skills: dict[str, EvidenceKind],
    *,
    visibility: Visibility = Visibility.PUBLIC,
    available: bool = True,
) -> None:
    user_id = uid(actor)
    profile = Profile(visibility=visibility, available=available)
    profiles.save_profile(platform.uow(), actor=actor, user_id=user_id, profile=profile, now=NOW)
    with platform.uow() as uow:
        for uri, kind in skills.items():
            uow.profiles.set_skill(user_id, uri, 3, at=NOW)
            uow.profiles.add_evidence(user_id, uri, [Evidence(kind, TODAY, source=f"t:{kind}")], at=NOW)
        uow.commit()


def _admin(platform: Platform) -> Actor:
    with platform.uow() as uow:
        user = uow.accounts.add_user(
            email="root@x.test",
            display_name="Root",
            password_hash="x",
            roles=[Role.PLATFORM_ADMIN],
            created_at=NOW,
        )
        uow.commit()
    return Actor(user_id=user.id, roles=frozenset({Role.PLATFORM_ADMIN}))


def _published(platform: Platform, poster: Actor, **changes: object) -> int:
    job = micro_jobs.post_job(platform.uow(), actor=poster, job=a_job(**changes), now=NOW)
    micro_jobs.publish_job(platform.uow(), actor=poster, job_id=job.id, now=NOW)
    return job.id


def _world(platform: Platform) -> People:
    people = make_people(platform)
    _profile(platform, people.pro, {PYTHON: EvidenceKind.SELF_CLAIM})
    _profile(platform, people.stranger, {HASKELL: EvidenceKind.CREDENTIAL})  # Python only via a sibling
    _profile(platform, people.employee, {PYTHON: EvidenceKind.CREDENTIAL}, visibility=Visibility.ORGANISATION)
    _profile(platform, people.colleague, {PYTHON: EvidenceKind.CREDENTIAL}, visibility=Visibility.PRIVATE)
    _profile(platform, people.manager, {PYTHON: EvidenceKind.CREDENTIAL}, available=False)
    return people


def _people(platform: Platform, actor: Actor, job_id: int) -> list[int]:
    cache = gap_analysis.graph_cache(platform.caches)
    found = matching.people_for_job(platform.uow(), cache, actor=actor, job_id=job_id, today=TODAY)
    return [p.user_id for p in found.people]


def test_people_for_a_job_explained_and_only_visible_available_profiles(taxonomy_platform: Platform) -> None:
    people = _world(taxonomy_platform)
    job_id = _published(taxonomy_platform, people.client)
    cache = gap_analysis.graph_cache(taxonomy_platform.caches)
    found = matching.people_for_job(
        taxonomy_platform.uow(), cache, actor=people.client, job_id=job_id, today=TODAY
    )
    assert [p.user_id for p in found.people] == [uid(people.pro), uid(people.stranger)]
    pro, stranger = found.people
    python = pro.match.skills[0]
    assert python.uri == PYTHON
    assert python.how is How.EXACT
    assert python.required
    sibling = stranger.match.skills[0]
    assert sibling.how is How.RELATED
    assert sibling.link is Link.SIBLING
    assert sibling.source == "Haskell"
    assert [s.label for s in stranger.match.missing_required] == [sibling.label]
    assert any("reputation: none yet" in line for line in pro.match.explanation)
    # the organisation's admin of acme may read the employee's organisation profile, but only manages
    # acme's jobs: on an internal gig of acme the employee is found
    internal = _published(
        taxonomy_platform, people.admin, audience=Audience.INTERNAL, organisation_id=people.acme
    )
    assert uid(people.employee) in _people(taxonomy_platform, people.admin, internal)
    assert uid(people.colleague) not in _people(taxonomy_platform, people.admin, internal)  # private
    assert uid(people.manager) not in _people(taxonomy_platform, people.admin, internal)  # unavailable


AskPeople = Callable[[Platform, People, Actor], object]


@pytest.mark.parametrize(
    ("who", "outcome"),
    [
        ("client", None),  # the poster
        ("admin_platform", None),
        ("pro", PermissionDenied),  # sees the open job, may not manage it
        ("stranger", PermissionDenied),
        ("anonymous", NotAuthenticated),
    ],
)
def test_who_may_see_candidates_for_an_open_job(
    taxonomy_platform: Platform, who: str, outcome: type[Exception] | None
) -> None:
    people = _world(taxonomy_platform)
    job_id = _published(taxonomy_platform, people.client)
    actors = {
        "client": people.client,
        "admin_platform": _admin(taxonomy_platform),
        "pro": people.pro,
        "stranger": people.stranger,
        "anonymous": Actor.anonymous(),
    }
    if outcome is None:
        assert _people(taxonomy_platform, actors[who], job_id)
    else:
        with pytest.raises(outcome):
            _people(taxonomy_platform, actors[who], job_id)


@pytest.mark.parametrize(
    ("who", "outcome"),
    [("admin", None), ("manager", PermissionDenied), ("stranger", NotFound), ("client", NotFound)],
)
def test_who_may_see_candidates_for_an_internal_gig(
    taxonomy_platform: Platform, who: str, outcome: type[Exception] | None
) -> None:
    people = _world(taxonomy_platform)
    job_id = _published(
        taxonomy_platform, people.admin, audience=Audience.INTERNAL, organisation_id=people.acme
    )
    actor = getattr(people, who)
    if outcome is None:
        _people(taxonomy_platform, actor, job_id)
    else:
        with pytest.raises(outcome):
            _people(taxonomy_platform, actor, job_id)


def test_jobs_for_a_person_three_lists_save_and_dismiss(taxonomy_platform: Platform) -> None:
    people = _world(taxonomy_platform)
    uow = taxonomy_platform.uow
    cache = gap_analysis.graph_cache(taxonomy_platform.caches)
    fit = _published(taxonomy_platform, people.client, nice_skills=())
    stretch = _published(
        taxonomy_platform,
        people.client,
        title="Haskell and Python",
        required_skills=(PYTHON, HASKELL),
        nice_skills=(),
    )
    internal = _published(
        taxonomy_platform,
        people.admin,
        audience=Audience.INTERNAL,
        organisation_id=people.acme,
        nice_skills=(),
    )
    employee = uid(people.employee)

    def lists(actor: Actor = people.employee) -> matching.JobsForPerson:
        return matching.jobs_for_person(uow(), cache, actor=actor, user_id=employee, today=TODAY)

    found = lists()
    assert [r.job.id for r in found.fit_now] == [fit]
    assert [r.job.id for r in found.stretch] == [stretch]
    assert found.stretch[0].would_add == (found.stretch[0].match.missing_required[0].label,)
    assert found.stretch[0].match.missing_required[0].uri == HASKELL
    assert [r.job.id for r in found.internal] == [internal]
    # the pro is not of acme: no internal list for them
    pro_lists = matching.jobs_for_person(uow(), cache, actor=people.pro, user_id=uid(people.pro), today=TODAY)
    assert pro_lists.internal == ()
    assert internal not in [r.job.id for r in (*pro_lists.fit_now, *pro_lists.stretch)]

    matching.mark_job(uow(), actor=people.employee, user_id=employee, job_id=fit, mark=Mark.SAVED, now=NOW)
    matching.mark_job(
        uow(), actor=people.employee, user_id=employee, job_id=stretch, mark=Mark.DISMISSED, now=NOW
    )
    again = lists()
    assert again.fit_now[0].saved
    assert again.saved == (fit,)
    assert again.stretch == ()
    assert again.dismissed == 1
    matching.mark_job(uow(), actor=people.employee, user_id=employee, job_id=stretch, mark=None, now=NOW)
    assert [r.job.id for r in lists().stretch] == [stretch]


def test_recommendations_only_for_the_person_and_platform_admins(taxonomy_platform: Platform) -> None:
    people = _world(taxonomy_platform)
    uow = taxonomy_platform.uow
    cache = gap_analysis.graph_cache(taxonomy_platform.caches)
    job_id = _published(taxonomy_platform, people.client)
    pro = uid(people.pro)
    assert matching.jobs_for_person(uow(), cache, actor=_admin(taxonomy_platform), user_id=pro, today=TODAY)
    for other in (people.client, people.admin, people.stranger):
        with pytest.raises(PermissionDenied):
            matching.jobs_for_person(uow(), cache, actor=other, user_id=pro, today=TODAY)
        with pytest.raises(PermissionDenied):
            matching.mark_job(uow(), actor=other, user_id=pro, job_id=job_id, mark=Mark.SAVED, now=NOW)
    with pytest.raises(NotAuthenticated):
        matching.jobs_for_person(uow(), cache, actor=Actor.anonymous(), user_id=pro, today=TODAY)
    # a job the person may not see cannot be marked (404, its existence not told)
    internal = _published(
        taxonomy_platform, people.admin, audience=Audience.INTERNAL, organisation_id=people.acme
    )
    with pytest.raises(NotFound):
        matching.mark_job(uow(), actor=people.pro, user_id=pro, job_id=internal, mark=Mark.SAVED, now=NOW)


def test_partial_credit_lifts_a_broader_skill(taxonomy_platform: Platform) -> None:
    """Someone holding only 'computer programming' gets some credit for Python (broader skill)."""
    people = make_people(taxonomy_platform)
    _profile(taxonomy_platform, people.pro, {PROGRAMMING: EvidenceKind.CREDENTIAL})
    job_id = _published(taxonomy_platform, people.client, nice_skills=())
    cache = gap_analysis.graph_cache(taxonomy_platform.caches)
    found = matching.people_for_job(
        taxonomy_platform.uow(), cache, actor=people.client, job_id=job_id, today=TODAY
    )
    [only] = found.people
    assert only.match.skills[0].link is Link.BROADER
