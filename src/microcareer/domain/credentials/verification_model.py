"""What verifying a credential reports, and the two ports it reads through (keys, status lists).

A report is a list of checks, each passed, failed, warned about or skipped, with a sentence a
person can read; the credential is valid when no check failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from microcareer.errors import InvalidInput

Outcome = Literal["pass", "fail", "warn", "skip"]
InputFormat = Literal["json", "jwt", "png", "svg"]
KeyOrigin = Literal["trusted", "did:key", "did:web"]


@dataclass(frozen=True, slots=True)
class Check:
    """One verification step: its name, outcome and a readable reason."""

    name: str
    outcome: Outcome
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "outcome": self.outcome, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """Every check run on one credential; ``valid`` when none failed."""

    checks: tuple[Check, ...]
    format: InputFormat | None
    credential: dict[str, Any] | None
    issuer: str | None

    @property
    def valid(self) -> bool:
        return not any(check.outcome == "fail" for check in self.checks)

    def as_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "format": self.format,
            "issuer": self.issuer,
            "checks": [check.as_json() for check in self.checks],
            "credential": self.credential,
        }


@dataclass(frozen=True, slots=True)
class ResolvedKey:
    """A verification method's public key, who controls it, and whether it may assert credentials."""

    public_key: bytes
    controller: str
    is_assertion_method: bool
    source: KeyOrigin


class KeyNotResolved(InvalidInput):
    """A verification method could not be resolved to a key; the message says why."""

    code = "key_not_resolved"
    title = "Verification key not resolved"


class StatusUnavailable(InvalidInput):
    """A status list credential could not be fetched or read; the message says why."""

    code = "status_unavailable"
    title = "Status list unavailable"


class KeySource(Protocol):
    """Resolves a ``verificationMethod`` (a URL or DID URL) to its key; raises ``KeyNotResolved``."""

    def resolve(self, verification_method: str) -> ResolvedKey: ...


class StatusSource(Protocol):
    """Fetches a status list credential (its JSON) by URL; raises ``StatusUnavailable``."""

    def fetch(self, url: str) -> Mapping[str, Any]: ...
