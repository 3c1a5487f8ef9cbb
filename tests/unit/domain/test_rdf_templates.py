"""N-Quads filled from a learnt template are pyld's N-Quads, byte for byte (``rdf_templates``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials.rdf_templates import TemplateCache
from microcareer.domain.credentials.rdfc import canonical_nquads, to_nquads, to_nquads_by_pyld
from tests.unit.domain.test_rdfc_fast_paths import credentials, iris, texts

DATA = Path(__file__).resolve().parents[2] / "data"
FIXTURES = (
    "vc-di-eddsa/eddsa-rdfc-2022-signedDataInt.json",
    "vc-di-eddsa/eddsa-jcs-2022-signedJCS.json",
    "ob-v3p0/ob-signed-credential.json",
    "ob-v3p0/clr-embedded-achievement-credential.json",
    "ed25519-signature-2020/signed-alumni-credential.json",
)
TYPE_KEYS = ("type", "@type", "@context")
ABSOLUTE = {"a b": "https://example.org/b", "rel": "urn:uuid:2", "_:b1": "did:key:z6Mkx"}
PLAIN_IRIS = (
    "https://example.org/a",
    "did:key:z6Mk#z6Mk",
    "mailto:a@b.example",
    'http://x.example/"q',
    "tag:a,b",
)


class Counting:
    """pyld's N-Quads, counting the calls (a filled template makes none)."""

    def __init__(self) -> None:
        self.calls = 0
        self.contexts = pinned_contexts()

    def __call__(self, document: Mapping[str, Any]) -> str:
        self.calls += 1
        return to_nquads_by_pyld(document, self.contexts)


def _unsigned(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    document.pop("proof", None)
    return document


def _revalued(node: Any, value_of: Callable[[str], str]) -> Any:
    """``node`` with every value string (not a type, not a context) replaced by ``value_of(it)``."""
    if isinstance(node, dict):
        return {key: value if key in TYPE_KEYS else _revalued(value, value_of) for key, value in node.items()}
    if isinstance(node, list):
        return [_revalued(item, value_of) for item in node]
    return value_of(node) if isinstance(node, str) else node


def _outcome(call: Callable[[], str]) -> str | type[BaseException]:
    try:
        return call()
    except (jsonld.JsonLdError, TypeError) as error:
        return type(error)


@pytest.mark.parametrize("name", FIXTURES)
def test_published_credentials_fill_in_as_pyld_writes_them(name: str) -> None:
    document = _unsigned(name)
    pyld = Counting()
    cache = TemplateCache(pyld.contexts)
    expected = pyld(document)
    assert [cache.nquads(document, pyld) for _ in range(3)] == [expected] * 3
    # other names, ids and texts in the same shape: a plain IRI stays one, text stays text
    renamed = _revalued(document, lambda text: text + "-2" if ":" in text else text + ' (2)\n"quoted"')
    assert cache.nquads(renamed, pyld) == to_nquads_by_pyld(renamed, pyld.contexts)


def test_a_credential_of_a_learnt_shape_is_filled_in_without_pyld() -> None:
    document = _unsigned("ob-v3p0/ob-signed-credential.json")
    pyld = Counting()
    cache = TemplateCache(pyld.contexts)
    cache.nquads(document, pyld)  # first seen: pyld only
    cache.nquads(document, pyld)  # second: learnt (pyld on the document and on its sentinel copy)
    assert pyld.calls == 3
    other = _revalued(document, lambda text: text.replace("example", "sample"))
    assert cache.nquads(other, pyld) == to_nquads_by_pyld(other, pyld.contexts)
    assert pyld.calls == 3


def test_a_relative_or_blank_id_falls_back_to_pyld() -> None:
    document = _unsigned("ob-v3p0/ob-signed-credential.json")
    pyld = Counting()
    cache = TemplateCache(pyld.contexts)
    for _ in range(2):
        cache.nquads(document, pyld)
    for iri in ("relative/path", "_:b0", "a b:c", "did"):
        other = {**document, "id": iri}
        calls = pyld.calls
        assert cache.nquads(other, pyld) == to_nquads_by_pyld(other, pyld.contexts)
        assert pyld.calls == calls + 1, iri


@pytest.mark.parametrize(
    "change",
    [
        {"@context": ["https://www.w3.org/ns/credentials/v2", {"name": "@type"}]},
        {"@graph": []},
        {"name": ("not", "json")},
    ],
)
def test_documents_outside_the_plain_subset_take_pyld_every_time(change: dict[str, Any]) -> None:
    document = {**_unsigned("vc-di-eddsa/eddsa-rdfc-2022-signedDataInt.json"), **change}
    pyld = Counting()
    cache = TemplateCache(pyld.contexts)
    for _ in range(4):  # a plain document would take pyld once, then twice to learn, then never
        _outcome(lambda: cache.nquads(document, pyld))
    assert pyld.calls == 4


def test_nan_does_not_share_a_template_with_null() -> None:
    plain = _unsigned("vc-di-eddsa/eddsa-rdfc-2022-signedDataInt.json")
    pyld = Counting()
    cache = TemplateCache(pyld.contexts)
    with_null = {**plain, "description": None}
    for _ in range(2):
        cache.nquads(with_null, pyld)
    with_nan = {**plain, "description": float("nan")}
    assert _outcome(lambda: cache.nquads(with_nan, pyld)) == _outcome(
        lambda: to_nquads_by_pyld(with_nan, pyld.contexts)
    )


def test_a_sentinel_in_the_document_is_never_templated() -> None:
    document = {
        **_unsigned("vc-di-eddsa/eddsa-rdfc-2022-signedDataInt.json"),
        "type": ["urn:x-microcareer-template:0"],
    }
    pyld = Counting()
    cache = TemplateCache(pyld.contexts)
    for _ in range(3):
        cache.nquads(document, pyld)
    assert pyld.calls == 3


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=credentials(), data=st.data())
def test_generated_credentials_of_a_learnt_shape_fill_in_as_pyld(
    document: dict[str, Any], data: st.DataObject
) -> None:
    if data.draw(st.booleans()):  # every id absolute, so that the shape is learnt
        document = _revalued(document, lambda text: ABSOLUTE.get(text, text))
    pyld = Counting()
    cache = TemplateCache(pyld.contexts)
    for _ in range(2):
        _outcome(lambda: cache.nquads(document, pyld))
    seen: list[str] = []

    def keep(text: str) -> str:
        seen.append(text)
        return text

    _revalued(document, keep)
    plain = st.one_of(
        st.sampled_from([*[text for text in seen if ":" in text], *PLAIN_IRIS]),
        st.builds("urn:uuid:{}".format, st.uuids()),
    )
    anything = st.one_of(texts, iris, st.sampled_from(seen or ["x"]), st.just("urn:x-microcareer-template:0"))

    wild = data.draw(st.booleans())

    def value_of(text: str) -> str:
        # a value of its kind (an IRI where one was), so that the template is filled in, or anything
        usual = plain if ":" in text and " " not in text else texts
        return data.draw(st.one_of(usual, anything) if wild else usual)

    other = _revalued(document, value_of)
    expected = _outcome(lambda: to_nquads_by_pyld(other, pyld.contexts))
    assert _outcome(lambda: cache.nquads(other, pyld)) == expected


