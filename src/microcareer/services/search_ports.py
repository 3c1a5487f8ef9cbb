"""Port of full-text search (``ports.UnitOfWork.search``): one interface, an adapter per database
(SQLite FTS5, PostgreSQL text search) in ``store/repositories/search*.py``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from microcareer.domain.marketplace.jobs import JobState
from microcareer.domain.marketplace.records import StoredJob
from microcareer.domain.search import Facets, JobFilters, PeopleFilters, PersonFound, TermMatch


class SearchRepository(Protocol):
    """The indexed words (for typo tolerance) and ranked, faceted job search."""

    def known_words(self, words: Sequence[str]) -> set[str]:
        """Those of ``words`` some indexed text holds."""
        ...

    def words_near(self, term: str, allowance: int) -> list[str]:
        """Indexed words that may be within ``allowance`` edits of ``term`` (a superset: same length
        give or take ``allowance``, sharing its first or second letter); the caller measures."""
        ...

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
        """Jobs the viewer may see (as ``MarketplaceRepository.list_jobs`` decides) whose text holds
        every term (any of its words), best ranked first (newest change first with no terms); how
        many there are in all; and facet counts over all of them."""
        ...

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
        """Available profiles the viewer may read (public ones; organisation ones of members of
        ``visible_orgs``; every one for None, platform admins), the viewer left out, matching every
        term, best first (newest change first with no terms); the total and facet counts."""
        ...
