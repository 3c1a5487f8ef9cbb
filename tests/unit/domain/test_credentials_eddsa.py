"""Data Integrity EdDSA proofs against the published W3C vc-di-eddsa test vectors."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.data_integrity import create_proof, verify_proof
from microcareer.domain.credentials.errors import InvalidProof, UnapprovedContext
from microcareer.domain.credentials.rdfc import CanonicalizationBudget, canonical_nquads

VECTORS = Path(__file__).parents[2] / "data" / "vc-di-eddsa"
SIGNED = ["eddsa-rdfc-2022-signedDataInt.json", "eddsa-jcs-2022-signedJCS.json"]


def _load(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


KEYS = _load("keyPair.json")
PUBLIC_KEY = multikey.decode_public_key(KEYS["publicKeyMultibase"])
SECRET_KEY = multikey.decode_secret_key(KEYS["privateKeyMultibase"])


def _vector_key(verification_method: str) -> bytes:
    """The vectors' verification method is https://vc.example/issuers/5678#<public multikey>."""
    assert verification_method.endswith("#" + KEYS["publicKeyMultibase"])
    return PUBLIC_KEY


def test_vector_key_pair_round_trips_and_matches() -> None:
    derived = Ed25519PrivateKey.from_private_bytes(SECRET_KEY).public_key()
    assert derived.public_bytes(Encoding.Raw, PublicFormat.Raw) == PUBLIC_KEY
    assert multikey.encode_public_key(PUBLIC_KEY) == KEYS["publicKeyMultibase"]
    assert multikey.encode_secret_key(SECRET_KEY) == KEYS["privateKeyMultibase"]


def test_did_key_names_the_key() -> None:
    method = multikey.did_key_verification_method(KEYS["publicKeyMultibase"])
    assert method == f"did:key:{KEYS['publicKeyMultibase']}#{KEYS['publicKeyMultibase']}"
    assert multikey.public_key_of_did_key(method) == PUBLIC_KEY


def test_rdfc_proof_configuration_canonicalises_as_published() -> None:
    published = (VECTORS / "eddsa-rdfc-2022-proofCanonDataInt.txt").read_text(encoding="utf-8")
    config = _load("eddsa-rdfc-2022-proofConfigDataInt.json")
    assert canonical_nquads(config, pinned_contexts()) == published


@pytest.mark.parametrize(
    ("signed_name", "config_name"),
    [
        ("eddsa-rdfc-2022-signedDataInt.json", "eddsa-rdfc-2022-proofConfigDataInt.json"),
        ("eddsa-jcs-2022-signedJCS.json", "eddsa-jcs-2022-proofConfigJCS.json"),
    ],
)
def test_signer_reproduces_the_published_proof_value(signed_name: str, config_name: str) -> None:
    signed = _load(signed_name)
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    ours = create_proof(unsigned, _load(config_name), SECRET_KEY, pinned_contexts())
    assert ours["proof"]["proofValue"] == signed["proof"]["proofValue"]
    assert ours == signed


@pytest.mark.parametrize("name", SIGNED)
def test_verifier_accepts_the_published_vector(name: str) -> None:
    verify_proof(_load(name), _vector_key, pinned_contexts())


@pytest.mark.parametrize("name", SIGNED)
def test_a_tampered_document_fails(name: str) -> None:
    signed = _load(name)
    signed["credentialSubject"]["alumniOf"] = "Another School"
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_proof(signed, _vector_key, pinned_contexts())


@pytest.mark.parametrize("name", SIGNED)
def test_a_tampered_proof_option_fails(name: str) -> None:
    signed = _load(name)
    signed["proof"]["created"] = "2024-02-24T23:36:38Z"
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_proof(signed, _vector_key, pinned_contexts())


@pytest.mark.parametrize("name", SIGNED)
def test_a_wrong_key_fails(name: str) -> None:
    other = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_proof(_load(name), lambda _method: other, pinned_contexts())


def test_an_unpinned_context_fails_without_fetching() -> None:
    signed = _load("eddsa-rdfc-2022-signedDataInt.json")
    signed["@context"] = [*signed["@context"], "https://example.org/unpinned/v1"]
    with pytest.raises(UnapprovedContext, match=re.escape("https://example.org/unpinned/v1")):
        verify_proof(signed, _vector_key, pinned_contexts())


def test_a_context_missing_from_the_given_set_is_refused_despite_earlier_use() -> None:
    config = _load("eddsa-rdfc-2022-proofConfigDataInt.json")
    canonical_nquads(config, pinned_contexts())  # the examples context has now been resolved once
    only_credentials = {
        url: document
        for url, document in pinned_contexts().items()
        if url == "https://www.w3.org/ns/credentials/v2"
    }
    with pytest.raises(UnapprovedContext, match="examples/v2"):
        canonical_nquads(config, only_credentials)


def test_the_canonicalisation_budget_refuses_too_many_blank_nodes() -> None:
    signed = _load("eddsa-rdfc-2022-signedDataInt.json")
    signed["credentialSubject"]["knows"] = [{"name": f"person {n}"} for n in range(5)]
    with pytest.raises(InvalidProof, match="5 blank nodes exceed"):
        verify_proof(
            signed,
            _vector_key,
            pinned_contexts(),
            budget=CanonicalizationBudget(max_blank_nodes=4),
        )


def test_signing_then_verifying_with_did_key_round_trips() -> None:
    secret = Ed25519PrivateKey.generate()
    seed = secret.private_bytes_raw()
    public = multikey.encode_public_key(secret.public_key().public_bytes_raw())
    unsigned = {key: v for key, v in _load(SIGNED[0]).items() if key != "proof"}
    for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        options = {
            "type": "DataIntegrityProof",
            "cryptosuite": suite,
            "verificationMethod": multikey.did_key_verification_method(public),
            "proofPurpose": "assertionMethod",
        }
        signed = create_proof(copy.deepcopy(unsigned), options, seed, pinned_contexts())
        verify_proof(signed, multikey.public_key_of_did_key, pinned_contexts())


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda proof: proof.pop("proofValue"), "proofValue: missing"),
        (lambda proof: proof.update(cryptosuite="ecdsa-rdfc-2019"), "cryptosuite"),
        (lambda proof: proof.update(proofValue="u" + proof["proofValue"][1:]), "base58btc"),
        (lambda proof: proof.update(proofValue="z0OIl"), "is not base58btc"),
    ],
)
def test_a_malformed_proof_says_which_field(change: Any, reason: str) -> None:
    signed = _load("eddsa-rdfc-2022-signedDataInt.json")
    change(signed["proof"])
    with pytest.raises(InvalidProof, match=reason):
        verify_proof(signed, _vector_key, pinned_contexts())
