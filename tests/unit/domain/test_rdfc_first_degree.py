"""RDFC-1.0's common case (``rdfc_first_degree``) against the W3C suite and pyoxigraph's full algorithm.

The fast path must give the suite's expected bytes on every case it takes (and take every case whose
blank nodes differ in their own quads and whose text is in its subset), answer None elsewhere, and
agree with pyoxigraph's RDFC-1.0 on generated datasets: varied terms, escapes, control characters,
repeated quads, blank nodes alike and unlike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcareer.domain.credentials import rdfc
from microcareer.domain.credentials.errors import InvalidProof
from microcareer.domain.credentials.rdfc import CanonicalizationBudget, canonicalize_nquads
from microcareer.domain.credentials.rdfc_first_degree import OverBudget, canonicalize_distinct

SUITE = Path(__file__).resolve().parents[2] / "data" / "rdf-canon"
ENTRIES: list[dict[str, Any]] = json.loads((SUITE / "manifest.jsonld").read_text(encoding="utf-8"))["entries"]
EVALUATION = [entry for entry in ENTRIES if entry["type"] == "rdfc:RDFC10EvalTest"]
# language tags, \u escapes in IRIs, two spaces
OUTSIDE_THE_SUBSET = {"#test043c", "#test060c", "#test061c", "#test073c"}


def fast(nquads: str, hash_algorithm: str = "SHA256") -> str | None:
    """The fast path with the default budget's limits."""
    return canonicalize_distinct(nquads, max_quads=5_000, max_blank_nodes=200, hash_algorithm=hash_algorithm)


def by_pyoxigraph(nquads: str, hash_algorithm: str = "SHA256") -> str:
    """pyoxigraph's full RDFC-1.0 (the reference)."""
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(nquads.encode(), format=pyoxigraph.RdfFormat.N_QUADS))
    algorithm = {
        "SHA256": pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0,
        "SHA384": pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0_SHA_384,
    }[hash_algorithm]
    dataset.canonicalize(algorithm)
    text = pyoxigraph.serialize(dataset, format=pyoxigraph.RdfFormat.N_QUADS)
    assert isinstance(text, bytes)
    return "".join(sorted(line + "\n" for line in text.decode().split("\n") if line))


def _read(name: str) -> str:
    return (SUITE / name).read_text(encoding="utf-8")


def _shares_a_first_degree_hash(nquads: str) -> bool:
    """Whether two blank nodes have the same first-degree quads (the full path's own test)."""
    quads = rdfc._parse(nquads, "test")
    return rdfc._has_shared_first_degree_hash(rdfc._first_degree_mentions(quads))


@pytest.mark.parametrize("entry", EVALUATION, ids=[entry["id"] for entry in EVALUATION])
def test_the_fast_path_gives_the_suite_bytes_wherever_it_applies(entry: dict[str, Any]) -> None:
    nquads = _read(entry["action"])
    result = fast(nquads, entry.get("hashAlgorithm", "SHA256"))
    applies = entry["id"] not in OUTSIDE_THE_SUBSET and not _shares_a_first_degree_hash(nquads)
    if applies:
        assert result == _read(entry["result"])
    else:
        assert result is None


def test_the_fast_path_takes_a_good_part_of_the_suite() -> None:
    taken = [
        entry
        for entry in EVALUATION
        if fast(_read(entry["action"]), entry.get("hashAlgorithm", "SHA256")) is not None
    ]
    assert len(taken) >= 29


def test_limits_are_kept_on_the_fast_path() -> None:
    nquads = "".join(f'_:b{n} <urn:ex:p> "{n}" .\n' for n in range(10))  # ten distinct blank nodes
    assert fast(nquads) is not None
    with pytest.raises(OverBudget, match="10 RDF quads exceed the limit of 9"):
        canonicalize_distinct(nquads, max_quads=9, max_blank_nodes=200)
    with pytest.raises(OverBudget, match="10 blank nodes exceed the canonicalisation limit of 9"):
        canonicalize_distinct(nquads, max_quads=5_000, max_blank_nodes=9)
    with pytest.raises(InvalidProof, match="10 blank nodes exceed"):
        canonicalize_nquads(nquads, budget=CanonicalizationBudget(max_blank_nodes=9))


