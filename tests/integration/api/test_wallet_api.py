"""Verifying credentials and the wallet over HTTP, on each database, with the mini ESCO.

Credentials are issued through the services (as in the service tests), then verified, tampered with,
revoked, imported and exported through the API. Nothing here reaches the network: the verifier's
outside sources are replaced by offline ones (did:key needs none).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from microcareer.adapters.did_web import DOCUMENT_NOT_FETCHED
from microcareer.adapters.outbound_http import Outbound
from microcareer.adapters.status_lists_http import LIST_NOT_FETCHED
from microcareer.asgi import create_app
from microcareer.bootstrap import Platform, online_verifier_sources
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.credentials import data_integrity
from microcareer.domain.credentials.baking import bake_png
from microcareer.domain.credentials.errors import InvalidProof
from microcareer.domain.credentials.issue_rows import IssueRequest
from microcareer.domain.credentials.multikey import public_key_of_did_key
from microcareer.domain.credentials.open_badges import AchievementDefinition, Recipient
from microcareer.services import achievements, credential_issuing
from microcareer.services.tokens import create_token
from microcareer.services.wallet import MAX_IMPORT_BYTES
from tests.integration.store.test_credential_services import LEA, World, _issue, _world
from tests.integration.store.test_wallet_services import OFFLINE, _png
from tests.integration.taxonomy_helpers import PYTHON
from tests.unit.domain.verification_helpers import Signer, entry
from tests.unit.domain.verification_helpers import credential as unsigned_credential

SECRET_WORDS = ("sealed", "secret", "private_key", "privatekey")


@dataclass
class Api:
    client: TestClient
    world: World
    lea: dict[str, str]
    sam: dict[str, str]
    nia: dict[str, str]
    nia_id: int
    seen: list[str]

    @property
    def lea_id(self) -> int:
        assert self.world.learner.user_id is not None
        return self.world.learner.user_id

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.request(method, path, **kwargs)
        self.seen.append(response.text)
        return response


def _token(platform: Platform, user_id: int) -> dict[str, str]:
    issued = create_token(
        platform.uow(), actor=Actor.system(), user_id=user_id, name="t", clock=platform.clock
    )
    return {"Authorization": f"Bearer {issued.plaintext}"}


@pytest.fixture
def api(taxonomy_platform: Platform) -> Iterator[Api]:
    with api_client(taxonomy_platform) as client:
        yield client


@contextmanager
def api_client(platform: Platform) -> Iterator[Api]:
    """The API over ``platform`` with the world of the credential tests and three users' tokens."""
    platform.caches["verifier_sources"] = OFFLINE  # no did:web, no status lists over HTTPS
    world = _world(platform)
    with platform.uow() as uow:
        nia = uow.accounts.add_user(
            email="nia@x.test",
            display_name="Nia",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=platform.clock(),
        )
        uow.commit()
    assert world.learner.user_id is not None
    assert world.stranger.user_id is not None
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        api = Api(
            client,
            world,
            lea=_token(platform, world.learner.user_id),
            sam=_token(platform, world.stranger.user_id),
            nia=_token(platform, nia.id),
            nia_id=nia.id,
            seen=[],
        )
        yield api
        for text in api.seen:  # no key material in any answer
            lowered = text.lower()
            assert not any(word in lowered for word in SECRET_WORDS), text[:200]


def _checks(report: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["outcome"] for c in report["checks"]}


