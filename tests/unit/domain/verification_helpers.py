"""Credentials signed on the fly for the verifier's tests: an issuer with a did:key, a status list."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.data_integrity import create_proof
from microcareer.domain.credentials.status_list import StatusList, status_entry, status_list_credential
from microcareer.domain.credentials.verification import VerificationReport, verify_credential
from microcareer.domain.credentials.verification_model import (
    KeyNotResolved,
    ResolvedKey,
    StatusSource,
    StatusUnavailable,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
LIST_URL = "https://issuer.example/status/1"


@dataclass
class Signer:
    """An Ed25519 key pair and the did:key that names it."""

    secret: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def public(self) -> bytes:
        return self.secret.public_key().public_bytes_raw()

    @property
    def multikey(self) -> str:
        return multikey.encode_public_key(self.public)

    @property
    def did(self) -> str:
        return multikey.did_key(self.multikey)

    @property
    def method(self) -> str:
        return multikey.did_key_verification_method(self.multikey)

    def sign(
        self,
        document: Mapping[str, Any],
        *,
        suite: str = "eddsa-rdfc-2022",
        method: str | None = None,
        purpose: str = "assertionMethod",
    ) -> dict[str, Any]:
        options = {
            "type": "DataIntegrityProof",
            "cryptosuite": suite,
            "verificationMethod": method or self.method,
            "proofPurpose": purpose,
            "created": "2026-01-01T00:00:00Z",
        }
        return create_proof(
            copy.deepcopy(dict(document)), options, self.secret.private_bytes_raw(), pinned_contexts()
        )


def credential(issuer: str, /, **changes: Any) -> dict[str, Any]:
    """An unsigned VC 2.0 Open Badges credential, valid in 2026."""
    document: dict[str, Any] = {
        "@context": [V2, OB3],
        "id": "urn:uuid:0b5f3e0c-8d6a-4b51-9b3e-6d0f2a7c1e01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Data cleaning",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example Academy"},
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2027-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://issuer.example/achievements/1",
                "type": ["Achievement"],
                "name": "Data cleaning",
                "description": "Cleans tabular data.",
                "criteria": {"narrative": "Passed the assessment."},
            },
        },
    }
    document.update(changes)
    return {key: value for key, value in document.items() if value is not None}


def status_list(
    signer: Signer, purpose: str, *, set_bits: tuple[int, ...] = (), issuer: str | None = None
) -> dict[str, Any]:
    bits = StatusList.empty()
    for index in set_bits:
        bits.set(index, True)
    unsigned = status_list_credential(
        list_url=LIST_URL,
        issuer=issuer or signer.did,
        purpose=purpose,
        bits=bits,
        valid_from="2026-01-01T00:00:00Z",
    )
    return signer.sign(unsigned)


def entry(purpose: str, index: int) -> dict[str, Any]:
    return status_entry(LIST_URL, index, purpose)


class Keys:
    """A ``KeySource`` over fixed answers, then did:key."""

    def __init__(self, answers: Mapping[str, ResolvedKey] | None = None) -> None:
        self.answers = dict(answers or {})

    def resolve(self, verification_method: str) -> ResolvedKey:
        if verification_method in self.answers:
            return self.answers[verification_method]
        if verification_method.startswith("did:key:"):
            key = multikey.public_key_of_did_key(verification_method)
            return ResolvedKey(key, verification_method.partition("#")[0], True, "did:key")
        raise KeyNotResolved("unknown key")


class Lists:
    """A ``StatusSource`` over fixed documents; any other URL is unavailable."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.documents = dict(documents or {})
        self.asked: list[str] = []

    def fetch(self, url: str) -> Mapping[str, Any]:
        self.asked.append(url)
        if url not in self.documents:
            raise StatusUnavailable("connection refused")
        return self.documents[url]


def verify(
    raw: bytes | str | Mapping[str, Any],
    *,
    keys: Keys | None = None,
    status: StatusSource | None = None,
    now: datetime = NOW,
    require_status: bool = False,
    accept_unknown_status: bool = False,
    accept_key_only_issuer: bool = False,
    http_allowed: bool = False,
) -> VerificationReport:
    return verify_credential(
        raw,
        keys=keys or Keys(),
        status=status,
        contexts=pinned_contexts(),
        schemas=pinned_schemas(),
        now=now,
        require_status=require_status,
        accept_unknown_status=accept_unknown_status,
        accept_key_only_issuer=accept_key_only_issuer,
        http_allowed=http_allowed,
    )


def outcome(report: VerificationReport, name: str) -> tuple[str, str]:
    """The (outcome, reason) of the first check called ``name``."""
    for check in report.checks:
        if check.name == name:
            return check.outcome, check.reason
    raise AssertionError(f"no {name!r} check in {report.checks}")
