"""A person's wallet: credentials issued here or imported (JSON, JWT, baked PNG/SVG, Open Badges 2.0),
each verified on the way in; public entries for the profile; a signed CLR 2.0 export.

A credential issued here to this person arrives *pending*: it adds no evidence and cannot be shown
until its holder accepts it (or declines it, which removes it). An imported credential that verifies
and names this person (their e-mail's salted hash, or their DID) is the holder's own act, so it is
accepted at once. Accepted credentials add ``credential`` evidence to each aligned skill of the
taxonomy, weighted by their issuer's standing (docs/trust.md): an issuer of this platform counts by
its standing here; another platform's did:web issuer proved its domain by serving its keys there
(domain verified); any other issuer (a bare did:key) is unverified and counts nothing. The holder can
always remove any credential, with the evidence it gave.
Open Badges 2.0 assertions are kept for display and marked unverifiable: checking them needs the
issuer's server, which this platform does not call.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from microcareer.domain.accounts import Actor
from microcareer.domain.credentials import data_integrity
from microcareer.domain.credentials.baking import unbake
from microcareer.domain.credentials.clr import build_clr
from microcareer.domain.credentials.issuer_standing import Standing, display_name, evidence_terms
from microcareer.domain.credentials.multikey import (
    did_key,
    did_key_verification_method,
    public_multikey_of_seed,
)
from microcareer.domain.credentials.open_badges import identity_matches, xsd_datetime
from microcareer.domain.credentials.open_badges_v2 import Ob2Badge, read_ob2_assertion, read_ob2_jws
from microcareer.domain.credentials.records import Issuer, WalletEntry
from microcareer.domain.credentials.vc_jwt import decode_jwt_unverified, looks_like_jwt
from microcareer.domain.credentials.verification_model import VerificationReport
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.errors import Conflict, InvalidInput, MicrocareerError, NotFound
from microcareer.services.access import Action, Resource, authorize
from microcareer.services.credential_issuers import did_web_base
from microcareer.services.credential_issuing import Publication, grant_evidence
from microcareer.services.credential_ports import KeyVault
from microcareer.services.credential_verification import VerifierSources, verify
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import record_verified_evidence

PENDING = "pending"
ACCEPTED = "accepted"
MAX_IMPORT_BYTES = 5 * 1024 * 1024
IMPORTED_PROFICIENCY = 3
"""The level an imported credential's aligned skills get (its issuer's level is not in the document)."""
CLR_KEY_PURPOSE = "clr-export"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"


@dataclass(frozen=True, slots=True)
class WalletItem:
    """A wallet entry with what is known about it now."""

    entry: WalletEntry
    credential: dict[str, Any] | None
    """The credential (decoded from a JWT, unbaked from an image), or None for Open Badges 2.0."""
    issued_status: str | None = None
    """For a credential issued here, its status now: ``active``, ``suspended`` or ``revoked``."""
    standing: Standing = Standing.UNVERIFIED
    """Its issuer's standing now (docs/trust.md)."""
    verified_domain: str | None = None

    @property
    def pending(self) -> bool:
        return self.entry.state == PENDING

    @property
    def shown_issuer(self) -> str:
        """The issuer's name with its standing and verified domain."""
        return display_name(self.entry.issuer_name, self.standing, self.verified_domain)


def _owner(actor: Actor, user_id: int) -> None:
    authorize(actor, Action.WALLET_MANAGE, Resource(owner_user_id=user_id))


def _decoded(entry: WalletEntry) -> dict[str, Any] | None:
    if entry.source_format == "ob2":
        return None
    text = entry.document
    if looks_like_jwt(text):
        try:
            return dict(decode_jwt_unverified(text).credential)
        except MicrocareerError:
            return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _item(uow: UnitOfWork, entry: WalletEntry) -> WalletItem:
    """The entry with, for one issued here, its status as the issuer keeps it (revoked after it was
    added) and its issuer's standing now; for an imported one, the standing it was imported with."""
    status, standing, domain = None, Standing.UNVERIFIED, None
    if entry.issued_id is not None:
        record = uow.credentials.get_credential(entry.issued_id)
        status = "revoked" if record is None else record.status
        issuer = None if record is None else uow.credentials.get_issuer(record.issuer_id)
        if issuer is not None:
            standing, domain = issuer.standing, issuer.verified_domain
    else:
        issuer = _local_issuer(uow, _decoded(entry))
        if issuer is not None:
            standing, domain = issuer.standing, issuer.verified_domain
        elif entry.details.get("issuer_standing") in set(Standing):
            standing = Standing(entry.details["issuer_standing"])
            domain = entry.details.get("issuer_domain") or None
    return WalletItem(entry, _decoded(entry), status, standing, domain)


