"""Market demand in the gap ranking comes from the open-market micro-jobs of the last 180 days."""

from __future__ import annotations

from datetime import timedelta

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.jobs import Audience, JobState
from microcareer.domain.profiles.gap import GapStatus
from microcareer.services import gap_analysis
from tests.integration.job_market_helpers import NOW, TODAY, a_job, make_people, uid
from tests.integration.taxonomy_helpers import HASKELL, PROGRAMMING, PYTHON


def _post(platform: Platform, poster: int, state: JobState, days_ago: int, **changes: object) -> None:
    with platform.uow() as uow:
        uow.marketplace.add_job(poster, a_job(state=state, **changes), at=NOW - timedelta(days=days_ago))
        uow.commit()


def _gap(platform: Platform, user_id: int) -> dict[str, float | None]:
    report = gap_analysis.gap_to_skills(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=Actor.system(),
        user_id=user_id,
        skills=[PYTHON, HASKELL, PROGRAMMING],
        label="three skills",
        today=TODAY,
    )
    assert all(item.status is GapStatus.MISSING for item in report.gap.items)
    return {item.skill.uri: item.skill.demand for item in report.gap.items}


def test_without_postings_demand_is_unknown_and_with_them_it_ranks_the_gap(
    taxonomy_platform: Platform,
) -> None:
    people = make_people(taxonomy_platform)
    client, pro = uid(people.client), uid(people.pro)
    assert set(_gap(taxonomy_platform, pro).values()) == {None}
    # Python asked for by three recent jobs, Haskell by one; drafts, old and internal jobs do not count
    _post(taxonomy_platform, client, JobState.OPEN, 3)
    _post(taxonomy_platform, client, JobState.CLOSED, 40)
    _post(taxonomy_platform, client, JobState.OPEN, 10, nice_skills=())
    _post(taxonomy_platform, client, JobState.DRAFT, 1, required_skills=(HASKELL,), nice_skills=())
    _post(taxonomy_platform, client, JobState.OPEN, 400, required_skills=(HASKELL,), nice_skills=())
    _post(
        taxonomy_platform,
        uid(people.admin),
        JobState.OPEN,
        2,
        required_skills=(HASKELL,),
        nice_skills=(),
        audience=Audience.INTERNAL,
        organisation_id=people.acme,
    )
    demand = _gap(taxonomy_platform, pro)
    assert demand == {PYTHON: 1.0, HASKELL: 2 / 3, PROGRAMMING: 2 / 3}
