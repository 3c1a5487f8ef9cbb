"""Label normalisation and the ranked label index."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcareer.domain.taxonomy.normalise import label_tokens, normalise_label
from microcareer.domain.taxonomy.search import LabelIndex, MatchKind, max_typos

PY = "http://data.europa.eu/esco/skill/python"
JAVA = "http://data.europa.eu/esco/skill/java"
JS = "http://data.europa.eu/esco/skill/javascript"
PM = "http://data.europa.eu/esco/skill/project-management"
PYR = "http://data.europa.eu/esco/skill/pyramid"
ORG7 = "urn:microcareer:org:7:skill:1"
ORG8 = "urn:microcareer:org:8:skill:2"

ROWS: list[tuple[str, str, str, int | None]] = [
    (PY, "Python (computer programming)", "preferred", None),
    (PY, "Python", "alt", None),
    (PY, "pyhton", "hidden", None),
    (JAVA, "Java (computer programming)", "preferred", None),
    (JAVA, "Java", "alt", None),
    (JS, "JavaScript", "preferred", None),
    (PM, "project management", "preferred", None),
    (PM, "manage projects", "alt", None),
    (PYR, "build pyramids", "preferred", None),
    (ORG7, "Python at Acme", "preferred", 7),
    (ORG8, "Python for Globex", "preferred", 8),
]


@pytest.fixture(scope="module")
def index() -> LabelIndex:
    return LabelIndex(ROWS)


def uris(index: LabelIndex, query: str, **kwargs: object) -> list[str]:
    return [hit.uri for hit in index.search(query, **kwargs).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "normalised", "tokens"),
    [
        (
            "  Python  (computer\tprogramming) ",
            "python (computer programming)",
            ["python", "computer", "programming"],
        ),
        ("C++ and C#", "c++ and c#", ["c++", "and", "c#"]),
        (
            "use .NET, node.js and ASP.NET.",
            "use .net, node.js and asp.net.",
            ["use", ".net", "node.js", "and", "asp.net"],
        ),
        ("e-commerce", "e-commerce", ["e", "commerce"]),
        ("Ｐｙｔｈｏｎ Straße", "python strasse", ["python", "strasse"]),
    ],
)
def test_normalise_keeps_technology_names(text: str, normalised: str, tokens: list[str]) -> None:
    assert normalise_label(text) == normalised
    assert label_tokens(text) == tokens


def test_python_finds_python_computer_programming_first_through_its_alt_label(index: LabelIndex) -> None:
    result = index.search("python", visible_orgs=frozenset())
    first = result.hits[0]
    assert (first.uri, first.matched_label, first.match_kind, first.label_kind) == (
        PY,
        "Python",
        MatchKind.EXACT,
        "alt",
    )
    assert first.score == 1.0
    assert result.total == 1


def test_one_hit_per_concept_with_its_best_label(index: LabelIndex) -> None:
    result = index.search("python", limit=50)
    assert len({hit.uri for hit in result.hits}) == len(result.hits) == result.total == 3


def test_prefix_ranks_before_word_prefix_and_shorter_first(index: LabelIndex) -> None:
    hits = index.search("java").hits
    assert [(h.uri, h.match_kind) for h in hits] == [(JAVA, MatchKind.EXACT), (JS, MatchKind.PREFIX)]
    hits = index.search("proj").hits
    assert [(h.uri, h.match_kind) for h in hits] == [(PM, MatchKind.PREFIX)]
    hits = index.search("comp prog").hits
    assert [h.uri for h in hits] == [JAVA, PY]  # same tier and kind: shorter label first
    assert {h.match_kind for h in hits} == {MatchKind.WORDS}


def test_preferred_label_before_alt_within_a_tier() -> None:
    index = LabelIndex([("a", "data mining", "alt", None), ("b", "data mining", "preferred", None)])
    assert [h.uri for h in index.search("data mining").hits] == ["b", "a"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("pyhton programing", PY), ("javscript", JS), ("projet managment", PM), ("Jva", None)],
)
def test_typos_are_tolerated_as_fuzzy_matches(index: LabelIndex, query: str, expected: str | None) -> None:
    result = index.search(query, visible_orgs=frozenset())
    if expected is None:
        assert result.total == 0  # three letters are too short to guess at
        return
    assert result.hits[0].uri == expected
    assert result.hits[0].match_kind is MatchKind.FUZZY


def test_fuzzy_is_used_only_when_nothing_matches_exactly(index: LabelIndex) -> None:
    assert {h.match_kind for h in index.search("pyramids").hits} == {MatchKind.WORDS}


def test_organisation_skills_are_seen_only_by_their_organisation(index: LabelIndex) -> None:
    assert set(uris(index, "python", limit=10)) == {PY, ORG7, ORG8}  # None: everyone's
    assert set(uris(index, "python", limit=10, visible_orgs=frozenset({7}))) == {PY, ORG7}
    assert uris(index, "python", limit=10, visible_orgs=frozenset()) == [PY]
    assert index.search("globex", visible_orgs=frozenset({7})).total == 0


def test_pagination_slices_the_same_ranking(index: LabelIndex) -> None:
    whole = uris(index, "p", limit=10)
    assert len(whole) == index.search("p").total
    pages = (
        uris(index, "p", limit=2) + uris(index, "p", limit=2, offset=2) + uris(index, "p", limit=10, offset=4)
    )
    assert pages == whole


@pytest.mark.parametrize("query", ["", "   ", "!!!", "zzzz"])
def test_empty_or_unmatched_queries_find_nothing(index: LabelIndex, query: str) -> None:
    assert index.search(query).hits == ()


def test_empty_index_finds_nothing() -> None:
    assert LabelIndex([]).search("python").total == 0


def test_max_typos_grows_with_word_length() -> None:
    assert [max_typos(w) for w in ("abc", "abcd", "abcdef")] == [0, 1, 2]


words = st.sampled_from(["python", "java", "data", "project", "management", "build", "pyramid", "c++"])
labels = st.lists(words, min_size=1, max_size=4).map(" ".join)
rows = st.lists(
    st.tuples(
        st.integers(0, 30).map(str),
        labels,
        st.sampled_from(["preferred", "alt", "hidden"]),
        st.none() | st.integers(1, 3),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(rows=rows, query=st.one_of(labels, words, st.text(max_size=12)), limit=st.integers(1, 8))
def test_properties_of_any_search(
    rows: list[tuple[str, str, str, int | None]], query: str, limit: int
) -> None:
    # Each concept's organisation is that of its first row, as the index records it.
    first_org: dict[str, int | None] = {}
    for uri, _, _, org in rows:
        first_org.setdefault(uri, org)
    index = LabelIndex(rows)
    result = index.search(query, limit=limit, visible_orgs=frozenset({1}))
    assert len(result.hits) <= limit
    assert len(result.hits) == min(limit, result.total)
    assert len({hit.uri for hit in result.hits}) == len(result.hits)
    assert all(first_org[hit.uri] in (None, 1) for hit in result.hits)
    exact = {uri for uri, label, _, _ in rows if normalise_label(label) == normalise_label(query) != ""}
    exact = {uri for uri in exact if first_org[uri] in (None, 1)}
    leading = [hit.uri for hit in result.hits[: len(exact)]]
    assert set(leading) == exact or (len(leading) == limit and set(leading) <= exact)
    assert all(hit.match_kind is MatchKind.EXACT for hit in result.hits if hit.uri in exact)


def test_cached_prefix_unions_give_the_same_answers_after_eviction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("microcareer.domain.taxonomy.search.PREFIX_CACHE_SIZE", 2)
    index = LabelIndex(ROWS)
    queries = ["comp prog", "ja", "p", "proj", "comp prog", "p", "ja"]
    answers = [uris(index, q, limit=10) for q in queries]
    assert answers[0] == answers[4] == [JAVA, PY]
    assert answers[2] == answers[5]
    assert answers[1] == answers[6] == [JS, JAVA]  # preferred labels first, then shorter
