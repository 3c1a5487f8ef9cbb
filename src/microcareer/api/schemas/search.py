"""Search results: a page of items with the facet counts of all of them and the typos read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from microcareer.api.schemas.common import Page
from microcareer.api.schemas.jobs import JobPublic
from microcareer.domain.search import Facets, PersonFound
from microcareer.services.search import JobSearchPage, PeopleSearchPage

T = TypeVar("T")


class FacetCountPublic(BaseModel):
    value: str = Field(description="A value of the facet, as its filter takes it.")
    count: int = Field(description="How many of all the results have it.")


class SearchResults(Page[T], Generic[T]):
    """Best matching first (newest change first without ``q``)."""

    facets: dict[str, list[FacetCountPublic]] = Field(
        default_factory=dict,
        description="Per facet (its name is the filter it feeds), the commonest values among all the "
        "results and how many have each.",
    )
    widened: dict[str, list[str]] = Field(
        default_factory=dict, description="Misspelt terms of q and the indexed words they were read as."
    )

    @classmethod
    def of_page(
        cls,
        items: Sequence[T],
        total: int,
        facets: Facets,
        widened: Mapping[str, Sequence[str]],
        *,
        limit: int,
        offset: int,
    ) -> SearchResults[T]:
        counts = {
            name: [FacetCountPublic(value=c.value, count=c.count) for c in found]
            for name, found in facets.counts.items()
        }
        return cls(
            items=list(items),
            total=total,
            limit=limit,
            offset=offset,
            facets=counts,
            widened={term: list(words) for term, words in widened.items()},
        )


class PersonPublic(BaseModel):
    user_id: int
    display_name: str
    headline: str
    place: str = Field(description="City, region and country, as the profile gives them.")
    hourly_rate: float | None = Field(description="Per hour, in currency; none when not said.")
    currency: str
    hours_per_week: int | None = Field(description="Hours a week the person can take on.")

    @classmethod
    def of(cls, found: PersonFound) -> PersonPublic:
        return cls(**asdict(found))


JobSearchPublic = SearchResults[JobPublic]
PeopleSearchPublic = SearchResults[PersonPublic]


def job_results(page: JobSearchPage, *, limit: int, offset: int) -> SearchResults[JobPublic]:
    items = [JobPublic.of(j) for j in page.jobs]
    return JobSearchPublic.of_page(items, page.total, page.facets, page.widened, limit=limit, offset=offset)


def people_results(page: PeopleSearchPage, *, limit: int, offset: int) -> SearchResults[PersonPublic]:
    items = [PersonPublic.of(p) for p in page.people]
    return PeopleSearchPublic.of_page(
        items, page.total, page.facets, page.widened, limit=limit, offset=offset
    )