def test_the_product_path_canonicalises_a_learnt_shape_as_before() -> None:
    contexts = pinned_contexts()
    document = _unsigned("ob-v3p0/ob-signed-credential.json")
    for _ in range(3):
        assert to_nquads(document, contexts) == to_nquads_by_pyld(document, contexts)
    canonical = canonical_nquads(document, contexts)
    assert canonical == canonical_nquads(document, contexts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<a:s> <a:p> "x _:b0 y" .\n<a:s> <a:p> <a:o> .\n_:b1 <a:p> <a:o> .\n', [0, 2]),
        ("<a:s> <a:p> <a:o> .\n\n_:b1 <a:p> <a:o> .\n", [0, 1]),  # a blank line: every quad read
        ("# a comment\n_:b1 <a:p> <a:o> .\n", [0]),
        ("<a:s> <a:p> <a:o> .\r_:b1 <a:p> <a:o> .\n", [0, 1]),  # \r ends a line too
    ],
)
def test_only_quads_whose_line_has_a_blank_node_are_read(text: str, expected: list[int]) -> None:
    from microcareer.domain.credentials.rdfc import _parse, _quads_with_blank_nodes

    quads = _parse(text, "test")
    assert _quads_with_blank_nodes(text, quads) == [quads[n] for n in expected]


def test_a_proof_configuration_keeps_its_purpose_and_fills_in_its_date() -> None:
    # proofPurpose is a term (assertionMethod) that pyld expands: kept in the template's key
    config = _unsigned("vc-di-eddsa/eddsa-rdfc-2022-proofConfigDataInt.json")
    pyld = Counting()
    cache = TemplateCache(pyld.contexts)
    for _ in range(2):
        cache.nquads(config, pyld)
    calls = pyld.calls
    later = {**config, "created": "2031-01-02T03:04:05Z"}
    assert cache.nquads(later, pyld) == to_nquads_by_pyld(later, pyld.contexts)
    assert pyld.calls == calls
    other_purpose = {**config, "proofPurpose": "authentication"}
    assert cache.nquads(other_purpose, pyld) == to_nquads_by_pyld(other_purpose, pyld.contexts)
    assert pyld.calls > calls  # another kept string: learnt anew
