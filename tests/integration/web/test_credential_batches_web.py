"""/verify/batch on each database: signed-in users only, the session's CSRF token, bounded uploads, and
one verdict per credential in the order sent (JSON arrays counted as their elements)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.services import credential_verification_batches as batches
from tests.integration.store.test_credential_services import LEA, World, _issue, _world
from tests.integration.store.test_wallet_services import OFFLINE
from tests.integration.web.test_profiles_web import sign_in


@pytest.fixture
def world(taxonomy_platform: Platform) -> World:
    taxonomy_platform.caches["verifier_sources"] = OFFLINE
    return _world(taxonomy_platform)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.platform), follow_redirects=False) as client:
        yield client


def _signed_in(client: TestClient, world: World) -> str:
    platform = world.platform
    with platform.uow() as uow:
        nia = uow.accounts.add_user(
            email="nia@x.test",
            display_name="Nia",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=platform.clock(),
        )
        uow.commit()
    return sign_in(client, platform, Actor(user_id=nia.id, roles=frozenset({Role.PROFESSIONAL})))


def _verdicts(page: str) -> list[str]:
    return re.findall(r'<td class="verdict (\w+)">', page)


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    for method in ("GET", "POST"):
        response = client.request(method, "/verify/batch")
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/verify/batch"


def test_uploaded_files_are_verified_in_order(client: TestClient, world: World) -> None:
    (record,) = _issue(world, LEA)
    credential = json.loads(record.document)
    tampered = {**credential, "name": "Rocket science"}
    token = _signed_in(client, world)
    form = client.get("/verify/batch")
    assert form.status_code == 200
    files = [
        ("files", ("good.json", record.document.encode(), "application/json")),
        ("files", ("both.json", json.dumps([tampered, credential]).encode(), "application/json")),
    ]
    response = client.post("/verify/batch", data={"csrf_token": token}, files=files)
    assert response.status_code == 200, response.text[:500]
    assert _verdicts(response.text) == ["valid", "invalid", "valid"]
    for name in ("good.json", "both.json[0]", "both.json[1]"):
        assert name in response.text
    assert "3 checked: 2 valid, 0 signature valid but status unknown, 1 not valid" in response.text


def test_a_forged_token_no_file_or_too_many_are_refused(client: TestClient, world: World) -> None:
    (record,) = _issue(world, LEA)
    token = _signed_in(client, world)
    one = [("files", ("good.json", record.document.encode(), "application/json"))]
    forged = client.post("/verify/batch", data={"csrf_token": "forged"}, files=one)
    assert forged.status_code == 403
    assert "did not come from this site" in forged.text
    none = client.post("/verify/batch", data={"csrf_token": token})
    assert none.status_code == 422
    assert "choose one or more credential files" in none.text
    many = json.dumps([json.loads(record.document)] * (batches.MAX_DOCUMENTS + 1)).encode()
    too_many = client.post(
        "/verify/batch",
        data={"csrf_token": token},
        files=[("files", ("many.json", many, "application/json"))],
    )
    assert too_many.status_code == 422
    assert f"more than the {batches.MAX_DOCUMENTS} allowed" in too_many.text
    broken = client.post(
        "/verify/batch",
        data={"csrf_token": token},
        files=[("files", ("bad.json", b"[1,", "application/json"))],
    )
    assert broken.status_code == 422
    assert "bad.json: not JSON" in broken.text