def _issuer_did(credential: Mapping[str, Any] | None) -> str | None:
    issuer = None if credential is None else credential.get("issuer")
    did = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return did if isinstance(did, str) else None


def _local_issuer(uow: UnitOfWork, credential: Mapping[str, Any] | None) -> Issuer | None:
    did = _issuer_did(credential)
    return None if did is None else uow.credentials.issuer_by_did(did)


def _imported_standing(
    uow: UnitOfWork, credential: Mapping[str, Any], valid: bool, publication: Publication
) -> tuple[Standing, str | None]:
    """An issuer of this platform: its standing here. Another platform's did:web issuer whose proof
    verified: its keys are served by its domain, so the domain is verified. Anything else: unverified."""
    local = _local_issuer(uow, credential)
    if local is not None:
        return local.standing, local.verified_domain
    did = _issuer_did(credential)
    ours = did_web_base(publication.public_url)
    if not valid or did is None or not did.startswith("did:web:") or (ours and did.startswith(ours + ":")):
        return Standing.UNVERIFIED, None
    host = unquote(did.removeprefix("did:web:").split(":", 1)[0]).split(":", 1)[0]
    return Standing.DOMAIN_VERIFIED, host.lower()


def wallet(uow: UnitOfWork, *, actor: Actor, user_id: int) -> list[WalletItem]:
    """Everything in the wallet (its owner and platform admins)."""
    _owner(actor, user_id)
    with uow:
        return [_item(uow, e) for e in uow.credentials.wallet(user_id)]


def public_wallet(uow: UnitOfWork, *, user_id: int) -> list[WalletItem]:
    """The accepted entries the person chose to show (anyone may see them)."""
    with uow:
        return [_item(uow, e) for e in uow.credentials.wallet(user_id) if e.public and e.state == ACCEPTED]


def wallet_entry(uow: UnitOfWork, *, actor: Actor, entry_id: int) -> WalletItem:
    """One entry: public ones for anyone, the rest for the owner (others get 404)."""
    with uow:
        entry = uow.credentials.get_wallet_entry(entry_id)
        if entry is None:
            raise NotFound(f"no wallet entry {entry_id}")
        if not entry.public or entry.state != ACCEPTED:
            try:
                _owner(actor, entry.user_id)
            except MicrocareerError:
                raise NotFound(f"no wallet entry {entry_id}") from None
        return _item(uow, entry)


def _ob2(data: bytes, text: str | None, source: str) -> Ob2Badge | None:
    """The Open Badges 2.0 assertion in ``data``, if that is what it is."""
    if text is not None:
        stripped = text.strip()
        if looks_like_jwt(stripped):
            try:
                decode_jwt_unverified(stripped)
            except MicrocareerError:
                return read_ob2_jws(stripped, source=source)
            return None
        try:
            document = json.loads(stripped)
        except ValueError:
            return None
        contexts = document.get("@context") if isinstance(document, dict) else None
        if isinstance(document, dict) and (contexts == OB2_CONTEXT or document.get("type") == "Assertion"):
            return read_ob2_assertion(document, source=source)
        return None
    try:
        baked = unbake(data)
    except MicrocareerError:
        return None
    if baked.version != "2.0":
        return None
    return _ob2(baked.payload.encode("utf-8"), baked.payload, source)


