"""The key and proof checks: who signed, with which key, and whether the signature holds.

A key must be controlled by the credential's issuer and listed as one of its ``assertionMethod``s,
and an embedded proof's ``proofPurpose`` must be ``assertionMethod``. The key is resolved before the
signature is checked, so a key problem and a signature problem are reported apart.

Key-only issuers: several published credentials name an ``urn:uuid`` or ``https`` issuer and are
signed by a ``did:key`` that issuer does not list. By default that key is refused (nothing ties it
to the issuer). A verifier may choose to accept an issuer identified only by its key (the policy
``key_only``): the key check is then a warning that says so, never a pass, and only for a did:key
and an issuer whose id is not a DID (a DID issuer's own keys are in its DID document).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from microcareer.domain.credentials import data_integrity
from microcareer.domain.credentials.ed25519_signature_2020 import verify_proof_2020
from microcareer.domain.credentials.rdfc import CanonicalizationBudget
from microcareer.domain.credentials.verification_model import Check, KeySource, ResolvedKey
from microcareer.errors import MicrocareerError

DATA_INTEGRITY = "DataIntegrityProof"
ED25519_2020 = "Ed25519Signature2020"
PROOF_TYPES = (DATA_INTEGRITY, ED25519_2020)
ASSERTION = "assertionMethod"
KEY_ONLY_HINT = "accept an issuer identified only by its did:key with the key-only issuer policy"

KeyOnly = bool | str
"""The key-only issuer policy: False refuses; True accepts any did:key; a DID accepts that one only."""

Contexts = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class ProofChecks:
    key: Check
    proof: Check
    signer: str | None = None
    """The controller of the key that signed (None when it was not resolved)."""

    @property
    def passed(self) -> bool:
        """The signature holds and the key is the issuer's (or accepted under the key-only policy)."""
        return self.key.outcome in ("pass", "warn") and self.proof.outcome == "pass"

    def first_failure(self) -> str:
        for check in (self.key, self.proof):
            if check.outcome not in ("pass", "warn"):
                return check.reason
        return ""


def _key_only_accepted(resolved: ResolvedKey, issuer: str | None, key_only: KeyOnly) -> bool:
    if key_only is False or resolved.source != "did:key" or issuer is None or issuer.startswith("did:"):
        return False
    return key_only is True or key_only == resolved.controller


def check_key(
    verification_method: str,
    issuer: str | None,
    keys: KeySource,
    *,
    purpose: str | None,
    key_only: KeyOnly = False,
) -> tuple[Check, ResolvedKey | None]:
    """Resolve the key and check that it is the issuer's and may assert credentials.

    ``purpose`` is the proof's ``proofPurpose``; None for a JWT, which has none. ``key_only``: the
    key-only issuer policy (see the module's docstring).
    """
    try:
        resolved = keys.resolve(verification_method)
    except MicrocareerError as error:
        return Check("key", "fail", f"{verification_method}: {error}"), None
    if purpose is not None and purpose != ASSERTION:
        return Check("key", "fail", f"proofPurpose is {purpose!r}, not {ASSERTION!r}"), resolved
    if issuer is None or resolved.controller != issuer:
        if _key_only_accepted(resolved, issuer, key_only):
            return (
                Check(
                    "key",
                    "warn",
                    f"{verification_method} is a did:key that the issuer {issuer} does not list; accepted "
                    "by the key-only issuer policy: the issuer is identified only by this key",
                ),
                resolved,
            )
        hint = (
            f" (a verifier may {KEY_ONLY_HINT})"
            if resolved.source == "did:key" and issuer is not None and not issuer.startswith("did:")
            else ""
        )
        return (
            Check(
                "key",
                "fail",
                f"{verification_method} is controlled by {resolved.controller}, not by the issuer {issuer}"
                + hint,
            ),
            resolved,
        )
    if not resolved.is_assertion_method:
        return (
            Check("key", "fail", f"{verification_method} is not an assertionMethod of {resolved.controller}"),
            resolved,
        )
    if resolved.source == "did:web over http":
        return (
            Check(
                "key",
                "warn",
                f"{verification_method} is an assertionMethod of the issuer, but its DID document came "
                "over plain http:// (allowed for local development), not authenticated",
            ),
            resolved,
        )
    return (
        Check(
            "key", "pass", f"{verification_method} ({resolved.source}) is an assertionMethod of the issuer"
        ),
        resolved,
    )


def _single_proof(document: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str]:
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            return None, f"{len(proof)} proofs: only a single proof is supported"
        proof = proof[0]
    if not isinstance(proof, Mapping):
        return None, "no proof: the document is not signed"
    return dict(proof), ""


def check_embedded_proof(
    document: Mapping[str, Any],
    issuer: str | None,
    keys: KeySource,
    contexts: Contexts,
    *,
    budget: CanonicalizationBudget | None = None,
    key_only: KeyOnly = False,
) -> ProofChecks:
    """Check the one embedded proof of ``document`` (Data Integrity EdDSA or Ed25519Signature2020)."""
    proof, problem = _single_proof(document)
    if proof is None:
        return ProofChecks(Check("key", "skip", "not checked: no proof"), Check("proof", "fail", problem))
    kind = proof.get("type")
    if kind not in PROOF_TYPES:
        return ProofChecks(
            Check("key", "skip", "not checked: unknown proof type"),
            Check(
                "proof",
                "fail",
                f"unknown proof type {kind!r} (supported: DataIntegrityProof with eddsa-rdfc-2022 or "
                "eddsa-jcs-2022, and Ed25519Signature2020)",
            ),
        )
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or not method:
        return ProofChecks(
            Check("key", "fail", "proof.verificationMethod: missing or not a string"),
            Check("proof", "skip", "not checked: no key"),
        )
    purpose = proof.get("proofPurpose")
    key_check, resolved = check_key(
        method, issuer, keys, purpose=purpose if isinstance(purpose, str) else "", key_only=key_only
    )
    if resolved is None:
        return ProofChecks(key_check, Check("proof", "skip", "not checked: the key was not resolved"))
    single = {**document, "proof": proof}
    try:
        if kind == DATA_INTEGRITY:
            data_integrity.verify_proof(single, lambda _method: resolved.public_key, contexts, budget=budget)
            label = f"{kind} ({proof.get('cryptosuite')})"
        else:
            verify_proof_2020(single, lambda _method: resolved.public_key, contexts, budget=budget)
            label = str(kind)
    except MicrocareerError as error:
        return ProofChecks(key_check, Check("proof", "fail", str(error)), resolved.controller)
    return ProofChecks(
        key_check, Check("proof", "pass", f"the {label} signature verifies"), resolved.controller
    )
