"""The organisation's skills pages on the mini ESCO, on each database: inventory, role gap, and walls."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.services import profiles, work_dashboard
from tests.integration.taxonomy_helpers import DEVELOPER_KEY, HASKELL, PYTHON, OrgSetup, make_organisation
from tests.integration.web.test_profiles_web import sign_in


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def member(
    platform: Platform, org: OrgSetup, name: str, visibility: Visibility, skills: dict[str, int]
) -> Actor:
    now = platform.clock()
    with platform.uow() as uow:
        user = uow.accounts.add_user(
            email=f"{name}@x.test",
            display_name=name,
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=now,
        )
        uow.accounts.set_membership(org.organisation_id, user.id, OrgRole.MEMBER, created_at=now)
        uow.commit()
    system = Actor.system()
    profiles.save_profile(
        platform.uow(), actor=system, user_id=user.id, profile=Profile(visibility=visibility), now=now
    )
    for uri, level in skills.items():
        job = Evidence(EvidenceKind.MICRO_JOB, date(2026, 6, 1), "contract", rating=4)
        profiles.set_skill(
            platform.uow(), actor=system, user_id=user.id, uri=uri, proficiency=level, evidence=[job], now=now
        )
    return Actor(
        user_id=user.id,
        memberships={org.organisation_id: OrgRole.MEMBER},
        roles=frozenset({Role.PROFESSIONAL}),
    )


@pytest.fixture
def org(taxonomy_platform: Platform) -> OrgSetup:
    setup = make_organisation(taxonomy_platform)
    member(taxonomy_platform, setup, "Mia", Visibility.ORGANISATION, {PYTHON: 4})
    member(taxonomy_platform, setup, "Max <b>", Visibility.PUBLIC, {PYTHON: 2, HASKELL: 3})
    member(taxonomy_platform, setup, "Pia", Visibility.PRIVATE, {HASKELL: 5})
    return setup


def rows(page: str, table: str) -> list[str]:
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)


def test_an_admin_sees_the_inventory_without_private_profiles(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    sign_in(client, taxonomy_platform, org.admin)
    response = client.get("/organisations/acme/skills")
    assert response.status_code == 200, response.text
    page = response.text
    assert "Pia" not in page  # private: in no figure
    counted = page.split('id="member-count">', 1)[1].split("</p>", 1)[0]
    # the admin (no skills of her own), Mia, Max, Pia: the two shown are the two listed
    assert counted.startswith(
        "2 of 4 members shown; 1 keeps a private profile; 1 has no skills on a profile yet."
    )
    assert "Max &lt;b&gt;" in page
    assert "Max <b>" not in page
    table = rows(page, "inventory")
    python = next(row for row in table if "python" in row.lower())
    assert '<td class="number">2</td>' in python  # Mia and Max hold it
    haskell = next(row for row in table if "haskell" in row.lower())
    assert '<td class="number">1</td>' in haskell  # Max only: Pia's profile is private


def test_the_role_gap_ranks_members(client: TestClient, taxonomy_platform: Platform, org: OrgSetup) -> None:
    sign_in(client, taxonomy_platform, org.admin)
    form = client.get("/organisations/acme/gap")
    assert form.status_code == 200
    assert 'name="role"' in form.text
    response = client.get("/organisations/acme/gap", params={"role": DEVELOPER_KEY})
    assert response.status_code == 200, response.text
    page = response.text
    assert "Mia" in page
    assert "Max &lt;b&gt;" in page
    assert "Pia" not in page
    assert "role-matched" not in page  # asked by key: nothing to say
    other_name = client.get("/organisations/acme/gap", params={"role": "network security administrator"})
    assert (
        "No occupation is called &#39;network security administrator&#39;: showing &#39;ICT security "
        "administrator&#39;" in other_name.text
    )
    unknown = client.get("/organisations/acme/gap", params={"role": "astronaut of the deep sea"})
    assert unknown.status_code == 404
    assert 'role="alert"' in unknown.text


def test_outsiders_get_404_and_plain_members_403(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    sign_in(client, taxonomy_platform, org.outsider)
    for path in (
        "/organisations/acme/skills",
        "/organisations/acme/gap?role=x",
        "/organisations/nope/skills",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Python" not in response.text
    plain = member(taxonomy_platform, org, "Ola", Visibility.PUBLIC, {})
    client.cookies.clear()
    sign_in(client, taxonomy_platform, plain)
    for path in ("/organisations/acme/skills", "/organisations/acme/gap?role=x"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Mia" not in response.text


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient, org: OrgSetup) -> None:
    response = client.get("/organisations/acme/skills")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/organisations/acme/skills"


def test_the_navigation_links_the_skills_pages_for_admins_and_the_idea_board_for_members(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    link = 'href="/organisations/acme/skills" class="org-link"'
    sign_in(client, taxonomy_platform, org.admin)
    assert link in client.get("/search").text
    page = client.get("/organisations/acme/skills").text
    assert 'href="/organisations/acme/gap"' in page  # and on from there to the role gap
    for someone in (member(taxonomy_platform, org, "Ola", Visibility.PUBLIC, {}), org.outsider):
        client.cookies.clear()
        sign_in(client, taxonomy_platform, someone)
        seen = client.get("/search").text
        assert "/organisations/acme/skills" not in seen
        # a member's link goes to the organisation's idea board instead, an outsider's nowhere
        assert ('href="/organisations/acme/ideas"' in seen) is (someone is not org.outsider)
    client.cookies.clear()
    assert "/organisations/" not in client.get("/search").text


def manager_of(platform: Platform, user_id: int) -> int | None:
    return work_dashboard.get_settings(platform.uow(), actor=Actor.system(), user_id=user_id).manager_user_id


def test_an_admin_names_a_members_manager(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    moe = member(taxonomy_platform, org, "Moe", Visibility.PUBLIC, {})
    assert moe.user_id is not None
    assert org.admin.user_id is not None
    token = sign_in(client, taxonomy_platform, org.admin)
    page = client.get("/organisations/acme/members")
    assert page.status_code == 200, page.text
    row = page.text.split(f'id="member-{moe.user_id}"', 1)[1].split("</tr>", 1)[0]
    assert "none: the admins approve" in row
    assert f'<option value="{moe.user_id}"' not in row  # not one's own manager
    path = f"/organisations/acme/members/{moe.user_id}/manager"
    saved = client.post(path, data={"csrf_token": token, "manager": str(org.admin.user_id)})
    assert saved.status_code == 303, saved.text
    assert manager_of(taxonomy_platform, moe.user_id) == org.admin.user_id
    row = client.get("/organisations/acme/members").text.split(f'id="member-{moe.user_id}"', 1)[1]
    assert f'<option value="{org.admin.user_id}" selected>' in row.split("</tr>", 1)[0]
    outsider = client.post(path, data={"csrf_token": token, "manager": str(org.outsider.user_id)})
    assert outsider.status_code == 422
    assert "not a member of this organisation" in outsider.text
    assert client.post(path, data={"manager": ""}).status_code == 403  # no form token
    assert manager_of(taxonomy_platform, moe.user_id) == org.admin.user_id
    cleared = client.post(path, data={"csrf_token": token, "manager": ""})
    assert cleared.status_code == 303
    assert manager_of(taxonomy_platform, moe.user_id) is None
    assert (
        client.post("/organisations/acme/members/999999/manager", data={"csrf_token": token}).status_code
        == 404
    )


def test_the_members_page_is_for_admins(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    plain = member(taxonomy_platform, org, "Ola", Visibility.PUBLIC, {})
    assert client.get("/organisations/acme/members").status_code == 303  # signed out: to sign in
    token = sign_in(client, taxonomy_platform, plain)
    assert client.get("/organisations/acme/members").status_code == 403
    refused = client.post(
        f"/organisations/acme/members/{plain.user_id}/manager", data={"csrf_token": token, "manager": ""}
    )
    assert refused.status_code == 403
    client.cookies.clear()
    sign_in(client, taxonomy_platform, org.outsider)
    assert client.get("/organisations/acme/members").status_code == 404