def _text_of(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _grant(
    uow: UnitOfWork,
    user_id: int,
    credential: Mapping[str, Any],
    source: str,
    standing: Standing,
    now: datetime,
) -> int:
    """Credential evidence for the aligned skills of the taxonomy, weighted by the issuer's standing;
    how many skills got it."""
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    alignments = achievement.get("alignment") if isinstance(achievement, Mapping) else None
    if not isinstance(alignments, list):
        return 0
    uris = [a.get("targetUrl") for a in alignments if isinstance(a, Mapping)]
    wanted = [u for u in uris if isinstance(u, str)]
    refs = uow.taxonomy.skill_refs(wanted) if wanted else {}
    known = [uri for uri, ref in refs.items() if ref.organisation_id is None]
    weight, note = evidence_terms(standing)
    evidence = Evidence(EvidenceKind.CREDENTIAL, now.date(), source=source, weight=weight, note=note)
    record_verified_evidence(
        uow, user_id, known, evidence, level=IMPORTED_PROFICIENCY, raise_level=True, now=now
    )
    return len(known)


def import_credential(
    uow: UnitOfWork,
    vault: KeyVault,
    *,
    actor: Actor,
    user_id: int,
    data: bytes,
    source: str,
    publication: Publication,
    sources: VerifierSources,
    now: datetime,
) -> tuple[WalletEntry, VerificationReport | None]:
    """Add a credential to the wallet after verifying it; a tampered or unreadable one is refused."""
    _owner(actor, user_id)
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(f"{source}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB", field="file")
    if not data.strip():
        raise InvalidInput(f"{source}: empty", field="file")
    text = _text_of(data)
    badge = _ob2(data, text, source)
    if badge is not None:
        details = {
            "verifiable": False,
            "reason": badge.reason,
            "issued_on": badge.issued_on.isoformat(),
            "esco_uris": list(badge.esco_uris),
            "notes": list(badge.notes),
        }
        with uow:
            entry = uow.credentials.add_wallet_entry(
                user_id,
                issued_id=None,
                source_format="ob2",
                document=text if text is not None else unbake(data).payload,
                title=badge.display_name,
                issuer_name=badge.issuer_name or badge.issuer_url or "unknown issuer",
                public=False,
                at=now,
                details=details,
            )
            uow.commit()
        return entry, None
    report = verify(uow, vault, raw=data, publication=publication, sources=sources, now=now)
    failed = {c.name: c.reason for c in report.checks if c.outcome == "fail"}
    if report.credential is None or "format" in failed or "proof" in failed:
        reason = failed.get("proof") or failed.get("format") or "not a credential"
        raise InvalidInput(f"{source}: not imported: {reason}", field="file")
    credential = report.credential
    stored = report.format or "json"
    if stored in ("png", "svg"):
        payload = unbake(data).payload
        stored = "jwt" if looks_like_jwt(payload.strip()) else "json"
        document = payload.strip()
    else:
        document = (text or "").strip()
    issuer = credential.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, Mapping) else issuer
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    title = credential.get("name") or (achievement.get("name") if isinstance(achievement, Mapping) else None)
    with uow:
        user = uow.accounts.get_user(user_id)
        if user is None:
            raise NotFound(f"no user {user_id}")
        entry_id = str(credential.get("id") or f"urn:uuid:{uuid.uuid4()}")
        for held in uow.credentials.wallet(user_id):
            decoded = _decoded(held)
            if decoded is not None and decoded.get("id") == entry_id:
                raise Conflict(f"{source}: this credential ({entry_id}) is already in the wallet")
        mine = identity_matches(credential, email=user.email, did=None)
        standing, domain = _imported_standing(uow, credential, report.valid, publication)
        skills = _grant(uow, user_id, credential, entry_id, standing, now) if report.valid and mine else 0
        entry = uow.credentials.add_wallet_entry(
            user_id,
            issued_id=None,
            source_format=stored,
            document=document,
            title=str(title or "Credential"),
            issuer_name=str(issuer_name or report.issuer or "unknown issuer"),
            public=False,
            at=now,
            details={
                "valid": report.valid,
                "verdict": report.verdict,
                "recipient_matches": mine,
                "skills_evidenced": skills,
                "failed": failed,
                "verified_at": now.isoformat(),
                "imported_as": report.format,
                "issuer_standing": standing.value,
                "issuer_domain": domain,
            },
        )
        uow.commit()
    return entry, report


def set_public(uow: UnitOfWork, *, actor: Actor, entry_id: int, public: bool) -> WalletEntry:
    with uow:
        entry = uow.credentials.get_wallet_entry(entry_id)
        if entry is None:
            raise NotFound(f"no wallet entry {entry_id}")
        _owner(actor, entry.user_id)
        if public and entry.state != ACCEPTED:
            raise Conflict(f"wallet entry {entry_id} is pending: accept it before showing it")
        uow.credentials.set_wallet_public(entry_id, public)
        uow.commit()
        updated = uow.credentials.get_wallet_entry(entry_id)
    assert updated is not None
    return updated


