"""The ``Ed25519Signature2020`` proof suite (W3C CCG), still found on many Open Badges 3.0 credentials.

As in ``eddsa-rdfc-2022``: the proof options (the proof without ``proofValue``, with the document's
``@context``) and the document (without ``proof``) are each canonicalised as RDFC-1.0 N-Quads and
hashed with SHA-256; the Ed25519 signature covers ``sha256(proof options) || sha256(document)`` and
``proofValue`` is its multibase base58btc. The document's ``@context`` must name the suite's context
(``https://w3id.org/security/suites/ed25519-2020/v1``), which defines the proof's terms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from microcareer.domain.credentials import ed25519
from microcareer.domain.credentials.errors import InvalidProof
from microcareer.domain.credentials.multikey import multibase_decode, multibase_encode
from microcareer.domain.credentials.rdfc import CanonicalizationBudget, canonical_nquads

PROOF_TYPE = "Ed25519Signature2020"
SUITE_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"
_REQUIRED = ("type", "verificationMethod", "proofPurpose")
_NOT_SIGNED = ("proofValue", "jws", "signatureValue")

Contexts = Mapping[str, Mapping[str, Any]]
KeyResolver = Callable[[str], bytes]
"""Maps a ``verificationMethod`` id to the raw 32-byte Ed25519 public key it names."""


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _check_options(options: Mapping[str, Any]) -> None:
    missing = [name for name in _REQUIRED if not isinstance(options.get(name), str)]
    if missing:
        raise InvalidProof(f"proof: missing or non-string field(s) {', '.join(missing)}")
    if options["type"] != PROOF_TYPE:
        raise InvalidProof(f"proof.type: expected {PROOF_TYPE!r}, got {options['type']!r}")
    if "created" in options and not isinstance(options["created"], str):
        raise InvalidProof("proof.created: not a string")


def _check_context(document: Mapping[str, Any]) -> None:
    if SUITE_CONTEXT not in _as_list(document.get("@context")):
        raise InvalidProof(f"@context: an {PROOF_TYPE} proof needs the context {SUITE_CONTEXT}")


def _hash_data(
    document: Mapping[str, Any],
    options: Mapping[str, Any],
    contexts: Contexts,
    budget: CanonicalizationBudget | None,
) -> bytes:
    """``sha256(canonical proof options) || sha256(canonical document)``."""
    proof_options = {key: value for key, value in options.items() if key not in _NOT_SIGNED}
    proof_options["@context"] = document["@context"]
    proof_nquads = canonical_nquads(proof_options, contexts, budget=budget, what="proof")
    document_nquads = canonical_nquads(document, contexts, budget=budget, what="document")
    return hashlib.sha256(proof_nquads.encode()).digest() + hashlib.sha256(document_nquads.encode()).digest()


def create_proof_2020(
    document: Mapping[str, Any],
    options: Mapping[str, Any],
    secret_key: bytes,
    contexts: Contexts,
    *,
    budget: CanonicalizationBudget | None = None,
) -> dict[str, Any]:
    """Sign ``document`` (without a ``proof``) and return it with an ``Ed25519Signature2020`` proof.

    ``options`` is the proof without ``proofValue``: type, verificationMethod, proofPurpose and
    usually created. ``secret_key`` is the 32-byte Ed25519 seed. The suite context is appended to
    the document's ``@context`` when missing (the returned document carries it).
    """
    _check_options(options)
    if len(secret_key) != 32:
        raise InvalidProof(f"secret key: an Ed25519 seed has 32 bytes, not {len(secret_key)}")
    if "proof" in document:
        raise InvalidProof("document: already has a proof (proof sets are not supported)")
    if "@context" not in document:
        raise InvalidProof("document: no @context")
    unsigned = dict(document)
    if SUITE_CONTEXT not in _as_list(unsigned["@context"]):
        unsigned["@context"] = [*_as_list(unsigned["@context"]), SUITE_CONTEXT]
    proof = {key: value for key, value in options.items() if key not in _NOT_SIGNED and key != "@context"}
    signature = ed25519.sign(secret_key, _hash_data(unsigned, proof, contexts, budget))
    proof["proofValue"] = multibase_encode(signature)
    return {**unsigned, "proof": proof}


def verify_proof_2020(
    secured: Mapping[str, Any],
    resolve_key: KeyResolver,
    contexts: Contexts,
    *,
    budget: CanonicalizationBudget | None = None,
) -> None:
    """Verify the one ``Ed25519Signature2020`` proof of ``secured``; raise ``InvalidProof`` saying why not."""
    proof = secured.get("proof")
    if isinstance(proof, list):
        raise InvalidProof("proof: a set of several proofs is not supported")
    if not isinstance(proof, Mapping):
        raise InvalidProof("document: no proof object")
    _check_options(proof)
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str):
        raise InvalidProof("proof.proofValue: missing or not a string")
    document = {key: value for key, value in secured.items() if key != "proof"}
    _check_context(document)
    signature = multibase_decode(proof_value, what="proof.proofValue")
    if len(signature) != 64:
        raise InvalidProof(f"proof.proofValue: an Ed25519 signature has 64 bytes, not {len(signature)}")
    raw_key = resolve_key(proof["verificationMethod"])
    if len(raw_key) != 32:
        raise InvalidProof(f"{proof['verificationMethod']}: not a 32-byte Ed25519 public key")
    options = {key: value for key, value in proof.items() if key != "@context"}
    hash_data = _hash_data(document, options, contexts, budget)
    if not ed25519.verifies(raw_key, signature, hash_data):
        raise InvalidProof(
            f"proof: the signature does not verify with {proof['verificationMethod']} "
            "(the document or proof was changed, or the key is wrong)"
        )
