"""``SearchRepository``: one interface, an adapter per database, chosen by ``search_repository``.

Both adapters share the filters (``marketplace.visible_jobs``, the job board's own visibility rule),
the facet counts and the paging; each says only how its index matches terms and scores a match:
``SqliteSearchRepository`` with an FTS5 ``MATCH`` and ``bm25`` (columns weighted title 8, skills 4,
place 2, brief 1), ``PostgresSearchRepository`` with ``@@`` on a ``tsvector`` and ``ts_rank_cd``
(weights A-D the same way). A query matches a job when every term matches, a term when any of its
words does (itself, what it was widened to, or for the last term any word it begins).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, String, cast, false, func, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from microcareer.domain.marketplace.jobs import JobState
from microcareer.domain.marketplace.records import StoredJob
from microcareer.domain.profiles.profile import Visibility
from microcareer.domain.search import Facets, JobFilters, PeopleFilters, PersonFound, TermMatch, facet_counts
from microcareer.store.repositories.marketplace import (
    SqlAlchemyMarketplaceRepository,
    asking_for_any,
    visible_jobs,
)
from microcareer.store.repositories.search_index import INDEXES, profile_place
from microcareer.store.tables.accounts import MembershipRow, UserRow
from microcareer.store.tables.marketplace import MicroJobRow, MicroJobSkillRow
from microcareer.store.tables.profiles import ProfileRow, ProfileSkillRow
from microcareer.store.tables.search import SearchWordRow

WEIGHTS = {"jobs": "8.0, 4.0, 2.0, 1.0", "profiles": "8.0, 6.0, 4.0, 2.0, 1.0"}
"""bm25 weights of each index's fields, as ``search_index.INDEXES`` orders them (title or name first)."""
FACET_ROWS_MAX = 5000
"""Profiles whose city is counted for the place facet at most (the city lives in a JSON column)."""
CANDIDATE_WORDS_MAX = 5000
"""Indexed words measured against one misspelt term at most."""


