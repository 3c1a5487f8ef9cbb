"""Finding a concept by its exact label: one answer, or a clear not-found that names the closest."""

from __future__ import annotations

import pytest

from microcareer.domain.taxonomy.search import MatchKind
from microcareer.errors import NotFound
from microcareer.services.taxonomy_search import SearchHit, SearchPage, resolve_label


def page(*hits: tuple[str, MatchKind, str]) -> SearchPage[str]:
    return SearchPage(
        hits=tuple(
            SearchHit(f"uri:{label}", label, kind, label_kind, 1.0) for label, kind, label_kind in hits
        ),
        total=len(hits),
        limit=10,
        offset=0,
    )


def test_one_exact_match_is_the_answer() -> None:
    found = page(
        ("software developer", MatchKind.EXACT, "preferred"),
        ("app software developer", MatchKind.WORDS, "preferred"),
    )
    assert resolve_label(found, "software developer", "occupation") == "uri:software developer"


def test_a_preferred_label_wins_over_alternative_labels() -> None:
    found = page(("Python", MatchKind.EXACT, "preferred"), ("Python", MatchKind.EXACT, "alt"))
    assert resolve_label(found, "python", "skill") == "uri:Python"


def test_several_exact_matches_ask_for_a_uri() -> None:
    found = page(("manage staff", MatchKind.EXACT, "alt"), ("manage staff", MatchKind.EXACT, "alt"))
    with pytest.raises(NotFound, match="2 skills have the label 'manage staff'"):
        resolve_label(found, "manage staff", "skill")


def test_no_exact_match_names_the_closest_labels() -> None:
    found = page(("software developer", MatchKind.FUZZY, "preferred"))
    with pytest.raises(NotFound, match="closest labels: 'software developer'"):
        resolve_label(found, "sofware developr", "occupation")
    with pytest.raises(NotFound, match=r"no occupation has the URI, key or label 'zzz'$"):
        resolve_label(page(), "zzz", "occupation")
