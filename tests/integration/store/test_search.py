"""Job and people search on SQLite (FTS5) and PostgreSQL (tsvector): who finds what, typos, facets,
index upkeep."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState
from microcareer.domain.marketplace.money import Money
from microcareer.domain.profiles.profile import Location, Profile, Visibility
from microcareer.domain.search import JobFilters, PeopleFilters
from microcareer.errors import InvalidInput, NotAuthenticated
from microcareer.services import micro_jobs, search
from tests.integration.job_market_helpers import NOW, People, a_job, make_people, uid
from tests.integration.taxonomy_helpers import HASKELL, PYTHON


@dataclass(frozen=True)
class Board:
    people: People
    open_job: int  # "Data analysis of sales figures", open market, Python, hourly, on site in Lyon
    port: int  # "Port a script to Python", open market, remote, fixed
    internal: int  # acme's internal Python job
    cancelled: int  # a Python job cancelled
    draft: int  # the client's Python draft


def _board(platform: Platform) -> Board:
    people = make_people(platform)
    uow = platform.uow

    def posted(actor: Actor, publish: bool = True, **changes: object) -> int:
        job_id = micro_jobs.post_job(uow(), actor=actor, job=a_job(**changes), now=NOW).id
        if publish:
            micro_jobs.publish_job(uow(), actor=actor, job_id=job_id, now=NOW)
        return job_id

    analysis = posted(
        people.client,
        title="Data analysis of sales figures",
        brief="Clean last year's sales data and chart the trends per region.",
        nice_skills=(),
        remote=False,
        place="Lyon",
        budget=Budget(BudgetKind.HOURLY, Money(6_000, "EUR")),
    )
    port = posted(people.client)
    internal = posted(people.admin, audience=Audience.INTERNAL, organisation_id=people.acme)
    cancelled = posted(people.client, title="Python code review")
    micro_jobs.cancel_job(uow(), actor=people.client, job_id=cancelled, now=NOW)
    draft = posted(people.client, publish=False, title="Python draft job")
    return Board(people, analysis, port, internal, cancelled, draft)


def _found(platform: Platform, actor: Actor, q: str = "", **kwargs: object) -> list[int]:
    page = search.search_jobs(platform.uow(), actor=actor, q=q, **kwargs)  # type: ignore[arg-type]
    assert page.total == len(page.jobs)
    return [j.id for j in page.jobs]


def test_who_finds_which_job(taxonomy_platform: Platform) -> None:
    """The same jobs as the board lists: internal ones only inside the organisation, closed and draft
    ones never (the draft only to its poster, with ``mine``)."""
    board = _board(taxonomy_platform)
    people = board.people
    everyone = {board.open_job, board.port}
    matrix = [
        (Actor.anonymous(), everyone),
        (people.pro, everyone),
        (people.employee, everyone | {board.internal}),
        (people.stranger, everyone),
    ]
    for actor, expected in matrix:
        for q in ("python", "pyhton", ""):
            found = set(_found(taxonomy_platform, actor, q))
            assert found == expected, (actor, q)
            listed = {j.id for j in micro_jobs.list_jobs(taxonomy_platform.uow(), actor=actor)[0]}
            assert found <= listed
        facets = search.search_jobs(taxonomy_platform.uow(), actor=actor).facets
        assert sum(f.count for f in facets.of("audience")) == len(expected)
    mine = _found(taxonomy_platform, people.client, "draft", mine=True, states=list(JobState))
    assert mine == [board.draft]
    assert _found(taxonomy_platform, people.pro, "draft", states=list(JobState)) == []
    with pytest.raises(NotAuthenticated):
        search.search_jobs(taxonomy_platform.uow(), actor=Actor.anonymous(), mine=True)


def test_typos_prefixes_ranking_and_facets(taxonomy_platform: Platform) -> None:
    board = _board(taxonomy_platform)
    pro = board.people.pro
    page = search.search_jobs(taxonomy_platform.uow(), actor=pro, q="data anlysis")
    assert [j.id for j in page.jobs] == [board.open_job]
    assert page.widened == {"anlysis": ("analysis",)}
    assert _found(taxonomy_platform, pro, "Analys") == [board.open_job]  # the last term as a prefix
    assert _found(taxonomy_platform, pro, "Lyon") == [board.open_job]  # the place is indexed
    assert _found(taxonomy_platform, pro, "haskell") == [board.port]  # a skill label or the brief
    assert _found(taxonomy_platform, pro, "python haskell sales") == []
    # a title match ranks above a match in the brief alone
    assert _found(taxonomy_platform, pro, "python")[:1] == [board.port]

    page = search.search_jobs(taxonomy_platform.uow(), actor=pro)
    assert {(f.value, f.count) for f in page.facets.of("remote")} == {("remote", 1), ("on_site", 1)}
    assert {(f.value, f.count) for f in page.facets.of("skills")} >= {(PYTHON, 2), (HASKELL, 1)}
    filters = {
        JobFilters(remote=False): [board.open_job],
        JobFilters(place="lyo"): [board.open_job],
        JobFilters(budget_kind=BudgetKind.FIXED): [board.port],
        JobFilters(budget_min=10_000): [board.port],
        JobFilters(budget_max=10_000): [board.open_job],
        JobFilters(skills=(HASKELL,)): [board.port],
        JobFilters(organisation_id=board.people.acme): [],
    }
    for given, expected in filters.items():
        assert _found(taxonomy_platform, pro, filters=given) == expected, given
    employee = board.people.employee
    assert _found(taxonomy_platform, employee, "pyton", filters=JobFilters(audience=Audience.INTERNAL)) == [
        board.internal
    ]
    for bad, field in (
        ({"q": "x" * 201}, "q"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"filters": JobFilters(budget_min=5, budget_max=4)}, "budget_max"),
    ):
        with pytest.raises(InvalidInput) as refused:
            search.search_jobs(taxonomy_platform.uow(), actor=pro, **bad)
        assert refused.value.extra["field"] == field


def test_the_index_follows_edits(taxonomy_platform: Platform) -> None:
    board = _board(taxonomy_platform)
    pro = board.people.pro
    edited = a_job(title="Spreadsheet macros", brief="Automate the monthly spreadsheet.", nice_skills=())
    micro_jobs.update_job(
        taxonomy_platform.uow(), actor=board.people.client, job_id=board.port, job=edited, now=NOW
    )
    assert _found(taxonomy_platform, pro, "macros") == [board.port]
    assert _found(taxonomy_platform, pro, "spreadshet") == [board.port]
    assert _found(taxonomy_platform, pro, "haskell") == []


def test_who_finds_which_person_and_the_index_follows_profile_edits(taxonomy_platform: Platform) -> None:
    """Available profiles the searcher may read: public ones, organisation ones inside the
    organisation; never private or hidden ones, nor the searcher; facets never name another
    organisation's people."""
    people = make_people(taxonomy_platform)
    profiles = [
        (people.admin, Profile(headline="Team lead", location=Location(city="Lyon"), hourly_rate=90.0)),
        (
            people.colleague,
            Profile(headline="Data analyst", visibility=Visibility.ORGANISATION, hours_per_week=10),
        ),
        (people.manager, Profile(headline="Analyst", visibility=Visibility.PRIVATE)),
        (people.client, Profile(headline="Hobbyist", available=False)),
        (people.pro, Profile(headline="Freelance developer", hourly_rate=40.0, hours_per_week=30)),
    ]
    with taxonomy_platform.uow() as uow:
        for actor, profile in profiles:
            uow.profiles.save(uid(actor), profile, resume_extras={}, at=NOW)
            uow.profiles.set_skill(uid(actor), PYTHON, 3, at=NOW)
        uow.commit()

    def found(actor: Actor, q: str = "pyhton", **filters: object) -> set[int]:
        page = search.search_people(
            taxonomy_platform.uow(),
            actor=actor,
            q=q,
            filters=PeopleFilters(**filters),  # type: ignore[arg-type]
        )
        return {p.user_id for p in page.people}

    with pytest.raises(NotAuthenticated):
        search.search_people(taxonomy_platform.uow(), actor=Actor.anonymous(), q="python")
    matrix = [
        (people.pro, {uid(people.admin)}),
        (people.employee, {uid(people.admin), uid(people.colleague), uid(people.pro)}),
        (people.stranger, {uid(people.admin), uid(people.pro)}),
        (people.colleague, {uid(people.admin), uid(people.pro)}),
    ]
    for actor, expected in matrix:
        assert found(actor) == expected - {uid(actor)}, actor
    outside = search.search_people(taxonomy_platform.uow(), actor=people.stranger, q="python").facets
    assert outside.of("organisation") == ()  # acme's people are acme's business
    inside = search.search_people(taxonomy_platform.uow(), actor=people.employee, q="python").facets
    assert [(c.value, c.count) for c in inside.of("organisation")] == [(str(people.acme), 2)]
    assert found(people.employee, "analyst") == {uid(people.colleague)}
    assert found(people.employee, "", place="lyon") == {uid(people.admin)}
    assert found(people.employee, "", rate_max=50.0) == {uid(people.colleague), uid(people.pro)}
    assert found(people.employee, "", hours_min=20) == {uid(people.pro)}
    assert found(people.stranger, "", organisation_id=people.acme) == set()

    with taxonomy_platform.uow() as uow:
        uow.profiles.save(
            uid(people.pro), Profile(headline="Rust developer", available=False), resume_extras={}, at=NOW
        )
        uow.profiles.save(uid(people.admin), Profile(headline="Rust mentor"), resume_extras={}, at=NOW)
        uow.commit()
    assert found(people.employee, "rust") == {uid(people.admin)}  # the pro is hidden now
    assert found(people.employee, "team") == set()