def _verify(api: Api, **kwargs: Any) -> dict[str, Any]:
    response = api.call("POST", "/api/v1/credentials/verify", **kwargs)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def test_a_credential_verifies_until_tampered_with_or_revoked(api: Api) -> None:
    (record,) = _issue(api.world, LEA)
    credential = json.loads(record.document)

    report = _verify(api, json=credential)
    assert report["valid"], report["checks"]
    assert report["format"] == "json"
    assert report["issuer"] == credential["issuer"]["id"]
    assert report["credential"] == credential
    assert _checks(report)["proof"] == "pass"
    assert _checks(report)["status"] == "pass"
    assert set(report["checks"][0]) == {"name", "outcome", "reason"}
    uploaded = _verify(api, files={"file": ("badge.png", bake_png(_png(), record.document), "image/png")})
    assert uploaded["valid"]
    assert uploaded["format"] == "png"
    raw_png = _verify(api, content=bake_png(_png(), record.document), headers={"Content-Type": "image/png"})
    assert raw_png["valid"]

    tampered = {**credential, "name": "Rocket science"}
    report = _verify(api, json=tampered)  # still 200: the verification ran
    assert not report["valid"]
    assert _checks(report)["proof"] == "fail"

    issued = api.call("GET", f"/api/v1/credentials/{record.id}/verification")
    assert issued.status_code == 200, issued.text
    assert issued.json()["valid"]
    credential_issuing.change_status(
        api.world.platform.uow(),
        actor=api.world.issuer_actor,
        credential_id=record.id,
        action="revoke",
        now=api.world.platform.clock(),
    )
    for report in (
        api.call("GET", f"/api/v1/credentials/urn:uuid:{record.id}/verification").json(),
        _verify(api, json=credential),
    ):
        assert not report["valid"]
        status = next(c for c in report["checks"] if c["name"] == "status")
        assert status["outcome"] == "fail"
        assert "revoked" in status["reason"]
    unknown = api.call("GET", "/api/v1/credentials/00000000-0000-0000-0000-000000000000/verification")
    assert unknown.status_code == 404


def test_a_jwt_credential_verifies_as_json_or_text(api: Api) -> None:
    (record,) = _issue(api.world, LEA, proof_format="jwt")
    assert _verify(api, json={"jwt": record.document})["valid"]
    report = _verify(api, content=record.document, headers={"Content-Type": "text/plain"})
    assert report["valid"]
    assert report["format"] == "jwt"
    forged = record.document[:-4] + ("AAAA" if not record.document.endswith("AAAA") else "BBBB")
    assert not _verify(api, json={"jwt": forged})["valid"]


def test_only_an_unreadable_request_is_refused(api: Api) -> None:
    garbage = _verify(api, content=b"hello, world", headers={"Content-Type": "text/plain"})
    assert not garbage["valid"]
    assert garbage["credential"] is None
    for kwargs in (
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
        {"content": b"", "headers": {"Content-Type": "application/json"}},
        {"json": {"jwt": 42}},
        {"files": {"other": ("x.json", b"{}", "application/json")}},
        {"content": b"x" * (MAX_IMPORT_BYTES + 1), "headers": {"Content-Type": "text/plain"}},
        {"files": {"file": ("big.json", b"x" * (MAX_IMPORT_BYTES + 1), "application/json")}},
    ):
        response = api.call("POST", "/api/v1/credentials/verify", **kwargs)
        assert response.status_code == 422, (kwargs.get("headers"), response.text[:300])
        assert response.headers["content-type"] == "application/problem+json"


