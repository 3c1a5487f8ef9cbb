"""Search: micro-jobs by the words of their title, brief, skills and place, narrowed by facets.

A job is found exactly when the job board would list it to the same person (``micro_jobs.list_jobs``:
open-market jobs, internal ones of the searcher's organisations, their own drafts with ``mine``), so
an internal job of another organisation or a closed one never shows, by text or by facet count.
Misspelt terms are widened to the indexed words closest to them (``domain.search``); results are
ranked by text relevance (bm25 on SQLite, ``ts_rank_cd`` on PostgreSQL: title above skills above
place above brief), then by newest change; facets narrow, never reorder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.jobs import JobState
from microcareer.domain.marketplace.records import StoredJob
from microcareer.domain.search import (
    Facets,
    JobFilters,
    PeopleFilters,
    PersonFound,
    TermMatch,
    check_page,
    closest_words,
    query_terms,
    typo_allowance,
    widening,
)
from microcareer.errors import InvalidInput, NotAuthenticated
from microcareer.services.access import Action, authorize, visible_organisations
from microcareer.services.ports import UnitOfWork
from microcareer.services.recent_reads import RecentReads

PREFIX_MIN = 3
"""Letters the last term needs before it also matches the words it begins."""


@dataclass(frozen=True, slots=True)
class JobSearchPage:
    jobs: list[StoredJob]
    total: int
    """How many jobs match in all (every page)."""
    facets: Facets = field(default_factory=Facets)
    widened: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Misspelt terms and the indexed words they were read as."""


def term_matches(uow: UnitOfWork, q: str) -> list[TermMatch]:
    """The terms of ``q``, each widened to the indexed words near it when no indexed text holds it
    (inside an open unit of work)."""
    wanted = query_terms(q)
    known = uow.search.known_words(wanted) if wanted else set()
    matches = []
    for index, term in enumerate(wanted):
        widened: tuple[str, ...] = ()
        if term not in known and typo_allowance(term):
            widened = closest_words(term, uow.search.words_near(term, typo_allowance(term)))
        prefix = index == len(wanted) - 1 and len(term) >= PREFIX_MIN
        matches.append(TermMatch(term, widened, prefix))
    return matches


@dataclass(frozen=True, slots=True)
class JobQuery:
    """A job search checked and bound to its viewer's visibility (``job_query``); ``key`` names its
    answer: two queries with the same key are given the same rows by the store."""

    q: str
    filters: JobFilters
    states: tuple[JobState, ...]
    visible: frozenset[int] | None
    viewer_id: int | None
    poster_id: int | None
    limit: int
    offset: int

    @property
    def key(self) -> tuple[object, ...]:
        return (
            "jobs",
            self.q,
            self.filters,
            self.states,
            self.visible,
            self.viewer_id,
            self.poster_id,
            self.limit,
            self.offset,
        )


def job_query(
    *,
    actor: Actor,
    q: str = "",
    filters: JobFilters = JobFilters(),
    mine: bool = False,
    states: Sequence[JobState] = (JobState.OPEN,),
    limit: int = 25,
    offset: int = 0,
    limit_max: int = 200,
) -> JobQuery:
    """The search checked (a bad page, filter or state is ``InvalidInput``; ``mine`` signed out is
    ``NotAuthenticated``) and bound to what ``access`` lets the actor see; no store read."""
    check_page(limit, offset, limit_max=limit_max)
    filters.validate()
    if not states:
        raise InvalidInput("states: give at least one state", field="states")
    poster = None
    if mine:
        if actor.user_id is None:
            raise NotAuthenticated("sign in to list your own jobs")
        poster = actor.user_id
    wanted = tuple(dict.fromkeys(states))
    visible = visible_organisations(actor)  # the viewer's visibility: what the store filters by, and the key
    return JobQuery(q, filters, wanted, visible, actor.user_id, poster, limit, offset)


def load_jobs(uow: UnitOfWork, query: JobQuery) -> JobSearchPage:
    """``query``'s page from the store."""
    with uow:
        matches = term_matches(uow, query.q)
        jobs, total, facets = uow.search.search_jobs(
            matches=matches,
            filters=query.filters,
            states=list(query.states),
            visible_orgs=query.visible,
            viewer_id=query.viewer_id,
            poster_id=query.poster_id,
            limit=query.limit,
            offset=query.offset,
        )
    return JobSearchPage(jobs, total, facets, widening(matches))


def search_jobs(
    uow: UnitOfWork,
    *,
    actor: Actor,
    q: str = "",
    filters: JobFilters = JobFilters(),
    mine: bool = False,
    states: Sequence[JobState] = (JobState.OPEN,),
    limit: int = 25,
    offset: int = 0,
    limit_max: int = 200,
    recent: RecentReads | None = None,
) -> JobSearchPage:
    """One page of the jobs the actor may see that match ``q`` and ``filters``, with facet counts.

    ``recent``: a page asked for a moment ago by a viewer with the same visibility may be given back
    from there (``services/recent_reads.py``: it lapses at any commit through this process)."""
    query = job_query(
        actor=actor,
        q=q,
        filters=filters,
        mine=mine,
        states=states,
        limit=limit,
        offset=offset,
        limit_max=limit_max,
    )
    if recent is None:
        return load_jobs(uow, query)
    return recent.read(query.key, lambda: load_jobs(uow, query))


@dataclass(frozen=True, slots=True)
class PeopleSearchPage:
    people: list[PersonFound]
    total: int
    facets: Facets = field(default_factory=Facets)
    widened: dict[str, tuple[str, ...]] = field(default_factory=dict)


def search_people(
    uow: UnitOfWork,
    *,
    actor: Actor,
    q: str = "",
    filters: PeopleFilters = PeopleFilters(),
    limit: int = 25,
    offset: int = 0,
) -> PeopleSearchPage:
    """Signed-in people only, as for talent search: one page of the available profiles the actor may
    read (``profiles.may_read``) matching ``q`` and ``filters``; hidden and private ones never show."""
    authorize(actor, Action.TALENT_SEARCH)
    check_page(limit, offset)
    filters.validate()
    with uow:
        matches = term_matches(uow, q)
        people, total, facets = uow.search.search_people(
            matches=matches,
            filters=filters,
            visible_orgs=visible_organisations(actor),
            viewer_id=actor.user_id,
            limit=limit,
            offset=offset,
        )
    return PeopleSearchPage(people, total, facets, widening(matches))
