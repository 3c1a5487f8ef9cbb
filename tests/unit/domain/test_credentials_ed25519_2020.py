"""Ed25519Signature2020 proofs against the published Digital Bazaar / vc-di-eddsa test vector."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.ed25519_signature_2020 import (
    SUITE_CONTEXT,
    create_proof_2020,
    verify_proof_2020,
)
from microcareer.domain.credentials.errors import InvalidProof, UnapprovedContext

VECTORS = Path(__file__).parents[2] / "data" / "ed25519-signature-2020"
KEYS = json.loads((VECTORS / "key-material.json").read_text(encoding="utf-8"))
PUBLIC_KEY = multikey.decode_public_key(KEYS["publicKeyMultibase"])
SECRET_KEY = multikey.decode_secret_key(KEYS["secretKeyMultibase"])


def _signed() -> Any:
    return json.loads((VECTORS / "signed-alumni-credential.json").read_text(encoding="utf-8"))


def _vector_key(verification_method: str) -> bytes:
    return multikey.public_key_of_did_key(verification_method)


def test_the_vector_key_is_the_did_key_of_its_verification_method() -> None:
    assert _vector_key(_signed()["proof"]["verificationMethod"]) == PUBLIC_KEY


def test_verifier_accepts_the_published_vector() -> None:
    verify_proof_2020(_signed(), _vector_key, pinned_contexts())


def test_signer_reproduces_the_published_proof_value() -> None:
    signed = _signed()
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    options = {key: value for key, value in signed["proof"].items() if key != "proofValue"}
    ours = create_proof_2020(unsigned, options, SECRET_KEY, pinned_contexts())
    assert ours["proof"]["proofValue"] == signed["proof"]["proofValue"]
    assert ours == signed


def test_a_tampered_document_fails() -> None:
    signed = _signed()
    signed["credentialSubject"]["alumniOf"] = "Another School"
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_proof_2020(signed, _vector_key, pinned_contexts())


def test_a_tampered_proof_option_fails() -> None:
    signed = _signed()
    signed["proof"]["created"] = "2024-02-24T23:36:38Z"
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_proof_2020(signed, _vector_key, pinned_contexts())


def test_a_wrong_key_fails() -> None:
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_proof_2020(_signed(), lambda _method: other, pinned_contexts())


def test_a_document_without_the_suite_context_is_refused() -> None:
    signed = _signed()
    signed["@context"] = [url for url in signed["@context"] if url != SUITE_CONTEXT]
    with pytest.raises(InvalidProof, match="ed25519-2020/v1"):
        verify_proof_2020(signed, _vector_key, pinned_contexts())


def test_an_unpinned_context_fails_without_fetching() -> None:
    signed = _signed()
    signed["@context"] = [*signed["@context"], "https://example.org/unpinned/v1"]
    with pytest.raises(UnapprovedContext, match=re.escape("example.org/unpinned")):
        verify_proof_2020(signed, _vector_key, pinned_contexts())


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda signed: signed.pop("proof"), "no proof object"),
        (lambda signed: signed.update(proof=[signed["proof"]]), "several proofs"),
        (lambda signed: signed["proof"].pop("proofValue"), "proofValue: missing"),
        (lambda signed: signed["proof"].update(type="DataIntegrityProof"), "proof.type"),
        (lambda signed: signed["proof"].pop("verificationMethod"), "verificationMethod"),
        (lambda signed: signed["proof"].update(proofValue="z2222"), "64 bytes"),
        (lambda signed: signed["proof"].update(proofValue="u" + "A" * 86), "multibase base58btc"),
    ],
)
def test_a_malformed_proof_says_what_is_wrong(change: Any, reason: str) -> None:
    signed = _signed()
    change(signed)
    with pytest.raises(InvalidProof, match=reason):
        verify_proof_2020(signed, _vector_key, pinned_contexts())


def test_signing_adds_the_suite_context_and_round_trips_with_did_key() -> None:
    secret = Ed25519PrivateKey.generate()
    public = multikey.encode_public_key(secret.public_key().public_bytes_raw())
    unsigned = {key: value for key, value in _signed().items() if key != "proof"}
    unsigned["@context"] = unsigned["@context"][:2]
    options = {
        "type": "Ed25519Signature2020",
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": multikey.did_key_verification_method(public),
        "proofPurpose": "assertionMethod",
    }
    signed = create_proof_2020(
        copy.deepcopy(unsigned), options, secret.private_bytes_raw(), pinned_contexts()
    )
    assert signed["@context"][-1] == SUITE_CONTEXT
    verify_proof_2020(signed, multikey.public_key_of_did_key, pinned_contexts())


def test_signing_a_document_that_has_a_proof_is_refused() -> None:
    with pytest.raises(InvalidProof, match="already has a proof"):
        create_proof_2020(_signed(), {**_signed()["proof"]}, SECRET_KEY, pinned_contexts())


def test_a_secret_key_of_the_wrong_size_is_refused() -> None:
    unsigned = {key: value for key, value in _signed().items() if key != "proof"}
    options = {key: value for key, value in _signed()["proof"].items() if key != "proofValue"}
    with pytest.raises(InvalidProof, match="32 bytes"):
        create_proof_2020(unsigned, options, SECRET_KEY + SECRET_KEY, pinned_contexts())