def test_the_wallet_is_its_owners_and_public_entries_are_anyones(api: Api) -> None:
    (record,) = _issue(api.world, LEA)
    path = f"/api/v1/users/{api.lea_id}/wallet"
    mine = api.call("GET", path, headers=api.lea)
    assert mine.status_code == 200, mine.text
    [entry] = mine.json()
    assert (entry["issued_id"], entry["issued_status"]) == (record.id, "active")
    assert (entry["format"], entry["title"], entry["issuer_name"]) == (
        "json",
        "Python for data work",
        "Code School",
    )
    assert entry["public"] is False
    assert (entry["state"], entry["issuer_standing"], entry["shown_issuer"]) == (
        "pending",
        "approved",
        "Code School (approved)",
    )
    assert entry["credential"]["id"] == f"urn:uuid:{record.id}"
    assert entry["details"]["verify_url"].endswith(record.id)
    assert api.call("GET", path, headers=api.sam).status_code == 403
    assert api.call("GET", path).status_code == 401
    assert api.call("GET", f"{path}/{entry['id']}", headers=api.sam).status_code == 404
    assert api.call("GET", f"{path}/public").json() == []

    entry_path = f"{path}/{entry['id']}"
    pending = api.call("PATCH", entry_path, json={"public": True}, headers=api.lea)
    assert pending.status_code == 409  # accept it first
    accepted = api.call("POST", f"{entry_path}/accept", headers=api.lea)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "accepted"
    # a private entry does not exist for others; once shown, they may read but not change it
    assert api.call("PATCH", entry_path, json={"public": True}, headers=api.sam).status_code == 404
    shown = api.call("PATCH", entry_path, json={"public": True}, headers=api.lea)
    assert shown.status_code == 200, shown.text
    assert shown.json()["public"] is True
    assert api.call("PATCH", entry_path, json={"public": False}, headers=api.sam).status_code == 403
    assert api.call("PATCH", entry_path, json={"public": False}).status_code == 401
    public = api.call("GET", f"{path}/public")
    assert [e["id"] for e in public.json()] == [entry["id"]]
    assert api.call("GET", f"{path}/{entry['id']}").json()["credential"] == entry["credential"]
    other = f"/api/v1/users/{api.nia_id}/wallet/{entry['id']}"  # the entry under someone else's wallet
    assert api.call("GET", other).status_code == 404
    assert api.call("DELETE", other, headers=api.nia).status_code == 404
    gone = api.call("DELETE", f"{path}/{entry['id']}", headers=api.lea)
    assert gone.status_code == 204  # the holder can always remove it, even one issued here
    assert api.call("GET", path, headers=api.lea).json() == []
    assert api.call("GET", f"{path}/public").json() == []


def _join(api: Api, email: str) -> tuple[int, dict[str, str]]:
    platform = api.world.platform
    with platform.uow() as uow:
        user = uow.accounts.add_user(
            email=email,
            display_name="Kai",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=platform.clock(),
        )
        uow.commit()
    return user.id, _token(platform, user.id)


def test_importing_a_baked_badge_once(api: Api) -> None:
    # issued before the person had an account here, then imported by them
    (mine,) = _issue(api.world, IssueRequest(Recipient(email="kai@x.test")))
    kai_id, kai = _join(api, "kai@x.test")
    path = f"/api/v1/users/{kai_id}/wallet"
    image = bake_png(_png(), mine.document)
    assert api.call("POST", path, files={"file": ("badge.png", image, "image/png")}).status_code == 401
    refused = api.call("POST", path, files={"file": ("badge.png", image, "image/png")}, headers=api.lea)
    assert refused.status_code == 403

    created = api.call("POST", path, files={"file": ("badge.png", image, "image/png")}, headers=kai)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["report"]["valid"]
    assert body["report"]["format"] == "png"
    entry = body["entry"]
    assert (entry["format"], entry["issued_id"], entry["title"]) == ("json", None, "Python for data work")
    assert entry["credential"]["id"] == f"urn:uuid:{mine.id}"
    assert entry["details"]["recipient_matches"] is True
    assert entry["details"]["skills_evidenced"] == 2
    profile = api.call("GET", f"/api/v1/profiles/{kai_id}", headers=kai)
    assert PYTHON in profile.text

    again = api.call("POST", path, json=json.loads(mine.document), headers=kai)
    assert again.status_code == 409, again.text
    tampered = {**json.loads(mine.document), "name": "Rocket science"}
    bad = api.call("POST", path, json=tampered, headers=kai)
    assert bad.status_code == 422
    assert "not imported" in bad.json()["detail"]

    removed = api.call("DELETE", f"{path}/{entry['id']}", headers=kai)
    assert removed.status_code == 204
    assert api.call("GET", path, headers=kai).json() == []


