"""The verifier's JSON-LD expansion (``rdfc.expand``, contexts processed once per process) is exactly
pyld's expansion with every context processed anew, as ``json_ld_safety`` did it before: on the
published credentials in tests/data, on the platform's own credentials, on the catch-all ``@vocab``
documents ``find_undefined_terms`` makes, and on generated credentials; unpinned contexts refused alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import rdfc
from microcareer.domain.credentials.errors import InvalidProof, UnapprovedContext
from microcareer.domain.credentials.json_ld_safety import UNDEFINED, find_undefined_terms
from tests.unit.domain.verification_helpers import Signer, credential, entry

DATA = Path(__file__).parents[2] / "data"
PUBLISHED = [
    DATA / "ob-v3p0" / "ob-signed-credential.json",
    DATA / "ob-v3p0" / "clr-embedded-achievement-credential.json",
    DATA / "vc-di-eddsa" / "eddsa-rdfc-2022-signedDataInt.json",
    DATA / "vc-di-eddsa" / "eddsa-jcs-2022-signedJCS.json",
    DATA / "ed25519-signature-2020" / "signed-alumni-credential.json",
]


def _uncached_expand(document: Mapping[str, Any]) -> list[Any]:
    """pyld's expansion with a fresh context cache: every context processed anew (the old path)."""
    contexts = pinned_contexts()

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        if url not in contexts:
            raise jsonld.JsonLdError("not pinned", "jsonld.LoadDocumentError", code="loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": dict(contexts[url])}

    options = {
        "documentLoader": loader,
        "contextResolver": ContextResolver({}, loader),
        "processingMode": "json-ld-1.1",
    }
    return list(jsonld.expand(json.loads(json.dumps(document)), options))


def _marked(document: Mapping[str, Any]) -> dict[str, Any]:
    context = document.get("@context")
    items = list(context) if isinstance(context, list) else [context]
    return {**document, "@context": [*items, {"@vocab": UNDEFINED}]}


def _same(document: Mapping[str, Any]) -> None:
    for form in (document, _marked(document)):
        assert rdfc.expand(form, pinned_contexts()) == _uncached_expand(form)


@pytest.mark.parametrize("path", PUBLISHED, ids=lambda path: path.name)
def test_published_credentials_expand_as_before(path: Path) -> None:
    _same(json.loads(path.read_text(encoding="utf-8")))


def test_the_platforms_credentials_expand_as_before() -> None:
    signer = Signer()
    _same(signer.sign(credential(signer.did, credentialStatus=entry("revocation", 4))))
    _same(signer.sign(credential(signer.did), suite="eddsa-jcs-2022"))


def test_an_unpinned_context_is_refused_and_a_broken_document_is_invalid() -> None:
    with pytest.raises(UnapprovedContext):
        rdfc.expand({"@context": "https://evil.example/context.json", "name": "x"}, pinned_contexts())
    with pytest.raises(InvalidProof, match="JSON-LD expansion failed"):
        rdfc.expand({"@context": {"@version": 2.0}, "name": "x"}, pinned_contexts())


def test_undefined_terms_are_still_found() -> None:
    signer = Signer()
    document = credential(signer.did, credentialSubject={"id": "did:example:x", "favourite": "blue"})
    document["@context"] = ["https://www.w3.org/2018/credentials/v1"]
    document["type"] = ["VerifiableCredential"]
    found = find_undefined_terms(document, pinned_contexts())
    assert "credentialSubject.favourite" in found.properties


_NAMES = st.sampled_from(
    [
        "name",
        "description",
        "narrative",
        "url",
        "image",
        "achievement",
        "alignment",
        "targetName",
        "favourite",
        "@foo",
        "id",
        "type",
        "evidence",
        "genre",
        "tag",
        "ceterms:Skill",
        "schema:name",
    ]
)
_TYPES = st.sampled_from(
    ["Achievement", "Profile", "Evidence", "Alignment", "Image", "Unknown", "AchievementSubject"]
)
_LEAVES = st.one_of(
    st.text(max_size=12),
    st.integers(-5, 5),
    st.booleans(),
    st.sampled_from(["https://example.org/a", "urn:uuid:1", "did:example:1", "relative/x", "_:b0"]),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(_NAMES, inner, max_size=3),
        st.builds(
            lambda kinds, rest: {"type": kinds, **rest},
            st.lists(_TYPES, min_size=1, max_size=2),
            st.dictionaries(_NAMES, inner, max_size=3),
        ),
    ),
    max_leaves=12,
)
_CONTEXTS = st.sampled_from(
    [
        [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json"],
        ["https://www.w3.org/ns/credentials/v2"],
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(context=_CONTEXTS, subject=st.dictionaries(_NAMES, _VALUES, max_size=4), extra=_VALUES)
def test_generated_credentials_expand_as_before(
    context: list[str], subject: dict[str, Any], extra: Any
) -> None:
    document = {
        "@context": context,
        "id": "urn:uuid:0b5f3e0c-8d6a-4b51-9b3e-6d0f2a7c1e01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Academy"},
        "credentialSubject": {"type": ["AchievementSubject"], **subject},
        "extra": extra,
    }
    for form in (document, _marked(document)):
        try:
            expected: Any = _uncached_expand(form)
        except jsonld.JsonLdError:
            expected = InvalidProof
        try:
            got: Any = rdfc.expand(form, pinned_contexts())
        except InvalidProof:
            got = InvalidProof
        assert got == expected
