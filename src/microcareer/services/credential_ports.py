"""Ports of the credentials feature: its repository and the key vault that seals private keys.

Kept apart from ``ports.py`` for size; ``ports.UnitOfWork`` exposes the repository as ``credentials``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from microcareer.domain.credentials.issuer_standing import Standing
from microcareer.domain.credentials.open_badges import AchievementDefinition
from microcareer.domain.credentials.records import (
    Achievement,
    IssuedCredential,
    Issuer,
    IssuerKey,
    StatusListRecord,
    WalletEntry,
)


class KeyVault(Protocol):
    """Seals private keys for storage and opens them for signing, bound to a context string."""

    def seal(self, secret: bytes, context: str) -> bytes: ...

    def open(self, sealed: bytes, context: str) -> bytes: ...

    def derive_seed(self, purpose: str) -> bytes:
        """The platform's own signing seed for ``purpose`` (e.g. signing CLR exports)."""
        ...


class CredentialRepository(Protocol):
    """Issuers, keys, achievements, issued credentials, status lists and wallets."""

    def add_issuer(
        self,
        *,
        slug: str,
        name: str,
        url: str | None,
        email: str | None,
        description: str,
        owner_user_id: int,
        organisation_id: int | None,
        did: str,
        at: datetime,
    ) -> Issuer: ...

    def set_issuer_did(self, issuer_id: int, did: str) -> None: ...

    def get_issuer(self, issuer_id: int) -> Issuer | None: ...

    def issuer_by_slug(self, slug: str) -> Issuer | None: ...

    def issuer_by_did(self, did: str) -> Issuer | None: ...

    def issuers(self) -> list[Issuer]: ...

    def issuer_by_name(self, name: str) -> Issuer | None: ...

    def set_issuer_standing(
        self, issuer_id: int, standing: Standing, *, verified_domain: str | None, at: datetime
    ) -> None: ...

    def set_domain_challenge(self, issuer_id: int, domain: str | None, token: str | None) -> None: ...

    def domain_challenge(self, issuer_id: int) -> tuple[str, str] | None: ...

    def issued_ids_of(self, issuer_id: int) -> list[str]: ...

    def add_key(
        self,
        issuer_id: int,
        *,
        public_multikey: str,
        sealed_secret: bytes,
        verification_method: str,
        at: datetime,
    ) -> IssuerKey: ...

    def set_key_verification_method(self, key_id: int, verification_method: str) -> None: ...

    def keys(self, issuer_id: int) -> list[IssuerKey]: ...

    def key_by_verification_method(self, verification_method: str) -> IssuerKey | None: ...

    def sealed_secret(self, key_id: int) -> bytes: ...

    def retire_key(self, key_id: int, at: datetime) -> None: ...

    def withdraw_key(self, key_id: int, at: datetime) -> None: ...

    def add_achievement(
        self, issuer_id: int, definition: AchievementDefinition, *, at: datetime
    ) -> Achievement: ...

    def get_achievement(self, achievement_id: int) -> Achievement | None: ...

    def achievements(self, issuer_id: int | None = None) -> list[Achievement]: ...

    def achievements_made_of(self, part_id: int) -> list[int]: ...

    def latest_status_list(self, key_id: int, purpose: str) -> StatusListRecord | None: ...

    def add_status_list(
        self, issuer_id: int, key_id: int, purpose: str, size: int, *, at: datetime
    ) -> StatusListRecord: ...

    def get_status_list(self, list_id: int) -> StatusListRecord | None: ...

    def status_lists(self, issuer_id: int) -> list[StatusListRecord]: ...

    def used_indexes(self, list_id: int) -> set[int]: ...

    def set_indexes(self, list_id: int, purpose: str) -> list[int]: ...

    def touch_status_list(self, list_id: int, at: datetime) -> None: ...

    def add_credential(self, credential: IssuedCredential) -> None: ...

    def get_credential(self, credential_id: str) -> IssuedCredential | None: ...

    def credentials_of_issuer(
        self, issuer_id: int, *, limit: int, offset: int
    ) -> tuple[list[IssuedCredential], int]: ...

    def credentials_of_recipient(self, user_id: int) -> list[IssuedCredential]: ...

    def issued_to(self, issuer_id: int, *, email: str | None, did: str | None) -> list[IssuedCredential]:
        """What the issuer issued to this e-mail (any case) or DID, oldest first."""
        ...

    def set_credential_status(
        self, credential_id: str, *, revoked_at: datetime | None, suspended: bool, reason: str
    ) -> None: ...

    def add_wallet_entry(
        self,
        user_id: int,
        *,
        issued_id: str | None,
        source_format: str,
        document: str,
        title: str,
        issuer_name: str,
        public: bool,
        at: datetime,
        details: dict[str, Any],
        state: str = "accepted",
    ) -> WalletEntry: ...

    def wallet(self, user_id: int) -> list[WalletEntry]: ...

    def get_wallet_entry(self, entry_id: int) -> WalletEntry | None: ...

    def wallet_entry_for(self, issued_id: str) -> WalletEntry | None: ...

    def set_wallet_public(self, entry_id: int, public: bool) -> None: ...

    def set_wallet_state(self, entry_id: int, state: str) -> None: ...

    def remove_wallet_entry(self, entry_id: int) -> bool: ...