def test_a_poison_graph_still_meets_the_work_budget() -> None:
    poison = _read("rdfc10/test074-in.nq")
    assert fast(poison) is None  # its blank nodes are all alike
    with pytest.raises(InvalidProof, match="Hash N-Degree Quads"):
        canonicalize_nquads(poison)


@pytest.mark.parametrize(
    "nquads",
    [
        '<urn:s> <urn:p> "x"^^<http://www.w3.org/2001/XMLSchema#string> .\n',  # written without it
        '<urn:s> <urn:p> "x"@en .\n',
        '<urn:s> <urn:p> "a\\u0041" .\n',
        '<urn:s> <urn:p> "a\x01" .\n',
        '<urn:s> <urn:p> "a\ufffe" .\n',
        '<urn:s> <urn:p> "a\\\'" .\n',
        "<urn:s> <urn:p>  <urn:o> .\n",
        "<urn:s> <urn:p> <urn:o>.\n",
        "<urn:s> <urn:p> <urn:o> .\r\n",
        "<http://a:b:c/> <urn:p> <urn:o> .\n",
        "<rel> <urn:p> <urn:o> .\n",
        "<urn:s> <urn:p> <urn:o> . # a comment\n",
        "\n<urn:s> <urn:p> <urn:o> .\n",
        '<urn:s> <urn:p> "\ud800" .\n',
    ],
)
def test_text_outside_the_subset_takes_the_full_path(nquads: str) -> None:
    assert fast(nquads) is None


def test_a_literal_that_looks_like_a_blank_node_is_left_alone() -> None:
    nquads = '_:b0 <urn:p> "_:b0 and _:b1" .\n_:b1 <urn:p> "other" .\n'
    result = fast(nquads)
    assert result == by_pyoxigraph(nquads)
    assert result is not None
    assert '"_:b0 and _:b1"' in result


_TEXT = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\t", "\b", "\f", "\x01", "\x7f", "\ufffe", "\u0085", "\u2028", "_:b1", "é", "😀"]),
    ),
    max_size=8,
).map("".join)
_IRIS = st.sampled_from(["<urn:ex:a>", "<https://example.org/x#y>", "<did:key:z6Mk#z6Mk>", "<urn:ex:é>"])


def _literal(text: str, datatype: str | None) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        .replace("\b", "\\b")
        .replace("\f", "\\f")
    )
    return f'"{escaped}"' + ("" if datatype is None else f"^^{datatype}")


@st.composite
def datasets(draw: st.DrawFn) -> str:
    blanks = [f"_:b{n}" for n in range(draw(st.integers(0, 5)))]
    nodes = st.sampled_from(blanks) | _IRIS if blanks else _IRIS
    datatypes = st.none() | st.sampled_from(["<http://www.w3.org/2001/XMLSchema#date>", "<urn:ex:t>"])
    objects = nodes | st.builds(_literal, _TEXT, datatypes)
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        graph = draw(st.none() | nodes)
        line = f"{draw(nodes)} {draw(_IRIS)} {draw(objects)}" + ("" if graph is None else f" {graph}")
        lines.append(line + " .\n")
    if draw(st.booleans()):
        lines.append(lines[0])  # a repeated quad
    return "".join(lines)


@settings(max_examples=300, deadline=None)
@given(nquads=datasets(), algorithm=st.sampled_from(["SHA256", "SHA384"]))
def test_generated_datasets_canonicalise_as_pyoxigraph_does(nquads: str, algorithm: str) -> None:
    expected = by_pyoxigraph(nquads, algorithm)
    result = fast(nquads, algorithm)
    if result is not None:
        assert result == expected
    assert canonicalize_nquads(nquads, hash_algorithm=algorithm) == expected
