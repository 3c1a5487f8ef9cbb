"""Search skills and occupations by label, through in-memory indexes rebuilt when the taxonomy changes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import OccupationRef, SkillRef
from microcareer.domain.taxonomy.search import LabelIndex, LabelSearchResult, MatchKind
from microcareer.errors import InvalidInput, NotFound
from microcareer.services.access import Action, authorize, visible_organisations
from microcareer.services.ports import TaxonomyRepository, UnitOfWork

MAX_QUERY_LENGTH = 200
MAX_LIMIT = 200
CACHE_KEY = "taxonomy.label_indexes"

T = TypeVar("T")


class IndexKind(StrEnum):
    SKILLS = "skills"
    OCCUPATIONS = "occupations"


@dataclass(frozen=True, slots=True)
class SearchHit(Generic[T]):
    """A concept found, the label that matched it, how, and how similar that label is (0 to 1)."""

    concept: T
    matched_label: str
    match_kind: MatchKind
    label_kind: str
    score: float


@dataclass(frozen=True, slots=True)
class SearchPage(Generic[T]):
    hits: tuple[SearchHit[T], ...]
    total: int
    limit: int
    offset: int


class LabelIndexCache:
    """One ``LabelIndex`` per kind, rebuilt when the stored taxonomy's revision moves on.

    Shared by every request of a process (``Platform.caches``), so a rebuild is guarded by a lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._indexes: dict[IndexKind, tuple[int, LabelIndex]] = {}

    def get(self, kind: IndexKind, taxonomy: TaxonomyRepository) -> LabelIndex:
        revision = taxonomy.revision()
        built = self._indexes.get(kind)
        if built is not None and built[0] == revision:
            return built[1]
        with self._lock:
            built = self._indexes.get(kind)
            if built is None or built[0] != revision:
                rows: Callable[[], Iterator[tuple[str, str, str, int | None]]] = (
                    taxonomy.skill_label_rows if kind is IndexKind.SKILLS else taxonomy.occupation_label_rows
                )
                built = (revision, LabelIndex(rows()))
                self._indexes[kind] = built
            return built[1]


def label_index_cache(caches: MutableMapping[str, object]) -> LabelIndexCache:
    """The process's index cache, kept in the platform's cache map (made on first use)."""
    cache = caches.get(CACHE_KEY)
    if not isinstance(cache, LabelIndexCache):
        cache = LabelIndexCache()
        caches[CACHE_KEY] = cache
    return cache


def check_query(query: str, limit: int, offset: int) -> str:
    """The query stripped, or ``InvalidInput`` saying what is wrong with the query or the page."""
    stripped = query.strip()
    if not stripped:
        raise InvalidInput("the search query is empty: give a word or more, such as 'python'", field="q")
    if len(stripped) > MAX_QUERY_LENGTH:
        raise InvalidInput(f"the search query is longer than {MAX_QUERY_LENGTH} characters", field="q")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, not {limit}", field="limit")
    if offset < 0:
        raise InvalidInput(f"offset must be 0 or more, not {offset}", field="offset")
    return stripped


def _page(result: LabelSearchResult, refs: dict[str, T], limit: int, offset: int) -> SearchPage[T]:
    hits = tuple(
        SearchHit(refs[hit.uri], hit.matched_label, hit.match_kind, hit.label_kind, hit.score)
        for hit in result.hits
        if hit.uri in refs
    )
    return SearchPage(hits=hits, total=result.total, limit=limit, offset=offset)


def skill_search_key(*, actor: Actor, query: str, limit: int = 20, offset: int = 0) -> tuple[object, ...]:
    """What names ``search_skills``' answer for this actor, once the actor may search (``authorize``)
    and the query and page are good (``InvalidInput``); no store read. Two searches with the same key
    are given the same page by the same taxonomy: the words, the page, and the organisations whose own
    skills the actor sees."""
    authorize(actor, Action.TAXONOMY_READ)
    stripped = check_query(query, limit, offset)
    return ("skills", stripped, limit, offset, visible_organisations(actor))


def search_skills(
    uow: UnitOfWork, cache: LabelIndexCache, *, actor: Actor, query: str, limit: int = 20, offset: int = 0
) -> SearchPage[SkillRef]:
    """Skills ranked by label: exact, then prefix, then words, then typos; organisation skills if visible."""
    authorize(actor, Action.TAXONOMY_READ)
    stripped = check_query(query, limit, offset)
    with uow:
        index = cache.get(IndexKind.SKILLS, uow.taxonomy)
        result = index.search(stripped, limit=limit, offset=offset, visible_orgs=visible_organisations(actor))
        refs = uow.taxonomy.skill_refs([hit.uri for hit in result.hits])
    return _page(result, refs, limit, offset)


def search_occupations(
    uow: UnitOfWork, cache: LabelIndexCache, *, actor: Actor, query: str, limit: int = 20, offset: int = 0
) -> SearchPage[OccupationRef]:
    """Occupations ranked by label, as ``search_skills`` ranks skills."""
    authorize(actor, Action.TAXONOMY_READ)
    stripped = check_query(query, limit, offset)
    with uow:
        index = cache.get(IndexKind.OCCUPATIONS, uow.taxonomy)
        result = index.search(stripped, limit=limit, offset=offset)
        refs = uow.taxonomy.occupation_refs([hit.uri for hit in result.hits])
    return _page(result, refs, limit, offset)


def resolve_label(page: SearchPage[T], text: str, what: str) -> T:
    """The one concept whose label is exactly ``text``, or ``NotFound`` naming the closest labels.

    Lets people say ``occupations show "software developer"`` instead of a URI.
    """
    exact = [hit for hit in page.hits if hit.match_kind is MatchKind.EXACT]
    if len(exact) == 1 or (
        exact and exact[0].label_kind == "preferred" and exact[1].label_kind != "preferred"
    ):
        return exact[0].concept
    if exact:
        names = "; ".join(f"{hit.matched_label!r}" for hit in exact[:5])
        raise NotFound(f"{len(exact)} {what}s have the label {text!r} ({names}): give a URI or key")
    closest = ", ".join(repr(hit.matched_label) for hit in page.hits[:5])
    hint = f"; closest labels: {closest}" if closest else ""
    raise NotFound(f"no {what} has the URI, key or label {text!r}{hint}")