def test_an_open_badges_2_assertion_is_kept_unverified(api: Api) -> None:
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://example.org/assertions/123",
        "recipient": {"type": "email", "hashed": False, "identity": "nia@x.test"},
        "issuedOn": "2016-12-31T23:59:59Z",
        "verification": {"type": "hosted"},
        "badge": {
            "type": "BadgeClass",
            "id": "https://example.org/badges/5",
            "name": "3-D Printmaster",
            "description": "Prints things",
            "image": "https://example.org/badges/5/image",
            "criteria": {"narrative": "Print 3 things"},
            "issuer": {"id": "https://example.org/issuer", "type": "Profile", "name": "Makerspace"},
        },
    }
    created = api.call("POST", f"/api/v1/users/{api.nia_id}/wallet", json=assertion, headers=api.nia)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["report"] is None
    assert body["entry"]["format"] == "ob2"
    assert body["entry"]["credential"] == assertion
    assert body["entry"]["details"]["verifiable"] is False


def test_a_clr_export_verifies_with_each_credential_inside(api: Api) -> None:
    first, second = _issue(
        api.world, LEA, IssueRequest(Recipient(email="lea@x.test"), results={"grade": "B"})
    )
    path = f"/api/v1/users/{api.lea_id}/wallet"
    for pending in api.call("GET", path, headers=api.lea).json():
        assert api.call("POST", f"{path}/{pending['id']}/accept", headers=api.lea).status_code == 200
    assert api.call("GET", f"{path}/clr").status_code == 401
    assert api.call("GET", f"{path}/clr", headers=api.sam).status_code == 403
    response = api.call("GET", f"{path}/clr", headers=api.lea)
    assert response.status_code == 200, response.text
    clr = response.json()
    contexts = api.world.platform.publication.contexts
    data_integrity.verify_proof(clr, public_key_of_did_key, contexts)
    embedded = clr["credentialSubject"]["verifiableCredential"]
    assert [c["id"] for c in embedded] == [f"urn:uuid:{first.id}", f"urn:uuid:{second.id}"]
    for credential in embedded:
        data_integrity.verify_proof(credential, public_key_of_did_key, contexts)
    tampered = {**clr, "name": "Someone else's record"}
    with pytest.raises(InvalidProof):
        data_integrity.verify_proof(tampered, public_key_of_did_key, contexts)

    entries = [e["id"] for e in api.call("GET", path, headers=api.lea).json()]
    one = api.call("GET", f"{path}/clr", params={"entries": str(entries[1])}, headers=api.lea).json()
    assert [c["id"] for c in one["credentialSubject"]["verifiableCredential"]] == [f"urn:uuid:{second.id}"]
    assert api.call("GET", f"{path}/clr", params={"entries": "1,x"}, headers=api.lea).status_code == 422
    assert api.call("GET", f"{path}/clr", params={"entries": "99999"}, headers=api.lea).status_code == 404


def test_stack_progress_is_for_the_owner(api: Api) -> None:
    world = api.world
    now = world.platform.clock()
    part_two = achievements.define_achievement(
        world.platform.uow(),
        actor=world.issuer_actor,
        issuer_slug=world.slug,
        definition=AchievementDefinition(name="Haskell basics", description="d", criteria="c"),
        now=now,
    )
    whole = achievements.define_achievement(
        world.platform.uow(),
        actor=world.issuer_actor,
        issuer_slug=world.slug,
        definition=AchievementDefinition(
            name="Functional data engineer",
            description="d",
            criteria="Both parts",
            parts=(world.achievement_id, part_two.id),
        ),
        now=now,
    )
    _issue(world, LEA)
    path = f"/api/v1/users/{api.lea_id}/stacks"
    assert api.call("GET", path).status_code == 401
    assert api.call("GET", path, headers=api.sam).status_code == 403
    response = api.call("GET", path, headers=api.lea)
    assert response.status_code == 200, response.text
    assert response.json() == [
        {
            "achievement_id": whole.id,
            "name": "Functional data engineer",
            "held": [world.achievement_id],
            "missing": [part_two.id],
            "complete": False,
        }
    ]


LOOPBACK_DIDS = [
    "did:web:127.0.0.1%3A8443",
    "did:web:127.0.0.1",
    "did:web:localhost",
    "did:web:127.1",
    "did:web:2130706433",
    "did:web:0x7f.1",
    "did:web:127.0.0.1%3A22",
]

