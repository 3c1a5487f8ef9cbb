"""Data Integrity proofs with Ed25519: the ``eddsa-jcs-2022`` and ``eddsa-rdfc-2022`` cryptosuites.

Both follow W3C vc-di-eddsa: the proof configuration (the proof without ``proofValue``, carrying
the document's ``@context``) and the unsecured document (without ``proof``) are each canonicalised
(RFC 8785 JCS, or RDFC-1.0 N-Quads) and hashed with SHA-256; the Ed25519 signature covers
``sha256(proof configuration) || sha256(document)``, and ``proofValue`` is its multibase base58btc.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from hashlib import sha256
from typing import Any

from microcareer.domain.credentials import ed25519
from microcareer.domain.credentials.errors import InvalidProof
from microcareer.domain.credentials.jcs import canonical_json_each
from microcareer.domain.credentials.multikey import multibase_decode, multibase_encode
from microcareer.domain.credentials.rdfc import (
    CanonicalizationBudget,
    canonical_nquads,
    canonical_nquads_remembered,
)

JCS = "eddsa-jcs-2022"
RDFC = "eddsa-rdfc-2022"
CRYPTOSUITES = (JCS, RDFC)
PROOF_TYPE = "DataIntegrityProof"
_REQUIRED = ("type", "cryptosuite", "verificationMethod", "proofPurpose")

Contexts = Mapping[str, Mapping[str, Any]]
KeyResolver = Callable[[str], bytes]
"""Maps a ``verificationMethod`` id to the raw 32-byte Ed25519 public key it names."""


def _sha256(text: str | bytes) -> bytes:
    return sha256(text.encode() if isinstance(text, str) else text).digest()


def _hash_data(
    document: Mapping[str, Any],
    proof_config: Mapping[str, Any],
    contexts: Contexts,
    budget: CanonicalizationBudget | None,
) -> bytes:
    """``sha256(canonical proof configuration) || sha256(canonical unsecured document)``."""
    if proof_config["cryptosuite"] == JCS:
        # JCS's fast paths take dicts: each mapping as itself when it is one, no copy
        config = proof_config if type(proof_config) is dict else dict(proof_config)
        unsecured = document if type(document) is dict else dict(document)
        config_bytes, document_bytes = canonical_json_each(config, unsecured)
        return sha256(config_bytes).digest() + sha256(document_bytes).digest()
    # a batch's proofs share their configuration: its canonical form is remembered
    config_hash = _sha256(canonical_nquads_remembered(proof_config, contexts, budget=budget, what="proof"))
    document_hash = _sha256(canonical_nquads(document, contexts, budget=budget, what="document"))
    return config_hash + document_hash


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _check_options(options: Mapping[str, Any]) -> None:
    if not (
        type(options.get("type")) is str
        and type(options.get("cryptosuite")) is str
        and type(options.get("verificationMethod")) is str
        and type(options.get("proofPurpose")) is str
    ):  # the common case in one test; the message below names what is wrong
        missing = [name for name in _REQUIRED if not isinstance(options.get(name), str)]
        if missing:
            raise InvalidProof(f"proof: missing or non-string field(s) {', '.join(missing)}")
    if options["type"] != PROOF_TYPE:
        raise InvalidProof(f"proof.type: expected {PROOF_TYPE!r}, got {options['type']!r}")
    if options["cryptosuite"] not in CRYPTOSUITES:
        raise InvalidProof(
            f"proof.cryptosuite: {options['cryptosuite']!r} is not one of {', '.join(CRYPTOSUITES)}"
        )


def _proof_config(document: Mapping[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    config = dict(options)
    config.pop("proofValue", None)
    if "@context" in document:
        config["@context"] = document["@context"]
    return config


def create_proof(
    document: Mapping[str, Any],
    options: Mapping[str, Any],
    secret_key: bytes,
    contexts: Contexts,
    *,
    budget: CanonicalizationBudget | None = None,
) -> dict[str, Any]:
    """Sign ``document`` (without a ``proof``) and return it with ``proof`` added.

    ``options`` is the proof without ``proofValue``: type, cryptosuite, verificationMethod,
    proofPurpose and optionally created, expires, domain, challenge, nonce. ``secret_key`` is the
    32-byte Ed25519 seed. For ``eddsa-jcs-2022`` the proof keeps its ``@context`` when ``options``
    has one, as the specification's example does.
    """
    _check_options(options)
    if "proof" in document:
        raise InvalidProof("document: already has a proof (proof sets are not supported)")
    if len(secret_key) != ed25519.SEED_BYTES:
        raise InvalidProof(f"secret key: an Ed25519 seed has 32 bytes, not {len(secret_key)}")
    signature = ed25519.sign(
        secret_key, _hash_data(document, _proof_config(document, options), contexts, budget)
    )
    proof = {key: value for key, value in options.items() if key != "proofValue"}
    if options["cryptosuite"] == RDFC:
        proof.pop("@context", None)
    proof["proofValue"] = multibase_encode(signature)
    return {**document, "proof": proof}


def verify_proof(
    secured: Mapping[str, Any],
    resolve_key: KeyResolver,
    contexts: Contexts,
    *,
    budget: CanonicalizationBudget | None = None,
) -> None:
    """Verify the one Data Integrity proof of ``secured``; raise ``InvalidProof`` saying why not."""
    proof = secured.get("proof")
    if isinstance(proof, list) and len(proof) == 1:  # a proof set of one (as Open Badges 3.0 writes it)
        proof = proof[0]
    if not isinstance(proof, Mapping):
        raise InvalidProof("document: no proof object (or a set of more than one proof)")
    _check_options(proof)
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str):
        raise InvalidProof("proof.proofValue: missing or not a string")
    document = dict(secured)  # a copy in C; then without its proof
    del document["proof"]
    if "@context" in proof:
        document_context = document.get("@context")
        proof_context = proof["@context"]
        expected = _as_list(proof_context)
        if _as_list(document_context)[: len(expected)] != expected:
            raise InvalidProof("proof.@context: the document's @context does not start with it")
        document["@context"] = proof_context
    signature = multibase_decode(proof_value, what="proof.proofValue")
    if len(signature) != 64:
        raise InvalidProof(f"proof.proofValue: an Ed25519 signature has 64 bytes, not {len(signature)}")
    public_key = resolve_key(proof["verificationMethod"])
    if len(public_key) != ed25519.PUBLIC_KEY_BYTES:
        raise InvalidProof(f"{proof['verificationMethod']}: not a 32-byte Ed25519 public key")
    config = _proof_config(document, proof)
    if config["cryptosuite"] == JCS:  # both are dicts built here: straight to the canonical bytes
        config_bytes, document_bytes = canonical_json_each(config, document)
        hash_data = sha256(config_bytes).digest() + sha256(document_bytes).digest()
    else:
        hash_data = _hash_data(document, config, contexts, budget)
    if not ed25519.verifies(public_key, signature, hash_data):
        raise InvalidProof(
            f"proof: the signature does not verify with {proof['verificationMethod']} "
            "(the document or proof was changed, or the key is wrong)"
        )
