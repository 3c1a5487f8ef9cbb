"""How far the platform trusts an issuer, and what that makes its credentials worth as evidence.

Three standings (docs/trust.md):

- ``unverified``: anyone may create an issuer (for themselves with the issuer role, or for an
  organisation they administer) and sign credentials with it, but nothing it issues goes into
  anyone's wallet, and a credential of it imported by its holder counts nothing as evidence;
- ``domain_verified``: the issuer served, at ``https://DOMAIN/.well-known/microcareer-issuer.json``,
  the token the platform gave it: it controls DOMAIN, which is shown beside its name everywhere.
  Its credentials reach wallets (pending until the holder accepts) and count part of a credential;
- ``approved``: a platform admin vouched for it (and may withdraw that); its credentials count fully.

Issuer names are unique under :func:`name_key` (Unicode compatibility forms, accents, case, spacing and
punctuation folded), so no second "Code School" can stand beside the first.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from microcareer.errors import InvalidInput


class Standing(StrEnum):
    UNVERIFIED = "unverified"
    DOMAIN_VERIFIED = "domain_verified"
    APPROVED = "approved"


STANDING_WEIGHTS: Mapping[Standing, float] = MappingProxyType(
    {Standing.APPROVED: 1.0, Standing.DOMAIN_VERIFIED: 0.6, Standing.UNVERIFIED: 0.0}
)
"""The share of a credential's evidence weight its issuer's standing lets it carry."""

_NOTES: Mapping[Standing, str] = MappingProxyType(
    {
        Standing.APPROVED: "issuer approved by the platform",
        Standing.DOMAIN_VERIFIED: "issuer's domain verified, not approved: counts 60%",
        Standing.UNVERIFIED: "unverified issuer: not counted",
    }
)
WELL_KNOWN_PATH = "/.well-known/microcareer-issuer.json"
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def evidence_terms(standing: Standing) -> tuple[float, str]:
    """The weight and the note a credential's evidence gets from its issuer's standing."""
    return STANDING_WEIGHTS[standing], _NOTES[standing]


def may_deliver(standing: Standing) -> bool:
    """Whether credentials of an issuer in this standing go into recipients' wallets (as pending)."""
    return standing is not Standing.UNVERIFIED


def name_key(name: str) -> str:
    """What makes two issuer names the same: 'Code School', 'CODE-SCHOOL' and 'Çode  School' agree."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    kept = "".join(c for c in folded if not unicodedata.combining(c) and c.isalnum())
    return unicodedata.normalize("NFC", kept)


def check_domain(domain: str) -> str:
    """A lower-case DNS host name (no scheme, port, path or IP address), or 422 naming what is wrong."""
    value = domain.strip().lower().rstrip(".")
    if not value:
        raise InvalidInput("domain: required", field="domain")
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        pass
    else:
        raise InvalidInput("domain: a host name, not an IP address", field="domain")
    try:
        ascii_name = value.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidInput(f"domain: {domain!r} is not a host name", field="domain") from None
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        raise InvalidInput(
            f"domain: {domain!r} is not a host name such as school.example (no scheme, port or path)",
            field="domain",
        )
    return ascii_name


def proof_url(domain: str) -> str:
    return f"https://{domain}{WELL_KNOWN_PATH}"


def proof_document(issuer_did: str, token: str) -> dict[str, str]:
    """What the issuer serves at :func:`proof_url` to prove it controls the domain."""
    return {"issuer": issuer_did, "token": token}


def proof_holds(document: Any, *, issuer_did: str, token: str) -> bool:
    """The served document names this issuer and carries its token."""
    if not isinstance(document, Mapping):
        return False
    return document.get("token") == token and document.get("issuer") == issuer_did


def display_name(name: str, standing: Standing, domain: str | None) -> str:
    """'Code School (approved, school.example)': a name never appears without its standing."""
    label = {
        Standing.APPROVED: "approved",
        Standing.DOMAIN_VERIFIED: "domain verified",
        Standing.UNVERIFIED: "unverified",
    }[standing]
    return f"{name} ({label}, {domain})" if domain else f"{name} ({label})"