STATUS_URLS = [
    "https://127.0.0.1:8443/status/1",
    "https://localhost/status/1",
    "https://[::1]/status/1",
    "https://[::ffff:7f00:1]/status/1",
    "https://169.254.169.254/latest/meta-data",
    "https://2130706433/status/1",
]


def _numeric_only(host: str, port: int) -> list[str]:
    """The system resolver's reading of numeric hosts (and ``localhost``); never a DNS query."""
    if host == "localhost":
        return ["127.0.0.1", "::1"]
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    return [str(answer[4][0]) for answer in answers]


def _claimed_by(credential: dict[str, Any], did: str) -> dict[str, Any]:
    """The credential, claiming to be issued and signed by ``did``'s ``#key-1``."""
    (proof,) = credential["proof"] if isinstance(credential["proof"], list) else [credential["proof"]]
    return {
        **credential,
        "issuer": {**credential["issuer"], "id": did},
        "proof": [{**proof, "verificationMethod": f"{did}#key-1"}],
    }


def test_a_did_web_on_this_machine_is_never_fetched_and_reads_like_any_failure(api: Api) -> None:
    connections: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        connections.append(request)
        raise httpx.ConnectError("refused", request=request)

    outbound = Outbound(resolver=_numeric_only, transport=httpx.MockTransport(record))
    api.world.platform.caches["verifier_sources"] = online_verifier_sources(outbound)
    (record_,) = _issue(api.world, IssueRequest(Recipient(email="kai@x.test")))
    issued = json.loads(record_.document)
    kai_id, kai = _join(api, "kai@x.test")
    reasons: set[str] = set()
    for did in LOOPBACK_DIDS:
        method = f"{did}#key-1"
        forged = _claimed_by(issued, did)
        report = _verify(api, json=forged)
        assert not report["valid"]
        key = next(c for c in report["checks"] if c["name"] == "key")
        assert key["outcome"] == "fail"
        reasons.add(key["reason"].removeprefix(f"{method}: "))
        # a wallet import runs the same verification: kept as unverified, no evidence, same reason
        wallet = f"/api/v1/users/{kai_id}/wallet"
        imported = api.call("POST", wallet, json=forged, headers=kai)
        assert imported.status_code == 201, imported.text
        body = imported.json()
        assert body["entry"]["details"]["skills_evidenced"] == 0
        reasons.add(body["entry"]["details"]["failed"]["key"].removeprefix(f"{method}: "))
        assert api.call("DELETE", f"{wallet}/{body['entry']['id']}", headers=kai).status_code == 204
    assert reasons == {DOCUMENT_NOT_FETCHED}
    for url in STATUS_URLS:  # another issuer's status list on this machine: not fetched either
        entry = {**issued["credentialStatus"], "statusListCredential": url}
        report = _verify(api, json={**issued, "credentialStatus": entry})
        status = next(c for c in report["checks"] if c["name"] == "status")
        assert (status["outcome"], status["reason"]) == (
            "unknown",
            f"status unknown: status list {url} unavailable: {LIST_NOT_FETCHED}; revocation not checked",
        )
    assert connections == []
    # a public issuer's failure (here: refused) reads exactly the same
    public = Outbound(resolver=lambda host, port: ["93.184.216.34"], transport=httpx.MockTransport(record))
    api.world.platform.caches["verifier_sources"] = online_verifier_sources(public)
    method = "did:web:issuer.example#key-1"
    forged = _claimed_by(issued, "did:web:issuer.example")
    key = next(c for c in _verify(api, json=forged)["checks"] if c["name"] == "key")
    assert key["reason"] == f"{method}: {DOCUMENT_NOT_FETCHED}"
    assert [r.url.host for r in connections] == ["93.184.216.34"]


WALLET_ACTORS = ("anonymous", "holder", "other_user", "issuer_manager", "platform_admin")


