"""Compact JWT credentials with EdDSA: both payload shapes, and the refusals."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from microcareer.domain.credentials.errors import InvalidProof
from microcareer.domain.credentials.vc_jwt import (
    decode_jwt_unverified,
    encode_jwt_credential,
    looks_like_jwt,
    verify_jwt_signature,
)
from microcareer.errors import InvalidInput

OB_EXAMPLE = Path(__file__).parents[2] / "data" / "ob-v3p0" / "ob-signed-credential.json"
SECRET = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
PUBLIC_KEY = SECRET.public_key().public_bytes_raw()
KID = "https://example.edu/issuers/565049#key-1"


def _credential() -> dict[str, Any]:
    signed = json.loads(OB_EXAMPLE.read_text(encoding="utf-8"))
    return {key: value for key, value in signed.items() if key != "proof"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _token(header: dict[str, Any], payload: Any, signature: bytes = b"x" * 64) -> str:
    parts = (json.dumps(header).encode(), json.dumps(payload).encode())
    return ".".join([*(_b64(part) for part in parts), _b64(signature)])


def test_ob3_token_carries_the_credential_and_its_registered_claims() -> None:
    credential = {**_credential(), "validUntil": "2030-01-01T00:00:00Z"}
    token = encode_jwt_credential(credential, SECRET.private_bytes_raw(), KID)
    decoded = decode_jwt_unverified(token)
    assert decoded.header == {"alg": "EdDSA", "typ": "JWT", "kid": KID}
    assert (decoded.alg, decoded.kid) == ("EdDSA", KID)
    assert decoded.credential == credential
    assert decoded.payload["iss"] == "https://example.edu/issuers/565049"
    assert decoded.payload["jti"] == "http://example.com/credentials/3527"
    assert decoded.payload["sub"] == "did:example:ebfeb1f712ebc6f1c276e12ec21"
    assert decoded.payload["nbf"] == 1262304000  # 2010-01-01T00:00:00Z
    assert decoded.payload["exp"] == 1893456000  # 2030-01-01T00:00:00Z
    verify_jwt_signature(token, PUBLIC_KEY)


def test_vc_jwt_1_1_token_gives_the_vc_claim_with_properties_restored() -> None:
    vc = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"degree": "BSc"},
    }
    payload = {
        "vc": vc,
        "iss": "did:example:issuer",
        "sub": "did:example:alice",
        "jti": "urn:uuid:1",
        "nbf": 1262304000,
        "exp": 1893456000,
        "iat": 1262304000,
    }
    token = jwt.encode(payload, SECRET, algorithm="EdDSA", headers={"kid": KID})
    decoded = decode_jwt_unverified(token)
    assert decoded.payload == payload
    assert decoded.credential == {
        **vc,
        "issuer": "did:example:issuer",
        "id": "urn:uuid:1",
        "credentialSubject": {"degree": "BSc", "id": "did:example:alice"},
        "issuanceDate": "2010-01-01T00:00:00Z",
        "expirationDate": "2030-01-01T00:00:00Z",
    }
    verify_jwt_signature(token, PUBLIC_KEY)


def test_dates_are_not_checked_by_signature_verification() -> None:
    credential = {**_credential(), "validUntil": "2011-01-01T00:00:00Z"}  # long expired
    token = encode_jwt_credential(credential, SECRET.private_bytes_raw(), KID)
    verify_jwt_signature(token, PUBLIC_KEY)


def test_a_tampered_payload_fails() -> None:
    token = encode_jwt_credential(_credential(), SECRET.private_bytes_raw(), KID)
    header, payload, signature = token.split(".")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    changed["name"] = "Forged Badge"
    forged = ".".join([header, _b64(json.dumps(changed).encode()), signature])
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_jwt_signature(forged, PUBLIC_KEY)


def test_a_wrong_key_fails() -> None:
    token = encode_jwt_credential(_credential(), SECRET.private_bytes_raw(), KID)
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_jwt_signature(token, other)


def test_alg_none_is_refused() -> None:
    token = jwt.encode({"vc": {}, "iss": "x"}, "", algorithm="none")
    with pytest.raises(InvalidProof, match="'none' is not accepted"):
        verify_jwt_signature(token, PUBLIC_KEY)


def test_hmac_with_the_public_key_as_secret_is_refused() -> None:
    token = jwt.encode({"iss": "x"}, PUBLIC_KEY, algorithm="HS256")
    with pytest.raises(InvalidProof, match="'HS256' is not accepted"):
        verify_jwt_signature(token, PUBLIC_KEY)


def test_es256_is_refused() -> None:
    token = jwt.encode({"iss": "x"}, generate_private_key(SECP256R1()), algorithm="ES256")
    with pytest.raises(InvalidProof, match="'ES256' is not accepted"):
        verify_jwt_signature(token, PUBLIC_KEY)


def test_the_fully_specified_ed25519_alg_is_accepted() -> None:
    token = encode_jwt_credential(_credential(), SECRET.private_bytes_raw(), KID)
    _, payload, _ = token.split(".")
    header = _b64(json.dumps({"alg": "Ed25519", "typ": "JWT", "kid": KID}).encode())
    signature = SECRET.sign(f"{header}.{payload}".encode())
    verify_jwt_signature(f"{header}.{payload}.{_b64(signature)}", PUBLIC_KEY)


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("abc.def", "not a compact JWS"),
        ("a.b.c.d", "not a compact JWS"),
        ("e30.e30.@@@", "not a compact JWS"),
        ("bm90IGpzb24.e30.AAAA", "malformed"),
        (_token({"alg": "EdDSA"}, [1, 2]), "not a JSON object"),
        (_b64(b'{"alg":"EdDSA"}') + "." + _b64(b"not json") + ".AAAA", "not JSON"),
        (_token({"alg": "EdDSA"}, {"vc": "a string"}), r"jwt\.vc: not a JSON object"),
        (_token({"alg": "EdDSA"}, {"vc": {}, "nbf": "yesterday"}), r"jwt\.nbf"),
    ],
)
def test_malformed_tokens_say_what_is_wrong(token: str, reason: str) -> None:
    with pytest.raises(InvalidProof, match=reason):
        decode_jwt_unverified(token)


def test_a_garbled_signature_is_refused() -> None:
    token = encode_jwt_credential(_credential(), SECRET.private_bytes_raw(), KID)
    with pytest.raises(InvalidProof):
        verify_jwt_signature(token[:-10], PUBLIC_KEY)


def test_looks_like_jwt() -> None:
    token = encode_jwt_credential(_credential(), SECRET.private_bytes_raw(), KID)
    assert looks_like_jwt(token)
    assert looks_like_jwt(f"  {token}\n")
    assert not looks_like_jwt(json.dumps(_credential()))
    assert not looks_like_jwt("a.b.c")
    assert not looks_like_jwt(_b64(b'{"typ":"JWT"}') + ".e30.")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda credential: credential.pop("issuer"), "issuer"),
        (lambda credential: credential.update(validFrom="2010-01-01T00:00:00"), "validFrom"),
        (lambda credential: credential.update(validUntil="soon"), "validUntil"),
        (lambda credential: credential.update(proof={"type": "DataIntegrityProof"}), "proof"),
    ],
)
def test_encoding_an_unfit_credential_names_the_field(change: Any, field: str) -> None:
    credential = _credential()
    change(credential)
    with pytest.raises(InvalidInput, match=field) as raised:
        encode_jwt_credential(credential, SECRET.private_bytes_raw(), KID)
    assert not isinstance(raised.value, InvalidProof)


def test_a_vc_1_1_credential_maps_issuance_and_expiration_dates() -> None:
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2010-01-01T00:00:00Z",
        "expirationDate": "2030-01-01T00:00:00+00:00",
        "credentialSubject": {"id": "did:example:alice"},
    }
    payload = decode_jwt_unverified(
        encode_jwt_credential(credential, SECRET.private_bytes_raw(), KID)
    ).payload
    assert (payload["nbf"], payload["exp"]) == (1262304000, 1893456000)


def test_a_secret_key_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(InvalidInput, match="32 bytes"):
        encode_jwt_credential(_credential(), b"short", KID)
