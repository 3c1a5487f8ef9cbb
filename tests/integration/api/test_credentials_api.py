"""Issuers, achievements, issuing and status over HTTP, on each database, with the mini ESCO.

Every credential the API returns is verified here with the issuer's public key, and each status
change is read back from the published, signed status list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.asgi import create_app
from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.credentials import data_integrity, vc_jwt
from microcareer.domain.credentials.multikey import decode_public_key, public_key_of_did_key
from microcareer.domain.credentials.status_list import decode_status_list
from microcareer.services import credential_issuing
from microcareer.services.tokens import create_token
from tests.conftest import FAST_HASHER
from tests.integration.api.test_accounts_api import assert_problem
from tests.integration.taxonomy_helpers import HASKELL, PYTHON, make_organisation

ACHIEVEMENT: dict[str, Any] = {
    "name": "Python for data work",
    "description": "Writes tested Python to clean and analyse data.",
    "criteria": "Passed a proctored 3-hour practical.",
    "alignments": [{"uri": PYTHON}, {"uri": HASKELL, "label": "Haskell"}],
    "results": [{"name": "grade", "result_type": "LetterGrade"}],
    "expiry_days": 365,
    "proficiency": 4,
}
LEA = {
    "email": "lea@x.test",
    "name": "Lea",
    "evidence": [{"narrative": "Cleaned the city's bike-share data", "url": "https://git.example/lea/bikes"}],
    "results": {"grade": "A"},
}


@dataclass
class Api:
    """A test client that remembers every JSON body it was given, to check none holds a secret."""

    client: TestClient
    platform: Platform
    seen: list[str] = field(default_factory=list)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The client's response (an httpx or httpx2 ``Response``, whichever Starlette uses)."""
        response = self.client.request(method, path, **kwargs)
        self.seen.append(response.text)
        return response

    def assert_no_secrets(self) -> None:
        assert self.seen
        for text in self.seen:
            lowered = text.lower()
            assert "sealed" not in lowered
            assert "secret" not in lowered


@dataclass(frozen=True)
class People:
    school: dict[str, str]
    lea: dict[str, str]
    lea_id: int
    stranger: dict[str, str]


def _token(platform: Platform, user_id: int) -> dict[str, str]:
    issued = create_token(
        platform.uow(), actor=Actor.system(), user_id=user_id, name="t", clock=platform.clock
    )
    return {"Authorization": f"Bearer {issued.plaintext}"}


def _people(platform: Platform) -> People:
    now = platform.clock()
    with platform.uow() as uow:
        ids = [
            uow.accounts.add_user(
                email=email, display_name=email[:3], password_hash="x", roles=[role], created_at=now
            ).id
            for email, role in (
                ("school@x.test", Role.ISSUER),
                ("lea@x.test", Role.PROFESSIONAL),
                ("sam@x.test", Role.ISSUER),
            )
        ]
        uow.commit()
    school, lea, stranger = (_token(platform, i) for i in ids)
    return People(school, lea, ids[1], stranger)


def _client(platform: Platform) -> Iterator[Api]:
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        api = Api(client, platform)
        yield api
        api.assert_no_secrets()


@pytest.fixture
def api(taxonomy_platform: Platform) -> Iterator[Api]:
    yield from _client(taxonomy_platform)


@pytest.fixture
def people(taxonomy_platform: Platform) -> People:
    return _people(taxonomy_platform)


def _admin(platform: Platform) -> dict[str, str]:
    """A platform admin's token (one admin per test database)."""
    with platform.uow() as uow:
        admin = uow.accounts.get_user_by_email("root@x.test") or uow.accounts.add_user(
            email="root@x.test",
            display_name="Root",
            password_hash="x",
            roles=[Role.PLATFORM_ADMIN],
            created_at=platform.clock(),
        )
        uow.commit()
    return _token(platform, admin.id)