def _wallet_headers(api: Api, who: str) -> dict[str, str]:
    platform = api.world.platform
    if who == "platform_admin":
        with platform.uow() as uow:
            admin = uow.accounts.add_user(
                email="root@x.test",
                display_name="Root",
                password_hash="x",
                roles=[Role.PLATFORM_ADMIN],
                created_at=platform.clock(),
            )
            uow.commit()
        return _token(platform, admin.id)
    if who == "issuer_manager":
        assert api.world.issuer_actor.user_id is not None
        return _token(platform, api.world.issuer_actor.user_id)
    return {"anonymous": {}, "holder": api.lea, "other_user": api.sam}[who]


@pytest.mark.parametrize(
    ("action", "who", "expected"),
    [
        (action, who, expected)
        for action, row in {
            "accept": (404, 200, 404, 404, 200),
            "decline": (404, 204, 404, 404, 204),
            "remove": (404, 204, 404, 404, 204),
        }.items()
        for who, expected in zip(WALLET_ACTORS, row, strict=True)
    ],
)
def test_pending_credential_actions_matrix(api: Api, action: str, who: str, expected: int) -> None:
    """Accept, decline and remove a pending entry: its holder and platform admins; for everyone else it
    does not exist (a pending entry is never public)."""
    _issue(api.world, LEA)
    path = f"/api/v1/users/{api.lea_id}/wallet"
    [entry] = api.call("GET", path, headers=api.lea).json()
    method, url = {
        "accept": ("POST", f"{path}/{entry['id']}/accept"),
        "decline": ("POST", f"{path}/{entry['id']}/decline"),
        "remove": ("DELETE", f"{path}/{entry['id']}"),
    }[action]
    response = api.call(method, url, headers=_wallet_headers(api, who))
    assert response.status_code == expected, response.text
    after = api.call("GET", path, headers=api.lea).json()
    if expected >= 400:
        assert [(e["id"], e["state"]) for e in after] == [(entry["id"], "pending")]
    elif action == "accept":
        assert [(e["id"], e["state"]) for e in after] == [(entry["id"], "accepted")]
        profile = api.call("GET", "/api/v1/profiles/me", headers=api.lea)
        assert PYTHON in profile.text
        assert "issuer approved by the platform" in profile.text
    else:
        assert after == []
    again = api.call("POST", f"{path}/{entry['id']}/decline", headers=api.lea)
    assert again.status_code == (409 if action == "accept" and expected < 400 else again.status_code)


def test_a_credential_whose_status_cannot_be_checked_reads_status_unknown_never_valid(api: Api) -> None:
    signer = Signer()  # another issuer (a did:key), its status list on a server this test cannot reach
    document = signer.sign(
        unsigned_credential(
            signer.did,
            validFrom="2020-01-01T00:00:00Z",
            validUntil=None,
            credentialStatus=entry("revocation", 3),
        )
    )
    report = _verify(api, json=document)
    assert (report["valid"], report["verdict"]) == (False, "status_unknown")
    assert _checks(report)["proof"] == "pass"
    assert _checks(report)["status"] == "unknown"
    imported = api.call("POST", f"/api/v1/users/{api.lea_id}/wallet", json=document, headers=api.lea)
    assert imported.status_code == 201, imported.text
    details = imported.json()["entry"]["details"]
    assert (details["valid"], details["verdict"]) == (False, "status_unknown")
    assert details["skills_evidenced"] == 0


def test_the_key_only_issuer_policy_is_a_query_parameter(api: Api) -> None:
    signer = Signer()
    document = signer.sign(
        unsigned_credential(
            "urn:uuid:6a1b4f6e-2f0d-4d2c-8f51-0d7f5c1f9e01", validFrom="2020-01-01T00:00:00Z", validUntil=None
        )
    )
    refused = _verify(api, json=document)
    assert (refused["verdict"], _checks(refused)["key"]) == ("invalid", "fail")
    response = api.call("POST", "/api/v1/credentials/verify?accept_key_only_issuer=true", json=document)
    assert response.status_code == 200, response.text
    accepted = response.json()
    assert (accepted["verdict"], accepted["valid"], _checks(accepted)["key"]) == ("valid", True, "warn")
