"""Search results: a page of items with the facet counts of all of them and the typos read."""

from __future__ import annotations

from pydantic import BaseModel, Field

from microcareer.api.schemas.common import Page
from microcareer.api.schemas.jobs import JobPublic
from microcareer.domain.search import Facets
from microcareer.services.search import JobSearchPage


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
