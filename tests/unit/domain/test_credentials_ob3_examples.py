"""The signed examples of the Open Badges 3.0 Implementation Guide, verified and re-signed by us."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from microcareer.adapters.credential_keys import CredentialKeys
from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.data_integrity import create_proof, verify_proof
from microcareer.domain.credentials.ed25519_signature_2020 import create_proof_2020, verify_proof_2020
from microcareer.domain.credentials.errors import InvalidProof
from microcareer.domain.credentials.rdfc import canonical_nquads
from microcareer.domain.credentials.vc_jwt import (
    decode_jwt_unverified,
    encode_jwt_credential,
    verify_jwt_signature,
)
from microcareer.domain.credentials.verification import VerificationReport, verify_credential

EXAMPLES = Path(__file__).parents[2] / "data" / "ob-v3p0"


def _load(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


KEYS = _load("key-pair.json")
PUBLIC_KEY = bytes.fromhex(KEYS["publicKeyHex"])
SEED = bytes.fromhex(KEYS["privateKeyHex"])[:32]  # the guide gives seed || public key


def _guide_key(verification_method: str) -> bytes:
    assert verification_method == KEYS["id"]
    return PUBLIC_KEY


def _ob_credential() -> dict[str, Any]:
    return dict(_load("ob-signed-credential.json"))


def _clr_embedded() -> dict[str, Any]:
    """The AchievementCredential inside the guide's CLR example; its proof is a list of one."""
    credential = _load("clr-embedded-achievement-credential.json")
    (proof,) = credential["proof"]
    return {**credential, "proof": proof}


EXAMPLES_SIGNED = {"ob-teamwork": _ob_credential, "clr-embedded-achievement": _clr_embedded}


def test_the_guide_key_pair_is_consistent() -> None:
    assert multikey.encode_public_key(PUBLIC_KEY) == KEYS["publicKeyMultibase"]
    assert KEYS["id"].endswith("#" + KEYS["publicKeyMultibase"])
    secret = multikey.multibase_decode(KEYS["secretKeyMultibase"], what="secretKeyMultibase")
    assert secret == b"\x80\x26" + bytes.fromhex(KEYS["privateKeyHex"])  # 64-byte form, seed first


def test_the_ob_example_canonicalises_as_the_guide_prints() -> None:
    signed = _ob_credential()
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    config = {key: value for key, value in signed["proof"].items() if key != "proofValue"}
    config["@context"] = signed["@context"]
    contexts = pinned_contexts()
    assert canonical_nquads(unsigned, contexts) == (EXAMPLES / "ob-document-canon.txt").read_text(
        encoding="utf-8"
    )
    assert canonical_nquads(config, contexts) == (EXAMPLES / "ob-proof-canon.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXAMPLES_SIGNED))
def test_the_guide_examples_verify(name: str) -> None:
    verify_proof(EXAMPLES_SIGNED[name](), _guide_key, pinned_contexts())


def _full_report(document: dict[str, Any]) -> VerificationReport:
    return verify_credential(
        document,
        keys=CredentialKeys({KEYS["id"]: PUBLIC_KEY}),
        status=None,
        contexts=pinned_contexts(),
        schemas=pinned_schemas(),
        now=datetime(2026, 6, 1, tzinfo=UTC),
    )


def test_the_guide_ob_example_passes_every_check() -> None:
    report = _full_report(_ob_credential())
    assert report.verdict == "valid", report.checks
    assert "credentialSchema" not in _ob_credential()


def test_the_guide_clr_example_is_signed_but_not_valid_against_the_published_schema() -> None:
    # The guide writes single types as strings ("type": "Achievement"); 1EdTech's published schema
    # requires arrays there. Its signature and key hold; the schema check says exactly what is wrong.
    report = _full_report(_clr_embedded())
    outcomes = {check.name: check for check in report.checks}
    assert outcomes["key"].outcome == "pass"
    assert outcomes["proof"].outcome == "pass"
    assert outcomes["schema"].outcome == "fail"
    assert "credentialSubject.achievement.type: must be of type array" in outcomes["schema"].reason
    assert "ob_v3p0_achievementcredential_schema.json" in outcomes["schema"].reason
    assert report.verdict == "invalid"
    arrays = _clr_embedded()
    arrays["credentialSubject"]["type"] = ["AchievementSubject"]
    arrays["credentialSubject"]["achievement"]["type"] = ["Achievement"]
    arrays["credentialSubject"]["achievement"]["creator"]["type"] = ["Profile"]
    arrays["issuer"]["type"] = ["Profile"]
    arrays["proof"] = [arrays["proof"]]
    # A one-item array is the same JSON-LD statement as the string, so the guide's signature still
    # verifies on the schema-valid form, and that form passes every check.
    as_arrays = _full_report(arrays)
    assert [c.outcome for c in as_arrays.checks if c.name == "schema"] == ["pass"]
    assert as_arrays.verdict == "valid", as_arrays.checks


@pytest.mark.parametrize("name", sorted(EXAMPLES_SIGNED))
def test_we_reproduce_the_guide_signatures_from_its_key(name: str) -> None:
    signed = EXAMPLES_SIGNED[name]()
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    options = {key: value for key, value in signed["proof"].items() if key != "proofValue"}
    ours = create_proof(unsigned, options, SEED, pinned_contexts())
    assert ours["proof"]["proofValue"] == signed["proof"]["proofValue"]
    assert ours == signed


@pytest.mark.parametrize("name", sorted(EXAMPLES_SIGNED))
def test_a_changed_achievement_fails(name: str) -> None:
    signed = EXAMPLES_SIGNED[name]()
    signed["credentialSubject"]["achievement"]["name"] = "Something Else"
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_proof(signed, _guide_key, pinned_contexts())


def test_the_ob_example_under_ed25519_signature_2020_round_trips() -> None:
    """Not a published vector (the guide has none for this suite): our signer and verifier agree."""
    unsigned = {key: value for key, value in _ob_credential().items() if key != "proof"}
    options = {
        "type": "Ed25519Signature2020",
        "created": "2010-01-01T19:23:24Z",
        "verificationMethod": KEYS["id"],
        "proofPurpose": "assertionMethod",
    }
    signed = create_proof_2020(copy.deepcopy(unsigned), options, SEED, pinned_contexts())
    verify_proof_2020(signed, _guide_key, pinned_contexts())
    signed["validFrom"] = "2011-01-01T00:00:00Z"
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_proof_2020(signed, _guide_key, pinned_contexts())


def test_the_ob_example_as_jwt_round_trips_with_the_guide_key() -> None:
    """The specification's own JWT examples are RS256 with throwaway keys, so none can be used here."""
    unsigned = {key: value for key, value in _ob_credential().items() if key != "proof"}
    token = encode_jwt_credential(unsigned, SEED, KEYS["id"])
    verify_jwt_signature(token, PUBLIC_KEY)
    assert decode_jwt_unverified(token).credential == unsigned
