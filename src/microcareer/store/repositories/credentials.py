"""Issuers, keys, achievements, issued credentials, status lists and wallets in the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from microcareer.domain.credentials.issuer_standing import Standing, name_key
from microcareer.domain.credentials.open_badges import AchievementDefinition, ResultSpec, SkillAlignment
from microcareer.domain.credentials.records import (
    Achievement,
    IssuedCredential,
    Issuer,
    IssuerKey,
    StatusListRecord,
    WalletEntry,
)
from microcareer.store.tables.credentials import (
    AchievementPartRow,
    AchievementRow,
    IssuedCredentialRow,
    IssuerKeyRow,
    IssuerRow,
    StatusListRow,
    WalletEntryRow,
)


def _issuer(row: IssuerRow) -> Issuer:
    return Issuer(
        row.id,
        row.slug,
        row.name,
        row.url,
        row.email,
        row.description,
        row.owner_user_id,
        row.organisation_id,
        row.did,
        row.created_at,
        Standing(row.standing),
        row.verified_domain,
    )


def _key(row: IssuerKeyRow) -> IssuerKey:
    return IssuerKey(
        row.id,
        row.issuer_id,
        row.public_multikey,
        row.verification_method,
        row.created_at,
        row.retired_at,
        row.withdrawn_at,
    )


def _credential(row: IssuedCredentialRow, purpose: str) -> IssuedCredential:
    return IssuedCredential(
        id=row.id,
        issuer_id=row.issuer_id,
        achievement_id=row.achievement_id,
        key_id=row.key_id,
        recipient_user_id=row.recipient_user_id,
        recipient_email_hash=row.recipient_email_hash,
        recipient_did=row.recipient_did,
        proof_format=row.proof_format,
        document=row.document,
        issued_at=row.issued_at,
        valid_until=row.valid_until,
        status_list_id=row.status_list_id,
        status_index=row.status_index,
        status_purpose=purpose,
        batch_id=row.batch_id,
        revoked_at=row.revoked_at,
        suspended=row.suspended,
        status_reason=row.status_reason,
        recipient_email=row.recipient_email,
        recipient_name=row.recipient_name,
    )


def _wallet(row: WalletEntryRow) -> WalletEntry:
    return WalletEntry(
        row.id,
        row.user_id,
        row.issued_id,
        row.source_format,
        row.document,
        row.title,
        row.issuer_name,
        row.public,
        row.added_at,
        dict(row.details or {}),
        row.state,
    )


class SqlAlchemyCredentialRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # issuers and keys

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
    ) -> Issuer:
        row = IssuerRow(
            slug=slug,
            name=name,
            url=url,
            email=email,
            description=description,
            owner_user_id=owner_user_id,
            organisation_id=organisation_id,
            did=did,
            created_at=at,
            name_key=name_key(name),
            standing=Standing.UNVERIFIED.value,
        )
        self.session.add(row)
        self.session.flush()
        return _issuer(row)

    def issuer_by_name(self, name: str) -> Issuer | None:
        """The issuer whose name folds to the same key (``issuer_standing.name_key``), if any."""
        row = self.session.scalars(select(IssuerRow).where(IssuerRow.name_key == name_key(name))).first()
        return None if row is None else _issuer(row)

    def set_issuer_standing(
        self, issuer_id: int, standing: Standing, *, verified_domain: str | None, at: datetime
    ) -> None:
        self.session.execute(
            update(IssuerRow)
            .where(IssuerRow.id == issuer_id)
            .values(standing=standing.value, verified_domain=verified_domain, standing_changed_at=at)
        )

    def set_domain_challenge(self, issuer_id: int, domain: str | None, token: str | None) -> None:
        self.session.execute(
            update(IssuerRow).where(IssuerRow.id == issuer_id).values(domain_claim=domain, domain_token=token)
        )

    def domain_challenge(self, issuer_id: int) -> tuple[str, str] | None:
        """The domain the issuer is proving and the token it must serve there, while it proves it."""
        row = self.session.get(IssuerRow, issuer_id)
        if row is None or row.domain_claim is None or row.domain_token is None:
            return None
        return row.domain_claim, row.domain_token

    def issued_ids_of(self, issuer_id: int) -> list[str]:
        query = select(IssuedCredentialRow.id).where(IssuedCredentialRow.issuer_id == issuer_id)
        return list(self.session.scalars(query))

    def set_issuer_did(self, issuer_id: int, did: str) -> None:
        self.session.execute(update(IssuerRow).where(IssuerRow.id == issuer_id).values(did=did))

    def get_issuer(self, issuer_id: int) -> Issuer | None:
        row = self.session.get(IssuerRow, issuer_id)
        return None if row is None else _issuer(row)

    def issuer_by_slug(self, slug: str) -> Issuer | None:
        row = self.session.scalars(select(IssuerRow).where(IssuerRow.slug == slug)).first()
        return None if row is None else _issuer(row)

    def issuer_by_did(self, did: str) -> Issuer | None:
        row = self.session.scalars(select(IssuerRow).where(IssuerRow.did == did)).first()
        return None if row is None else _issuer(row)

    def issuers(self) -> list[Issuer]:
        return [_issuer(r) for r in self.session.scalars(select(IssuerRow).order_by(IssuerRow.id))]

    def add_key(
        self,
        issuer_id: int,
        *,
        public_multikey: str,
        sealed_secret: bytes,
        verification_method: str,
        at: datetime,
    ) -> IssuerKey:
        row = IssuerKeyRow(
            issuer_id=issuer_id,
            public_multikey=public_multikey,
            sealed_secret=sealed_secret,
            verification_method=verification_method,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return _key(row)

    def set_key_verification_method(self, key_id: int, verification_method: str) -> None:
        self.session.execute(
            update(IssuerKeyRow)
            .where(IssuerKeyRow.id == key_id)
            .values(verification_method=verification_method)
        )

    def keys(self, issuer_id: int) -> list[IssuerKey]:
        query = select(IssuerKeyRow).where(IssuerKeyRow.issuer_id == issuer_id).order_by(IssuerKeyRow.id)
        return [_key(r) for r in self.session.scalars(query)]

    def key_by_verification_method(self, verification_method: str) -> IssuerKey | None:
        query = select(IssuerKeyRow).where(IssuerKeyRow.verification_method == verification_method)
        row = self.session.scalars(query).first()
        return None if row is None else _key(row)

    def sealed_secret(self, key_id: int) -> bytes:
        row = self.session.get(IssuerKeyRow, key_id)
        if row is None:
            raise LookupError(f"no key {key_id}")
        return bytes(row.sealed_secret)

    def retire_key(self, key_id: int, at: datetime) -> None:
        self.session.execute(
            update(IssuerKeyRow)
            .where(IssuerKeyRow.id == key_id, IssuerKeyRow.retired_at.is_(None))
            .values(retired_at=at)
        )

    def withdraw_key(self, key_id: int, at: datetime) -> None:
        self.session.execute(
            update(IssuerKeyRow)
            .where(IssuerKeyRow.id == key_id, IssuerKeyRow.withdrawn_at.is_(None))
            .values(withdrawn_at=at)
        )

    # achievements

    def add_achievement(
        self, issuer_id: int, definition: AchievementDefinition, *, at: datetime
    ) -> Achievement:
        row = AchievementRow(
            issuer_id=issuer_id,
            name=definition.name,
            description=definition.description,
            criteria=definition.criteria,
            criteria_url=definition.criteria_url,
            achievement_type=definition.achievement_type,
            image_url=definition.image_url,
            alignments=[asdict(a) for a in definition.alignments],
            results=[asdict(r) for r in definition.results],
            expiry_days=definition.expiry_days,
            proficiency=definition.proficiency,
            suspendable=definition.suspendable,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        for part in definition.parts:
            self.session.add(AchievementPartRow(achievement_id=row.id, part_id=part))
        self.session.flush()
        return Achievement(row.id, issuer_id, definition, at)

    def _parts(self, ids: Sequence[int]) -> dict[int, list[int]]:
        parts: dict[int, list[int]] = {}
        if ids:
            query = (
                select(AchievementPartRow)
                .where(AchievementPartRow.achievement_id.in_(ids))
                .order_by(AchievementPartRow.part_id)
            )
            for link in self.session.scalars(query):
                parts.setdefault(link.achievement_id, []).append(link.part_id)
        return parts

    def _achievement(self, row: AchievementRow, parts: Sequence[int]) -> Achievement:
        definition = AchievementDefinition(
            name=row.name,
            description=row.description,
            criteria=row.criteria,
            achievement_type=row.achievement_type,
            image_url=row.image_url,
            criteria_url=row.criteria_url,
            alignments=tuple(SkillAlignment(**a) for a in row.alignments),
            results=tuple(ResultSpec(**r) for r in row.results),
            expiry_days=row.expiry_days,
            proficiency=row.proficiency,
            suspendable=row.suspendable,
            parts=tuple(parts),
        )
        return Achievement(row.id, row.issuer_id, definition, row.created_at)

    def get_achievement(self, achievement_id: int) -> Achievement | None:
        row = self.session.get(AchievementRow, achievement_id)
        if row is None:
            return None
        return self._achievement(row, self._parts([row.id]).get(row.id, []))

    def achievements(self, issuer_id: int | None = None) -> list[Achievement]:
        query = select(AchievementRow).order_by(AchievementRow.id)
        if issuer_id is not None:
            query = query.where(AchievementRow.issuer_id == issuer_id)
        rows = list(self.session.scalars(query))
        parts = self._parts([r.id for r in rows])
        return [self._achievement(r, parts.get(r.id, [])) for r in rows]

    def achievements_made_of(self, part_id: int) -> list[int]:
        query = select(AchievementPartRow.achievement_id).where(AchievementPartRow.part_id == part_id)
        return list(self.session.scalars(query))

    # status lists

    def latest_status_list(self, key_id: int, purpose: str) -> StatusListRecord | None:
        query = (
            select(StatusListRow)
            .where(StatusListRow.key_id == key_id, StatusListRow.purpose == purpose)
            .order_by(StatusListRow.id.desc())
        )
        row = self.session.scalars(query).first()
        return None if row is None else self._status_list(row)

    def add_status_list(
        self, issuer_id: int, key_id: int, purpose: str, size: int, *, at: datetime
    ) -> StatusListRecord:
        row = StatusListRow(issuer_id=issuer_id, key_id=key_id, purpose=purpose, size=size, updated_at=at)
        self.session.add(row)
        self.session.flush()
        return self._status_list(row)

    def get_status_list(self, list_id: int) -> StatusListRecord | None:
        row = self.session.get(StatusListRow, list_id)
        return None if row is None else self._status_list(row)

    def status_lists(self, issuer_id: int) -> list[StatusListRecord]:
        query = select(StatusListRow).where(StatusListRow.issuer_id == issuer_id).order_by(StatusListRow.id)
        return [self._status_list(r) for r in self.session.scalars(query)]

    @staticmethod
    def _status_list(row: StatusListRow) -> StatusListRecord:
        return StatusListRecord(row.id, row.issuer_id, row.key_id, row.purpose, row.size, row.updated_at)

    def used_indexes(self, list_id: int) -> set[int]:
        query = select(IssuedCredentialRow.status_index).where(IssuedCredentialRow.status_list_id == list_id)
        return set(self.session.scalars(query))

    def set_indexes(self, list_id: int, purpose: str) -> list[int]:
        """The indexes whose bit is set: revoked credentials, and on a suspension list suspended ones too."""
        query = select(IssuedCredentialRow.status_index).where(IssuedCredentialRow.status_list_id == list_id)
        if purpose == "revocation":
            query = query.where(IssuedCredentialRow.revoked_at.is_not(None))
        else:
            query = query.where(
                or_(IssuedCredentialRow.revoked_at.is_not(None), IssuedCredentialRow.suspended.is_(True))
            )
        return sorted(self.session.scalars(query))

    def touch_status_list(self, list_id: int, at: datetime) -> None:
        self.session.execute(update(StatusListRow).where(StatusListRow.id == list_id).values(updated_at=at))

    # issued credentials

    def add_credential(self, credential: IssuedCredential) -> None:
        fields = asdict(credential)
        fields.pop("status_purpose")
        self.session.add(IssuedCredentialRow(**fields))
        self.session.flush()

    def _credentials(self, rows: Sequence[IssuedCredentialRow]) -> list[IssuedCredential]:
        ids = {r.status_list_id for r in rows}
        query = select(StatusListRow.id, StatusListRow.purpose).where(StatusListRow.id.in_(ids))
        purposes: dict[int, str] = {}
        for list_id, purpose in self.session.execute(query):
            purposes[list_id] = purpose
        return [_credential(r, purposes[r.status_list_id]) for r in rows]

    def get_credential(self, credential_id: str) -> IssuedCredential | None:
        row = self.session.get(IssuedCredentialRow, credential_id)
        return None if row is None else self._credentials([row])[0]

    def credentials_of_issuer(
        self, issuer_id: int, *, limit: int, offset: int
    ) -> tuple[list[IssuedCredential], int]:
        base = select(IssuedCredentialRow).where(IssuedCredentialRow.issuer_id == issuer_id)
        total = self.session.scalar(select(func.count()).select_from(base.subquery())) or 0
        rows = self.session.scalars(
            base.order_by(IssuedCredentialRow.issued_at.desc(), IssuedCredentialRow.id)
            .limit(limit)
            .offset(offset)
        ).all()
        return self._credentials(rows), total

    def credentials_of_recipient(self, user_id: int) -> list[IssuedCredential]:
        query = (
            select(IssuedCredentialRow)
            .where(IssuedCredentialRow.recipient_user_id == user_id)
            .order_by(IssuedCredentialRow.issued_at)
        )
        return self._credentials(self.session.scalars(query).all())

    def issued_to(self, issuer_id: int, *, email: str | None, did: str | None) -> list[IssuedCredential]:
        query = select(IssuedCredentialRow).where(IssuedCredentialRow.issuer_id == issuer_id)
        if email is not None:
            query = query.where(func.lower(IssuedCredentialRow.recipient_email) == email.strip().lower())
        elif did is not None:
            query = query.where(IssuedCredentialRow.recipient_did == did.strip())
        else:
            return []
        rows = self.session.scalars(query.order_by(IssuedCredentialRow.issued_at, IssuedCredentialRow.id))
        return self._credentials(rows.all())

    def set_credential_status(
        self, credential_id: str, *, revoked_at: datetime | None, suspended: bool, reason: str
    ) -> None:
        self.session.execute(
            update(IssuedCredentialRow)
            .where(IssuedCredentialRow.id == credential_id)
            .values(revoked_at=revoked_at, suspended=suspended, status_reason=reason)
        )

    # wallets

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
    ) -> WalletEntry:
        row = WalletEntryRow(
            state=state,
            user_id=user_id,
            issued_id=issued_id,
            source_format=source_format,
            document=document,
            title=title,
            issuer_name=issuer_name,
            public=public,
            added_at=at,
            details=details,
        )
        self.session.add(row)
        self.session.flush()
        return _wallet(row)

    def wallet(self, user_id: int) -> list[WalletEntry]:
        query = select(WalletEntryRow).where(WalletEntryRow.user_id == user_id).order_by(WalletEntryRow.id)
        return [_wallet(r) for r in self.session.scalars(query)]

    def get_wallet_entry(self, entry_id: int) -> WalletEntry | None:
        row = self.session.get(WalletEntryRow, entry_id)
        return None if row is None else _wallet(row)

    def wallet_entry_for(self, issued_id: str) -> WalletEntry | None:
        row = self.session.scalars(
            select(WalletEntryRow).where(WalletEntryRow.issued_id == issued_id)
        ).first()
        return None if row is None else _wallet(row)

    def set_wallet_public(self, entry_id: int, public: bool) -> None:
        self.session.execute(
            update(WalletEntryRow).where(WalletEntryRow.id == entry_id).values(public=public)
        )

    def set_wallet_state(self, entry_id: int, state: str) -> None:
        self.session.execute(update(WalletEntryRow).where(WalletEntryRow.id == entry_id).values(state=state))

    def remove_wallet_entry(self, entry_id: int) -> bool:
        row = self.session.get(WalletEntryRow, entry_id)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True
