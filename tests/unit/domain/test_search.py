"""How search reads text and forgives typos (no database)."""

from __future__ import annotations

import pytest

from microcareer.domain.search import (
    WIDEN_MAX,
    FacetCount,
    closest_words,
    edit_distance,
    facet_counts,
    query_terms,
    terms,
    typo_allowance,
)
from microcareer.errors import InvalidInput


def test_terms_are_folded_words_without_accents() -> None:
    assert terms("Café-Analyse: PYTHON_3 & Ünïcode naïve") == [
        "cafe",
        "analyse",
        "python",
        "3",
        "unicode",
        "naive",
    ]
    assert terms("x" * 41 + " ok") == ["ok"]
    assert query_terms("a b a c d e f g h i j") == ["a", "b", "c", "d", "e", "f", "g", "h"]
    with pytest.raises(InvalidInput, match="q: at most 200"):
        query_terms("x" * 201)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("python", "python", 0),
        ("pyhton", "python", 1),  # a swap of neighbours is one edit
        ("anlysis", "analysis", 1),
        ("analysis", "analyses", 1),
        ("kitten", "sitting", 3),
        ("", "abc", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 5) == distance
    assert edit_distance(b, a, 5) == distance
    if distance:  # past the limit: limit + 1, however far
        assert edit_distance(a, b, distance - 1) == distance


def test_misspelt_terms_widen_to_near_words_only() -> None:
    words = ["python", "pythons", "typhon", "analysis", "analyst", "go", "to", "data", "date"]
    assert closest_words("pyhton", words) == ("python",)
    assert closest_words("anlysis", words) == ("analysis",)
    assert closest_words("go", words) == ()  # short words are never widened
    assert typo_allowance("data") == 1
    assert typo_allowance("analysiss") == 2
    many = [f"word{c}" for c in "abcdefgh"]
    assert len(closest_words("wordz", many)) == WIDEN_MAX


def test_facet_counts_commonest_first_without_empty_values() -> None:
    counted = facet_counts([("b", 2), ("a", 2), ("c", 5), ("", 9), (None, 3), ("d", 0)])
    assert counted == (FacetCount("c", 5), FacetCount("a", 2), FacetCount("b", 2))
