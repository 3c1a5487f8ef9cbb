"""What the platform keeps about issuers, keys, achievements, issued credentials and wallets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from microcareer.domain.credentials.issuer_standing import Standing, display_name
from microcareer.domain.credentials.open_badges import AchievementDefinition, IssuerProfile


@dataclass(frozen=True, slots=True)
class Issuer:
    id: int
    slug: str
    name: str
    url: str | None
    email: str | None
    description: str
    owner_user_id: int
    organisation_id: int | None
    did: str
    created_at: datetime
    standing: Standing = Standing.UNVERIFIED
    verified_domain: str | None = None
    """The domain it proved it controls (kept when a platform admin approves it)."""

    def profile(self) -> IssuerProfile:
        return IssuerProfile(self.did, self.name, self.url, self.email, self.description)

    @property
    def shown_name(self) -> str:
        """Its name with its standing and verified domain, as every page and answer shows it."""
        return display_name(self.name, self.standing, self.verified_domain)


@dataclass(frozen=True, slots=True)
class IssuerKey:
    """A signing key; the sealed secret stays in the services layer and never goes out."""

    id: int
    issuer_id: int
    public_multikey: str
    verification_method: str
    created_at: datetime
    retired_at: datetime | None = None
    withdrawn_at: datetime | None = None

    @property
    def state(self) -> str:
        if self.withdrawn_at is not None:
            return "withdrawn"
        return "retired" if self.retired_at is not None else "active"


@dataclass(frozen=True, slots=True)
class Achievement:
    id: int
    issuer_id: int
    definition: AchievementDefinition
    created_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedCredential:
    """An issued credential's record: the signed document and where its status bits are."""

    id: str
    issuer_id: int
    achievement_id: int
    key_id: int
    recipient_user_id: int | None
    recipient_email_hash: str | None
    recipient_did: str | None
    proof_format: str
    document: str
    issued_at: datetime
    valid_until: datetime | None
    status_list_id: int
    status_index: int
    status_purpose: str
    """``revocation``, or ``suspension`` for an achievement that may be suspended."""
    batch_id: str | None = None
    revoked_at: datetime | None = None
    suspended: bool = False
    status_reason: str = ""
    recipient_email: str | None = None
    """The e-mail address as the issuer entered it (the credential carries only its salted hash); shown
    to the issuer's managers only, so that they recognise whom they issued to."""
    recipient_name: str | None = None
    """The name the issuer entered; kept out of the credential, shown to its managers only."""

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "suspended" if self.suspended else "active"


@dataclass(frozen=True, slots=True)
class StatusListRecord:
    id: int
    issuer_id: int
    key_id: int
    purpose: str
    size: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class WalletEntry:
    id: int
    user_id: int
    issued_id: str | None
    source_format: str
    document: str
    title: str
    issuer_name: str
    public: bool
    added_at: datetime
    details: dict[str, Any] = field(default_factory=dict)
    state: str = "accepted"
    """``pending``: issued to this person by someone else and not accepted yet (no evidence, never
    public); ``accepted``: the holder took it (or brought it in themselves)."""
