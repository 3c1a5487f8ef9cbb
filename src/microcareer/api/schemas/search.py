"""Search results: a page of items with the facet counts of all of them and the typos read."""

from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel, Field

from microcareer.api.schemas.common import Page
from microcareer.api.schemas.jobs import JobPublic
from microcareer.domain.search import Facets
from microcareer.services.search import JobSearchPage, PeopleSearchPage


class FacetCountPublic(BaseModel):
    value: str = Field(description="A value of the facet, as its filter takes it.")
    count: int = Field(description="How many of all the results have it.")


def facets_public(facets: Facets) -> dict[str, list[FacetCountPublic]]:
    return {
        name: [FacetCountPublic(value=c.value, count=c.count) for c in counts]
        for name, counts in facets.counts.items()
    }


class JobSearchPublic(Page[JobPublic]):
    """Jobs best matching first (newest change first without ``q``)."""

    facets: dict[str, list[FacetCountPublic]] = Field(
        default_factory=dict,
        description="Per facet (skills, organisation, audience, remote, place, budget_kind), the "
        "commonest values among all the results and how many have each.",
    )
    widened: dict[str, list[str]] = Field(
        default_factory=dict, description="Misspelt terms of q and the indexed words they were read as."
    )

    @classmethod
    def of(cls, page: JobSearchPage, *, limit: int, offset: int) -> JobSearchPublic:
        return cls(
            items=[JobPublic.of(j) for j in page.jobs],
            total=page.total,
            limit=limit,
            offset=offset,
            facets=facets_public(page.facets),
            widened={term: list(words) for term, words in page.widened.items()},
        )


class PersonPublic(BaseModel):
    user_id: int
    display_name: str
    headline: str
    place: str = Field(description="City, region and country, as the profile gives them.")
    hourly_rate: float | None = Field(description="Per hour, in currency; none when not said.")
    currency: str
    hours_per_week: int | None = Field(description="Hours a week the person can take on.")


class PeopleSearchPublic(Page[PersonPublic]):
    """Available people whose profile you may read, best matching first (newest change without q)."""

    facets: dict[str, list[FacetCountPublic]] = Field(
        default_factory=dict,
        description="Per facet (skills, organisation: only your own organisations, visibility, place), the "
        "commonest values among all the results and how many have each.",
    )
    widened: dict[str, list[str]] = Field(
        default_factory=dict, description="Misspelt terms of q and the indexed words they were read as."
    )

    @classmethod
    def of(cls, page: PeopleSearchPage, *, limit: int, offset: int) -> PeopleSearchPublic:
        return cls(
            items=[PersonPublic(**asdict(p)) for p in page.people],
            total=page.total,
            limit=limit,
            offset=offset,
            facets=facets_public(page.facets),
            widened={term: list(words) for term, words in page.widened.items()},
        )
