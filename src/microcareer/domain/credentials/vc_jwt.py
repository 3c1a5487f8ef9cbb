"""Credentials as compact JWTs signed with Ed25519 (``alg`` ``EdDSA``), through PyJWT.

Two payload shapes are read:

- VC-JWT 1.1 (VC Data Model 1.1 section 6.3.1): the credential sits in the ``vc`` claim beside
  ``iss``, ``sub``, ``nbf``, ``exp``, ``jti``; a credential property the JWT carries only as a
  claim is restored from it (``issuer``, ``id``, ``credentialSubject.id``, ``issuanceDate``,
  ``expirationDate``).
- Open Badges 3.0 "JSON Web Token Proof Format" (and VC-JOSE): the payload *is* the credential,
  with the registered claims added; the credential is the payload less those claims.

Only the signature is checked here: dates are the verifier's business, on the credential itself.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from microcareer.domain.credentials import ed25519
from microcareer.domain.credentials.errors import InvalidProof
from microcareer.errors import InvalidInput

ALGORITHMS = ("EdDSA", "Ed25519")
"""``EdDSA`` (RFC 8037) and its fully specified name ``Ed25519`` (RFC 9864); nothing else."""
REGISTERED_CLAIMS = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti")
MAX_TOKEN_CHARS = 1 << 20
_COMPACT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class JwtCredential:
    """A decoded (not yet verified) JWT credential."""

    header: dict[str, Any]
    payload: dict[str, Any]
    credential: dict[str, Any]
    kid: str | None
    alg: str | None


def _jws() -> jwt.PyJWS:
    """A JWS processor that knows only the Ed25519 algorithms."""
    jws = jwt.PyJWS(algorithms=[])
    for name in ALGORITHMS:
        jws.register_algorithm(name, OKPAlgorithm())
    return jws


def looks_like_jwt(text: str) -> bool:
    """True when ``text`` has the JWS compact form and its header is a JSON object with ``alg``."""
    text = text.strip()
    if len(text) > MAX_TOKEN_CHARS or not _COMPACT.fullmatch(text):
        return False
    try:
        header = jwt.get_unverified_header(text)
    except jwt.PyJWTError:
        return False
    return "alg" in header


def _epoch(value: Any, field: str) -> int:
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: expected an XML Schema dateTime string", field=field)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field}: {value!r} is not an XML Schema dateTime", field=field) from None
    if moment.tzinfo is None:
        raise InvalidInput(f"{field}: {value!r} has no time zone (add Z or an offset)", field=field)
    return int(moment.timestamp())


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def encode_jwt_credential(credential: Mapping[str, Any], secret_key: bytes, kid: str) -> str:
    """The Open Badges 3.0 JWT of ``credential``: header ``{alg: EdDSA, typ: JWT, kid}``, payload the
    credential plus ``iss`` (issuer id), ``jti`` (id), ``sub`` (credentialSubject.id), ``nbf``
    (validFrom, or issuanceDate) and ``exp`` (validUntil, or expirationDate) where it has them.
    """
    if "proof" in credential:
        raise InvalidInput("credential: a JWT credential carries no embedded proof", field="proof")
    clash = [name for name in REGISTERED_CLAIMS if name in credential]
    if clash:
        raise InvalidInput(f"credential: has JWT claim name(s) {', '.join(clash)} as properties")
    claims: dict[str, Any] = {}
    issuer = _issuer_id(credential)
    if issuer is None:
        raise InvalidInput("issuer: missing (a string or an object with an id)", field="issuer")
    claims["iss"] = issuer
    if isinstance(credential.get("id"), str):
        claims["jti"] = credential["id"]
    subject = credential.get("credentialSubject")
    if isinstance(subject, Mapping) and isinstance(subject.get("id"), str):
        claims["sub"] = subject["id"]
    dated = (("validFrom", "nbf"), ("issuanceDate", "nbf"), ("validUntil", "exp"), ("expirationDate", "exp"))
    for field, claim in dated:
        if field in credential and claim not in claims:
            claims[claim] = _epoch(credential[field], field)
    if len(secret_key) != 32:
        raise InvalidInput(f"secret key: an Ed25519 seed has 32 bytes, not {len(secret_key)}")
    private_key = Ed25519PrivateKey.from_private_bytes(secret_key)
    return _jws().encode(
        json.dumps({**credential, **claims}, ensure_ascii=False, separators=(",", ":")).encode(),
        private_key,
        algorithm="EdDSA",
        headers={"typ": "JWT", "kid": kid},
    )


def _date(seconds: Any, claim: str) -> str:
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        raise InvalidProof(f"jwt.{claim}: not a number of seconds")
    try:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        raise InvalidProof(f"jwt.{claim}: out of range") from None


def _credential_of_vc_claim(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The VC-JWT 1.1 credential: ``vc`` with properties restored from the registered claims."""
    credential = dict(payload["vc"])
    if "iss" in payload and "issuer" not in credential:
        credential["issuer"] = payload["iss"]
    if "jti" in payload and "id" not in credential:
        credential["id"] = payload["jti"]
    subject = credential.get("credentialSubject")
    if "sub" in payload and isinstance(subject, Mapping) and "id" not in subject:
        credential["credentialSubject"] = {**subject, "id": payload["sub"]}
    if "nbf" in payload and "issuanceDate" not in credential and "validFrom" not in credential:
        credential["issuanceDate"] = _date(payload["nbf"], "nbf")
    if "exp" in payload and "expirationDate" not in credential and "validUntil" not in credential:
        credential["expirationDate"] = _date(payload["exp"], "exp")
    return credential


