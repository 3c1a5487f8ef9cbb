"""The collusion signals between two accounts, read from the store (``domain.marketplace.collusion``),
and the device record they need: the web sign-in records the hash of the browser's device cookie."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from datetime import datetime

from microcareer.domain.marketplace.collusion import CollusionSignal, collusion_signals
from microcareer.services.ports import UnitOfWork


def device_hash(device_id: str) -> str:
    """What is stored of a device cookie: its SHA-256 (the cookie itself is never kept)."""
    return hashlib.sha256(device_id.encode("utf-8")).hexdigest()


def record_sign_in_device(uow: UnitOfWork, *, user_id: int, device_id: str, now: datetime) -> None:
    """Remember that ``user_id`` signed in from the browser holding ``device_id``."""
    with uow:
        uow.marketplace.record_device(user_id, device_hash(device_id), at=now)
        uow.commit()


def contract_signals(
    uow: UnitOfWork, client_user_id: int, professional_user_id: int
) -> tuple[CollusionSignal, ...]:
    """The signals between a contract's client and professional now. Inside the caller's unit of work."""
    people = [client_user_id, professional_user_id]
    return signals_between(
        client_user_id,
        professional_user_id,
        {user_id: set(uow.accounts.memberships_of(user_id)) for user_id in people},
        {user_id: uow.marketplace.devices_of(user_id) for user_id in people},
    )


def signals_between(
    client_user_id: int,
    professional_user_id: int,
    organisations: Mapping[int, Collection[int]],
    devices: Mapping[int, frozenset[str]],
) -> tuple[CollusionSignal, ...]:
    """``contract_signals`` from the two people's organisations and devices, read by the caller (for
    many contracts at once: ``reviews.contract_outcomes_of``)."""
    if client_user_id == professional_user_id:  # pragma: no cover - contracts refuse self-dealing
        return (CollusionSignal.SHARED_ORGANISATION,)
    return collusion_signals(
        client_organisations=set(organisations[client_user_id]),
        professional_organisations=set(organisations[professional_user_id]),
        client_devices=devices[client_user_id],
        professional_devices=devices[professional_user_id],
    )
