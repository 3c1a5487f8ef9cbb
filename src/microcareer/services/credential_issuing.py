"""Issuing Open Badges 3.0 credentials, one or a batch (all or nothing), and changing their status.

Each credential gets a random bit in its key's revocation list and another in its suspension list,
is signed with the issuer's active key (``eddsa-rdfc-2022``, ``eddsa-jcs-2022`` or a JWT), and is
stored exactly as signed. When the recipient has an account (the e-mail matches) and the issuer's
standing allows it (its domain verified or approved: docs/trust.md), the credential goes into their
wallet as *pending*; only when the holder accepts it does each aligned skill get ``credential``
evidence, weighted by the issuer's standing (``services.wallet.accept_entry``). Revoking or
suspending takes that evidence away again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issue_rows import IssueRequest, RowError, reject
from microcareer.domain.credentials.issuer_standing import evidence_terms, may_deliver
from microcareer.domain.credentials.open_badges import (
    achievement_document,
    email_identity_hash,
    new_salt,
    open_badge_credential,
    valid_until,
    xsd_datetime,
)
from microcareer.domain.credentials.records import Achievement, IssuedCredential, Issuer, StatusListRecord
from microcareer.domain.credentials.status_list import (
    MIN_ENTRIES,
    PURPOSES,
    REVOCATION,
    SUSPENSION,
    StatusList,
    allocate_index,
    status_entry,
    status_list_credential,
)
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.errors import Conflict, InvalidInput, MicrocareerError, NotFound
from microcareer.services.access import Action, Resource, authorize
from microcareer.services.credential_issuers import Signer, active_signer, issuer_resource, key_signer
from microcareer.services.credential_ports import KeyVault
from microcareer.services.credential_signing import ProofFormat as ProofFormat
from microcareer.services.credential_signing import SigningError, SigningJob, sign_document, sign_documents
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import record_verified_evidence

PROOF_FORMATS: tuple[ProofFormat, ...] = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "jwt")
Contexts = Mapping[str, Mapping[str, Any]]
StatusAction = Literal["revoke", "suspend", "reinstate"]


@dataclass(frozen=True, slots=True)
class Publication:
    """Where issued documents live: the server's public address and the pinned JSON-LD contexts."""

    public_url: str
    contexts: Contexts

    def status_list_url(self, list_id: int) -> str:
        return f"{self.public_url}/status-lists/{list_id}"

    def achievement_url(self, achievement_id: int) -> str:
        return f"{self.public_url}/achievements/{achievement_id}"

    def verify_url(self, credential_id: str) -> str:
        return f"{self.public_url}/credentials/{credential_id}"


def _load(uow: UnitOfWork, achievement_id: int) -> tuple[Achievement, Issuer]:
    achievement = uow.credentials.get_achievement(achievement_id)
    if achievement is None:
        raise NotFound(f"no achievement {achievement_id}")
    issuer = uow.credentials.get_issuer(achievement.issuer_id)
    if issuer is None:  # pragma: no cover - a foreign key keeps them together
        raise NotFound(f"no issuer {achievement.issuer_id}")
    return achievement, issuer


class _Allocator:
    """Random free indexes in the signer's lists, a new list when one passes its fill limit."""

    def __init__(self, uow: UnitOfWork, issuer: Issuer, signer: Signer, now: datetime) -> None:
        self.uow, self.issuer, self.signer, self.now = uow, issuer, signer, now
        self.lists: dict[str, tuple[StatusListRecord, set[int]]] = {}

    def take(self, purpose: str) -> tuple[int, int]:
        current = self.lists.get(purpose)
        if current is None:
            record = self.uow.credentials.latest_status_list(self.signer.key.id, purpose)
            used = set() if record is None else self.uow.credentials.used_indexes(record.id)
            current = (record, used) if record is not None else None
        index = None if current is None else allocate_index(current[1], current[0].size)
        if current is None or index is None:
            record = self.uow.credentials.add_status_list(
                self.issuer.id, self.signer.key.id, purpose, MIN_ENTRIES, at=self.now
            )
            current = (record, set())
            index = allocate_index(current[1], record.size)
            assert index is not None  # an empty list has room
        current[1].add(index)
        self.lists[purpose] = current
        return current[0].id, index


