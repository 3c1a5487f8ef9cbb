"""Verification reports, wallet entries and stack progress as the API shows them.

An entry carries its credential (decoded from a JWT or unbaked from an image; an Open Badges 2.0
assertion as it was stored) and what was found when it was added: never any key material.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from microcareer.domain.credentials.verification_model import VerificationReport
from microcareer.services.wallet import WalletItem


class CheckPublic(BaseModel):
    name: str = Field(description="The step: format, proof, key, dates, status, schema, ...")
    outcome: str = Field(
        description="pass, fail, warn, skip, or unknown (the status check only: it could not be made)."
    )
    reason: str = Field(description="What was found, in a sentence.")


class VerificationPublic(BaseModel):
    """Every check run on one credential, and its verdict."""

    valid: bool = Field(
        description="True only when no check failed and the status was checked (or the credential has none)."
    )
    verdict: Literal["valid", "status_unknown", "invalid"] = Field(
        description="valid; status_unknown: no check failed, the signature holds, but the revocation status "
        "could not be checked (never to be read as valid); invalid: a check failed."
    )
    format: str | None = Field(
        description="How the credential came: json, jwt, png or svg (None: unreadable)."
    )
    issuer: str | None = Field(description="The issuer's id (a DID or URL), when it could be read.")
    checks: list[CheckPublic]
    credential: dict[str, Any] | None = Field(description="The credential as read (a JWT decoded).")

    @classmethod
    def of(cls, report: VerificationReport) -> VerificationPublic:
        return cls.model_validate(report.as_json())


class BatchVerdictPublic(VerificationPublic):
    """One credential of a batch: the name it was sent under, then its report."""

    name: str = Field(description="credentials[i] (its place in the request), or file name[i].")


class VerificationBatchPublic(BaseModel):
    """The report of each credential of a batch, in the order sent, and how many of each verdict."""

    results: list[BatchVerdictPublic]
    counts: dict[str, int] = Field(description="How many reports have each verdict (valid, ...).")

    @classmethod
    def of(cls, verdicts: list[tuple[str, VerificationReport]]) -> VerificationBatchPublic:
        results = [BatchVerdictPublic.model_validate({**r.as_json(), "name": n}) for n, r in verdicts]
        counts = dict.fromkeys(("valid", "status_unknown", "invalid"), 0)
        for result in results:
            counts[result.verdict] += 1
        return cls(results=results, counts=counts)


class VerifyBatchBody(BaseModel):
    """Several credentials to verify at once (documents the request body; the route reads it itself)."""

    credentials: list[dict[str, Any] | str] = Field(
        description="Up to 50 credentials: JSON objects, or strings (a VC-JWT or JSON text); 5 MiB each, "
        "10 MiB in all."
    )


class JwtBody(BaseModel):
    """A VC-JWT sent as JSON."""

    jwt: str = Field(min_length=1, description="The compact JWT (header.payload.signature).")


def _stored(item: WalletItem) -> dict[str, Any] | str | None:
    if item.credential is not None:
        return item.credential
    if item.entry.source_format != "ob2":
        return None
    try:
        document = json.loads(item.entry.document)
    except ValueError:
        return item.entry.document.strip()  # a signed (JWS) assertion
    return document if isinstance(document, dict) else item.entry.document.strip()


class WalletEntryPublic(BaseModel):
    id: int
    issued_id: str | None = Field(description="The credential's UUID when it was issued on this platform.")
    issued_status: str | None = Field(
        None, description="For a credential issued here, its status now: active, suspended or revoked."
    )
    format: str = Field(description="json, jwt (Open Badges 3.0) or ob2 (Open Badges 2.0, unverifiable).")
    title: str
    issuer_name: str
    issuer_standing: str = Field(
        description="The issuer's standing: unverified, domain_verified or approved (docs/trust.md)."
    )
    issuer_domain: str | None = Field(description="The domain the issuer proved it controls, if any.")
    shown_issuer: str = Field(description="The issuer's name with its standing and verified domain.")
    state: str = Field(
        description="pending (issued to you by someone else: accept or decline it; no evidence, never "
        "public until accepted) or accepted."
    )
    public: bool = Field(description="Shown on the person's public profile.")
    added_at: datetime
    details: dict[str, Any] = Field(description="What verifying it found when it was added.")
    credential: dict[str, Any] | str | None = Field(
        description="The credential (decoded JSON); for Open Badges 2.0 the stored assertion."
    )

    @classmethod
    def of(cls, item: WalletItem) -> WalletEntryPublic:
        entry = item.entry
        return cls(
            id=entry.id,
            issued_id=entry.issued_id,
            issued_status=item.issued_status,
            format=entry.source_format,
            title=entry.title,
            issuer_name=entry.issuer_name,
            issuer_standing=item.standing.value,
            issuer_domain=item.verified_domain,
            shown_issuer=item.shown_issuer,
            state=entry.state,
            public=entry.public,
            added_at=entry.added_at,
            details=dict(entry.details),
            credential=_stored(item),
        )


class WalletImportPublic(BaseModel):
    """The new entry and the verification it passed (None for Open Badges 2.0: not verifiable here)."""

    entry: WalletEntryPublic
    report: VerificationPublic | None


class WalletEntryUpdate(BaseModel):
    public: bool = Field(description="Show the entry on the public profile, or hide it.")


class StackProgressPublic(BaseModel):
    """A stacked achievement the person has started: the parts held and those still missing."""

    achievement_id: int
    name: str
    held: list[int] = Field(description="Ids of the parts the person holds (active credentials).")
    missing: list[int]
    complete: bool = Field(description="The person holds the stacked achievement itself.")
