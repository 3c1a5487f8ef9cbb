"""Signing many credentials at once, on every core when the batch is large enough to pay for it.

Signing is pure computation (JSON-LD expansion, RDFC-1.0 or JCS, Ed25519), so a large batch is
split over a process pool: each worker is forked from the fork server that preloads the credential
modules (``credential_pool``: never plain ``fork`` of this process, so no lock held by a server
thread is copied into it), set up once with the key and contexts, then signs chunks of documents;
this process signs chunks too, from the start (``map_chunks``), so ``workers`` cores are this
process and ``workers - 1`` pool workers.
Results come back in the order of the documents; a document that cannot be signed gives its error
in its place, so the caller can report every bad row and keep a batch all or nothing. Below
``PARALLEL_FROM`` documents, or with one core, everything is signed in this process.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from microcareer.domain.credentials import data_integrity, vc_jwt
from microcareer.errors import MicrocareerError
from microcareer.services.credential_pool import WorkerClock, map_chunks, worker_clock

ProofFormat = Literal["eddsa-rdfc-2022", "eddsa-jcs-2022", "jwt"]
Contexts = Mapping[str, Mapping[str, Any]]
PARALLEL_FROM = 200
"""Batches of at least this many documents are signed on a process pool (the fork server's first
start costs a few tenths of a second of imports; each worker then starts in milliseconds)."""
CHUNK = 50


@dataclass(frozen=True, slots=True)
class SigningJob:
    """What every document of a batch is signed with."""

    seed: bytes
    verification_method: str
    proof_format: ProofFormat
    created: str
    """``xsd:dateTime`` of the proofs."""
    contexts: Contexts
    as_proof_set: bool = True


@dataclass(frozen=True, slots=True)
class SigningError:
    """Why one document was not signed: the field and message of the error it raised."""

    field: str
    detail: str


def sign_document(credential: Mapping[str, Any], job: SigningJob) -> str:
    """The signed credential as text: a compact JWT, or JSON with a Data Integrity proof."""
    if job.proof_format == "jwt":
        return vc_jwt.encode_jwt_credential(credential, job.seed, job.verification_method)
    options = {
        "type": data_integrity.PROOF_TYPE,
        "cryptosuite": job.proof_format,
        "created": job.created,
        "verificationMethod": job.verification_method,
        "proofPurpose": "assertionMethod",
    }
    signed = data_integrity.create_proof(credential, options, job.seed, job.contexts)
    if job.as_proof_set:  # Open Badges 3.0 writes ``proof`` as an array (its JSON Schema requires it)
        signed["proof"] = [signed["proof"]]
    return json.dumps(signed, ensure_ascii=False, indent=2)


def _sign_or_error(credential: Mapping[str, Any], job: SigningJob) -> str | SigningError:
    try:
        return sign_document(credential, job)
    except MicrocareerError as error:
        return SigningError(str(error.extra.get("field", "")), error.detail)


_WORKER_JOB: SigningJob | None = None


def _start_worker(job: SigningJob) -> None:
    global _WORKER_JOB  # one job per worker process, set once when it starts
    _WORKER_JOB = job


def _sign_chunk(credentials: Sequence[Mapping[str, Any]]) -> tuple[list[str | SigningError], WorkerClock]:
    assert _WORKER_JOB is not None, "the pool's initializer sets the job"
    return [_sign_or_error(credential, _WORKER_JOB) for credential in credentials], worker_clock()


def usable_cores() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def sign_documents(
    credentials: Sequence[Mapping[str, Any]], job: SigningJob, *, workers: int | None = None
) -> list[str | SigningError]:
    """Each credential signed (or the error that stopped it), in order, on up to ``workers`` cores."""
    workers = min(workers or usable_cores(), max(1, len(credentials) // CHUNK))
    if len(credentials) < PARALLEL_FROM or workers < 2:
        return [_sign_or_error(credential, job) for credential in credentials]
    chunks = [credentials[start : start + CHUNK] for start in range(0, len(credentials), CHUNK)]
    portable = replace(job, contexts={url: dict(document) for url, document in job.contexts.items()})
    signed, _ = map_chunks(
        chunks,
        lambda chunk: [_sign_or_error(credential, job) for credential in chunk],
        _sign_chunk,
        workers=workers,
        initializer=_start_worker,
        initargs=(portable,),
    )
    return [result for chunk in signed for result in chunk]
