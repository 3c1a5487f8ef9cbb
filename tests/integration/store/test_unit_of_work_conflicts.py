"""A write that loses a race surfaces as a 409 Conflict, never as a raw database error (a 500)."""

from __future__ import annotations

import pytest

from microcareer.bootstrap import Platform
from microcareer.errors import Conflict


def _add_issuer(platform: Platform, owner: int, did: str) -> None:
    with platform.uow() as uow:
        uow.credentials.add_issuer(
            slug="school",
            name="School",
            url=None,
            email=None,
            description="",
            owner_user_id=owner,
            organisation_id=None,
            did=did,
            at=platform.clock(),
        )
        uow.commit()


def test_a_unique_key_taken_meanwhile_is_a_conflict_not_a_database_error(platform: Platform) -> None:
    with platform.uow() as uow:
        owner = uow.accounts.add_user(
            email="o@x.test", display_name="O", password_hash="x", roles=[], created_at=platform.clock()
        )
        uow.commit()
    _add_issuer(platform, owner.id, "did:example:1")
    # the service checked the slug was free, but another request took it meanwhile
    with pytest.raises(Conflict, match="at the same time"):
        _add_issuer(platform, owner.id, "did:example:2")
    with platform.uow() as uow:  # nothing half-written, and the store is usable again
        assert [i.did for i in uow.credentials.issuers()] == ["did:example:1"]


def test_other_errors_are_left_alone(platform: Platform) -> None:
    with pytest.raises(ZeroDivisionError), platform.uow():
        _ = 1 / 0
