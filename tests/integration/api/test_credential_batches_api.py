"""POST /api/v1/credentials/verify-batch: several credentials, one request, the verdicts in order.

On each database (the ``api`` fixture of the wallet API tests: offline outside sources). The same
verdicts as one credential at a time; signed-in callers only; bounded in number and size; one batch
per user at a time.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from microcareer.bootstrap import Platform
from microcareer.errors import InvalidInput
from microcareer.services import credential_batch_verification
from microcareer.services import credential_verification_batches as batches
from tests.integration.api.test_wallet_api import Api, _verify, api_client
from tests.integration.store.test_credential_services import LEA, _issue

URL = "/api/v1/credentials/verify-batch"


@pytest.fixture
def api(taxonomy_platform: Platform) -> Iterator[Api]:
    with api_client(taxonomy_platform) as client:
        yield client


def _batch(api: Api, credentials: list[Any], headers: dict[str, str] | None = None, **params: Any) -> Any:
    return api.call("POST", URL, json={"credentials": credentials}, headers=headers or api.nia, params=params)


def test_the_verdicts_come_in_order_as_one_verification_gives_them(api: Api) -> None:
    (record,) = _issue(api.world, LEA)
    (jwt_record,) = _issue(api.world, LEA, proof_format="jwt")
    credential = json.loads(record.document)
    tampered = {**credential, "name": "Rocket science"}
    sent = [credential, tampered, jwt_record.document, "not a credential", record.document]
    response = _batch(api, sent)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [result["name"] for result in body["results"]] == [f"credentials[{i}]" for i in range(5)]
    assert [result["verdict"] for result in body["results"]] == [
        "valid",
        "invalid",
        "valid",
        "invalid",
        "valid",
    ]
    assert body["counts"] == {"valid": 3, "status_unknown": 0, "invalid": 2}
    for one, result in zip([credential, tampered], body["results"], strict=False):
        single = _verify(api, json=one)
        assert {k: v for k, v in result.items() if k != "name"} == single  # the same report, check by check


def test_a_batch_needs_a_signed_in_caller(api: Api) -> None:
    (record,) = _issue(api.world, LEA)
    anonymous = api.call("POST", URL, json={"credentials": [json.loads(record.document)]})
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    for who in (api.lea, api.sam, api.nia):  # any signed-in user, whatever their role
        assert _batch(api, [json.loads(record.document)], headers=who).status_code == 200


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"credentials": []}, "at least one"),
        ({"credentials": [{}] * (batches.MAX_DOCUMENTS + 1)}, f"more than the {batches.MAX_DOCUMENTS}"),
        ({"credentials": [42]}, "credentials[0]"),
        ({"credentials": ["ok", "  "]}, "credentials[1]: empty"),
        ({"credentials": {"a": 1}}, "a list of credentials"),
        ({"credentials": [], "extra": 1}, "nothing else"),
        ([1, 2], "nothing else"),
        ({"credentials": ["x" * (batches.MAX_DOCUMENT_BYTES + 1)]}, "credentials[0]: larger than"),
    ],
)
def test_a_batch_out_of_bounds_is_a_422_naming_what(api: Api, body: Any, named: str) -> None:
    response = api.call("POST", URL, json=body, headers=api.nia)
    assert response.status_code == 422, response.text[:300]
    assert named in response.json()["detail"]


def test_unreadable_or_oversized_bodies_are_refused(api: Api) -> None:
    broken = api.call(
        "POST", URL, content=b"{not json", headers={**api.nia, "Content-Type": "application/json"}
    )
    assert broken.status_code == 422
    assert "not JSON" in broken.json()["detail"]
    too_large = b'{"credentials": ["' + b"x" * (batches.MAX_BATCH_BYTES + 70 * 1024) + b'"]}'
    response = api.call(
        "POST", URL, content=too_large, headers={**api.nia, "Content-Type": "application/json"}
    )
    assert response.status_code == 413  # the server's body limit (MICROCAREER_MAX_BODY_BYTES) comes first
    assert "over the limit" in response.json()["detail"]


def test_the_bounds_of_a_batch_name_what_breaks_them() -> None:
    item = batches.BatchItem("a.json", b"x" * (3 * 2**20))
    with pytest.raises(InvalidInput, match="in all, more than"):
        batches.check_items([item] * 4)  # each fits, together they do not
    batches.check_items([item] * 3)
    with pytest.raises(InvalidInput, match=r"big.json\[1\]: a credential is a JSON object or a string"):
        batches.items_of_file("big.json", b'[{"a": 1}, 7]')
    assert [i.name for i in batches.items_of_file("two.json", b' [{"a": 1}, "jwt"]')] == [
        "two.json[0]",
        "two.json[1]",
    ]
    assert batches.items_of_file("one.json", b'{"a": 1}') == [batches.BatchItem("one.json", b'{"a": 1}')]
    with pytest.raises(InvalidInput, match="more than the 50"):
        batches.items_of_file("many.json", json.dumps([{}] * 51).encode())
    with pytest.raises(InvalidInput, match="not JSON"):
        batches.items_of_file("broken.json", b"[1,")


def test_one_batch_per_user_at_a_time(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second batch of the same user while the first runs is a 503; another user's goes through."""
    (record,) = _issue(api.world, LEA)
    credential = json.loads(record.document)
    started, release = threading.Event(), threading.Event()
    real = credential_batch_verification.verify_documents

    def held(*args: Any, **kwargs: Any) -> Any:
        started.set()
        release.wait(timeout=60)
        return real(*args, **kwargs)

    monkeypatch.setattr(batches, "verify_documents", held)
    first: list[Any] = []
    thread = threading.Thread(target=lambda: first.append(_batch(api, [credential])))
    thread.start()
    try:
        assert started.wait(timeout=60)
        second = _batch(api, [credential])
        assert second.status_code == 503
        assert "already have a batch" in second.json()["detail"]
        monkeypatch.setattr(batches, "verify_documents", real)
        assert _batch(api, [credential], headers=api.sam).status_code == 200
    finally:
        release.set()
        thread.join(timeout=60)
    assert first[0].status_code == 200
    assert _batch(api, [credential]).status_code == 200  # its place is free again
