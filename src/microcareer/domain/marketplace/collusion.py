"""Collusion signals: what suggests a contract's client and professional are not at arm's length.

A contract flagged by any signal still counts, but less (``COLLUSION_FACTOR``), everywhere it is
evidence of the professional's work: the micro-job evidence it puts on their skills (hence talent
search) and their reputation score; the reason is shown beside it. The signals (docs/trust.md):

- ``shared_organisation``: client and professional are members of the same organisation when the
  evidence is granted or the reputation computed (anyone can create an organisation and add a second
  account; an internal gig between colleagues is flagged too: colleagues vouching for each other);
- ``shared_device``: both accounts signed in from the same browser (a device cookie the web sign-in
  sets and records, hashed); the API and CLI record no device.

Not collected: a shared payment source. Escrow here is a ledger of internal accounts, with no
payment instrument behind it to compare; when a payment provider is wired in, its instrument
fingerprint belongs here as a third signal.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from enum import StrEnum


class CollusionSignal(StrEnum):
    SHARED_ORGANISATION = "shared_organisation"
    SHARED_DEVICE = "shared_device"


COLLUSION_FACTOR = 0.25
"""The share of its weight a flagged contract keeps (in evidence, reputation and its contract count)."""

_PHRASES = {
    CollusionSignal.SHARED_ORGANISATION: "client in the same organisation",
    CollusionSignal.SHARED_DEVICE: "client signed in from the same device",
}


def collusion_signals(
    *,
    client_organisations: Set[int],
    professional_organisations: Set[int],
    client_devices: Set[str] = frozenset(),
    professional_devices: Set[str] = frozenset(),
) -> tuple[CollusionSignal, ...]:
    """The signals two accounts raise, in a fixed order; empty when they look independent."""
    found: list[CollusionSignal] = []
    if client_organisations & professional_organisations:
        found.append(CollusionSignal.SHARED_ORGANISATION)
    if client_devices & professional_devices:
        found.append(CollusionSignal.SHARED_DEVICE)
    return tuple(found)


def collusion_factor(signals: Iterable[str]) -> float:
    """1 with no signal, ``COLLUSION_FACTOR`` with any (signals do not compound)."""
    return COLLUSION_FACTOR if any(True for _ in signals) else 1.0


def collusion_note(signals: Iterable[str]) -> str:
    """'client in the same organisation: counts 25%', or '' with no signal."""
    phrases = [_PHRASES.get(CollusionSignal(s), s) if s in set(CollusionSignal) else s for s in signals]
    if not phrases:
        return ""
    return f"{' and '.join(phrases)}: counts {COLLUSION_FACTOR:.0%}"
