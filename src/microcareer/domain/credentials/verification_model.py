"""What verifying a credential reports, and the two ports it reads through (keys, status lists).

A report is a list of checks, each passed, failed, warned about, skipped or (status only) unknown,
with a sentence a person can read. Its verdict is one of three: ``invalid`` when a check failed;
``status_unknown`` when none failed but the revocation status could not be checked (the signature and
everything else hold, yet the credential may have been revoked: never to be read as plainly valid);
``valid`` otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from microcareer.errors import InvalidInput

Outcome = Literal["pass", "fail", "warn", "skip", "unknown"]
"""``unknown``: the check could not be made (only the status check has it); not a pass."""
InputFormat = Literal["json", "jwt", "png", "svg"]
KeyOrigin = Literal["trusted", "did:key", "did:web", "did:web over http"]
"""``did:web over http``: the DID document came over plain ``http://``, which only a verifier that
allowed it for local development resolves (reported as a warning on the key check)."""
Verdict = Literal["valid", "status_unknown", "invalid"]
VERDICT_LABELS: dict[Verdict, str] = {
    "valid": "VALID",
    "status_unknown": "SIGNATURE VALID, STATUS UNKNOWN",
    "invalid": "INVALID",
}
"""How each verdict is shown to a person (CLI, web)."""


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
    """Every check run on one credential; ``valid`` only when none failed and the status was not unknown."""

    checks: tuple[Check, ...]
    format: InputFormat | None
    credential: dict[str, Any] | None
    issuer: str | None

    @property
    def verdict(self) -> Verdict:
        if any(check.outcome == "fail" for check in self.checks):
            return "invalid"
        if any(check.outcome == "unknown" for check in self.checks):
            return "status_unknown"
        return "valid"

    @property
    def valid(self) -> bool:
        """Valid and nothing unknown: a credential whose status could not be checked is not valid."""
        return self.verdict == "valid"

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    def as_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "verdict": self.verdict,
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