def accept_entry(uow: UnitOfWork, *, actor: Actor, entry_id: int) -> WalletItem:
    """The holder takes a pending credential: each aligned skill gets evidence by its issuer's standing
    (none while the credential is suspended or revoked: reinstating adds it then)."""
    with uow:
        entry = uow.credentials.get_wallet_entry(entry_id)
        if entry is None:
            raise NotFound(f"no wallet entry {entry_id}")
        _owner(actor, entry.user_id)
        if entry.state != PENDING:
            raise Conflict(f"wallet entry {entry_id} is not pending: it was accepted already")
        uow.credentials.set_wallet_state(entry_id, ACCEPTED)
        record = None if entry.issued_id is None else uow.credentials.get_credential(entry.issued_id)
        if record is not None and record.status == "active":
            achievement = uow.credentials.get_achievement(record.achievement_id)
            issuer = uow.credentials.get_issuer(record.issuer_id)
            if achievement is not None and issuer is not None:
                source = f"urn:uuid:{record.id}"  # dated when it was issued, as the credential says
                grant_evidence(uow, entry.user_id, achievement, issuer, source, record.issued_at)
        uow.commit()
        updated = uow.credentials.get_wallet_entry(entry_id)
        assert updated is not None
        return _item(uow, updated)


def decline_entry(uow: UnitOfWork, *, actor: Actor, entry_id: int) -> None:
    """The holder refuses a pending credential: it leaves the wallet (the issuer's record stays)."""
    with uow:
        entry = uow.credentials.get_wallet_entry(entry_id)
        if entry is None:
            raise NotFound(f"no wallet entry {entry_id}")
        _owner(actor, entry.user_id)
        if entry.state != PENDING:
            raise Conflict(f"wallet entry {entry_id} is not pending: remove it instead")
        uow.credentials.remove_wallet_entry(entry_id)
        uow.commit()


def remove_entry(uow: UnitOfWork, *, actor: Actor, entry_id: int) -> None:
    """Take any credential out of the wallet and the profile, with the evidence it gave."""
    with uow:
        entry = uow.credentials.get_wallet_entry(entry_id)
        if entry is None:
            raise NotFound(f"no wallet entry {entry_id}")
        _owner(actor, entry.user_id)
        sources: set[str] = set()
        if entry.issued_id is not None:
            sources.add(f"urn:uuid:{entry.issued_id}")
        credential = _decoded(entry)
        if credential is not None and isinstance(credential.get("id"), str):
            sources.add(credential["id"])
        for source in sources:
            uow.profiles.remove_evidence_from(entry.user_id, source)
        uow.credentials.remove_wallet_entry(entry_id)
        uow.commit()


def clr_issuer(vault: KeyVault, publication: Publication) -> tuple[dict[str, Any], bytes, str]:
    """The platform's own CLR signing identity: its Profile, seed and verification method."""
    seed = vault.derive_seed(CLR_KEY_PURPOSE)
    multikey = public_multikey_of_seed(seed)
    profile = {
        "id": did_key(multikey),
        "type": ["Profile"],
        "name": "microcareer learner records",
        "url": publication.public_url,
    }
    return profile, seed, did_key_verification_method(multikey)


def export_clr(
    uow: UnitOfWork,
    vault: KeyVault,
    *,
    actor: Actor,
    user_id: int,
    entry_ids: Sequence[int] | None,
    publication: Publication,
    now: datetime,
) -> dict[str, Any]:
    """A signed CLR 2.0 of the chosen (default: all accepted) JSON-LD credentials, each with its proof."""
    items = wallet(uow, actor=actor, user_id=user_id)
    if entry_ids is None:
        items = [i for i in items if not i.pending]
    if entry_ids is not None:
        wanted = set(entry_ids)
        unknown = wanted - {i.entry.id for i in items}
        if unknown:
            raise NotFound(f"no wallet entry {min(unknown)} in this wallet")
        items = [i for i in items if i.entry.id in wanted]
    credentials = [
        i.credential
        for i in items
        if i.entry.source_format == "json" and i.credential is not None and "proof" in i.credential
    ]
    if not credentials:
        raise InvalidInput(
            "no credential to put in a CLR: it holds Open Badges 3.0 credentials with an embedded proof "
            "(JWT credentials and Open Badges 2.0 badges cannot be embedded)",
            field="entries",
        )
    with uow:
        user = uow.accounts.get_user(user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    profile, seed, method = clr_issuer(vault, publication)
    unsigned = build_clr(
        credentials,
        issuer=profile,
        subject_id=None,
        name=f"Learner record of {user.display_name}",
        clr_id=f"urn:uuid:{uuid.uuid4()}",
        valid_from=now,
    )
    options = {
        "type": data_integrity.PROOF_TYPE,
        "cryptosuite": data_integrity.RDFC,
        "created": xsd_datetime(now),
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    return data_integrity.create_proof(unsigned, options, seed, publication.contexts)