def _filters(filters: JobFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.skills:
        conditions.append(asking_for_any(filters.skills))
    if filters.organisation_id is not None:
        conditions.append(MicroJobRow.organisation_id == filters.organisation_id)
    if filters.audience is not None:
        conditions.append(MicroJobRow.audience == filters.audience.value)
    if filters.remote is not None:
        conditions.append(MicroJobRow.remote.is_(filters.remote))
    if filters.place.strip():
        conditions.append(
            func.lower(MicroJobRow.place).contains(filters.place.strip().lower(), autoescape=True)
        )
    if filters.budget_kind is not None:
        conditions.append(MicroJobRow.budget_kind == filters.budget_kind.value)
    if filters.budget_min is not None:
        conditions.append(MicroJobRow.budget_amount >= filters.budget_min)
    if filters.budget_max is not None:
        conditions.append(MicroJobRow.budget_amount <= filters.budget_max)
    return conditions


def _people_filters(filters: PeopleFilters, visible_orgs: frozenset[int] | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.skills:
        holders = select(ProfileSkillRow.user_id).where(ProfileSkillRow.skill_uri.in_(list(filters.skills)))
        conditions.append(ProfileRow.user_id.in_(holders))
    if filters.organisation_id is not None:
        org = filters.organisation_id
        allowed = visible_orgs is None or org in visible_orgs
        members = select(MembershipRow.user_id).where(MembershipRow.organisation_id == org)
        conditions.append(ProfileRow.user_id.in_(members) if allowed else false())
    if filters.place.strip():
        wanted = filters.place.strip().lower()
        place = func.lower(cast(ProfileRow.location, String))  # the JSON's text: city, region, country
        conditions.append(place.contains(wanted, autoescape=True))
    if filters.rate_max is not None:
        conditions.append(or_(ProfileRow.hourly_rate.is_(None), ProfileRow.hourly_rate <= filters.rate_max))
    if filters.hours_min is not None:
        conditions.append(ProfileRow.hours_per_week >= filters.hours_min)
    return conditions


class _SearchRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def known_words(self, words: Sequence[str]) -> set[str]:
        if not words:
            return set()
        found = self.session.scalars(select(SearchWordRow.word).where(SearchWordRow.word.in_(list(words))))
        return set(found)

    def words_near(self, term: str, allowance: int) -> list[str]:
        heads = {term[:1], term[1:2]} - {""}
        query = (
            select(SearchWordRow.word)
            .where(func.length(SearchWordRow.word).between(len(term) - allowance, len(term) + allowance))
            .where(or_(*(SearchWordRow.word.startswith(h, autoescape=True) for h in heads)))
            .limit(CANDIDATE_WORDS_MAX)
        )
        return list(self.session.scalars(query))

    def _matching(self, index: str, matches: Sequence[TermMatch]) -> Subquery:
        """(row_id, rank) of the rows of ``search_index_<index>`` whose document matches every term;
        higher rank is better."""
        raise NotImplementedError

    def search_jobs(
        self,
        *,
        matches: Sequence[TermMatch],
        filters: JobFilters,
        states: Sequence[JobState],
        visible_orgs: frozenset[int] | None,
        viewer_id: int | None,
        poster_id: int | None,
        limit: int,
        offset: int,
    ) -> tuple[list[StoredJob], int, Facets]:
        conditions = [*visible_jobs(states, visible_orgs, viewer_id), *_filters(filters)]
        if poster_id is not None:
            conditions.append(MicroJobRow.poster_user_id == poster_id)
        query = select(MicroJobRow).where(*conditions)
        rows, total, found = self._page(
            "jobs", query, MicroJobRow.id, MicroJobRow.updated_at, matches, limit, offset
        )
        jobs = SqlAlchemyMarketplaceRepository(self.session).jobs_of([row for (row,) in rows])
        return jobs, total, self._facets(found) if total else Facets()

    def _page(
        self,
        index: str,
        query: Any,
        key: Any,
        updated: Any,
        matches: Sequence[TermMatch],
        limit: int,
        offset: int,
    ) -> tuple[Sequence[Any], int, Subquery]:
        """One page of ``query``'s rows (best match first with terms, newest ``updated`` first
        without), how many in all, and all their ``key`` values as a subquery (``id``) for facets."""
        order: list[Any] = []
        if matches:
            ranked = self._matching(index, matches)
            query = query.join(ranked, ranked.c.row_id == key)
            order.append(ranked.c.rank.desc())
        order += [updated.desc(), key.desc()]
        found = query.with_only_columns(key.label("id")).subquery()
        total = self.session.scalar(select(func.count()).select_from(found)) or 0
        rows = self.session.execute(query.order_by(*order).limit(limit).offset(offset)).all()
        return rows, total, found

    def _facets(self, found: Subquery) -> Facets:
        def count(column: Any) -> list[tuple[object, int]]:
            query = (
                select(column, func.count())
                .select_from(MicroJobRow)
                .where(MicroJobRow.id.in_(select(found.c.id)))
                .group_by(column)
            )
            return [(value, n) for value, n in self.session.execute(query).all()]

        skills = (
            select(MicroJobSkillRow.skill_uri, func.count())
            .where(MicroJobSkillRow.job_id.in_(select(found.c.id)))
            .group_by(MicroJobSkillRow.skill_uri)
        )
        remote = [("remote" if bool(v) else "on_site", n) for v, n in count(MicroJobRow.remote)]
        return Facets(
            {
                "skills": facet_counts((uri, n) for uri, n in self.session.execute(skills).all()),
                "organisation": facet_counts(count(MicroJobRow.organisation_id)),
                "audience": facet_counts(count(MicroJobRow.audience)),
                "remote": facet_counts(remote),
                "place": facet_counts(count(MicroJobRow.place)),
                "budget_kind": facet_counts(count(MicroJobRow.budget_kind)),
            }
        )

    def search_people(
        self,
        *,
        matches: Sequence[TermMatch],
        filters: PeopleFilters,
        visible_orgs: frozenset[int] | None,
        viewer_id: int | None,
        limit: int,
        offset: int,
    ) -> tuple[list[PersonFound], int, Facets]:
        conditions = [ProfileRow.available.is_(True), *_people_filters(filters, visible_orgs)]
        if viewer_id is not None:
            conditions.append(ProfileRow.user_id != viewer_id)
        if visible_orgs is not None:
            readable = [ProfileRow.visibility == Visibility.PUBLIC.value]
            if visible_orgs:
                co_members = select(MembershipRow.user_id).where(
                    MembershipRow.organisation_id.in_(sorted(visible_orgs))
                )
                readable.append(
                    (ProfileRow.visibility == Visibility.ORGANISATION.value)
                    & ProfileRow.user_id.in_(co_members)
                )
            conditions.append(or_(*readable))
        query = select(ProfileRow, UserRow.display_name).join(UserRow, UserRow.id == ProfileRow.user_id)
        query = query.where(*conditions)
        rows, total, found = self._page(
            "profiles", query, ProfileRow.user_id, ProfileRow.updated_at, matches, limit, offset
        )
        people = [
            PersonFound(
                user_id=row.user_id,
                display_name=name,
                headline=row.headline,
                place=" ".join(profile_place(row.location).split()),
                hourly_rate=row.hourly_rate,
                currency=row.currency,
                hours_per_week=row.hours_per_week,
            )
            for row, name in rows
        ]
        return people, total, self._people_facets(found, visible_orgs) if total else Facets()

    def _people_facets(self, found: Subquery, visible_orgs: frozenset[int] | None) -> Facets:
        among = select(found.c.id)
        skills = (
            select(ProfileSkillRow.skill_uri, func.count())
            .where(ProfileSkillRow.user_id.in_(among))
            .group_by(ProfileSkillRow.skill_uri)
        )
        organisations = (
            select(MembershipRow.organisation_id, func.count())
            .where(MembershipRow.user_id.in_(among))
            .group_by(MembershipRow.organisation_id)
        )
        if visible_orgs is not None:  # an organisation's people are its own business
            organisations = organisations.where(MembershipRow.organisation_id.in_(sorted(visible_orgs)))
        visibility = (
            select(ProfileRow.visibility, func.count())
            .where(ProfileRow.user_id.in_(among))
            .group_by(ProfileRow.visibility)
        )
        places = select(ProfileRow.location).where(ProfileRow.user_id.in_(among)).limit(FACET_ROWS_MAX)
        cities = Counter(str((loc or {}).get("city") or "") for loc in self.session.scalars(places))
        return Facets(
            {
                "skills": facet_counts((u, n) for u, n in self.session.execute(skills).all()),
                "organisation": facet_counts((o, n) for o, n in self.session.execute(organisations).all()),
                "visibility": facet_counts((v, n) for v, n in self.session.execute(visibility).all()),
                "place": facet_counts(cities.items()),
            }
        )


class SqliteSearchRepository(_SearchRepository):
    """FTS5 over ``search_index_jobs`` and ``search_index_profiles`` (rowid = job or user id)."""

    def _matching(self, index: str, matches: Sequence[TermMatch]) -> Subquery:
        groups = []
        for match in matches:
            words = [f'"{w}"' for w in match.words] + ([f'"{match.term}"*'] if match.prefix else [])
            groups.append("(" + " OR ".join(words) + ")")
        weights = WEIGHTS[index]
        statement = text(
            f"SELECT rowid AS row_id, -bm25(search_index_{index}, {weights}) AS rank "  # noqa: S608
            f"FROM search_index_{index} WHERE search_index_{index} MATCH :match"
        ).bindparams(match=" AND ".join(groups))
        return statement.columns(row_id=Integer, rank=Float).subquery("ranked")


class PostgresSearchRepository(_SearchRepository):
    """``tsvector`` with a GIN index in ``search_index_jobs`` and ``search_index_profiles``, the
    ``simple`` configuration."""

    def _matching(self, index: str, matches: Sequence[TermMatch]) -> Subquery:
        groups = []
        for match in matches:
            words = [f"'{w}'" for w in match.words] + ([f"'{match.term}':*"] if match.prefix else [])
            groups.append("(" + " | ".join(words) + ")")
        key = INDEXES[index][0]
        statement = text(
            f"SELECT {key} AS row_id, ts_rank_cd(document, to_tsquery('simple', :match)) AS rank "  # noqa: S608
            f"FROM search_index_{index} WHERE document @@ to_tsquery('simple', :match)"
        ).bindparams(match=" & ".join(groups))
        return statement.columns(row_id=Integer, rank=Float).subquery("ranked")


def search_repository(session: Session) -> _SearchRepository:
    """The adapter for the session's database."""
    if session.get_bind().dialect.name == "sqlite":
        return SqliteSearchRepository(session)
    return PostgresSearchRepository(session)
