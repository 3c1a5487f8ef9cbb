"""The RDFC-1.0 fast paths give the bytes of the reference path: pyld's expansion with a fresh
context resolver, its own document copy and IRI test, then RDFC-1.0 by pyoxigraph."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import rdfc
from microcareer.domain.credentials.rdfc import (
    _is_absolute_iri,
    _json_copy,
    _pyld_is_absolute_iri,
    canonical_nquads,
    canonical_nquads_remembered,
    forget_remembered,
)

DATA = Path(__file__).resolve().parents[2] / "data"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def reference_nquads(document: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> str:
    """The reference: a plain pyld processor, nothing remembered, pyld's own functions."""
    contexts = pinned_contexts()

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(dict(contexts[url]))}

    options = {
        "documentLoader": loader,
        "contextResolver": ContextResolver({}, loader),
        "processingMode": "json-ld-1.1",
        "format": "application/n-quads",
    }
    with monkeypatch.context() as patched:
        patched.setattr(jsonld, "_is_absolute_iri", _pyld_is_absolute_iri)
        nquads = jsonld.JsonLdProcessor().to_rdf(copy.deepcopy(document), options)
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(str(nquads).encode(), format=pyoxigraph.RdfFormat.N_QUADS))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)  # the full algorithm, no fast path
    text = pyoxigraph.serialize(dataset, format=pyoxigraph.RdfFormat.N_QUADS)
    assert isinstance(text, bytes)
    return "".join(sorted(line + "\n" for line in text.decode().split("\n") if line))


def _vectors() -> list[dict[str, Any]]:
    found = []
    for name in (
        "vc-di-eddsa/eddsa-rdfc-2022-proofConfigDataInt.json",
        "vc-di-eddsa/eddsa-rdfc-2022-signedDataInt.json",
        "ob-v3p0/ob-signed-credential.json",
    ):
        document = json.loads((DATA / name).read_text(encoding="utf-8"))
        document.pop("proof", None)
        found.append(document)
    return found


@pytest.mark.parametrize("document", _vectors())
def test_published_vectors_canonicalise_as_the_reference(
    document: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = reference_nquads(document, monkeypatch)
    contexts = pinned_contexts()
    assert canonical_nquads(document, contexts) == expected
    forget_remembered(contexts)
    assert canonical_nquads_remembered(document, contexts) == expected  # computed
    assert canonical_nquads_remembered(document, contexts) == expected  # remembered


def test_the_published_proof_configuration_is_remembered_with_the_published_bytes() -> None:
    config = json.loads((DATA / "vc-di-eddsa/eddsa-rdfc-2022-proofConfigDataInt.json").read_text())
    published = (DATA / "vc-di-eddsa/eddsa-rdfc-2022-proofCanonDataInt.txt").read_text(encoding="utf-8")
    contexts = pinned_contexts()
    forget_remembered(contexts)
    first = canonical_nquads_remembered(config, contexts)
    changed = {**config, "created": "2030-01-01T00:00:00Z"}
    assert canonical_nquads_remembered(changed, contexts) != first  # a different key, a different result
    assert canonical_nquads_remembered(config, contexts) == first == published


texts = st.text(st.characters(codec="utf-8"), max_size=30)
iris = st.sampled_from(["https://example.org/a", "did:key:z6Mk#z6Mk", "urn:uuid:1", "_:b1", "a b", "rel"])


@st.composite
def credentials(draw: st.DrawFn) -> dict[str, Any]:
    """Credentials of varied shape and content: text anywhere, ids relative or absolute, nesting."""
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "achievement": {
            "id": draw(iris),
            "type": ["Achievement"],
            "name": draw(texts),
            "description": draw(texts),
            "criteria": {"narrative": draw(texts)},
            "tag": draw(st.lists(texts, max_size=3)),
        },
    }
    if draw(st.booleans()):
        subject["id"] = draw(iris)
    document: dict[str, Any] = {
        "@context": [VC2, OB3],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": draw(iris), "type": ["Profile"], "name": draw(texts)},
        "validFrom": draw(st.sampled_from(["2026-11-23T09:00:00Z", "not a date", "2026-11-23"])),
        "name": draw(texts),
        "credentialSubject": subject,
    }
    if draw(st.booleans()):
        document["id"] = draw(iris)
    if draw(st.booleans()):
        document["evidence"] = [{"type": ["Evidence"], "narrative": draw(texts)}] * draw(st.integers(1, 3))
    return document


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=credentials())
def test_generated_credentials_canonicalise_as_the_reference(
    document: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        expected = reference_nquads(document, monkeypatch)
    except Exception:  # whatever the reference refuses, the fast path refuses
        with pytest.raises(Exception):  # noqa: B017, PT011
            canonical_nquads(document, pinned_contexts())
        return
    assert canonical_nquads(document, pinned_contexts()) == expected
    assert canonical_nquads_remembered(document, pinned_contexts()) == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=15,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_the_json_copy_is_a_deep_copy(value: Any) -> None:
    copied = _json_copy(value)
    assert json.dumps(copied, sort_keys=True) == json.dumps(copy.deepcopy(value), sort_keys=True)
    if isinstance(value, (dict, list)):
        assert copied is not value
        copied_again = _json_copy(value)
        if isinstance(copied_again, dict):
            copied_again["new"] = 1
        else:
            copied_again.append(1)
        assert "new" not in value if isinstance(value, dict) else len(value) < len(copied_again)


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, iris, st.just("http://x y"), st.just("_:"), st.integers(), st.none()))
def test_the_remembered_iri_test_answers_as_pyld(value: Any) -> None:
    assert bool(_is_absolute_iri(value)) == bool(_pyld_is_absolute_iri(value))
    assert bool(_is_absolute_iri(value)) == bool(_is_absolute_iri(value))


def test_pyld_uses_the_remembered_iri_test() -> None:
    assert jsonld._is_absolute_iri is rdfc._is_absolute_iri


def test_context_keys_tell_nan_from_null() -> None:
    assert rdfc._context_key({"a": float("nan")}) != rdfc._context_key({"a": None})
    assert rdfc._context_key({"b": 1, "a": "x"}) == rdfc._context_key({"a": "x", "b": 1})
    assert rdfc._context_key({"a": 1}) != rdfc._context_key({"a": 1.0})
