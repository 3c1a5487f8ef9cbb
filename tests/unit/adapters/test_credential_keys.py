"""Where the verifier gets keys and status lists: trusted keys, did:key, did:web over (mocked) HTTPS."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from microcareer.adapters.credential_keys import CredentialKeys, load_trusted_keys
from microcareer.adapters.did_web import DOCUMENT_NOT_FETCHED, DidWebResolver, did_web_url
from microcareer.adapters.https_json import JsonFetcher
from microcareer.adapters.outbound_http import Outbound, OutboundPolicy
from microcareer.adapters.status_lists_http import StatusLists, load_status_list_files
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.verification_model import KeyNotResolved, StatusUnavailable
from microcareer.errors import DataFileError

PUBLIC = bytes(range(32))
MULTIKEY = multikey.encode_public_key(PUBLIC)
DID = "did:web:issuer.example:orgs:acme"
DOC_URL = "https://issuer.example/orgs/acme/did.json"
PUBLIC_ADDRESS = "93.184.216.34"


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "verificationMethod": [
            {"id": f"{DID}#key-1", "type": "Multikey", "controller": DID, "publicKeyMultibase": MULTIKEY},
            {
                "id": "#key-2",
                "type": "Ed25519VerificationKey2020",
                "controller": DID,
                "publicKeyMultibase": MULTIKEY,
            },
        ],
        "assertionMethod": ["#key-1"],
        "authentication": ["#key-2"],
    }
    document.update(changes)
    return document


class _Server:
    """An ``httpx.MockTransport`` that serves fixed answers and counts requests.

    Every name resolves to one public address (a documentation one); the requested URL is read
    back from the ``Host`` header, since the connection goes to the address."""

    def __init__(self, answers: dict[str, Callable[[], httpx.Response]]) -> None:
        self.answers = answers
        self.requests: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == PUBLIC_ADDRESS
        url = f"https://{request.headers['host']}{request.url.raw_path.decode()}"
        self.requests.append(url)
        answer = self.answers.get(url)
        return answer() if answer else httpx.Response(404)

    def outbound(self) -> Outbound:
        return Outbound(
            resolver=lambda host, port: [PUBLIC_ADDRESS], transport=httpx.MockTransport(self.handler)
        )

    def fetcher(self, **options: Any) -> JsonFetcher:
        return JsonFetcher(self.outbound(), **options)


def _json(document: Any) -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(200, json=document)


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        ("did:web:example.com:user:alice", "https://example.com/user/alice/did.json"),
        ("did:web:example.com%3A8443", "https://example.com:8443/.well-known/did.json"),
    ],
)
def test_did_web_urls(did: str, url: str) -> None:
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "did", ["did:web:", "did:web:exa mple.com", "did:web:example.com:..:x", "did:key:z6Mk"]
)
def test_malformed_did_web_is_refused(did: str) -> None:
    with pytest.raises(KeyNotResolved):
        did_web_url(did)


def test_a_did_web_assertion_key_resolves() -> None:
    resolved = DidWebResolver(_Server({DOC_URL: _json(_document())}).fetcher()).resolve(f"{DID}#key-1")
    assert resolved.public_key == PUBLIC
    assert resolved.controller == DID
    assert resolved.is_assertion_method
    assert resolved.source == "did:web"


def test_a_did_web_key_not_listed_for_assertion_is_marked() -> None:
    resolved = DidWebResolver(_Server({DOC_URL: _json(_document())}).fetcher()).resolve(f"{DID}#key-2")
    assert resolved.public_key == PUBLIC
    assert not resolved.is_assertion_method


@pytest.mark.parametrize(
    ("answer", "method", "reason"),
    [
        (_json(_document()), f"{DID}#key-9", "lists no verification method"),
        (_json(_document(id="did:web:other.example")), f"{DID}#key-1", "is not the document of"),
        (lambda: httpx.Response(500), f"{DID}#key-1", DOCUMENT_NOT_FETCHED),
        (lambda: httpx.Response(200, content=b"<html>"), f"{DID}#key-1", DOCUMENT_NOT_FETCHED),
        (
            lambda: httpx.Response(200, content=b"[" + b" " * 300_000 + b"]"),
            f"{DID}#key-1",
            DOCUMENT_NOT_FETCHED,
        ),
        (
            _json(_document(verificationMethod=[{"id": f"{DID}#key-1", "type": "JsonWebKey2020"}])),
            f"{DID}#key-1",
            "is not a Multikey or Ed25519VerificationKey2020 key",
        ),
    ],
)
def test_did_web_failures_say_why(answer: Callable[[], httpx.Response], method: str, reason: str) -> None:
    resolver = DidWebResolver(_Server({DOC_URL: answer}).fetcher())
    with pytest.raises(KeyNotResolved, match=reason):
        resolver.resolve(method)


def test_a_timeout_is_a_reason_not_a_crash() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    outbound = Outbound(resolver=lambda host, port: [PUBLIC_ADDRESS], transport=httpx.MockTransport(slow))
    resolver = DidWebResolver(JsonFetcher(outbound))
    with pytest.raises(KeyNotResolved) as raised:
        resolver.resolve(f"{DID}#key-1")
    assert str(raised.value) == DOCUMENT_NOT_FETCHED


def test_did_documents_are_cached_for_their_time_to_live() -> None:
    server = _Server({DOC_URL: _json(_document())})
    now = [0.0]
    resolver = DidWebResolver(server.fetcher(ttl=60, clock=lambda: now[0]))
    resolver.resolve(f"{DID}#key-1")
    resolver.resolve(f"{DID}#key-2")
    assert server.requests == [DOC_URL]
    now[0] = 61
    resolver.resolve(f"{DID}#key-1")
    assert server.requests == [DOC_URL, DOC_URL]


def test_only_https_is_fetched() -> None:
    server = _Server({})
    with pytest.raises(StatusUnavailable, match=r"plain http://, fetched only when allowed \(--allow-http"):
        StatusLists({}, fetcher=server.fetcher()).fetch("http://issuer.example/status/1")
    assert server.requests == []


class _PlainServer(_Server):
    """Serves its answers over plain http:// only (a development server); https fails."""

    def handler(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == PUBLIC_ADDRESS
        url = f"{request.url.scheme}://{request.headers['host']}{request.url.raw_path.decode()}"
        self.requests.append(url)
        answer = self.answers.get(url)
        return answer() if answer else httpx.Response(404)

    def outbound(self) -> Outbound:
        return Outbound(
            OutboundPolicy(allow_http=True),
            resolver=lambda host, port: [PUBLIC_ADDRESS],
            transport=httpx.MockTransport(self.handler),
        )


def test_allow_http_fetches_a_status_list_over_http() -> None:
    url = "http://issuer.example/status/1"
    server = _PlainServer({url: _json({"id": url})})
    assert StatusLists({}, fetcher=server.fetcher(), allow_http=True).fetch(url) == {"id": url}


def test_allow_http_resolves_did_web_over_http_and_says_so() -> None:
    plain_url = "http://" + DOC_URL.removeprefix("https://")
    server = _PlainServer({plain_url: _json(_document())})
    with pytest.raises(KeyNotResolved, match=DOCUMENT_NOT_FETCHED):
        DidWebResolver(server.fetcher()).resolve(f"{DID}#key-1")
    assert server.requests == [DOC_URL]  # without allow_http, https only
    resolved = DidWebResolver(server.fetcher(), allow_http=True).resolve(f"{DID}#key-1")
    assert resolved.source == "did:web over http"
    assert server.requests[-2:] == [DOC_URL, plain_url]  # https first
    https_server = _PlainServer({DOC_URL: _json(_document())})
    assert DidWebResolver(https_server.fetcher(), allow_http=True).resolve(f"{DID}#key-1").source == "did:web"


def test_keys_come_from_trusted_then_did_key_then_did_web() -> None:
    did_key = multikey.did_key_verification_method(MULTIKEY)
    server = _Server({DOC_URL: _json(_document())})
    keys = CredentialKeys({"https://issuer.example/keys#1": PUBLIC}, did_web=DidWebResolver(server.fetcher()))
    trusted = keys.resolve("https://issuer.example/keys#1")
    assert (trusted.controller, trusted.source, trusted.is_assertion_method) == (
        "https://issuer.example/keys",
        "trusted",
        True,
    )
    assert keys.resolve(did_key).controller == multikey.did_key(MULTIKEY)
    assert keys.resolve(f"{DID}#key-1").source == "did:web"
    with pytest.raises(KeyNotResolved, match="not a trusted key"):
        keys.resolve("https://elsewhere.example/keys#1")


def test_offline_keys_refuse_did_web() -> None:
    with pytest.raises(KeyNotResolved, match="not resolved offline"):
        CredentialKeys({}).resolve(f"{DID}#key-1")


def test_trusted_keys_load_and_name_the_bad_line() -> None:
    good = json.dumps({"https://issuer.example/keys#1": MULTIKEY}, indent=2)
    assert load_trusted_keys(good, source="keys.json") == {"https://issuer.example/keys#1": PUBLIC}
    bad = json.dumps({"https://a.example/k#1": MULTIKEY, "https://b.example/k#2": "zNotAKey"}, indent=2)
    with pytest.raises(DataFileError, match=r"keys.json, line 3, column 'https://b.example/k#2'"):
        load_trusted_keys(bad, source="keys.json")
    with pytest.raises(DataFileError, match="line 3: not valid JSON"):
        load_trusted_keys('{\n  "x": \n}', source="keys.json")
    with pytest.raises(DataFileError, match="must be a JSON object"):
        load_trusted_keys("[]", source="keys.json")
    with pytest.raises(DataFileError, match="publicKeyMultibase string"):
        load_trusted_keys('{"https://a.example/k#1": 5}', source="keys.json")


def test_status_lists_come_from_files_then_https(tmp_path: Path) -> None:
    local = {"id": "https://issuer.example/status/1", "type": ["VerifiableCredential"]}
    path = tmp_path / "list.json"
    path.write_text(json.dumps(local), encoding="utf-8")
    documents = load_status_list_files([path])
    remote = {"id": "https://issuer.example/status/2"}
    server = _Server({"https://issuer.example/status/2": _json(remote)})
    lists = StatusLists(documents, fetcher=server.fetcher())
    assert lists.fetch("https://issuer.example/status/1") == local
    assert lists.fetch("https://issuer.example/status/2") == remote
    with pytest.raises(StatusUnavailable, match="could not fetch the status list"):
        lists.fetch("https://issuer.example/status/3")
    with pytest.raises(StatusUnavailable, match="offline"):
        StatusLists(documents).fetch("https://issuer.example/status/2")


def test_a_bad_status_list_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("{\n  nope", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"list\.json, line 2"):
        load_status_list_files([path])
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(DataFileError, match="string 'id'"):
        load_status_list_files([path])
    with pytest.raises(DataFileError, match="cannot be read"):
        load_status_list_files([tmp_path / "missing.json"])


def test_the_document_cache_keeps_a_bounded_number_of_documents() -> None:
    urls = [f"https://issuer.example/status/{n}" for n in range(4)]
    server = _Server({url: _json({"id": url}) for url in urls})
    fetcher = server.fetcher(max_entries=2)
    for url in urls[:3]:
        fetcher.get(url)
    fetcher.get(urls[2])  # kept
    fetcher.get(urls[1])  # kept
    fetcher.get(urls[0])  # dropped when the third came in: fetched again
    assert server.requests == [urls[0], urls[1], urls[2], urls[0]]
