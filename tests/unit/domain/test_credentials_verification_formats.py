"""The verifier on every input form: VC-JWT, baked PNG and SVG, Ed25519Signature2020, a published example."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.baking import PNG_SIGNATURE, bake_png, bake_svg
from microcareer.domain.credentials.ed25519_signature_2020 import SUITE_CONTEXT, create_proof_2020
from microcareer.domain.credentials.vc_jwt import encode_jwt_credential
from microcareer.domain.credentials.verification_model import ResolvedKey
from tests.unit.domain.verification_helpers import NOW, V1, Keys, Signer, credential, outcome, verify

EXAMPLE = Path(__file__).parents[2] / "data" / "ob-v3p0"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png() -> bytes:
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return PNG_SIGNATURE + header + _chunk(b"IDAT", zlib.compress(b"\x00\x00")) + _chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer()


def _jwt(signer: Signer, **changes: Any) -> str:
    return encode_jwt_credential(
        credential(signer.did, **changes), signer.secret.private_bytes_raw(), signer.method
    )


def test_a_vc_jwt_verifies(signer: Signer) -> None:
    report = verify(_jwt(signer))
    assert report.valid, report.checks
    assert report.format == "jwt"
    assert outcome(report, "format") == ("pass", "a VC-JWT")
    assert outcome(report, "proof") == ("pass", "the JWT EdDSA signature verifies")
    assert outcome(report, "key")[0] == "pass"


def test_a_tampered_jwt_fails(signer: Signer) -> None:
    header, payload, signature = _jwt(signer).split(".")
    other_payload = _jwt(signer, name="Brain surgery").split(".")[1]
    report = verify(f"{header}.{other_payload}.{signature}")
    assert outcome(report, "proof")[0] == "fail"
    assert "signature does not verify" in outcome(report, "proof")[1]
    assert payload != other_payload


def test_a_jwt_by_another_key_fails(signer: Signer) -> None:
    forger = Signer()
    token = encode_jwt_credential(credential(signer.did), forger.secret.private_bytes_raw(), signer.method)
    assert outcome(verify(token), "proof")[0] == "fail"


def test_an_expired_jwt_fails_on_its_dates(signer: Signer) -> None:
    report = verify(_jwt(signer), now=NOW.replace(year=2028))
    assert outcome(report, "dates")[0] == "fail"
    assert "expired on 2027-01-01T00:00:00Z" in outcome(report, "dates")[1]


@pytest.mark.parametrize(
    "token",
    [
        "eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.c2ln",  # a header, then a payload that is not JSON
        "eyJhbGciOiJub25lIn0.eyJ2YyI6MX0.",  # alg none and a vc claim that is not an object
    ],
)
def test_a_bad_jwt_fails_the_format_check(token: str) -> None:
    report = verify(token)
    assert report.checks[0].outcome == "fail"
    assert report.checks[0].reason.startswith("a JWT that is not a readable VC-JWT")


def test_a_jwt_with_another_algorithm_fails(signer: Signer) -> None:
    header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"  # {"alg":"HS256","typ":"JWT"}
    payload = _jwt(signer).split(".")[1]
    report = verify(f"{header}.{payload}.c2lnbmF0dXJl")
    assert outcome(report, "proof") == ("fail", "JWT alg 'HS256' is not supported (EdDSA only)")


@pytest.mark.parametrize("payload_kind", ["json", "jwt"])
def test_a_baked_png_verifies(signer: Signer, payload_kind: str) -> None:
    payload = json.dumps(signer.sign(credential(signer.did))) if payload_kind == "json" else _jwt(signer)
    report = verify(bake_png(_png(), payload))
    assert report.valid, report.checks
    assert report.format == "png"
    assert "baked into a PNG" in outcome(report, "format")[1]


def test_a_baked_svg_verifies_and_a_tampered_one_fails(signer: Signer) -> None:
    payload = json.dumps(signer.sign(credential(signer.did)))
    baked = bake_svg(SVG, payload)
    report = verify(baked.encode())
    assert report.valid, report.checks
    assert report.format == "svg"
    tampered = baked.replace("Data cleaning", "Brain surgery")
    assert outcome(verify(tampered.encode()), "proof")[0] == "fail"


EDITOR_SVG = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="10" height="10"><rect width="10"/></svg>\n'
)


def test_a_badge_svg_with_the_editors_doctype_verifies(signer: Signer) -> None:
    report = verify(bake_svg(EDITOR_SVG, json.dumps(signer.sign(credential(signer.did)))).encode())
    assert report.valid, report.checks
    assert report.format == "svg"


def test_a_badge_svg_with_an_internal_subset_fails_the_format_check(signer: Signer) -> None:
    baked = bake_svg(EDITOR_SVG, json.dumps(signer.sign(credential(signer.did))))
    hostile = baked.replace('svg11.dtd">', 'svg11.dtd" [<!ENTITY name "Brain surgery">]>')
    report = verify(hostile.encode())
    assert report.checks[0].outcome == "fail"
    assert "internal subset" in report.checks[0].reason
    assert not report.valid


def test_an_image_without_a_credential_fails_the_format_check() -> None:
    for image in (_png(), SVG.encode()):
        report = verify(image)
        assert report.checks[0].outcome == "fail"
        assert "without an Open Badges credential" in report.checks[0].reason


def test_an_ed25519_signature_2020_credential_verifies(signer: Signer) -> None:
    document = {
        "@context": [V1, SUITE_CONTEXT],
        "type": ["VerifiableCredential"],
        "issuer": signer.did,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    options = {
        "type": "Ed25519Signature2020",
        "verificationMethod": signer.method,
        "proofPurpose": "assertionMethod",
        "created": "2026-01-01T00:00:00Z",
    }
    signed = create_proof_2020(document, options, signer.secret.private_bytes_raw(), pinned_contexts())
    report = verify(signed)
    assert report.valid, report.checks
    assert outcome(report, "proof") == ("pass", "the Ed25519Signature2020 signature verifies")
    signed["credentialSubject"]["id"] = "did:example:someone-else"
    assert outcome(verify(signed), "proof")[0] == "fail"


def test_the_published_open_badges_example_verifies_with_its_key() -> None:
    example = json.loads((EXAMPLE / "ob-signed-credential.json").read_text(encoding="utf-8"))
    pair = json.loads((EXAMPLE / "key-pair.json").read_text(encoding="utf-8"))
    method = example["proof"]["verificationMethod"]
    key = multikey.decode_public_key(pair["publicKeyMultibase"])
    keys = Keys({method: ResolvedKey(key, example["issuer"]["id"], True, "trusted")})
    report = verify(example, keys=keys)
    assert report.valid, report.checks
    assert outcome(report, "proof")[0] == "pass"


def test_a_vc_jwt_from_a_key_only_issuer_follows_the_same_policy(signer: Signer) -> None:
    issuer = "urn:uuid:6a1b4f6e-2f0d-4d2c-8f51-0d7f5c1f9e01"
    token = encode_jwt_credential(credential(issuer), signer.secret.private_bytes_raw(), signer.method)
    refused = verify(token)
    assert outcome(refused, "key")[0] == "fail"
    assert refused.verdict == "invalid"
    accepted = verify(token, accept_key_only_issuer=True)
    assert outcome(accepted, "key")[0] == "warn"
    assert outcome(accepted, "proof") == ("pass", "the JWT EdDSA signature verifies")
    assert accepted.verdict == "valid"
