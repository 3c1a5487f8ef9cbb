"""/api/v1/organisations/{slug}/skills and /gap over HTTP: the admin sees members, outsiders see nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.services import organisations, profiles
from tests.integration.api.test_accounts_api import assert_problem, bearer, make_user
from tests.integration.taxonomy_helpers import DEVELOPER, HASKELL, PYTHON


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def _member(platform: Platform, slug: str, email: str, visibility: Visibility, uri: str) -> int:
    user_id = make_user(platform, email)
    system, now = Actor.system(), platform.clock()
    organisations.add_member(
        platform.uow(), actor=system, slug=slug, user_id=user_id, role=OrgRole.MEMBER, clock=platform.clock
    )
    profiles.save_profile(
        platform.uow(), actor=system, user_id=user_id, profile=Profile(visibility=visibility), now=now
    )
    job = Evidence(EvidenceKind.MICRO_JOB, date(2026, 6, 1), "contract", rating=5)
    profiles.set_skill(
        platform.uow(), actor=system, user_id=user_id, uri=uri, proficiency=4, evidence=[job], now=now
    )
    return user_id


def test_an_admin_sees_the_inventory_and_gap_of_members_only(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    platform = taxonomy_platform
    for slug in ("acme", "globex"):
        admin = make_user(platform, f"admin@{slug}.test")
        organisations.create_organisation(
            platform.uow(),
            actor=Actor.system(),
            slug=slug,
            name=slug,
            clock=platform.clock,
            admin_user_id=admin,
        )
    mia = _member(platform, "acme", "mia@x.test", Visibility.ORGANISATION, PYTHON)
    _member(platform, "acme", "pia@x.test", Visibility.PRIVATE, HASKELL)
    _member(platform, "globex", "gus@x.test", Visibility.PUBLIC, HASKELL)

    headers = bearer(client, "admin@acme.test")
    inventory = client.get("/api/v1/organisations/acme/skills", headers=headers)
    assert inventory.status_code == 200, inventory.text
    body = inventory.json()
    assert [s["uri"] for s in body["skills"]] == [PYTHON]  # Pia's Haskell is private; Gus is elsewhere
    assert body["skills"][0]["holders"][0]["user_id"] == mia
    assert body["skills"][0]["levels"] == [0, 0, 0, 1, 0]
    assert body["count"] == {"members": 3, "shown": 2, "left_out": 1}

    gap = client.get("/api/v1/organisations/acme/gap", params={"role": [DEVELOPER]}, headers=headers)
    assert gap.status_code == 200, gap.text
    [role] = gap.json()["roles"]
    assert [c["user_id"] for c in role["candidates"]] == [mia]
    assert 0 < role["candidates"][0]["fit"] < 1
    assert "Gus" not in gap.text
    assert "Pia" not in gap.text
    assert role["matched"] == ""
    by_other_name = {"role": ["network security administrator"]}
    other = client.get("/api/v1/organisations/acme/gap", params=by_other_name, headers=headers).json()
    assert other["roles"][0]["label"] == "ICT security administrator"
    assert other["roles"][0]["matched"].startswith("No occupation is called 'network security administrator'")

    outsider = bearer(client, "admin@globex.test")
    hidden = client.get("/api/v1/organisations/acme/skills", headers=outsider)
    assert hidden.status_code == 404
    assert_problem(hidden.json(), 404, "not_found")
    assert client.get("/api/v1/organisations/acme/skills").status_code == 401
    member = bearer(client, "mia@x.test")
    assert client.get("/api/v1/organisations/acme/skills", headers=member).status_code == 403


def test_bad_roles_are_problems_not_errors(client: TestClient, taxonomy_platform: Platform) -> None:
    admin = make_user(taxonomy_platform, "admin@acme.test")
    organisations.create_organisation(
        taxonomy_platform.uow(),
        actor=Actor.system(),
        slug="acme",
        name="Acme",
        clock=taxonomy_platform.clock,
        admin_user_id=admin,
    )
    headers = bearer(client, "admin@acme.test")
    missing = client.get("/api/v1/organisations/acme/gap", headers=headers)
    assert missing.status_code == 422
    unknown = client.get("/api/v1/organisations/acme/gap", params={"role": "no-such-role"}, headers=headers)
    assert unknown.status_code == 404
    assert "no-such-role" in unknown.json()["detail"]
