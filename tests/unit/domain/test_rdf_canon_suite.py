"""The W3C RDFC-1.0 test suite against the canonicaliser credentials use (``domain/credentials/rdfc``).

Every evaluation test (SHA-256 and SHA-384) must give the expected canonical N-Quads byte for byte;
the negative test (a poison clique of blank nodes) must be refused for its work, promptly. The
issued-identifier map tests are not run: pyoxigraph does not expose that map (tests/data/rdf-canon/
SOURCE.md). The suite's files are copied from w3c/rdf-canon into tests/data/rdf-canon.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcareer.domain.credentials.errors import InvalidProof
from microcareer.domain.credentials.rdfc import CanonicalizationBudget, canonicalize_nquads

SUITE = Path(__file__).resolve().parents[2] / "data" / "rdf-canon"
ENTRIES: list[dict[str, Any]] = json.loads((SUITE / "manifest.jsonld").read_text(encoding="utf-8"))["entries"]
EVALUATION = [entry for entry in ENTRIES if entry["type"] == "rdfc:RDFC10EvalTest"]
NEGATIVE = [entry for entry in ENTRIES if entry["type"] == "rdfc:RDFC10NegativeEvalTest"]


def _read(name: str) -> str:
    return (SUITE / name).read_text(encoding="utf-8")


def test_the_suite_is_all_there() -> None:
    assert len(EVALUATION) == 64
    assert [entry["id"] for entry in NEGATIVE] == ["#test074c"]


@pytest.mark.parametrize("entry", EVALUATION, ids=[entry["id"] for entry in EVALUATION])
def test_an_evaluation_test_gives_the_expected_canonical_nquads(entry: dict[str, Any]) -> None:
    result = canonicalize_nquads(_read(entry["action"]), hash_algorithm=entry.get("hashAlgorithm", "SHA256"))
    assert result == _read(entry["result"])


@pytest.mark.parametrize("entry", NEGATIVE, ids=[entry["id"] for entry in NEGATIVE])
def test_a_poison_graph_is_refused_for_its_work(entry: dict[str, Any]) -> None:
    with pytest.raises(InvalidProof, match="Hash N-Degree Quads"):
        canonicalize_nquads(_read(entry["action"]))


def test_the_hardest_evaluation_tests_fit_the_default_budget_but_not_a_small_one() -> None:
    hard = _read("rdfc10/test044-in.nq")  # isomorphic subgraphs: hundreds of N-degree steps
    assert canonicalize_nquads(hard) == _read("rdfc10/test044-rdfc10.nq")
    with pytest.raises(InvalidProof, match="more than 50 steps"):
        canonicalize_nquads(hard, budget=CanonicalizationBudget(max_n_degree_work=50))


def test_a_literal_with_a_next_line_character_stays_one_quad() -> None:
    nquads = '<urn:ex:s> <urn:ex:p> "one\u0085two\u2028three" .\n'
    assert canonicalize_nquads(nquads) == nquads


def test_quads_and_blank_nodes_over_budget_are_refused() -> None:
    nquads = "".join(f"_:b{n} <urn:ex:p> _:b{n + 1} .\n" for n in range(10))
    with pytest.raises(InvalidProof, match="10 RDF quads exceed the limit of 9"):
        canonicalize_nquads(nquads, budget=CanonicalizationBudget(max_quads=9))
    with pytest.raises(InvalidProof, match="11 blank nodes exceed"):
        canonicalize_nquads(nquads, budget=CanonicalizationBudget(max_blank_nodes=10))


def test_text_that_is_not_nquads_is_refused() -> None:
    with pytest.raises(InvalidProof, match="not N-Quads"):
        canonicalize_nquads("<urn:ex:s> <urn:ex:p> .\n")


CREDENTIALS = [
    "vc-di-eddsa/eddsa-rdfc-2022-signedDataInt.json",
    "ob-v3p0/ob-signed-credential.json",
    "ob-v3p0/clr-embedded-achievement-credential.json",
    "ed25519-signature-2020/signed-alumni-credential.json",
]


@pytest.mark.parametrize("name", CREDENTIALS)
def test_credentials_canonicalise_as_pyld_did_before(name: str) -> None:
    """On credentials (no control characters in literals) pyoxigraph and pyld's URDNA2015 agree."""
    from pyld import jsonld

    from microcareer.adapters.jsonld_contexts import pinned_contexts
    from microcareer.domain.credentials.rdfc import canonical_nquads, to_nquads

    credential = json.loads((SUITE.parent / name).read_text(encoding="utf-8"))
    proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
    for document in (credential, proof):
        if "@context" not in document:
            document = {**document, "@context": credential["@context"]}
        nquads = to_nquads(document, pinned_contexts())
        by_pyld = jsonld.normalize(
            nquads,
            {"algorithm": "URDNA2015", "inputFormat": "application/n-quads", "format": "application/n-quads"},
        )
        assert canonical_nquads(document, pinned_contexts()) == by_pyld
        assert by_pyld.count("\n") >= 4


def test_ed25519_by_libsodium_matches_cryptography_and_refuses_a_changed_message() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from microcareer.domain.credentials import ed25519

    seed = bytes(range(32))
    reference = Ed25519PrivateKey.from_private_bytes(seed)
    signature = ed25519.sign(seed, b"message")
    assert signature == reference.sign(b"message")  # Ed25519 signatures are deterministic
    public = reference.public_key().public_bytes_raw()
    assert ed25519.verifies(public, signature, b"message")
    assert not ed25519.verifies(public, signature, b"messagE")
    assert not ed25519.verifies(public, signature[:63], b"message")
    assert not ed25519.verifies(bytes(32), signature, b"message")


def test_documents_with_inline_contexts_do_not_grow_the_caches_without_bound() -> None:
    from microcareer.adapters.jsonld_contexts import pinned_contexts
    from microcareer.domain.credentials import rdfc

    contexts = pinned_contexts()
    for n in range(rdfc._MAX_RESOLVED + 50):
        document = {
            "@context": ["https://www.w3.org/ns/credentials/v2", {"term": f"urn:example:term{n}"}],
            "id": "urn:example:1",
            "type": ["VerifiableCredential"],
            "term": "x",
        }
        assert f"<urn:example:term{n}>" in rdfc.canonical_nquads(document, contexts)
    processor = rdfc._processor(contexts)
    assert len(processor.resolver.per_op_cache) <= rdfc._MAX_RESOLVED
    assert len(processor.resolver.shared_cache) <= rdfc._MAX_RESOLVED
    assert len(processor.processed) <= rdfc._MAX_PROCESSED
