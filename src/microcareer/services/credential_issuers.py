"""Issuers and their Ed25519 keys: create, rotate, withdraw; the did:web DID document.

An issuer is identified by did:web when the server has a public HTTPS address
(``did:web:HOST:issuers:SLUG``, its document served at ``/issuers/SLUG/did.json``), else by the
did:key of its first key. Keys rotate: the new key signs from then on, the retired one stays in the
DID document so what it signed still verifies, and it still signs its own status lists. A
compromised key is *withdrawn*: it leaves the DID document. (A did:key issuer's DID is its key, so
rotation gives it a new DID, and a withdrawn did:key cannot be taken back from verifiers.)

Private keys are sealed by the ``KeyVault`` and opened only here, to sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issuer_standing import name_key
from microcareer.domain.credentials.multikey import did_key, did_key_verification_method, generate_key
from microcareer.domain.credentials.open_badges import check_issuer_fields
from microcareer.domain.credentials.records import Issuer, IssuerKey
from microcareer.errors import Conflict, InvalidInput, NotFound
from microcareer.services.access import Action, Resource, authorize
from microcareer.services.credential_ports import KeyVault
from microcareer.services.ports import UnitOfWork

DID_CONTEXTS = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Signer:
    """A key opened for signing: used inside the services layer, never returned to an interface."""

    key: IssuerKey
    seed: bytes


def issuer_resource(issuer: Issuer) -> Resource:
    return Resource(owner_user_id=issuer.owner_user_id, organisation_id=issuer.organisation_id)


def did_web_base(public_url: str) -> str | None:
    """``did:web:HOST[%3APORT][:PATH...]`` for an https public address, else None (no did:web)."""
    parts = urlsplit(public_url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    host = parts.hostname if parts.port is None else f"{parts.hostname}%3A{parts.port}"
    path = [quote(p, safe="") for p in parts.path.split("/") if p]
    return ":".join(["did:web", host, *path])


def _issuer_did_web(public_url: str, slug: str) -> str | None:
    base = did_web_base(public_url)
    return None if base is None else f"{base}:issuers:{slug}"


def _verification_method(issuer_did: str | None, multikey: str) -> str:
    if issuer_did is None or issuer_did.startswith("did:key:"):
        return did_key_verification_method(multikey)
    return f"{issuer_did}#{multikey}"


def _unique_slug(uow: UnitOfWork, name: str) -> str:
    base = _SLUG.sub("-", name.lower()).strip("-")[:48] or "issuer"
    slug, n = base, 1
    while uow.credentials.issuer_by_slug(slug) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_issuer(
    uow: UnitOfWork,
    vault: KeyVault,
    *,
    actor: Actor,
    name: str,
    url: str | None = None,
    email: str | None = None,
    description: str = "",
    organisation_id: int | None = None,
    public_url: str,
    now: datetime,
) -> Issuer:
    """A new issuer with its first signing key; the actor owns it (with the organisation's admins).

    It starts unverified: it may sign, but nothing it issues reaches a wallet until it proves its
    domain or a platform admin approves it (``issuer_standing``). Its name must be unique."""
    authorize(actor, Action.ISSUER_CREATE, Resource(organisation_id=organisation_id))
    name, url, email = name.strip(), (url or "").strip() or None, (email or "").strip() or None
    check_issuer_fields(name, url, email)
    if actor.user_id is None:
        raise InvalidInput("an issuer belongs to a person: act as a user (--user EMAIL)", field="owner")
    with uow:
        if organisation_id is not None and uow.accounts.get_organisation(organisation_id) is None:
            raise NotFound(f"no organisation {organisation_id}")
        if not name_key(name):
            raise InvalidInput("name: needs at least one letter or digit", field="name")
        taken = uow.credentials.issuer_by_name(name)
        if taken is not None:
            raise Conflict(
                f"name: an issuer named {taken.name!r} exists already (names are compared without case, "
                "accents, spaces and punctuation); choose another name",
                field="name",
            )
        slug = _unique_slug(uow, name)
        seed, multikey = generate_key()
        did = _issuer_did_web(public_url, slug) or did_key(multikey)
        issuer = uow.credentials.add_issuer(
            slug=slug,
            name=name,
            url=url,
            email=email,
            description=description.strip(),
            owner_user_id=actor.user_id,
            organisation_id=organisation_id,
            did=did,
            at=now,
        )
        uow.credentials.add_key(
            issuer.id,
            public_multikey=multikey,
            sealed_secret=vault.seal(seed, multikey),
            verification_method=_verification_method(did, multikey),
            at=now,
        )
        uow.commit()
    return issuer


def find_issuer(uow: UnitOfWork, slug: str) -> Issuer:
    """An issuer by slug (issuers are public: they sign public documents)."""
    with uow:
        issuer = uow.credentials.issuer_by_slug(slug)
    if issuer is None:
        raise NotFound(f"no issuer {slug!r}")
    return issuer


def list_issuers(uow: UnitOfWork) -> list[Issuer]:
    with uow:
        return uow.credentials.issuers()


def issuer_keys(uow: UnitOfWork, slug: str) -> list[IssuerKey]:
    """An issuer's keys, public parts only (the sealed secrets never leave the store)."""
    issuer = find_issuer(uow, slug)
    with uow:
        return uow.credentials.keys(issuer.id)


def rotate_key(
    uow: UnitOfWork,
    vault: KeyVault,
    *,
    actor: Actor,
    slug: str,
    withdraw_previous: bool = False,
    now: datetime,
) -> IssuerKey:
    """Make a new signing key; the active one retires (or is withdrawn, when it was compromised)."""
    issuer = find_issuer(uow, slug)
    authorize(actor, Action.ISSUER_MANAGE, issuer_resource(issuer))
    with uow:
        seed, multikey = generate_key()
        did = issuer.did
        if did.startswith("did:key:"):
            did = did_key(multikey)
            uow.credentials.set_issuer_did(issuer.id, did)
        for key in uow.credentials.keys(issuer.id):
            if key.retired_at is None:
                uow.credentials.retire_key(key.id, now)
            if withdraw_previous and key.withdrawn_at is None:
                uow.credentials.withdraw_key(key.id, now)
        key = uow.credentials.add_key(
            issuer.id,
            public_multikey=multikey,
            sealed_secret=vault.seal(seed, multikey),
            verification_method=_verification_method(did, multikey),
            at=now,
        )
        uow.commit()
    return key


def withdraw_key(uow: UnitOfWork, *, actor: Actor, slug: str, key_id: int, now: datetime) -> None:
    """Take a compromised key out of the DID document; the active key must be rotated first."""
    issuer = find_issuer(uow, slug)
    authorize(actor, Action.ISSUER_MANAGE, issuer_resource(issuer))
    with uow:
        key = next((k for k in uow.credentials.keys(issuer.id) if k.id == key_id), None)
        if key is None:
            raise NotFound(f"issuer {slug!r} has no key {key_id}")
        if key.retired_at is None:
            raise Conflict("this is the active key: rotate first (`--withdraw-previous` does both)")
        uow.credentials.withdraw_key(key.id, now)
        uow.commit()


def active_signer(uow: UnitOfWork, vault: KeyVault, issuer: Issuer) -> Signer:
    """The issuer's active key, opened. Call inside an open unit of work."""
    key = next((k for k in reversed(uow.credentials.keys(issuer.id)) if k.state == "active"), None)
    if key is None:
        raise Conflict(f"issuer {issuer.slug!r} has no active key: rotate to make one")
    return key_signer(uow, vault, key)


def key_signer(uow: UnitOfWork, vault: KeyVault, key: IssuerKey) -> Signer:
    return Signer(key, vault.open(uow.credentials.sealed_secret(key.id), key.public_multikey))


def did_document(uow: UnitOfWork, slug: str) -> dict[str, Any]:
    """The did:web DID document: every key not withdrawn, each an assertionMethod."""
    issuer = find_issuer(uow, slug)
    if not issuer.did.startswith("did:web:"):
        raise NotFound(f"issuer {slug!r} is identified by did:key, which needs no document")
    with uow:
        keys = [k for k in uow.credentials.keys(issuer.id) if k.withdrawn_at is None]
    methods = [
        {
            "id": k.verification_method,
            "type": "Multikey",
            "controller": issuer.did,
            "publicKeyMultibase": k.public_multikey,
        }
        for k in keys
        if k.verification_method.startswith(issuer.did + "#")
    ]
    ids = [m["id"] for m in methods]
    return {
        "@context": list(DID_CONTEXTS),
        "id": issuer.did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }
