"""An issuer's standing: proving its domain (a well-known file) and a platform admin's approval.

The standing decides whether its credentials reach wallets and how much they count as evidence
(``domain.credentials.issuer_standing``, docs/trust.md). Every change reweighs, in the same
transaction, the evidence that the issuer's credentials already gave their holders.

The domain proof is fetched only through the SSRF-safe outbound gate (the bootstrap wires
``adapters.outbound_http``): https, port 443 unless the operator allows more, public addresses only.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issuer_standing import (
    Standing,
    check_domain,
    evidence_terms,
    proof_document,
    proof_holds,
    proof_url,
)
from microcareer.domain.credentials.records import Issuer
from microcareer.errors import Conflict, InvalidInput, NotFound
from microcareer.services.access import Action, authorize
from microcareer.services.credential_issuers import issuer_resource
from microcareer.services.ports import UnitOfWork

DomainProofFetcher = Callable[[str], object | None]
"""GET an https URL as JSON through the outbound gate; None when it could not be fetched (any reason)."""


@dataclass(frozen=True, slots=True)
class DomainChallenge:
    """What the issuer must serve, and where, to prove it controls ``domain``."""

    domain: str
    token: str
    url: str
    document: dict[str, str]


def _issuer(uow: UnitOfWork, slug: str) -> Issuer:
    issuer = uow.credentials.issuer_by_slug(slug)
    if issuer is None:
        raise NotFound(f"no issuer {slug!r}")
    return issuer


def restand(
    uow: UnitOfWork, issuer: Issuer, standing: Standing, *, verified_domain: str | None, now: datetime
) -> None:
    """Set the standing and reweigh the evidence its credentials gave. Inside the caller's unit of work."""
    uow.credentials.set_issuer_standing(issuer.id, standing, verified_domain=verified_domain, at=now)
    weight, note = evidence_terms(standing)
    sources = [f"urn:uuid:{i}" for i in uow.credentials.issued_ids_of(issuer.id)]
    if sources:
        uow.profiles.reweigh_evidence(sources, weight=weight, note=note)


def _reread(uow: UnitOfWork, issuer: Issuer) -> Issuer:
    updated = uow.credentials.get_issuer(issuer.id)
    assert updated is not None
    return updated


def approve_issuer(uow: UnitOfWork, *, actor: Actor, slug: str, now: datetime) -> Issuer:
    """A platform admin vouches for the issuer: its credentials reach wallets and count fully."""
    authorize(actor, Action.ISSUER_APPROVE)
    with uow:
        issuer = _issuer(uow, slug)
        if issuer.standing is Standing.APPROVED:
            raise Conflict(f"issuer {slug!r} is already approved")
        restand(uow, issuer, Standing.APPROVED, verified_domain=issuer.verified_domain, now=now)
        uow.commit()
        return _reread(uow, issuer)


def withdraw_approval(uow: UnitOfWork, *, actor: Actor, slug: str, now: datetime) -> Issuer:
    """Take the approval back: the issuer falls to its verified domain's standing, or to unverified."""
    authorize(actor, Action.ISSUER_APPROVE)
    with uow:
        issuer = _issuer(uow, slug)
        if issuer.standing is not Standing.APPROVED:
            raise Conflict(f"issuer {slug!r} is not approved")
        fallback = Standing.DOMAIN_VERIFIED if issuer.verified_domain else Standing.UNVERIFIED
        restand(uow, issuer, fallback, verified_domain=issuer.verified_domain, now=now)
        uow.commit()
        return _reread(uow, issuer)


def _challenge(issuer: Issuer, domain: str, token: str) -> DomainChallenge:
    return DomainChallenge(domain, token, proof_url(domain), proof_document(issuer.did, token))


def start_domain_proof(uow: UnitOfWork, *, actor: Actor, slug: str, domain: str) -> DomainChallenge:
    """A new token for ``domain``: serve :attr:`DomainChallenge.document` at its URL, then verify."""
    checked = check_domain(domain)
    with uow:
        issuer = _issuer(uow, slug)
        authorize(actor, Action.ISSUER_MANAGE, issuer_resource(issuer))
        token = secrets.token_urlsafe(24)
        uow.credentials.set_domain_challenge(issuer.id, checked, token)
        uow.commit()
    return _challenge(issuer, checked, token)


def domain_challenge(uow: UnitOfWork, *, actor: Actor, slug: str) -> DomainChallenge | None:
    """The proof the issuer is working on, if any (its managers only)."""
    with uow:
        issuer = _issuer(uow, slug)
        authorize(actor, Action.ISSUER_MANAGE, issuer_resource(issuer))
        pending = uow.credentials.domain_challenge(issuer.id)
    return None if pending is None else _challenge(issuer, *pending)


def verify_domain(
    uow: UnitOfWork, fetch: DomainProofFetcher, *, actor: Actor, slug: str, now: datetime
) -> Issuer:
    """Fetch the well-known file; when it carries the token, the issuer's domain is verified."""
    with uow:
        issuer = _issuer(uow, slug)
        authorize(actor, Action.ISSUER_MANAGE, issuer_resource(issuer))
        pending = uow.credentials.domain_challenge(issuer.id)
    if pending is None:
        raise Conflict(f"issuer {slug!r} has no domain to prove: start with its domain first")
    domain, token = pending
    url = proof_url(domain)
    document = fetch(url)
    if document is None:
        raise InvalidInput(f"domain: {url} could not be fetched", field="domain")
    if not proof_holds(document, issuer_did=issuer.did, token=token):
        raise InvalidInput(
            f"domain: {url} does not hold this issuer's DID and token (serve the document shown)",
            field="domain",
        )
    with uow:
        current = _issuer(uow, slug)
        standing = Standing.APPROVED if current.standing is Standing.APPROVED else Standing.DOMAIN_VERIFIED
        restand(uow, current, standing, verified_domain=domain, now=now)
        uow.credentials.set_domain_challenge(current.id, None, None)
        uow.commit()
        return _reread(uow, current)
