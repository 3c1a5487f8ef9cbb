"""/api/v1/profiles on the mini ESCO, on each database: who reads what, edits, skills, gaps, shape."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.services.tokens import create_token
from tests.integration.taxonomy_helpers import (
    DEVELOPER,
    DEVELOPER_KEY,
    HASKELL,
    PROGRAMMING,
    PYTHON,
    PYTHON_KEY,
    make_organisation,
)


@dataclass(frozen=True)
class People:
    owner: int
    """A professional, member of the organisation ``acme``."""
    colleague: int
    """The admin of ``acme``."""
    outsider: int
    """Signed in, in no organisation."""
    root: int
    """A platform admin."""


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def people(taxonomy_platform: Platform) -> People:
    org = make_organisation(taxonomy_platform)
    now = taxonomy_platform.clock()
    with taxonomy_platform.uow() as uow:
        owner = uow.accounts.add_user(
            email="pat@x.test",
            display_name="Pat",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=now,
        )
        root = uow.accounts.add_user(
            email="root@x.test",
            display_name="Root",
            password_hash="x",
            roles=[Role.PLATFORM_ADMIN],
            created_at=now,
        )
        uow.accounts.set_membership(org.organisation_id, owner.id, OrgRole.MEMBER, created_at=now)
        uow.commit()
    assert org.admin.user_id is not None
    assert org.outsider.user_id is not None
    return People(owner.id, org.admin.user_id, org.outsider.user_id, root.id)


def bearer(platform: Platform, user_id: int) -> dict[str, str]:
    issued = create_token(
        platform.uow(), actor=Actor.system(), user_id=user_id, name="t", clock=platform.clock
    )
    return {"Authorization": f"Bearer {issued.plaintext}"}


PROFILE: dict[str, Any] = {
    "headline": "Backend developer",
    "summary": "Python services and data pipelines.",
    "location": {"city": "Ghent", "country_code": "BE"},
    "languages": [{"language": "Dutch", "fluency": "native"}, {"language": "English"}],
    "hourly_rate": 65.0,
    "currency": "EUR",
    "hours_per_week": 16,
    "available": True,
    "visibility": "public",
    "experiences": [
        {
            "kind": "job",
            "title": "Developer",
            "organisation": "Acme",
            "start": "2021-04",
            "end": "2024",
            "skills": [PYTHON],
            "highlights": ["Cut report time by half"],
            "extras": {"x-team": "data"},
        },
        {"kind": "volunteering", "title": "Coding club coach", "start": "2023"},
    ],
}


def problem_field(body: dict[str, Any]) -> str:
    assert body["status"] == 422, body
    assert body["code"] == "invalid_input"
    return str(body.get("field") or ",".join(e["location"] for e in body.get("errors", [])))


def test_the_owner_writes_a_profile_and_reads_it_back(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    me = bearer(taxonomy_platform, people.owner)
    written = client.put(f"/api/v1/profiles/{people.owner}", json=PROFILE, headers=me)
    assert written.status_code == 200, written.text
    body = client.get("/api/v1/profiles/me", headers=me).json()
    assert body == written.json()
    assert body["user_id"] == people.owner
    assert body["editable"] is True
    assert body["updated_at"] is not None
    for field in ("headline", "summary", "hourly_rate", "hours_per_week", "visibility"):
        assert body[field] == PROFILE[field], field
    languages = [(x["language"], x["fluency"]) for x in body["languages"]]
    assert languages == [("Dutch", "native"), ("English", "")]
    assert body["location"]["city"] == "Ghent"
    job, club = body["experiences"]
    assert (job["start"], job["end"], job["skills"]) == ("2021-04", "2024", [PYTHON])
    assert job["extras"] == {"x-team": "data"}
    assert club["kind"] == "volunteering"
    assert club["end"] is None


def test_a_user_with_no_profile_yet_reads_an_empty_private_one(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    mine = client.get("/api/v1/profiles/me", headers=bearer(taxonomy_platform, people.owner))
    assert mine.status_code == 200
    assert (mine.json()["visibility"], mine.json()["updated_at"], mine.json()["skills"]) == (
        "private",
        None,
        [],
    )
    other = client.get(f"/api/v1/profiles/{people.owner}", headers=bearer(taxonomy_platform, people.outsider))
    assert other.status_code == 404


READERS = ("owner", "colleague", "outsider", "root", "anonymous")


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        ("public", {"owner": 200, "colleague": 200, "outsider": 200, "root": 200, "anonymous": 401}),
        ("organisation", {"owner": 200, "colleague": 200, "outsider": 404, "root": 200, "anonymous": 401}),
        ("private", {"owner": 200, "colleague": 404, "outsider": 404, "root": 200, "anonymous": 401}),
    ],
)
def test_visibility_decides_who_reads_a_profile_and_its_gap(
    client: TestClient,
    taxonomy_platform: Platform,
    people: People,
    visibility: str,
    expected: dict[str, int],
) -> None:
    owner = bearer(taxonomy_platform, people.owner)
    assert client.put(
        f"/api/v1/profiles/{people.owner}", json={**PROFILE, "visibility": visibility}, headers=owner
    ).is_success
    for reader in READERS:
        headers = {} if reader == "anonymous" else bearer(taxonomy_platform, getattr(people, reader))
        for path in ("", "/gap?occupation=" + DEVELOPER_KEY, "/closest-occupations", "/shape"):
            response = client.get(f"/api/v1/profiles/{people.owner}{path}", headers=headers)
            assert response.status_code == expected[reader], (reader, path, response.text)
            if response.status_code != 200:
                assert response.headers["content-type"].startswith("application/problem+json")
                assert "Pat" not in response.text  # a hidden profile tells nothing about its owner


def test_only_the_owner_and_platform_admins_edit(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    path = f"/api/v1/profiles/{people.owner}"
    assert client.put(path, json=PROFILE).status_code == 401
    outsider = client.put(path, json=PROFILE, headers=bearer(taxonomy_platform, people.outsider))
    assert (outsider.status_code, outsider.json()["code"]) == (403, "permission_denied")
    colleague = bearer(taxonomy_platform, people.colleague)
    assert (
        client.put(f"{path}/skills/{PYTHON_KEY}", json={"proficiency": 3}, headers=colleague).status_code
        == 403
    )
    root = bearer(taxonomy_platform, people.root)
    edited = client.put(path, json={**PROFILE, "headline": "Set by support"}, headers=root)
    assert edited.status_code == 200, edited.text
    assert edited.json()["headline"] == "Set by support"
    assert client.get(path, headers=colleague).json()["editable"] is False
    assert client.get("/api/v1/profiles/999999", headers=root).status_code == 404
    assert client.get("/api/v1/profiles/99999999999", headers=root).status_code == 422


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"experiences": [{"title": "Dev", "start": "2022", "end": "2021"}]}, "experiences.0.end"),
        ({"experiences": [{"title": "Dev"}, {"title": "Ops", "start": "2021-13"}]}, "experiences.1.start"),
        ({"experiences": [{"title": " ", "organisation": ""}]}, "experiences.0.title"),
        ({"experiences": [{"title": "Dev", "skills": [PYTHON + "-no"]}]}, "skill"),
        ({"hours_per_week": 200}, "hours_per_week"),
        ({"hourly_rate": -5}, "hourly_rate"),
        ({"currency": "euro"}, "currency"),
        ({"headline": "x" * 201}, "body.headline"),
        ({"visibility": "secret"}, "body.visibility"),
        ({"experiences": [{"title": "Dev", "kind": "war"}]}, "body.experiences.0.kind"),
    ],
)
def test_a_bad_profile_is_a_422_problem_naming_the_field(
    client: TestClient, taxonomy_platform: Platform, people: People, change: dict[str, Any], field: str
) -> None:
    response = client.put(
        f"/api/v1/profiles/{people.owner}",
        json={**PROFILE, **change},
        headers=bearer(taxonomy_platform, people.owner),
    )
    assert problem_field(response.json()) == field


def test_availability_changes_alone(client: TestClient, taxonomy_platform: Platform, people: People) -> None:
    me = bearer(taxonomy_platform, people.owner)
    client.put(f"/api/v1/profiles/{people.owner}", json=PROFILE, headers=me)
    response = client.patch(
        f"/api/v1/profiles/{people.owner}/availability",
        json={"available": False, "hours_per_week": 0},
        headers=me,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["available"], body["hours_per_week"], body["headline"]) == (False, 0, PROFILE["headline"])
    bad = client.patch(
        f"/api/v1/profiles/{people.owner}/availability",
        json={"available": True, "hours_per_week": 500},
        headers=me,
    )
    assert problem_field(bad.json()) == "hours_per_week"


def test_skills_go_on_with_evidence_and_come_off(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    me = bearer(taxonomy_platform, people.owner)
    base = f"/api/v1/profiles/{people.owner}/skills"
    claimed = client.put(f"{base}/{PYTHON_KEY}", json={"proficiency": 4}, headers=me)
    assert claimed.status_code == 200, claimed.text
    [python] = claimed.json()["skills"]
    assert (python["uri"], python["label"], python["proficiency"]) == (
        PYTHON,
        "Python (computer programming)",
        4,
    )
    assert python["explanation"].startswith("self-claimed ")
    assert python["explanation"].endswith("last used this month")
    assert [e["kind"] for e in python["evidence"]] == ["self_claim"]
    cv = {
        "proficiency": 4,
        "evidence": [{"kind": "cv_extraction", "last_used": "2024-06-30", "source": "cv.pdf"}],
    }
    both = client.put(f"{base}/{PYTHON}", json=cv, headers=me).json()["skills"][0]  # by its whole URI too
    assert both["confidence"] > python["confidence"]
    assert "found in CV 2024-06" in both["explanation"]
    forged = {"proficiency": 5, "evidence": [{"kind": "credential"}]}
    assert problem_field(client.put(f"{base}/{PYTHON_KEY}", json=forged, headers=me).json()) == "evidence"
    assert problem_field(client.put(f"{base}/{PYTHON_KEY}", json={"proficiency": 6}, headers=me).json()) == (
        "body.proficiency"
    )
    unknown = client.put(f"{base}/no-such-skill", json={"proficiency": 3}, headers=me)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert client.put(f"{base}/no-such-skill", json={"proficiency": 3}).status_code == 401
    assert client.delete(f"{base}/{PYTHON_KEY}", headers=me).status_code == 204
    assert client.get("/api/v1/profiles/me", headers=me).json()["skills"] == []
    again = client.delete(f"{base}/{PYTHON_KEY}", headers=me)
    assert (again.status_code, again.json()["code"]) == (404, "not_found")


def _python_from_cv(client: TestClient, people: People, headers: dict[str, str]) -> None:
    body = {"proficiency": 4, "evidence": [{"kind": "cv_extraction", "source": "cv.pdf"}]}
    assert client.put(
        f"/api/v1/profiles/{people.owner}/skills/{PYTHON_KEY}", json=body, headers=headers
    ).is_success


def test_gap_to_software_developer_explains_partial_credit(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    me = bearer(taxonomy_platform, people.owner)
    _python_from_cv(client, people, me)
    response = client.get(
        f"/api/v1/profiles/{people.owner}/gap", params={"occupation": DEVELOPER}, headers=me
    )
    assert response.status_code == 200, response.text
    gap = response.json()
    assert (gap["target_uri"], gap["note"]) == (DEVELOPER, "")
    assert 0 < gap["fit"] < 1
    items = {item["uri"]: item for item in gap["items"]}
    breakdown = gap["breakdown"]
    assert breakdown["covered"] + breakdown["partial"] + breakdown["missing"] == len(items)
    assert items[PYTHON]["status"] == "covered"
    programming = items[PROGRAMMING]
    assert programming["status"] == "partial"
    assert programming["credit"]["link"] == "narrower skill"
    assert programming["credit"]["source_uri"] == PYTHON
    assert "through Python (computer programming)" in programming["explanation"]
    assert programming["importance"] == 1.0
    priorities = [item["priority"] for item in gap["items"] if item["status"] != "covered"]
    assert priorities == sorted(priorities, reverse=True)
    by_key = client.get(
        f"/api/v1/profiles/{people.owner}/gap", params={"occupation": DEVELOPER_KEY}, headers=me
    )
    assert {**by_key.json(), "matched": None} == {**gap, "matched": None}
    assert (gap["matched"]["label_kind"], by_key.json()["matched"]["asked"]) == ("uri", DEVELOPER_KEY)
    other_name = client.get(
        f"/api/v1/profiles/{people.owner}/gap",
        params={"occupation": "network security administrator"},
        headers=me,
    ).json()
    assert other_name["target_label"] == "ICT security administrator"
    assert other_name["matched"]["by_another_name"] is True
    assert other_name["matched"]["matched_label"] == "network security administrator"
    assert other_name["matched"]["notice"].startswith(
        "No occupation is called 'network security administrator'"
    )
    missing = client.get(f"/api/v1/profiles/{people.owner}/gap", params={"occupation": "nope"}, headers=me)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert client.get(f"/api/v1/profiles/{people.owner}/gap", headers=me).status_code == 422


def test_gap_to_a_custom_skill_list(client: TestClient, taxonomy_platform: Platform, people: People) -> None:
    me = bearer(taxonomy_platform, people.owner)
    _python_from_cv(client, people, me)
    path = f"/api/v1/profiles/{people.owner}/gap"
    body = {"skills": [PYTHON, HASKELL], "optional": [HASKELL], "label": "data gig"}
    gap = client.post(path, json=body, headers=me).json()
    assert (gap["target_label"], gap["target_uri"]) == ("data gig", None)
    assert gap["breakdown"]["covered"] == 1
    haskell = next(item for item in gap["items"] if item["uri"] == HASKELL)
    assert haskell["importance"] == 0.5
    assert haskell["status"] != "covered"
    stray = client.post(path, json={"skills": [PYTHON], "optional": [HASKELL]}, headers=me)
    assert problem_field(stray.json()) == "optional"
    assert problem_field(client.post(path, json={"skills": []}, headers=me).json()) == "body.skills"
    unknown = client.post(path, json={"skills": [PYTHON + "-no"]}, headers=me)
    assert unknown.status_code == 404


def test_closest_occupations_and_shape(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    me = bearer(taxonomy_platform, people.owner)
    _python_from_cv(client, people, me)
    old = {"proficiency": 3, "evidence": [{"kind": "self_claim", "last_used": "2015-01-01"}]}
    assert client.put(f"/api/v1/profiles/{people.owner}/skills/{HASKELL}", json=old, headers=me).is_success
    base = f"/api/v1/profiles/{people.owner}"
    closest = client.get(f"{base}/closest-occupations", headers=me).json()["items"]
    assert DEVELOPER in [row["uri"] for row in closest]
    fits = [row["fit"] for row in closest]
    assert fits == sorted(fits, reverse=True)
    assert all(0 < row["fit"] <= row["raw_fit"] <= 1 for row in closest)
    assert len(client.get(f"{base}/closest-occupations?limit=1", headers=me).json()["items"]) == 1
    assert (
        problem_field(client.get(f"{base}/closest-occupations?limit=0", headers=me).json()) == "query.limit"
    )
    shape = client.get(f"{base}/shape", headers=me).json()
    assert shape["shape"] in {"emerging", "generalist", "I-shaped", "T-shaped", "comb-shaped"}
    assert shape["explanation"].startswith(shape["shape"])
    assert any("Python (computer programming)" in area["skills"] for area in shape["areas"])
    assert [s["uri"] for s in shape["stale"]] == [HASKELL]
    assert shape["stale"][0]["freshness"] < 0.5


def test_a_longer_half_life_keeps_old_evidence_believable(
    taxonomy_platform: Platform, people: People
) -> None:
    old = {"proficiency": 3, "evidence": [{"kind": "self_claim", "last_used": "2015-01-01"}]}
    confidence = {}
    for days in (365.0, 36_500.0):
        taxonomy_platform.settings.evidence_half_life_days = days
        with TestClient(create_app(taxonomy_platform)) as client:
            me = bearer(taxonomy_platform, people.owner)
            skill = client.put(f"/api/v1/profiles/{people.owner}/skills/{HASKELL}", json=old, headers=me)
            client.delete(f"/api/v1/profiles/{people.owner}/skills/{HASKELL}", headers=me)
            confidence[days] = skill.json()["skills"][0]["confidence"]
    assert confidence[365.0] < 0.01 < confidence[36_500.0]