def _job(signer: Signer, proof_format: ProofFormat, contexts: Contexts, now: datetime) -> SigningJob:
    return SigningJob(signer.seed, signer.key.verification_method, proof_format, xsd_datetime(now), contexts)


def _sign(
    credential: Mapping[str, Any],
    signer: Signer,
    proof_format: ProofFormat,
    contexts: Contexts,
    now: datetime,
    *,
    as_proof_set: bool = True,
) -> str:
    job = replace(_job(signer, proof_format, contexts, now), as_proof_set=as_proof_set)
    return sign_document(credential, job)


def grant_evidence(
    uow: UnitOfWork, user_id: int, achievement: Achievement, issuer: Issuer, credential_id: str, now: datetime
) -> None:
    """Aligned skills of the taxonomy go on the profile with credential evidence (at least its level),
    weighted by the issuer's standing. Only for a credential its holder accepted."""
    uris = [a.uri for a in achievement.definition.alignments]
    known = uow.taxonomy.skill_refs(uris) if uris else {}
    weight, note = evidence_terms(issuer.standing)
    record_verified_evidence(
        uow,
        user_id,
        [uri for uri in uris if uri in known],
        Evidence(EvidenceKind.CREDENTIAL, now.date(), source=credential_id, weight=weight, note=note),
        level=achievement.definition.proficiency,
        raise_level=True,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class _Pending:
    """One credential of a batch before it is signed: its unsigned document and its store record."""

    request: IssueRequest
    unsigned: dict[str, Any]
    record: IssuedCredential


def _prepare_one(
    *,
    issuer: Issuer,
    achievement: Achievement,
    signer: Signer,
    allocator: _Allocator,
    request: IssueRequest,
    proof_format: ProofFormat,
    publication: Publication,
    batch_id: str | None,
    now: datetime,
) -> _Pending:
    credential_uuid = str(uuid.uuid4())
    credential_id = f"urn:uuid:{credential_uuid}"
    purpose = SUSPENSION if achievement.definition.suspendable else REVOCATION
    list_id, index = allocator.take(purpose)
    salt = new_salt()
    profile = issuer.profile()
    unsigned = open_badge_credential(
        credential_id=credential_id,
        issuer=profile,
        achievement=achievement_document(
            achievement.definition,
            achievement_id=publication.achievement_url(achievement.id),
            creator=profile,
        ),
        definition=achievement.definition,
        recipient=request.recipient,
        salt=salt,
        valid_from=now,
        evidence=request.evidence,
        results=request.results,
        narrative=request.narrative,
        status=status_entry(publication.status_list_url(list_id), index, purpose),
    )
    email = request.recipient.email
    record = IssuedCredential(
        id=credential_uuid,
        issuer_id=issuer.id,
        achievement_id=achievement.id,
        key_id=signer.key.id,
        recipient_user_id=None,
        recipient_email_hash=None if email is None else email_identity_hash(email, salt),
        recipient_did=request.recipient.did,
        recipient_email=None if email is None else email.strip(),
        recipient_name=(request.recipient.name or "").strip() or None,
        proof_format=proof_format,
        document="",
        issued_at=now,
        valid_until=valid_until(achievement.definition, now),
        status_list_id=list_id,
        status_index=index,
        status_purpose=purpose,
        batch_id=batch_id,
    )
    return _Pending(request, unsigned, record)


def _store_one(
    uow: UnitOfWork,
    *,
    issuer: Issuer,
    achievement: Achievement,
    pending: _Pending,
    document: str,
    publication: Publication,
    now: datetime,
) -> IssuedCredential:
    email = pending.request.recipient.email
    user = uow.accounts.get_user_by_email(email.strip().lower()) if email else None
    record = replace(pending.record, document=document, recipient_user_id=None if user is None else user.id)
    uow.credentials.add_credential(record)
    if user is not None and may_deliver(issuer.standing):
        uow.credentials.add_wallet_entry(
            user.id,
            issued_id=record.id,
            source_format="jwt" if record.proof_format == "jwt" else "json",
            document=document,
            title=achievement.definition.name,
            issuer_name=issuer.name,
            public=False,
            at=now,
            details={"verify_url": publication.verify_url(record.id)},
            state="pending",
        )
    return record


def issue_credentials(
    uow: UnitOfWork,
    vault: KeyVault,
    *,
    actor: Actor,
    achievement_id: int,
    requests: Sequence[IssueRequest],
    proof_format: ProofFormat = "eddsa-rdfc-2022",
    publication: Publication,
    now: datetime,
    source: str = "request",
    workers: int | None = None,
) -> list[IssuedCredential]:
    """Issue the achievement to every recipient, in one transaction: all are issued or none.

    A large batch is signed on every core (``workers`` caps them; ``services/credential_signing``).
    """
    if proof_format not in PROOF_FORMATS:
        raise InvalidInput(f"proof format must be one of {', '.join(PROOF_FORMATS)}", field="proof_format")
    if not requests:
        raise InvalidInput("no recipients", field="recipients")
    with uow:
        achievement, issuer = _load(uow, achievement_id)
        authorize(actor, Action.ISSUER_MANAGE, issuer_resource(issuer))
        signer = active_signer(uow, vault, issuer)
        allocator = _Allocator(uow, issuer, signer, now)
        batch_id = str(uuid.uuid4()) if len(requests) > 1 else None
        errors: list[RowError] = []
        pending: list[_Pending] = []
        for number, request in enumerate(requests, start=1):
            try:
                pending.append(
                    _prepare_one(
                        issuer=issuer,
                        achievement=achievement,
                        signer=signer,
                        allocator=allocator,
                        request=request,
                        proof_format=proof_format,
                        publication=publication,
                        batch_id=batch_id,
                        now=now,
                    )
                )
            except MicrocareerError as error:
                if len(requests) == 1:
                    raise
                errors.append(RowError(number + 1, str(error.extra.get("field", "")), error.detail))
        if errors:
            raise reject(errors, source=source)
        job = _job(signer, proof_format, publication.contexts, now)
        documents = sign_documents([p.unsigned for p in pending], job, workers=workers)
        for number, document in enumerate(documents, start=1):
            if isinstance(document, SigningError):
                if len(requests) == 1:
                    raise InvalidInput(document.detail, field=document.field or "credential")
                errors.append(RowError(number + 1, document.field, document.detail))
        if errors:
            raise reject(errors, source=source)
        issued = [
            _store_one(
                uow,
                issuer=issuer,
                achievement=achievement,
                pending=item,
                document=document,
                publication=publication,
                now=now,
            )
            for item, document in zip(pending, documents, strict=True)
            if isinstance(document, str)
        ]
        uow.commit()
    return issued


def _status_resource(uow: UnitOfWork, credential_id: str) -> tuple[IssuedCredential, Issuer]:
    record = uow.credentials.get_credential(credential_id.removeprefix("urn:uuid:"))
    if record is None:
        raise NotFound(f"no credential {credential_id}")
    issuer = uow.credentials.get_issuer(record.issuer_id)
    assert issuer is not None
    return record, issuer


def change_status(
    uow: UnitOfWork,
    *,
    actor: Actor,
    credential_id: str,
    action: StatusAction,
    reason: str = "",
    now: datetime,
) -> IssuedCredential:
    """Revoke (for good), suspend, or reinstate a suspended credential; the lists change at once."""
    with uow:
        record, issuer = _status_resource(uow, credential_id)
        authorize(actor, Action.ISSUER_MANAGE, issuer_resource(issuer))
        if record.revoked_at is not None:
            raise Conflict(f"credential {record.id} is revoked; revocation is final")
        revoked_at, suspended = record.revoked_at, record.suspended
        if action == "revoke":
            revoked_at = now
        elif action in ("suspend", "reinstate") and record.status_purpose != SUSPENSION:
            raise Conflict(
                f"credential {record.id} was issued without suspension (its achievement is not suspendable): "
                "it can only be revoked"
            )
        elif action == "suspend":
            if suspended:
                raise Conflict(f"credential {record.id} is already suspended")
            suspended = True
        elif action == "reinstate":
            if not suspended:
                raise Conflict(f"credential {record.id} is not suspended")
            suspended = False
        else:
            raise InvalidInput("action must be revoke, suspend or reinstate", field="action")
        uow.credentials.set_credential_status(
            record.id, revoked_at=revoked_at, suspended=suspended, reason=reason
        )
        uow.credentials.touch_status_list(record.status_list_id, now)
        if record.recipient_user_id is not None:
            source = f"urn:uuid:{record.id}"
            uow.profiles.remove_evidence_from(record.recipient_user_id, source)
            entry = uow.credentials.wallet_entry_for(record.id)
            if action == "reinstate" and entry is not None and entry.state == "accepted":
                achievement, _ = _load(uow, record.achievement_id)
                grant_evidence(uow, record.recipient_user_id, achievement, issuer, source, now)
        uow.commit()
        updated = uow.credentials.get_credential(record.id)
    assert updated is not None
    return updated


def status_list_document(
    uow: UnitOfWork,
    vault: KeyVault,
    *,
    list_id: int,
    publication: Publication,
    cache: dict[tuple[int, datetime], str] | None = None,
) -> str:
    """The signed ``BitstringStatusListCredential`` of a list, as JSON text (public, cacheable)."""
    with uow:
        record = uow.credentials.get_status_list(list_id)
        if record is None or record.purpose not in PURPOSES:
            raise NotFound(f"no status list {list_id}")
        if cache is not None and (record.id, record.updated_at) in cache:
            return cache[(record.id, record.updated_at)]
        issuer = uow.credentials.get_issuer(record.issuer_id)
        key = next((k for k in uow.credentials.keys(record.issuer_id) if k.id == record.key_id), None)
        if issuer is None or key is None:  # pragma: no cover - foreign keys keep them
            raise NotFound(f"no status list {list_id}")
        signer = key_signer(uow, vault, key)
        bits = StatusList.empty(record.size)
        for index in uow.credentials.set_indexes(record.id, record.purpose):
            bits.set(index, True)
    issuer_id = key.verification_method.split("#", 1)[0]
    unsigned = status_list_credential(
        list_url=publication.status_list_url(record.id),
        issuer=issuer_id,
        purpose=record.purpose,
        bits=bits,
        valid_from=xsd_datetime(record.updated_at),
    )
    text = _sign(
        unsigned, signer, "eddsa-rdfc-2022", publication.contexts, record.updated_at, as_proof_set=False
    )
    if cache is not None:
        if len(cache) > 256:
            cache.clear()
        cache[(record.id, record.updated_at)] = text
    return text


def credential_record(uow: UnitOfWork, credential_id: str) -> IssuedCredential:
    """An issued credential by id (public: whoever holds the id may verify it)."""
    with uow:
        record = uow.credentials.get_credential(credential_id.removeprefix("urn:uuid:"))
    if record is None:
        raise NotFound(f"no credential {credential_id}")
    return record


def issued_by(
    uow: UnitOfWork, *, actor: Actor, issuer_slug: str, limit: int, offset: int
) -> tuple[list[IssuedCredential], int]:
    """What an issuer issued, newest first (for its managers)."""
    with uow:
        issuer = uow.credentials.issuer_by_slug(issuer_slug)
        if issuer is None:
            raise NotFound(f"no issuer {issuer_slug!r}")
        authorize(actor, Action.ISSUER_MANAGE, issuer_resource(issuer))
        return uow.credentials.credentials_of_issuer(issuer.id, limit=limit, offset=offset)


def holder_resource(user_id: int) -> Resource:
    return Resource(owner_user_id=user_id)
