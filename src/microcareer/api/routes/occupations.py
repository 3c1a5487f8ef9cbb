"""/api/v1/occupations: search ESCO occupations and look one up with its essential and optional skills."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from microcareer.api.deps import ActorDep, PageDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.common import Page
from microcareer.api.schemas.occupations import OccupationDetailPublic, OccupationHitPublic
from microcareer.services import taxonomy

router = PrefixRouter(prefix="/occupations", tags=["occupations"], route_class=OneHopRoute)

QueryParam = Annotated[
    str,
    Query(min_length=1, max_length=200, description="Words of an occupation's label; typos are tolerated."),
]


@router.get("", response_model=Page[OccupationHitPublic], summary="Search occupations by label")
def search_occupations(
    q: QueryParam, page: PageDep, platform: PlatformDep, actor: ActorDep
) -> Page[OccupationHitPublic]:
    found = taxonomy.search_occupations(
        platform.uow(),
        taxonomy.label_index_cache(platform.caches),
        actor=actor,
        query=q,
        limit=page.limit,
        offset=page.offset,
    )
    items = [OccupationHitPublic.of(hit) for hit in found.hits]
    return Page(items=items, total=found.total, limit=found.limit, offset=found.offset)


@router.get("/by-uri", response_model=OccupationDetailPublic, summary="Look an occupation up by its URI")
def occupation_by_uri(
    uri: Annotated[str, Query(min_length=1, max_length=255)], platform: PlatformDep, actor: ActorDep
) -> OccupationDetailPublic:
    return OccupationDetailPublic.of(taxonomy.get_occupation(platform.uow(), actor=actor, uri_or_key=uri))


@router.get("/{key}", response_model=OccupationDetailPublic, summary="Look an occupation up by its key")
def occupation_by_key(key: str, platform: PlatformDep, actor: ActorDep) -> OccupationDetailPublic:
    """The key is the last segment of the occupation's URI (its ESCO UUID)."""
    return OccupationDetailPublic.of(taxonomy.get_occupation(platform.uow(), actor=actor, uri_or_key=key))
