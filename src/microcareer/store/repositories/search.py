"""``SearchRepository``: one interface, an adapter per database, chosen by ``search_repository``.

Both adapters share the filters (``marketplace.visible_jobs``, the job board's own visibility rule),
the facet counts and the paging; each says only how its index matches terms and scores a match:
``SqliteSearchRepository`` with an FTS5 ``MATCH`` and ``bm25`` (columns weighted title 8, skills 4,
place 2, brief 1), ``PostgresSearchRepository`` with ``@@`` on a ``tsvector`` and ``ts_rank_cd``
(weights A-D the same way). A query matches a job when every term matches, a term when any of its
words does (itself, what it was widened to, or for the last term any word it begins).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, func, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from microcareer.domain.marketplace.jobs import JobState
from microcareer.domain.marketplace.records import StoredJob
from microcareer.domain.search import Facets, JobFilters, TermMatch, facet_counts
from microcareer.store.repositories.marketplace import (
    SqlAlchemyMarketplaceRepository,
    asking_for_any,
    visible_jobs,
)
from microcareer.store.tables.marketplace import MicroJobRow, MicroJobSkillRow
from microcareer.store.tables.search import SearchWordRow

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

    def _matching(self, matches: Sequence[TermMatch]) -> Subquery:
        """(job_id, rank) of the jobs whose document matches every term; higher rank is better."""
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
        order: list[Any] = []
        if matches:
            ranked = self._matching(matches)
            query = query.join(ranked, ranked.c.job_id == MicroJobRow.id)
            order.append(ranked.c.rank.desc())
        order += [MicroJobRow.updated_at.desc(), MicroJobRow.id.desc()]
        found = query.with_only_columns(MicroJobRow.id).subquery()
        total = self.session.scalar(select(func.count()).select_from(found)) or 0
        rows = self.session.scalars(query.order_by(*order).limit(limit).offset(offset)).all()
        jobs = SqlAlchemyMarketplaceRepository(self.session).jobs_of(rows)
        return jobs, total, self._facets(found) if total else Facets()

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


class SqliteSearchRepository(_SearchRepository):
    """FTS5 over ``search_index_jobs`` (rowid = job id)."""

    def _matching(self, matches: Sequence[TermMatch]) -> Subquery:
        groups = []
        for match in matches:
            words = [f'"{w}"' for w in match.words] + ([f'"{match.term}"*'] if match.prefix else [])
            groups.append("(" + " OR ".join(words) + ")")
        statement = text(
            "SELECT rowid AS job_id, -bm25(search_index_jobs, 8.0, 4.0, 2.0, 1.0) AS rank "
            "FROM search_index_jobs WHERE search_index_jobs MATCH :match"
        ).bindparams(match=" AND ".join(groups))
        return statement.columns(job_id=Integer, rank=Float).subquery("ranked")


class PostgresSearchRepository(_SearchRepository):
    """``tsvector`` with a GIN index in ``search_index_jobs``, the ``simple`` configuration."""

    def _matching(self, matches: Sequence[TermMatch]) -> Subquery:
        groups = []
        for match in matches:
            words = [f"'{w}'" for w in match.words] + ([f"'{match.term}':*"] if match.prefix else [])
            groups.append("(" + " | ".join(words) + ")")
        statement = text(
            "SELECT job_id, ts_rank_cd(document, to_tsquery('simple', :match)) AS rank "
            "FROM search_index_jobs WHERE document @@ to_tsquery('simple', :match)"
        ).bindparams(match=" & ".join(groups))
        return statement.columns(job_id=Integer, rank=Float).subquery("ranked")


def search_repository(session: Session) -> _SearchRepository:
    """The adapter for the session's database."""
    if session.get_bind().dialect.name == "sqlite":
        return SqliteSearchRepository(session)
    return PostgresSearchRepository(session)
