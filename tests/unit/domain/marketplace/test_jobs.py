"""Micro-jobs: the state table, what a publishable job needs, and who may see it."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from microcareer.domain.marketplace.jobs import (
    JOB_TRANSITIONS,
    Audience,
    Budget,
    BudgetKind,
    JobState,
    MicroJob,
    may_see,
    transition,
)
from microcareer.domain.marketplace.money import Money
from microcareer.errors import Conflict, InvalidInput

ESCO = "http://data.europa.eu/esco/skill/"
PYTHON = ESCO + "ccd0a1d9-afda-43d9-b901-96344886e14d"
SQL = ESCO + "598de5b0-5b58-4ea7-8058-a4bc4d18c742"
GIT = ESCO + "b6a7d3f6-2a9b-4a25-9c6b-5e2b3bd2a4b1"

ALLOWED = [
    (JobState.DRAFT, JobState.OPEN),
    (JobState.DRAFT, JobState.CANCELLED),
    (JobState.OPEN, JobState.IN_PROGRESS),
    (JobState.OPEN, JobState.CLOSED),
    (JobState.OPEN, JobState.CANCELLED),
    (JobState.IN_PROGRESS, JobState.CLOSED),
    (JobState.IN_PROGRESS, JobState.CANCELLED),
]


def job(**changes: Any) -> MicroJob:
    base = MicroJob(
        title="Clean up a sales database",
        brief="Deduplicate customer records and write the SQL that keeps them clean.",
        required_skills=(SQL,),
        nice_skills=(PYTHON,),
        budget=Budget(BudgetKind.FIXED, Money(50000, "EUR")),
        expected_hours=12,
        start=date(2026, 12, 1),
        end=date(2026, 12, 15),
        remote=True,
        place="",
        audience=Audience.OPEN,
        organisation_id=None,
        state=JobState.OPEN,
    )
    return dataclasses.replace(base, **changes)


def test_the_table_lists_exactly_the_allowed_transitions() -> None:
    listed = {(current, target) for current, targets in JOB_TRANSITIONS.items() for target in targets}
    assert listed == set(ALLOWED)
    assert set(JOB_TRANSITIONS) == set(JobState)


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_transitions(current: JobState, target: JobState) -> None:
    assert transition(current, target) is target


REFUSED = [
    (current, target) for current in JobState for target in JobState if (current, target) not in ALLOWED
]


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_refused_transitions_name_both_states(current: JobState, target: JobState) -> None:
    with pytest.raises(Conflict, match=f"job: cannot go from {current.value} to {target.value}"):
        transition(current, target)


def test_a_refusal_says_where_the_state_may_go() -> None:
    with pytest.raises(Conflict, match=r"\(draft may go to cancelled, open\)"):
        transition(JobState.DRAFT, JobState.CLOSED)
    with pytest.raises(Conflict, match="nothing, it is final"):
        transition(JobState.CLOSED, JobState.OPEN)


def test_a_good_job_validates() -> None:
    job().validate()
    job(remote=False, place="Lyon").validate()
    job(start=None, end=None, nice_skills=()).validate()
    job(audience=Audience.INTERNAL, organisation_id=4).validate()
    job(start=date(2026, 12, 1), end=date(2026, 12, 1)).validate()
    job(budget=Budget(BudgetKind.HOURLY, Money(4500, "EUR")), expected_hours=2000).validate()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "title: at least 3 characters"),
        ({"title": "x" * 121}, "title", "title: at most 120"),
        ({"brief": "too short"}, "brief", "brief: at least 20"),
        ({"brief": "x" * 10_001}, "brief", "brief: at most 10000"),
        ({"required_skills": ()}, "required_skills", "at least one skill"),
        ({"required_skills": ("not a uri",)}, "required_skills", r"required_skills\[0\]: not a skill URI"),
        ({"required_skills": (SQL, SQL)}, "required_skills", "listed twice"),
        ({"nice_skills": (SQL,)}, "nice_skills", "nice_skills: already required: " + SQL),
        ({"nice_skills": (GIT, "")}, "nice_skills", r"nice_skills\[1\]"),
        ({"required_skills": tuple(f"{ESCO}{i}" for i in range(31))}, "required_skills", "at most 30"),
        ({"budget": Budget(BudgetKind.FIXED, Money(0, "EUR"))}, "budget", "the total must be above 0"),
        ({"budget": Budget(BudgetKind.HOURLY, Money(-1, "EUR"))}, "budget", "rate per hour must be above 0"),
        ({"expected_hours": 0}, "expected_hours", "expected_hours: 1 to 2000, not 0"),
        ({"expected_hours": 2001}, "expected_hours", "not 2001"),
        ({"end": date(2026, 11, 30)}, "end", "end: 2026-11-30 is before the start 2026-12-01"),
        ({"audience": Audience.INTERNAL}, "organisation_id", "internal job needs its organisation"),
        ({"remote": False, "place": " "}, "place", "place: required when the job is not remote"),
        ({"remote": False, "place": "x" * 201}, "place", "at most 200"),
    ],
)
def test_validate_refuses(changes: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        job(**changes).validate()
    assert caught.value.extra["field"] == field


POSTER, MEMBER, OUTSIDER = 1, 2, 3
ORG, OTHER_ORG = 10, 20


@pytest.mark.parametrize(
    ("changes", "viewer", "orgs", "admin", "seen"),
    [
        # open market, published: anyone, even anonymous
        ({}, OUTSIDER, set(), False, True),
        ({}, None, set(), False, True),
        ({"state": JobState.CLOSED}, None, set(), False, True),
        # drafts: the poster and admins only
        ({"state": JobState.DRAFT}, POSTER, set(), False, True),
        ({"state": JobState.DRAFT}, OUTSIDER, set(), False, False),
        ({"state": JobState.DRAFT}, None, set(), False, False),
        ({"state": JobState.DRAFT}, OUTSIDER, set(), True, True),
        # internal: members of that organisation, the poster, admins
        ({"audience": Audience.INTERNAL, "organisation_id": ORG}, MEMBER, {ORG}, False, True),
        ({"audience": Audience.INTERNAL, "organisation_id": ORG}, MEMBER, {OTHER_ORG, ORG}, False, True),
        ({"audience": Audience.INTERNAL, "organisation_id": ORG}, OUTSIDER, {OTHER_ORG}, False, False),
        ({"audience": Audience.INTERNAL, "organisation_id": ORG}, OUTSIDER, set(), False, False),
        ({"audience": Audience.INTERNAL, "organisation_id": ORG}, None, set(), False, False),
        ({"audience": Audience.INTERNAL, "organisation_id": ORG}, POSTER, set(), False, True),
        ({"audience": Audience.INTERNAL, "organisation_id": ORG}, OUTSIDER, set(), True, True),
        # an internal draft: not even members
        (
            {"audience": Audience.INTERNAL, "organisation_id": ORG, "state": JobState.DRAFT},
            MEMBER,
            {ORG},
            False,
            False,
        ),
        # an internal job without its organisation (invalid, never published) is hidden from members
        ({"audience": Audience.INTERNAL, "organisation_id": None}, MEMBER, {ORG}, False, False),
    ],
)
def test_may_see(
    changes: dict[str, Any], viewer: int | None, orgs: set[int], admin: bool, seen: bool
) -> None:
    assert may_see(job(**changes), frozenset(orgs), viewer, POSTER, admin) is seen
