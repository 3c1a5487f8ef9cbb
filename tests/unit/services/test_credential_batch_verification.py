"""Verifying a batch on a process pool: the same reports as one by one, in order, each whole."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest

from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.cli.credentials import verifier_sources
from microcareer.services import credential_batch_verification, credential_pool
from microcareer.services.credential_batch_verification import VerificationJob, verify_documents
from tests.unit.domain.verification_helpers import LIST_URL, Signer, credential, entry, status_list

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _inputs(signer: Signer, count: int) -> list[bytes | str]:
    """Valid, revoked, status-unknown, tampered and unreadable credentials, in turn."""
    valid = signer.sign(credential(signer.did))
    revoked = signer.sign(credential(signer.did, credentialStatus=entry("revocation", 9)))
    unknown = signer.sign(
        credential(
            signer.did,
            credentialStatus={**entry("revocation", 3), "statusListCredential": LIST_URL + "0"},
        )
    )
    tampered = {**valid, "name": "Something else"}
    kinds: list[bytes | str] = [
        json.dumps(valid),
        json.dumps(revoked).encode(),
        json.dumps(unknown),
        json.dumps(tampered),
        b"\x00 not a credential",
    ]
    return [kinds[n % len(kinds)] for n in range(count)]


def test_a_large_batch_verified_on_a_pool_gives_the_reports_of_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(credential_batch_verification, "PARALLEL_FROM", 100)  # a pool from 100 inputs
    pools: list[int] = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(credential_pool, "ProcessPoolExecutor", CountedPool)
    signer = Signer()
    lists = {LIST_URL: status_list(signer, "revocation", set_bits=(9,))}
    job = VerificationJob(
        sources=partial(verifier_sources, {}, lists, None),
        contexts=pinned_contexts(),
        schemas=pinned_schemas(),
        now=NOW,
    )
    raws = _inputs(signer, 100)
    run = credential_batch_verification.verify_batch_run(raws, job, workers=2)
    pooled = run.reports
    assert pools == [1]  # verified on the pool
    assert run.workers == 2
    alone = verify_documents(raws, job, workers=1)
    assert pools == [1]  # and in this process
    assert pooled == alone
    verdicts = [report.verdict for report in pooled[:5]]
    assert verdicts == ["valid", "invalid", "status_unknown", "invalid", "invalid"]
    assert [report.verdict for report in pooled[5:10]] == verdicts  # in order, all the way
    assert any("revoked" in check.reason for check in pooled[1].checks)
    assert any(check.name == "proof" and check.outcome == "fail" for check in pooled[3].checks)
