"""Verifying credentials on the server: this platform's own keys and status lists are read from the
store (no request to itself), everything else goes to the resolvers it was given (did:key offline,
did:web and status lists over HTTPS through the SSRF-safe gate the bootstrap wires, one deadline
per verification).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcareer.domain.credentials.multikey import decode_public_key
from microcareer.domain.credentials.verification import verify_credential
from microcareer.domain.credentials.verification_model import (
    KeySource,
    ResolvedKey,
    StatusSource,
    StatusUnavailable,
    VerificationReport,
)
from microcareer.errors import NotFound
from microcareer.services.credential_batch_verification import BatchSources
from microcareer.services.credential_issuing import Publication, credential_record, status_list_document
from microcareer.services.credential_ports import KeyVault
from microcareer.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class VerifierSources:
    """Where keys and status lists come from when they are not this platform's, and the schemas."""

    keys: KeySource
    status: StatusSource
    schemas: Mapping[str, Mapping[str, Any]]
    window: Callable[[], AbstractContextManager[object]] = nullcontext
    """Entered around one verification: its fetches share one deadline (the bootstrap's ``Outbound``)."""


class _LocalKeys:
    def __init__(self, uow: UnitOfWork, fallback: KeySource) -> None:
        self._uow, self._fallback = uow, fallback

    def resolve(self, verification_method: str) -> ResolvedKey:
        with self._uow:
            key = self._uow.credentials.key_by_verification_method(verification_method)
        if key is None:
            return self._fallback.resolve(verification_method)
        return ResolvedKey(
            decode_public_key(key.public_multikey),
            verification_method.partition("#")[0],
            is_assertion_method=key.withdrawn_at is None,
            source="trusted",
        )


class _LocalStatus:
    def __init__(
        self,
        uow: UnitOfWork,
        vault: KeyVault,
        publication: Publication,
        fallback: StatusSource,
        cache: dict[tuple[int, datetime], str] | None,
    ) -> None:
        self._uow, self._vault, self._publication = uow, vault, publication
        self._fallback, self._cache = fallback, cache
        self._prefix = publication.status_list_url(0)[:-1]

    def fetch(self, url: str) -> Mapping[str, Any]:
        if not url.startswith(self._prefix):
            return self._fallback.fetch(url)
        tail = url[len(self._prefix) :]
        if not tail.isdigit():
            raise StatusUnavailable(f"{url} is not a status list of this platform")
        try:
            text = status_list_document(
                self._uow, self._vault, list_id=int(tail), publication=self._publication, cache=self._cache
            )
        except NotFound:
            raise StatusUnavailable(f"this platform has no status list {tail}") from None
        document: dict[str, Any] = json.loads(text)
        return document


def batch_sources(
    uow: UnitOfWork,
    vault: KeyVault,
    *,
    publication: Publication,
    sources: VerifierSources,
    status_cache: dict[tuple[int, datetime], str] | None = None,
) -> BatchSources:
    """The sources :func:`verify` reads, for ``credential_batch_verification``: this platform's keys
    and status lists from the store, everything else through ``sources`` (each verification inside
    its own ``window``: one deadline for its fetches, as a single verification has)."""
    return BatchSources(
        keys=_LocalKeys(uow, sources.keys),
        status=_LocalStatus(uow, vault, publication, sources.status, status_cache),
        window=sources.window,
    )


def verify(
    uow: UnitOfWork,
    vault: KeyVault,
    *,
    raw: bytes | str | Mapping[str, Any],
    publication: Publication,
    sources: VerifierSources,
    now: datetime,
    status_cache: dict[tuple[int, datetime], str] | None = None,
    require_status: bool = False,
    accept_key_only_issuer: bool = False,
) -> VerificationReport:
    """Every check on a credential from anyone (public: verifying needs no account).

    All its outbound fetches (did:web documents, other issuers' status lists) share one deadline.
    Fails closed on status (a verdict of ``status_unknown`` when it cannot be checked); the key-only
    issuer policy is the caller's explicit choice (see ``verification_proofs``)."""
    with sources.window():
        return verify_credential(
            raw,
            keys=_LocalKeys(uow, sources.keys),
            status=_LocalStatus(uow, vault, publication, sources.status, status_cache),
            contexts=publication.contexts,
            schemas=sources.schemas,
            now=now,
            require_status=require_status,
            accept_key_only_issuer=accept_key_only_issuer,
        )


def verify_issued(
    uow: UnitOfWork,
    vault: KeyVault,
    *,
    credential_id: str,
    publication: Publication,
    sources: VerifierSources,
    now: datetime,
    status_cache: dict[tuple[int, datetime], str] | None = None,
) -> VerificationReport:
    """Verify a credential this platform issued, as any verifier would (status included)."""
    record = credential_record(uow, credential_id)
    return verify(
        uow,
        vault,
        raw=record.document,
        publication=publication,
        sources=sources,
        now=now,
        status_cache=status_cache,
        require_status=True,
    )
