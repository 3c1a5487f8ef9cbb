"""/api/v1/credentials/{id}: an issued credential (public to whoever holds its id) and its status.

Revoking is final; suspending can be undone by reinstating. The change shows at once in the
published status lists. Only the issuer's managers change a status.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.credentials import CredentialPublic, CredentialSummary, StatusChange
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services import credential_issuing
from microcareer.services.credential_issuing import StatusAction

router = PrefixRouter(prefix="/credentials", tags=["credentials"], route_class=OneHopRoute)

CredentialId = Annotated[
    str, Path(min_length=1, max_length=45, description="The credential's UUID (or urn:uuid:UUID).")
]


@router.get(
    "/{credential_id}", response_model=CredentialPublic, summary="An issued credential and its status"
)
def get_credential(credential_id: CredentialId, platform: PlatformDep) -> CredentialPublic:
    record = credential_issuing.credential_record(platform.uow(), credential_id)
    return CredentialPublic.of(record, platform.publication)


def _change(
    platform: Platform, actor: Actor, credential_id: str, action: StatusAction, body: StatusChange | None
) -> CredentialSummary:
    record = credential_issuing.change_status(
        platform.uow(),
        actor=actor,
        credential_id=credential_id,
        action=action,
        reason=(body or StatusChange()).reason.strip(),
        now=platform.clock(),
    )
    return CredentialSummary.of(record, platform.publication)


@router.post(
    "/{credential_id}/revoke", response_model=CredentialSummary, summary="Revoke a credential (final)"
)
def revoke(
    credential_id: CredentialId, platform: PlatformDep, actor: ActorDep, body: StatusChange | None = None
) -> CredentialSummary:
    """Its bit is set in the revocation list and the recipient's profile loses its evidence."""
    return _change(platform, actor, credential_id, "revoke", body)


@router.post("/{credential_id}/suspend", response_model=CredentialSummary, summary="Suspend a credential")
def suspend(
    credential_id: CredentialId, platform: PlatformDep, actor: ActorDep, body: StatusChange | None = None
) -> CredentialSummary:
    return _change(platform, actor, credential_id, "suspend", body)


@router.post(
    "/{credential_id}/reinstate", response_model=CredentialSummary, summary="Reinstate a suspended credential"
)
def reinstate(
    credential_id: CredentialId, platform: PlatformDep, actor: ActorDep, body: StatusChange | None = None
) -> CredentialSummary:
    return _change(platform, actor, credential_id, "reinstate", body)
