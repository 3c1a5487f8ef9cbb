"""The label index cache rebuilds when, and only when, the taxonomy's revision moves on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from microcareer.errors import InvalidInput
from microcareer.services.taxonomy_search import IndexKind, LabelIndexCache, check_query, label_index_cache


class FakeLabels:
    """Just the part of ``TaxonomyRepository`` the cache uses."""

    def __init__(self) -> None:
        self.current_revision = 1
        self.skill_labels = [("s1", "Python (computer programming)", "preferred", None)]
        self.builds = 0

    def revision(self) -> int:
        return self.current_revision

    def skill_label_rows(self) -> Iterator[tuple[str, str, str, int | None]]:
        self.builds += 1
        yield from self.skill_labels

    def occupation_label_rows(self) -> Iterator[tuple[str, str, str, int | None]]:
        self.builds += 1
        yield ("o1", "software developer", "preferred", None)


def test_index_is_reused_until_the_revision_changes() -> None:
    cache, labels = LabelIndexCache(), FakeLabels()
    first = cache.get(IndexKind.SKILLS, labels)  # type: ignore[arg-type]
    assert cache.get(IndexKind.SKILLS, labels) is first  # type: ignore[arg-type]
    assert labels.builds == 1
    labels.current_revision = 2
    labels.skill_labels.append(("s2", "Haskell", "preferred", None))
    rebuilt = cache.get(IndexKind.SKILLS, labels)  # type: ignore[arg-type]
    assert rebuilt is not first
    assert rebuilt.search("haskell").total == 1
    occupations = cache.get(IndexKind.OCCUPATIONS, labels)  # type: ignore[arg-type]
    assert occupations.search("software").hits[0].uri == "o1"


def test_platform_cache_map_holds_one_cache() -> None:
    caches: dict[str, object] = {}
    assert label_index_cache(caches) is label_index_cache(caches)


@pytest.mark.parametrize(
    ("query", "limit", "offset", "field"),
    [
        ("", 10, 0, "q"),
        ("   ", 10, 0, "q"),
        ("x" * 201, 10, 0, "q"),
        ("python", 0, 0, "limit"),
        ("python", 10, -1, "offset"),
    ],
)
def test_bad_queries_and_pages_are_refused_with_the_field_named(
    query: str, limit: int, offset: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_query(query, limit, offset)
    assert caught.value.extra["field"] == field