def decode_jwt_unverified(token: str) -> JwtCredential:
    """Split a compact JWT into header, payload and credential without checking the signature."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
        raise InvalidProof(f"jwt: not a string of at most {MAX_TOKEN_CHARS} characters")
    token = token.strip()
    if not _COMPACT.fullmatch(token):
        raise InvalidProof("jwt: not a compact JWS (three base64url parts separated by dots)")
    try:
        decoded = _jws().decode_complete(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise InvalidProof(f"jwt: malformed ({error})") from None
    try:
        payload = json.loads(decoded["payload"])
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidProof("jwt: the payload is not JSON") from None
    if not isinstance(payload, dict):
        raise InvalidProof("jwt: the payload is not a JSON object")
    header = dict(decoded["header"])
    if "vc" in payload:
        if not isinstance(payload["vc"], dict):
            raise InvalidProof("jwt.vc: not a JSON object")
        credential = _credential_of_vc_claim(payload)
    else:
        credential = {key: value for key, value in payload.items() if key not in REGISTERED_CLAIMS}
    kid = header.get("kid")
    alg = header.get("alg")
    return JwtCredential(
        header=header,
        payload=payload,
        credential=credential,
        kid=kid if isinstance(kid, str) else None,
        alg=alg if isinstance(alg, str) else None,
    )


def verify_jwt_signature(token: str, public_key: bytes) -> None:
    """Check the Ed25519 signature of ``token`` with the raw 32-byte ``public_key``.

    Only ``alg`` ``EdDSA`` or ``Ed25519`` is accepted (never ``none``, never HMAC or RSA); no claim
    (exp, nbf, iat, aud) is checked here.
    """
    decoded = decode_jwt_unverified(token)
    if decoded.alg not in ALGORITHMS:
        raise InvalidProof(
            f"jwt header alg: {decoded.alg!r} is not accepted (only {' or '.join(ALGORITHMS)})"
        )
    if len(public_key) != 32:
        raise InvalidProof(f"jwt: the key has {len(public_key)} bytes, an Ed25519 public key 32")
    # JWS (RFC 7515 §5.2, RFC 8037): the signature covers the ASCII of BASE64URL(header).BASE64URL(payload),
    # which decode_jwt_unverified has parsed already; libsodium checks it (ed25519.verifies).
    signing_input, _, encoded_signature = token.strip().rpartition(".")
    try:
        signature = base64.urlsafe_b64decode(encoded_signature + "=" * (-len(encoded_signature) % 4))
    except (binascii.Error, ValueError):
        raise InvalidProof("jwt: malformed (the signature is not base64url)") from None
    if not ed25519.verifies(public_key, signature, signing_input.encode("ascii")):
        raise InvalidProof(
            f"jwt: the signature does not verify with key {decoded.kid or '(no kid)'} "
            "(the token was changed, or the key is wrong)"
        )
