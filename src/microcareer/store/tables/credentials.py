"""Microcredentials: issuers and their keys, achievements, issued credentials, status lists, wallets.

A private key is stored sealed (AES-256-GCM under a key derived from the settings' secret, bound
to the key row), never in clear. A credential is stored exactly as signed: its text is what was
handed out, so re-serialising it can never break its proof.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base, UtcDateTime


class IssuerRow(Base):
    __tablename__ = "credential_issuers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    owner_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    did: Mapped[str] = mapped_column(String(255), unique=True)
    """The issuer's DID: did:web when the server has a public HTTPS address, else the first key's did:key."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    """The name folded (``issuer_standing.name_key``): two issuers cannot pass for one another."""
    standing: Mapped[str] = mapped_column(String(16), default="unverified")
    """unverified, domain_verified or approved (docs/trust.md)."""
    verified_domain: Mapped[str | None] = mapped_column(String(253), nullable=True)
    domain_claim: Mapped[str | None] = mapped_column(String(253), nullable=True)
    """The domain it asked to prove, with ``domain_token``, until the proof is fetched."""
    domain_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    standing_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class IssuerKeyRow(Base):
    __tablename__ = "credential_issuer_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(
        ForeignKey("credential_issuers.id", ondelete="CASCADE"), index=True
    )
    public_multikey: Mapped[str] = mapped_column(String(64), unique=True)
    sealed_secret: Mapped[bytes] = mapped_column(LargeBinary)
    verification_method: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    """Set when a newer key takes over: it signs nothing new but still verifies what it signed."""
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    """Set when a key is compromised: it leaves the DID document, so nothing it signed verifies."""


class AchievementRow(Base):
    __tablename__ = "achievements"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(
        ForeignKey("credential_issuers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    criteria: Mapped[str] = mapped_column(Text)
    criteria_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    achievement_type: Mapped[str] = mapped_column(String(64))
    image_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    alignments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    results: Mapped[list[Any]] = mapped_column(JSON, default=list)
    expiry_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    proficiency: Mapped[int] = mapped_column(Integer, default=3)
    suspendable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AchievementPartRow(Base):
    """Stackability: ``part_id`` is one of the achievements that together make ``achievement_id``."""

    __tablename__ = "achievement_parts"

    achievement_id: Mapped[int] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), primary_key=True
    )
    part_id: Mapped[int] = mapped_column(ForeignKey("achievements.id", ondelete="RESTRICT"), primary_key=True)


class StatusListRow(Base):
    """A published list; its bits are never stored, so two revocations at once cannot lose one."""

    __tablename__ = "credential_status_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(
        ForeignKey("credential_issuers.id", ondelete="CASCADE"), index=True
    )
    key_id: Mapped[int] = mapped_column(
        ForeignKey("credential_issuer_keys.id", ondelete="RESTRICT"), index=True
    )
    """Each key has its own lists, signed by it: a did:key issuer's DID changes when its key rotates."""
    purpose: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    """When a bit last changed. The bits themselves are derived from ``issued_credentials``."""


class IssuedCredentialRow(Base):
    __tablename__ = "issued_credentials"
    __table_args__ = (UniqueConstraint("status_list_id", "status_index"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    """A UUID; the credential's id is ``urn:uuid:`` + it."""
    issuer_id: Mapped[int] = mapped_column(
        ForeignKey("credential_issuers.id", ondelete="RESTRICT"), index=True
    )
    achievement_id: Mapped[int] = mapped_column(
        ForeignKey("achievements.id", ondelete="RESTRICT"), index=True
    )
    key_id: Mapped[int] = mapped_column(ForeignKey("credential_issuer_keys.id", ondelete="RESTRICT"))
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    recipient_email_hash: Mapped[str | None] = mapped_column(String(80), nullable=True)
    recipient_did: Mapped[str | None] = mapped_column(String(255), nullable=True)
    recipient_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    """As the issuer entered it, for its managers; the credential itself carries only the salted hash."""
    recipient_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    proof_format: Mapped[str] = mapped_column(String(24))
    document: Mapped[str] = mapped_column(Text)
    """The credential exactly as signed: JSON with its proof, or the compact JWT."""
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    batch_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    status_list_id: Mapped[int] = mapped_column(ForeignKey("credential_status_lists.id", ondelete="RESTRICT"))
    """Its one ``credentialStatus`` entry (Open Badges 3.0 allows one): a revocation list, or a
    suspension list for achievements that may be suspended (revoking then suspends for good)."""
    status_index: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    status_reason: Mapped[str] = mapped_column(Text, default="")


class WalletEntryRow(Base):
    """A credential a person holds: issued here (by reference) or imported (as given)."""

    __tablename__ = "wallet_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_id: Mapped[str | None] = mapped_column(
        ForeignKey("issued_credentials.id", ondelete="CASCADE"), nullable=True, unique=True
    )
    source_format: Mapped[str] = mapped_column(String(16))
    """json, jwt, png, svg, ob2 (an Open Badges 2.0 assertion, kept for display)."""
    document: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    issuer_name: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    """Shown on the person's public verify page and profile."""
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="accepted")
    """pending (issued by someone else, not accepted yet: no evidence, never public) or accepted."""
