"""Canonical N-Quads straight from a compiled template (``rdf_template_canon``) are RDFC-1.0's bytes.

The reference is pyld's toRdf (no template) then pyoxigraph's full RDFC-1.0, on credentials of one
shape whose values vary: text with quotes, backslashes, control characters and characters canonical
N-Quads escapes, blank-node look-alikes, ids valid and not, alignments alike (a shared first-degree
hash) and unlike, repeated tags (quads made one).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import rdfc
from microcareer.domain.credentials.rdf_template_canon import canonical_literal, compile_template
from microcareer.domain.credentials.rdfc import canonical_nquads, to_nquads_by_pyld

VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def by_pyoxigraph(nquads: str) -> str:
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(nquads.encode(), format=pyoxigraph.RdfFormat.N_QUADS))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    text = pyoxigraph.serialize(dataset, format=pyoxigraph.RdfFormat.N_QUADS)
    assert isinstance(text, bytes)
    return "".join(sorted(line + "\n" for line in text.decode().split("\n") if line))


def credential(texts: list[str], ids: list[str], targets: list[str]) -> dict[str, Any]:
    """One shape: an issuer, a subject with an achievement, two alignments and evidence (blank nodes)."""
    return {
        "@context": [VC2, OB3],
        "id": ids[0],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": texts[0],
        "issuer": {"id": ids[1], "type": ["Profile"], "name": texts[1]},
        "validFrom": "2026-11-23T09:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": ids[2],
                "type": ["Achievement"],
                "name": texts[2],
                "description": texts[3],
                "criteria": {"narrative": texts[4]},
                "tag": [texts[5], texts[6]],
                "alignment": [
                    {"type": ["Alignment"], "targetName": targets[0], "targetUrl": "https://esco.example/1"},
                    {"type": ["Alignment"], "targetName": targets[1], "targetUrl": "https://esco.example/2"},
                ],
            },
        },
        "evidence": [{"type": ["Evidence"], "narrative": texts[7]}],
    }


PLAIN = credential(
    [f"text {n}" for n in range(8)],
    ["urn:uuid:1", "did:example:issuer", "https://example.org/a/1"],
    ["SQL", "databases"],
)


def reference(document: dict[str, Any]) -> str:
    return by_pyoxigraph(to_nquads_by_pyld(document, pinned_contexts()))


def test_a_shape_met_before_is_canonicalised_from_its_compiled_template() -> None:
    contexts = pinned_contexts()
    for _ in range(3):  # learnt the second time the shape is met
        canonical_nquads(PLAIN, contexts)
    text, straight = rdfc._nquads(PLAIN, contexts, "document", (5_000, 200))
    assert straight
    assert text == reference(PLAIN)
    other = credential(
        ['é "q" \\ \t\n\r\x01\x7f\ufffe _:b0 😀', *(f"other {n}" for n in range(7))],
        ["urn:uuid:2", "did:example:someone", "https://example.org/a/2"],
        ["x", "y"],
    )
    text, straight = rdfc._nquads(other, contexts, "document", (5_000, 200))
    assert straight
    assert text == reference(other)


def test_over_the_budget_the_compiled_template_steps_aside() -> None:
    contexts = pinned_contexts()
    for _ in range(3):
        canonical_nquads(PLAIN, contexts)
    assert not rdfc._nquads(PLAIN, contexts, "document", (10, 200))[1]
    assert not rdfc._nquads(PLAIN, contexts, "document", (5_000, 2))[1]


def test_alike_alignments_take_the_full_path() -> None:
    contexts = pinned_contexts()
    texts = [f"t{n}" for n in range(8)]
    alike = credential(texts, ["urn:uuid:3", "did:example:i", "urn:a:1"], ["SQL", "SQL"])
    alike["credentialSubject"]["achievement"]["alignment"][1]["targetUrl"] = "https://esco.example/1"
    for _ in range(3):
        assert canonical_nquads(alike, contexts) == reference(alike)
    assert not rdfc._nquads(alike, contexts, "document", (5_000, 200))[1]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("plain", '"plain"'),
        ('a"b\\c', '"a\\"b\\\\c"'),
        ("\t\b\f\n\r", '"\\t\\b\\f\\n\\r"'),
        ("\x00\x1f\x7f\ufffe\uffff", '"\\u0000\\u001F\\u007F\\uFFFE\\uFFFF"'),
        ("\u0085\u2028é😀", '"\u0085\u2028é😀"'),
    ],
)
def test_literals_are_escaped_as_canonical_nquads_writes_them(text: str, written: str) -> None:
    assert canonical_literal(text) == written
    nquads = f"<urn:s> <urn:p> {written} .\n"
    assert by_pyoxigraph(nquads) == nquads


def test_a_template_outside_the_subset_is_not_compiled() -> None:
    assert compile_template('<urn:s> <urn:p> "urn:x-microcareer-template:0"@en .\n', 1) is None
    assert compile_template("<urn:s> <urn:p> <urn:x-microcareer-template:3> .\n", 1) is None
    assert compile_template("<urn:s> <urn:p> <urn:o> .\n", 0) is not None


texts = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(['"', "\\", "\t", "\n", "\r", "\x01", "\x7f", "\ufffe", "_:b0", "é", "😀"]),
    ),
    max_size=6,
).map("".join)
ids = st.sampled_from(
    ["urn:uuid:1", "did:example:x", "https://example.org/a", "http://a:b:c/", "urn:x y", "rel", "urn:é"]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(texts, min_size=8, max_size=8),
    identifiers=st.lists(ids, min_size=3, max_size=3),
    targets=st.lists(st.sampled_from(["SQL", "databases", "x"]), min_size=2, max_size=2),
)
def test_generated_values_canonicalise_as_the_reference(
    values: list[str], identifiers: list[str], targets: list[str]
) -> None:
    contexts = pinned_contexts()
    for _ in range(2):
        canonical_nquads(PLAIN, contexts)  # the shape's template is learnt
    document = credential(values, identifiers, targets)
    try:
        expected = reference(document)
    except Exception:  # whatever the reference refuses, so does the compiled path
        with pytest.raises(Exception):  # noqa: B017, PT011
            canonical_nquads(document, contexts)
        return
    assert canonical_nquads(document, contexts) == expected
