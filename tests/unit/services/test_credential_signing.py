"""Signing a batch on a process pool: the same bytes as one by one, in order, each error in its place."""

from __future__ import annotations

import json
from typing import Any

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import data_integrity, multikey
from microcareer.services.credential_signing import PARALLEL_FROM, SigningError, SigningJob, sign_documents

SEED = bytes(range(32))
PUBLIC = multikey.public_multikey_of_seed(SEED)
METHOD = multikey.did_key_verification_method(PUBLIC)


def _credential(n: int) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "id": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
        "type": ["VerifiableCredential"],
        "issuer": multikey.did_key(PUBLIC),
        "validFrom": "2026-12-05T00:00:00Z",
        "credentialSubject": {"id": f"did:example:{n}", "name": f"Learner {n}"},
    }


def test_a_large_batch_signed_on_a_pool_is_what_signing_one_by_one_gives() -> None:
    job = SigningJob(SEED, METHOD, "eddsa-rdfc-2022", "2026-12-05T00:00:00Z", pinned_contexts())
    credentials: list[dict[str, Any]] = [_credential(n) for n in range(PARALLEL_FROM)]
    credentials[7] = {**credentials[7], "proof": {"type": "x"}}  # cannot be signed: it has a proof
    pooled = sign_documents(credentials, job, workers=2)
    alone = sign_documents(credentials, job, workers=1)
    assert pooled == alone  # Ed25519 is deterministic: the same documents, in the same order
    assert isinstance(pooled[7], SigningError)
    assert "already has a proof" in pooled[7].detail
    for n in (0, 8, PARALLEL_FROM - 1):
        signed = pooled[n]
        assert isinstance(signed, str)
        document = json.loads(signed)
        assert document["id"] == credentials[n]["id"]
        data_integrity.verify_proof(
            {**document, "proof": document["proof"][0]}, multikey.public_key_of_did_key, pinned_contexts()
        )