def _issuer_and_achievement(
    api: Api, headers: dict[str, str], *, approve: bool = True, **extra: Any
) -> tuple[dict[str, Any], int]:
    """An issuer (approved by a platform admin, unless ``approve`` is False) with one achievement."""
    created = api.call(
        "POST",
        "/api/v1/issuers",
        json={"name": "Code School", "url": "https://school.example", "email": "badges@school.example"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    issuer = created.json()
    assert issuer["standing"] == "unverified"
    if approve:
        approved = api.call(
            "POST", f"/api/v1/issuers/{issuer['slug']}/approval", headers=_admin(api.platform)
        )
        assert approved.status_code == 200, approved.text
        issuer = {**issuer, **approved.json()}
    achievement = api.call(
        "POST",
        f"/api/v1/issuers/{issuer['slug']}/achievements",
        json={**ACHIEVEMENT, **extra},
        headers=headers,
    )
    assert achievement.status_code == 201, achievement.text
    return issuer, achievement.json()["id"]


def _verified(credential: dict[str, Any]) -> dict[str, Any]:
    data_integrity.verify_proof(credential, public_key_of_did_key, pinned_contexts())
    return credential


def _status_entry(credential: dict[str, Any]) -> dict[str, Any]:
    status = credential["credentialStatus"]
    entry: dict[str, Any] = status[0] if isinstance(status, list) else status
    return entry


def _bit(api: Api, entry: dict[str, Any]) -> tuple[bool, Any]:
    """The credential's bit in its published status list (the list's own proof checked first)."""
    response = api.call("GET", urlsplit(entry["statusListCredential"]).path)
    assert response.status_code == 200, response.text
    status_list = _verified(json.loads(response.text))
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    bits = decode_status_list(status_list["credentialSubject"]["encodedList"])
    return bits.get(int(entry["statusListIndex"])), response


def test_an_issuer_issues_verifiable_credentials_and_revokes_one(api: Api, people: People) -> None:
    issuer, achievement_id = _issuer_and_achievement(api, people.school)
    assert issuer["did"].startswith("did:key:z6Mk")
    [key] = issuer["keys"]
    assert key["state"] == "active"
    assert key["verification_method"] == f"{issuer['did']}#{key['publicKeyMultibase']}"

    issued = api.call(
        "POST",
        f"/api/v1/achievements/{achievement_id}/credentials",
        json={"recipients": [LEA, {"did": "did:example:bob"}]},
        headers=people.school,
    )
    assert issued.status_code == 201, issued.text
    to_lea, to_bob = issued.json()
    credential = _verified(to_lea["credential"])
    _verified(to_bob["credential"])
    assert to_lea["status"] == "active"
    assert to_lea["verify_url"].endswith(f"/credentials/{to_lea['id']}")
    assert credential["id"] == f"urn:uuid:{to_lea['id']}"
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "lea@x.test" not in issued.text  # the e-mail travels hashed
    subject = credential["credentialSubject"]
    assert [a["targetUrl"] for a in subject["achievement"]["alignment"]] == [PYTHON, HASKELL]
    assert subject["achievement"]["alignment"][0]["targetName"] == "Python (computer programming)"
    assert subject["result"][0]["value"] == "A"
    assert to_bob["credential"]["credentialSubject"]["id"] == "did:example:bob"

    # anyone holding the id reads it; the recipient's profile gets the skill with credential evidence
    # once they accept the pending credential in their wallet
    public = api.call("GET", f"/api/v1/credentials/{to_lea['id']}")
    assert public.status_code == 200
    assert public.json()["credential"] == credential
    assert "recipient_user_id" not in public.json()
    profile = api.call("GET", "/api/v1/profiles/me", headers=people.lea)
    assert PYTHON not in profile.text
    wallet_path = f"/api/v1/users/{people.lea_id}/wallet"
    [pending] = api.call("GET", wallet_path, headers=people.lea).json()
    assert pending["state"] == "pending"
    accepted = api.call("POST", f"{wallet_path}/{pending['id']}/accept", headers=people.lea)
    assert accepted.status_code == 200, accepted.text
    profile = api.call("GET", "/api/v1/profiles/me", headers=people.lea)
    assert profile.status_code == 200, profile.text
    assert PYTHON in profile.text

    entry = _status_entry(credential)
    revoked_before, first = _bit(api, entry)
    assert not revoked_before
    assert first.headers["cache-control"] == "public, max-age=300"
    assert first.headers["content-type"].startswith("application/json")
    etag = first.headers["etag"]
    not_modified = api.call(
        "GET", urlsplit(entry["statusListCredential"]).path, headers={"If-None-Match": etag}
    )
    assert not_modified.status_code == 304

    revoke = f"/api/v1/credentials/{to_lea['id']}/revoke"
    assert_problem(api.call("POST", revoke, json={"reason": "x"}).json(), 401, "not_authenticated")
    assert_problem(api.call("POST", revoke, headers=people.stranger).json(), 403, "permission_denied")
    assert_problem(api.call("POST", revoke, headers=people.lea).json(), 403, "permission_denied")
    done = api.call("POST", revoke, json={"reason": "copied the practical"}, headers=people.school)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "revoked"
    assert (done.json()["recipient_name"], done.json()["recipient_email"]) == (
        "Lea",
        "lea@x.test",
    )  # as entered
    assert done.json()["status_reason"] == "copied the practical"

    revoked_after, second = _bit(api, entry)
    assert revoked_after
    assert second.headers["etag"] != etag
    platform = api.platform
    assert second.text == credential_issuing.status_list_document(
        platform.uow(),
        platform.key_vault,
        list_id=int(urlsplit(entry["statusListCredential"]).path.rsplit("/", 1)[1]),
        publication=platform.publication,
        cache=platform.status_list_cache,
    )
    assert not _bit(api, _status_entry(to_bob["credential"]))[0]
    shown = api.call("GET", f"/api/v1/credentials/urn:uuid:{to_lea['id']}").json()
    assert shown["status"] == "revoked"
    assert "copied" not in json.dumps(shown)  # the reason stays with the issuer
    again = api.call("POST", revoke, headers=people.school)
    assert_problem(again.json(), 409, "conflict")
    skills = api.call("GET", "/api/v1/profiles/me", headers=people.lea).json()["skills"]
    assert skills
    assert all(s["evidence"] == [] for s in skills)

    listed = api.call("GET", f"/api/v1/issuers/{issuer['slug']}/credentials?limit=1", headers=people.school)
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == 2
    assert len(listed.json()["items"]) == 1
    assert listed.json()["items"][0]["recipient_user_id"] in (people.lea_id, None)
    credentials_path = f"/api/v1/issuers/{issuer['slug']}/credentials"
    assert api.call("GET", credentials_path, headers=people.stranger).status_code == 403
    assert api.call("GET", credentials_path).status_code == 401


def test_suspension_and_other_proof_formats(api: Api, people: People) -> None:
    _, achievement_id = _issuer_and_achievement(api, people.school, suspendable=True)
    issued = api.call(
        "POST",
        f"/api/v1/achievements/{achievement_id}/credentials",
        json={"recipients": [{"did": "did:example:carla"}], "proof_format": "eddsa-jcs-2022"},
        headers=people.school,
    )
    assert issued.status_code == 201, issued.text
    [record] = issued.json()
    credential = _verified(record["credential"])
    proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    entry = _status_entry(credential)
    assert entry["statusPurpose"] == "suspension"
    base = f"/api/v1/credentials/{record['id']}"
    assert api.call("POST", f"{base}/suspend", headers=people.school).json()["status"] == "suspended"
    assert _bit(api, entry)[0]
    assert_problem(api.call("POST", f"{base}/suspend", headers=people.school).json(), 409, "conflict")
    assert api.call("POST", f"{base}/reinstate", headers=people.school).json()["status"] == "active"
    assert not _bit(api, entry)[0]

    jwt = api.call(
        "POST",
        f"/api/v1/achievements/{achievement_id}/credentials",
        json={"recipients": [{"did": "did:example:dan"}], "proof_format": "jwt"},
        headers=people.school,
    )
    assert jwt.status_code == 201, jwt.text
    token = jwt.json()[0]["credential"]
    assert isinstance(token, str)
    decoded = vc_jwt.decode_jwt_unverified(token)
    assert decoded.kid is not None
    vc_jwt.verify_jwt_signature(token, public_key_of_did_key(decoded.kid))
    assert api.call("GET", f"/api/v1/credentials/{jwt.json()[0]['id']}").json()["credential"] == token


def test_a_batch_with_a_bad_row_issues_nothing(api: Api, people: People) -> None:
    issuer, achievement_id = _issuer_and_achievement(api, people.school)
    batch = f"/api/v1/achievements/{achievement_id}/credentials/batch"
    bad = "email,did,evidence_narrative,result:grade\nlea@x.test,,Built it,A\nnot-an-email,,,B\n,nope,,\n"
    rejected = api.call(
        "POST", batch, files={"file": ("cohort.csv", bad.encode(), "text/csv")}, headers=people.school
    )
    assert rejected.status_code == 422, rejected.text
    body = rejected.json()
    assert_problem(body, 422, "batch_rejected")
    assert [(r["line"], r["column"]) for r in body["rows"]] == [(3, "email"), (4, "did")]
    assert "cohort.csv" in body["detail"]
    unknown = api.call(
        "POST",
        batch,
        content=b"email,mark\na@x.test,9\n",
        headers={**people.school, "Content-Type": "text/csv"},
    )
    assert unknown.status_code == 422
    assert unknown.json()["rows"][0]["column"] == "mark"
    listed = api.call("GET", f"/api/v1/issuers/{issuer['slug']}/credentials", headers=people.school)
    assert listed.json()["total"] == 0

    good = "email,did,result:grade\nlea@x.test,,A\n,did:example:c,B\n"
    stranger = api.call("POST", batch, files={"file": ("c.csv", good.encode())}, headers=people.stranger)
    assert_problem(stranger.json(), 403, "permission_denied")
    assert api.call("POST", batch, files={"file": ("c.csv", good.encode())}).status_code == 401
    wrong_type = api.call("POST", batch, json={"rows": []}, headers=people.school)
    assert_problem(wrong_type.json(), 422, "invalid_input")
    uploaded = api.call("POST", batch, files={"file": ("c.csv", good.encode())}, headers=people.school)
    assert uploaded.status_code == 201, uploaded.text
    assert len(uploaded.json()) == 2
    for record in uploaded.json():
        _verified(record["credential"])
    as_body = api.call(
        "POST",
        f"{batch}?proof_format=eddsa-jcs-2022",
        content=b"did\ndid:example:e\n",
        headers={**people.school, "Content-Type": "text/csv; charset=utf-8"},
    )
    assert as_body.status_code == 201, as_body.text
    assert api.call("GET", f"{batch}").status_code == 405
    listed = api.call("GET", f"/api/v1/issuers/{issuer['slug']}/credentials", headers=people.school)
    assert listed.json()["total"] == 3

    # the JSON form names the recipient by its place in the request
    several = api.call(
        "POST",
        f"/api/v1/achievements/{achievement_id}/credentials",
        json={"recipients": [{"did": "did:example:f"}, {"email": "x@x.test", "results": {"mark": "9"}}]},
        headers=people.school,
    )
    assert several.status_code == 422, several.text
    assert several.json()["rows"] == [
        {"index": 1, "field": "recipients[1].results", "message": several.json()["rows"][0]["message"]}
    ]
    one = api.call(
        "POST",
        f"/api/v1/achievements/{achievement_id}/credentials",
        json={"recipients": [{"email": "not-an-email"}]},
        headers=people.school,
    )
    assert_problem(one.json(), 422, "invalid_input")
    assert one.json()["field"] == "recipients[0].email"
    assert (
        api.call("GET", f"/api/v1/issuers/{issuer['slug']}/credentials", headers=people.school).json()[
            "total"
        ]
        == 3
    )


def test_who_may_do_what_and_what_is_missing(api: Api, people: People) -> None:
    anonymous = api.call("POST", "/api/v1/issuers", json={"name": "Nobody"})
    assert_problem(anonymous.json(), 401, "not_authenticated")
    professional = api.call("POST", "/api/v1/issuers", json={"name": "Me"}, headers=people.lea)
    assert_problem(professional.json(), 403, "permission_denied")
    no_org = api.call(
        "POST", "/api/v1/issuers", json={"name": "X", "organisation": "nope"}, headers=people.school
    )
    assert_problem(no_org.json(), 404, "not_found")
    bad_email = api.call(
        "POST", "/api/v1/issuers", json={"name": "X", "email": "nope"}, headers=people.school
    )
    assert_problem(bad_email.json(), 422, "invalid_input")

    org = make_organisation(api.platform)
    assert org.admin.user_id is not None
    acme = {"name": "Acme Academy", "organisation": "acme"}
    assert_problem(
        api.call("POST", "/api/v1/issuers", json=acme, headers=people.school).json(), 404, "not_found"
    )
    for_org = api.call("POST", "/api/v1/issuers", json=acme, headers=_token(api.platform, org.admin.user_id))
    assert for_org.status_code == 201, for_org.text
    assert for_org.json()["organisation_id"] == org.organisation_id

    issuer, achievement_id = _issuer_and_achievement(api, people.school)
    slug = issuer["slug"]
    listed = api.call("GET", "/api/v1/issuers")
    assert [i["slug"] for i in listed.json()["items"]] == ["acme-academy", slug]
    assert api.call("GET", f"/api/v1/issuers/{slug}").json()["keys"] == issuer["keys"]
    achievements = api.call("GET", f"/api/v1/issuers/{slug}/achievements").json()
    assert achievements["total"] == 1
    assert achievements["items"][0]["alignments"][1] == {
        "uri": HASKELL,
        "label": "Haskell",
        "framework": "ESCO",
    }
    assert api.call("GET", f"/api/v1/achievements/{achievement_id}").json()["name"] == ACHIEVEMENT["name"]

    not_a_skill = {**ACHIEVEMENT, "alignments": [{"uri": "http://example.org/nope"}]}
    refused = api.call(
        "POST", f"/api/v1/issuers/{slug}/achievements", json=not_a_skill, headers=people.school
    )
    assert_problem(refused.json(), 422, "invalid_input")
    assert "alignments[0]" in refused.json()["detail"]
    by_name = {**ACHIEVEMENT, "alignments": [{"uri": "python"}]}
    named = api.call("POST", f"/api/v1/issuers/{slug}/achievements", json=by_name, headers=people.school)
    assert named.status_code == 201, named.text
    assert named.json()["alignments"][0]["uri"] == PYTHON
    unknown = {**ACHIEVEMENT, "alignments": [{"uri": "pythn"}]}
    refused = api.call("POST", f"/api/v1/issuers/{slug}/achievements", json=unknown, headers=people.school)
    assert_problem(refused.json(), 422, "invalid_input")
    assert refused.json()["detail"].startswith("alignments[0].uri: no skill named 'pythn'; did you mean")
    assert refused.json()["candidates"][0]["uri"] == PYTHON
    stranger = api.call(
        "POST", f"/api/v1/issuers/{slug}/achievements", json=ACHIEVEMENT, headers=people.stranger
    )
    assert_problem(stranger.json(), 403, "permission_denied")
    issue = f"/api/v1/achievements/{achievement_id}/credentials"
    assert_problem(
        api.call("POST", issue, json={"recipients": [LEA]}, headers=people.stranger).json(),
        403,
        "permission_denied",
    )
    assert_problem(api.call("POST", issue, json={"recipients": [LEA]}).json(), 401, "not_authenticated")
    assert_problem(
        api.call("POST", issue, json={"recipients": []}, headers=people.school).json(), 422, "invalid_input"
    )
    bad_format = api.call(
        "POST", issue, json={"recipients": [LEA], "proof_format": "rsa"}, headers=people.school
    )
    assert_problem(bad_format.json(), 422, "invalid_input")

    for path in (
        "/api/v1/issuers/nope",
        "/api/v1/achievements/999",
        "/api/v1/credentials/00000000-0000-0000-0000-000000000000",
        "/status-lists/999",
        "/achievements/999",
        "/issuers/nope/did.json",
        f"/issuers/{slug}/did.json",  # a did:key issuer has no document to serve
    ):
        missing = api.call("GET", path)
        assert missing.status_code == 404, path
        assert_problem(missing.json(), 404, "not_found")
    too_big = api.call("GET", "/status-lists/99999999999")
    assert too_big.status_code == 422

    # keys: rotate, refuse to withdraw the active one, withdraw the retired one
    first_key = issuer["keys"][0]["id"]
    assert api.call("POST", f"/api/v1/issuers/{slug}/keys/rotate", headers=people.stranger).status_code == 403
    rotated = api.call("POST", f"/api/v1/issuers/{slug}/keys/rotate", json={}, headers=people.school)
    assert rotated.status_code == 201, rotated.text
    assert rotated.json()["state"] == "active"
    active = rotated.json()["id"]
    refused = api.call("POST", f"/api/v1/issuers/{slug}/keys/{active}/withdraw", headers=people.school)
    assert_problem(refused.json(), 409, "conflict")
    withdrawn = api.call("POST", f"/api/v1/issuers/{slug}/keys/{first_key}/withdraw", headers=people.school)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["state"] == "withdrawn"
    assert withdrawn.json()["withdrawn_at"] is not None
    states = [k["state"] for k in api.call("GET", f"/api/v1/issuers/{slug}").json()["keys"]]
    assert sorted(states) == ["active", "withdrawn"]
    assert (
        api.call("POST", f"/api/v1/issuers/{slug}/keys/999/withdraw", headers=people.school).status_code
        == 404
    )


@pytest.fixture
def https_platform(settings: Settings, taxonomy_platform: Platform) -> Iterator[Platform]:
    """The same database (mini ESCO loaded), served from an https address: issuers get did:web."""
    platform = bootstrap(
        settings.model_copy(update={"public_url": "https://careers.example"}), passwords=FAST_HASHER
    )
    yield platform
    platform.dispose()


@pytest.fixture
def https_api(https_platform: Platform) -> Iterator[Api]:
    yield from _client(https_platform)


def test_a_did_web_issuer_publishes_its_did_document(https_api: Api) -> None:
    api, people = https_api, _people(https_api.platform)
    issuer, achievement_id = _issuer_and_achievement(api, people.school)
    slug = issuer["slug"]
    assert issuer["did"] == f"did:web:careers.example:issuers:{slug}"
    served = api.call("GET", f"/issuers/{slug}/did.json")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/json")
    document = served.json()
    assert document["id"] == issuer["did"]
    assert document["assertionMethod"] == [issuer["keys"][0]["verification_method"]]
    negotiated = api.call("GET", f"/issuers/{slug}/did.json", headers={"Accept": "application/did+json"})
    assert negotiated.headers["content-type"].startswith("application/did+json")

    def resolve(method: str) -> bytes:
        found = [m for m in document["verificationMethod"] if m["id"] == method]
        assert found, f"{method} is not in the DID document"
        return decode_public_key(found[0]["publicKeyMultibase"])

    issued = api.call(
        "POST",
        f"/api/v1/achievements/{achievement_id}/credentials",
        json={"recipients": [{"did": "did:example:bob"}]},
        headers=people.school,
    )
    assert issued.status_code == 201, issued.text
    credential = issued.json()[0]["credential"]
    data_integrity.verify_proof(credential, resolve, pinned_contexts())
    assert issued.json()[0]["verify_url"].startswith("https://careers.example/credentials/")
    achievement_url = credential["credentialSubject"]["achievement"]["id"]
    assert achievement_url == f"https://careers.example/achievements/{achievement_id}"
    published = api.call("GET", urlsplit(achievement_url).path)
    assert published.status_code == 200
    assert published.json()["id"] == achievement_url
    assert published.json()["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert published.json()["alignment"][0]["targetUrl"] == PYTHON
    status_list = api.call("GET", urlsplit(_status_entry(credential)["statusListCredential"]).path)
    data_integrity.verify_proof(json.loads(status_list.text), resolve, pinned_contexts())


ISSUER_ACTORS = ("anonymous", "holder", "other_user", "issuer_manager", "platform_admin")


def _issuer_headers(api: Api, people: People, who: str) -> dict[str, str]:
    return {
        "anonymous": {},
        "holder": people.lea,
        "other_user": people.stranger,
        "issuer_manager": people.school,
        "platform_admin": _admin(api.platform),
    }[who]


@pytest.mark.parametrize(
    ("who", "expected"), list(zip(ISSUER_ACTORS, (401, 403, 403, 403, 200), strict=True))
)
def test_approving_an_issuer_matrix(api: Api, people: People, who: str, expected: int) -> None:
    issuer, _ = _issuer_and_achievement(api, people.school, approve=False)
    path = f"/api/v1/issuers/{issuer['slug']}/approval"
    response = api.call("POST", path, headers=_issuer_headers(api, people, who))
    assert response.status_code == expected, response.text
    standing = api.call("GET", f"/api/v1/issuers/{issuer['slug']}").json()["standing"]
    assert standing == ("approved" if expected == 200 else "unverified")
    if expected == 200:
        assert response.json()["shown_name"] == "Code School (approved)"
        assert api.call("POST", path, headers=_admin(api.platform)).status_code == 409
    withdrawn = api.call("DELETE", path, headers=_issuer_headers(api, people, who))
    assert withdrawn.status_code == (200 if expected == 200 else expected)
    assert api.call("GET", f"/api/v1/issuers/{issuer['slug']}").json()["standing"] == "unverified"


@pytest.mark.parametrize(
    ("who", "expected"), list(zip(ISSUER_ACTORS, (401, 403, 403, 201, 201), strict=True))
)
def test_proving_a_domain_matrix(api: Api, people: People, who: str, expected: int) -> None:
    issuer, _ = _issuer_and_achievement(api, people.school, approve=False)
    asked: list[str] = []
    served: dict[str, object] = {}

    def fetch(url: str) -> object | None:
        asked.append(url)
        return served.get(url)

    api.platform.caches["domain_proof_fetcher"] = fetch
    path = f"/api/v1/issuers/{issuer['slug']}/domain"
    headers = _issuer_headers(api, people, who)
    started = api.call("POST", path, json={"domain": "school.example"}, headers=headers)
    assert started.status_code == expected, started.text
    if expected != 201:
        assert api.call("GET", path, headers=headers).status_code == expected
        assert api.call("POST", f"{path}/verify", headers=headers).status_code == expected
        assert asked == []
        return
    challenge = started.json()
    assert challenge["url"] == "https://school.example/.well-known/microcareer-issuer.json"
    assert api.call("GET", path, headers=headers).json() == challenge
    unserved = api.call("POST", f"{path}/verify", headers=headers)
    assert_problem(unserved.json(), 422, "invalid_input")
    served[challenge["url"]] = challenge["document"]
    verified = api.call("POST", f"{path}/verify", headers=headers)
    assert verified.status_code == 200, verified.text
    assert (verified.json()["standing"], verified.json()["verified_domain"]) == (
        "domain_verified",
        "school.example",
    )
    assert verified.json()["shown_name"] == "Code School (domain verified, school.example)"
    assert api.call("GET", path, headers=headers).status_code == 404
    bad = api.call("POST", path, json={"domain": "127.0.0.1"}, headers=headers)
    assert_problem(bad.json(), 422, "invalid_input")


def test_issuer_names_are_unique_whatever_their_spelling(api: Api, people: People) -> None:
    _issuer_and_achievement(api, people.school)
    for name in ("code school", "CODE-SCHOOL", "Ｃｏｄｅ Ｓｃｈｏｏｌ", "Çode Schööl"):
        taken = api.call("POST", "/api/v1/issuers", json={"name": name}, headers=people.stranger)
        assert_problem(taken.json(), 409, "conflict")
        assert "exists already" in taken.json()["detail"]


def test_an_unverified_issuer_reaches_no_wallet(api: Api, people: People) -> None:
    _, achievement_id = _issuer_and_achievement(api, people.school, approve=False)
    issued = api.call(
        "POST",
        f"/api/v1/achievements/{achievement_id}/credentials",
        json={"recipients": [LEA]},
        headers=people.school,
    )
    assert issued.status_code == 201, issued.text
    assert api.call("GET", f"/api/v1/users/{people.lea_id}/wallet", headers=people.lea).json() == []
    assert PYTHON not in api.call("GET", "/api/v1/profiles/me", headers=people.lea).text


def test_revoke_batch_from_a_csv_all_or_nothing(api: Api, people: People) -> None:
    issuer, achievement_id = _issuer_and_achievement(api, people.school)
    batch = f"/api/v1/achievements/{achievement_id}/credentials/batch"
    cohort = (
        "email,did,narrative,result:grade\nlea@x.test,,Led the team's database work,A\n,did:example:c,,B\n"
    )
    issued = api.call("POST", batch, files={"file": ("c.csv", cohort.encode())}, headers=people.school).json()
    lea = next(record for record in issued if "narrative" in record["credential"]["credentialSubject"])
    subject = lea["credential"]["credentialSubject"]
    assert subject["narrative"] == "Led the team's database work"
    _verified(lea["credential"])
    revoke = f"/api/v1/issuers/{issuer['slug']}/credentials/revoke-batch"
    bad = f"credential_id,did,reason\n{lea['id']},,left\nnot-an-id,,\n,did:example:nobody,\n"
    rejected = api.call("POST", revoke, files={"file": ("r.csv", bad.encode())}, headers=people.school)
    body = rejected.json()
    assert_problem(body, 422, "batch_rejected")
    assert [(r["line"], r["column"]) for r in body["rows"]] == [(3, "credential_id"), (4, "did")]
    assert "nothing was revoked" in body["detail"]
    entry = _status_entry(lea["credential"])
    assert not _bit(api, entry)[0]
    good = f"credential_id,did,reason\nurn:uuid:{lea['id']},,left\n,did:example:c,\n"
    assert api.call("POST", revoke, files={"file": ("r.csv", good.encode())}).status_code == 401
    for outsider in (people.stranger, people.lea):
        refused = api.call("POST", revoke, files={"file": ("r.csv", good.encode())}, headers=outsider)
        assert_problem(refused.json(), 403, "permission_denied")
    missing = api.call("POST", "/api/v1/issuers/nope/credentials/revoke-batch", headers=people.school)
    assert_problem(missing.json(), 404, "not_found")
    done = api.call(
        "POST", revoke, content=good.encode(), headers={**people.school, "Content-Type": "text/csv"}
    )
    assert done.status_code == 200, done.text
    assert sorted(record["status"] for record in done.json()) == ["revoked", "revoked"]
    assert {record["status_reason"] for record in done.json()} == {"left", ""}
    assert _bit(api, entry)[0]
    again = api.call("POST", revoke, files={"file": ("r.csv", good.encode())}, headers=people.school)
    assert again.json()["rows"][0]["message"].endswith("is already revoked")
