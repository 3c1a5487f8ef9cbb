"""The SSRF-safe outbound gate: what is refused never connects, what is allowed connects to the checked
address with the original name, every failure reads the same, and the deadline and bound hold.

No network: the resolver and the transport are fakes that record what they were asked.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from microcareer.adapters.outbound_http import (
    NEUTRAL,
    FetchFailed,
    Outbound,
    OutboundPolicy,
    pinned_transport,
)

PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"


class _Net:
    """A fake resolver and transport: records each lookup and each connection (request)."""

    def __init__(
        self,
        addresses: dict[str, Sequence[str]] | None = None,
        answer: Callable[[httpx.Request], httpx.Response] | None = None,
    ) -> None:
        self.addresses = addresses or {}
        self.answer = answer or (lambda request: httpx.Response(200, content=b"{}"))
        self.lookups: list[tuple[str, int]] = []
        self.connections: list[httpx.Request] = []

    def resolve(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append((host, port))
        if host in self.addresses:
            return self.addresses[host]
        # numeric forms only, read as the system resolver reads them; no DNS query leaves the machine
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        return [str(answer[4][0]) for answer in answers]

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.connections.append(request)
        return self.answer(request)

    def outbound(
        self, policy: OutboundPolicy | None = None, clock: Callable[[], float] | None = None
    ) -> Outbound:
        return Outbound(
            policy,
            resolver=self.resolve,
            transport=httpx.MockTransport(self.handle),
            **({"clock": clock} if clock else {}),
        )


def _get(outbound: Outbound, url: str) -> bytes:
    return outbound.get(url, accept="application/json", max_bytes=1024)


def _refusal(outbound: Outbound, url: str) -> str:
    with pytest.raises(FetchFailed) as raised:
        _get(outbound, url)
    return str(raised.value)


NUMERIC_LOOPBACK = [
    "https://127.0.0.1/.well-known/did.json",
    "https://127.1/.well-known/did.json",
    "https://2130706433/.well-known/did.json",
    "https://0x7f.1/.well-known/did.json",
    "https://0177.0.0.1/.well-known/did.json",
    "https://[::1]/.well-known/did.json",
    "https://0.0.0.0/.well-known/did.json",
]


@pytest.mark.parametrize("url", NUMERIC_LOOPBACK)
def test_numeric_tricks_are_checked_as_the_address_the_resolver_makes_of_them(url: str) -> None:
    net = _Net()
    assert _refusal(net.outbound(), url) == NEUTRAL
    assert len(net.lookups) == 1  # resolved, then refused for what it resolved to
    assert net.connections == []


BLOCKED = [
    "127.0.0.1",  # loopback
    "10.1.2.3",  # private
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # link-local (cloud metadata)
    "100.64.0.1",  # shared address space (CGNAT)
    "0.0.0.0",  # unspecified  # noqa: S104 - an address refused, not bound
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "192.0.2.1",  # documentation
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",  # site-local
    "ff02::1",  # multicast
    "ff0e::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "::127.0.0.1",  # IPv4-compatible
    "::a00:1",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
]


@pytest.mark.parametrize("address", BLOCKED)
def test_a_name_resolving_to_a_non_public_address_never_connects(address: str) -> None:
    net = _Net({"issuer.example": [address]})
    assert _refusal(net.outbound(), "https://issuer.example/.well-known/did.json") == NEUTRAL
    assert net.lookups == [("issuer.example", 443)]
    assert net.connections == []


def test_one_non_public_address_among_public_ones_refuses_the_name() -> None:
    net = _Net({"issuer.example": [PUBLIC_V4, "10.0.0.1"]})
    assert _refusal(net.outbound(), "https://issuer.example/did.json") == NEUTRAL
    assert net.connections == []


@pytest.mark.parametrize(
    "url",
    [
        "http://issuer.example/did.json",
        "https://issuer.example:8443/did.json",
        "https://issuer.example:22/did.json",
        "https://user:pw@issuer.example/did.json",
        "file:///etc/passwd",
        "https:///did.json",
        "https://issuer.example:99999/did.json",
    ],
)
def test_only_https_on_an_allowed_port_is_looked_up_at_all(url: str) -> None:
    net = _Net({"issuer.example": [PUBLIC_V4]})
    assert _refusal(net.outbound(), url) == NEUTRAL
    assert net.lookups == []
    assert net.connections == []


def test_a_public_address_is_connected_by_address_with_the_original_name() -> None:
    net = _Net({"issuer.example": [PUBLIC_V4, "93.184.216.35"]})
    assert _get(net.outbound(), "https://issuer.example/orgs/acme/did.json?x=1#frag") == b"{}"
    (request,) = net.connections
    assert request.url.host == PUBLIC_V4
    assert request.url.port in (None, 443)
    assert request.url.raw_path == b"/orgs/acme/did.json?x=1"
    assert request.headers["host"] == "issuer.example"
    assert request.extensions["sni_hostname"] == "issuer.example"
    assert net.lookups == [("issuer.example", 443)]  # resolved once


def test_an_ipv6_address_is_bracketed_and_another_port_needs_the_setting() -> None:
    net = _Net({"issuer.example": [PUBLIC_V6]})
    outbound = net.outbound(OutboundPolicy(ports=frozenset({443, 8443})))
    _get(outbound, "https://issuer.example:8443/did.json")
    (request,) = net.connections
    assert request.url.host == PUBLIC_V6
    assert request.url.port == 8443
    assert request.headers["host"] == "issuer.example:8443"
    assert request.extensions["sni_hostname"] == "issuer.example"


def test_private_addresses_are_allowed_only_by_the_setting() -> None:
    net = _Net({"intranet.example": ["10.0.0.7"]})
    assert _refusal(net.outbound(), "https://intranet.example/did.json") == NEUTRAL
    allowed = net.outbound(OutboundPolicy(allow_private_addresses=True))
    assert _get(allowed, "https://intranet.example/did.json") == b"{}"
    assert [r.url.host for r in net.connections] == ["10.0.0.7"]


def test_plain_http_only_with_allow_http_and_still_through_every_check() -> None:
    net = _Net({"issuer.example": [PUBLIC_V4], "localhost": ["127.0.0.1"]})
    assert _refusal(net.outbound(), "http://issuer.example/status/1") == NEUTRAL
    assert net.lookups == []
    allowed = net.outbound(OutboundPolicy(allow_http=True))
    assert _get(allowed, "http://issuer.example/status/1") == b"{}"
    (request,) = net.connections
    assert request.url.scheme == "http"
    assert request.url.host == PUBLIC_V4
    assert request.url.port in (None, 80)
    assert request.headers["host"] == "issuer.example"
    assert "sni_hostname" not in request.extensions
    # loopback stays refused, and a development port needs the port setting
    assert _refusal(allowed, "http://localhost/status/1") == NEUTRAL
    assert _refusal(allowed, "http://issuer.example:8000/status/1") == NEUTRAL
    assert len(net.connections) == 1
    local = net.outbound(
        OutboundPolicy(allow_http=True, allow_private_addresses=True, ports=frozenset({8000}))
    )
    assert _get(local, "http://localhost:8000/status/1") == b"{}"
    assert net.connections[-1].headers["host"] == "localhost:8000"


def _raises(error: type[httpx.RequestError]) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        raise error("detail that must not reach the answer", request=request)

    return answer


def test_every_failure_reads_the_same() -> None:
    reasons: set[str] = set()
    answers: list[Callable[[httpx.Request], httpx.Response]] = [
        _raises(httpx.ConnectError),  # refused / closed port
        _raises(httpx.ConnectTimeout),
        _raises(httpx.ReadTimeout),
        _raises(httpx.RemoteProtocolError),
        lambda request: httpx.Response(500),
        lambda request: httpx.Response(302, headers={"Location": "https://127.0.0.1/"}),
        lambda request: httpx.Response(200, content=b"x" * 2048),  # over max_bytes
    ]
    for answer in answers:
        net = _Net({"issuer.example": [PUBLIC_V4]}, answer)
        reasons.add(_refusal(net.outbound(), "https://issuer.example/did.json"))
        assert len(net.connections) == 1  # no redirect followed
    blocked = _Net({"issuer.example": ["127.0.0.1"]})
    reasons.add(_refusal(blocked.outbound(), "https://issuer.example/did.json"))

    def unknown(host: str, port: int) -> Sequence[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    unresolved = Outbound(resolver=unknown, transport=httpx.MockTransport(_raises(httpx.ConnectError)))
    reasons.add(_refusal(unresolved, "https://nowhere.example/did.json"))
    reasons.add(_refusal(blocked.outbound(), "https://issuer.example:8443/did.json"))
    assert reasons == {NEUTRAL}


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_fetches_in_one_window_share_its_deadline() -> None:
    clock = _Clock()

    def slow(request: httpx.Request) -> httpx.Response:
        clock.now += 3.0  # each answer takes 3 s of the 8 s window
        return httpx.Response(200, content=b"{}")

    net = _Net({"issuer.example": [PUBLIC_V4]}, slow)
    outbound = net.outbound(OutboundPolicy(deadline_seconds=8.0), clock=clock)
    with outbound.window():
        _get(outbound, "https://issuer.example/1")
        _get(outbound, "https://issuer.example/2")
        with outbound.window():  # a nested window keeps the outer deadline
            # starts at 6 s, its answer comes at 9 s: past the deadline, so it is not used
            assert _refusal(outbound, "https://issuer.example/3") == NEUTRAL
        assert _refusal(outbound, "https://issuer.example/4") == NEUTRAL  # not even looked up
    assert len(net.connections) == 3
    assert len(net.lookups) == 3
    with outbound.window():  # the next verification has a deadline of its own
        _get(outbound, "https://issuer.example/5")
    assert len(net.connections) == 4


def test_the_request_timeout_never_outlasts_the_deadline() -> None:
    clock = _Clock()
    net = _Net({"issuer.example": [PUBLIC_V4]})
    outbound = net.outbound(OutboundPolicy(deadline_seconds=8.0, timeout_seconds=5.0), clock=clock)
    with outbound.window():
        clock.now = 6.5
        _get(outbound, "https://issuer.example/1")
    timeout = net.connections[0].extensions["timeout"]
    assert timeout["connect"] == timeout["read"] == pytest.approx(1.5)


def test_a_full_gate_fails_at_once_instead_of_queueing() -> None:
    inner: list[str] = []
    holder: dict[str, Outbound] = {}

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/outer":  # while this fetch holds the only slot, another is asked for
            inner.append(_refusal(holder["outbound"], "https://issuer.example/inner"))
        return httpx.Response(200, content=b"{}")

    net = _Net({"issuer.example": [PUBLIC_V4]}, answer)
    holder["outbound"] = net.outbound(OutboundPolicy(max_in_flight=1))
    assert _get(holder["outbound"], "https://issuer.example/outer") == b"{}"
    assert inner == [NEUTRAL]
    assert [r.url.path for r in net.connections] == ["/outer"]
    assert _get(holder["outbound"], "https://issuer.example/after") == b"{}"  # the slot was released


def test_the_bound_is_process_wide_across_threads() -> None:
    started, release = threading.Event(), threading.Event()

    def held(request: httpx.Request) -> httpx.Response:
        started.set()
        assert release.wait(timeout=60)
        return httpx.Response(200, content=b"{}")

    net = _Net({"issuer.example": [PUBLIC_V4]}, held)
    outbound = net.outbound(OutboundPolicy(max_in_flight=1))
    worker = threading.Thread(target=_get, args=(outbound, "https://issuer.example/slow"))
    worker.start()
    try:
        assert started.wait(timeout=60)
        assert _refusal(outbound, "https://issuer.example/other") == NEUTRAL
    finally:
        release.set()
        worker.join(timeout=60)
    assert [r.url.path for r in net.connections] == ["/slow"]


# -- the real transport, against a TLS server on loopback (no network) ---------------------------------


def _certificate(name: str) -> tuple[bytes, bytes]:
    """A self-signed certificate for ``name`` only (PEM), and its key."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, bytes, list[dict[str, str]]]]:
    """An HTTPS server on 127.0.0.1 whose certificate names only ``issuer.example``; records SNI + Host."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    cert_pem, key_pem = _certificate("issuer.example")
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    (tmp_path / "key.pem").write_bytes(key_pem)
    seen: list[dict[str, str]] = []
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")

    def remember_sni(sock: ssl.SSLObject | ssl.SSLSocket, name: str | None, _: ssl.SSLContext) -> None:
        seen.append({"sni": name or ""})

    server_context.sni_callback = remember_sni

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({"host": self.headers.get("Host", ""), "path": self.path})
            body = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = server_context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], cert_pem, seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_real_transport_connects_to_the_checked_address_and_verifies_tls_against_the_name(
    tls_server: tuple[int, bytes, list[dict[str, str]]], caplog: pytest.LogCaptureFixture
) -> None:
    port, cert_pem, seen = tls_server
    trust = ssl.create_default_context(cadata=cert_pem.decode())
    lookups: list[str] = []

    def resolve(host: str, port: int) -> Sequence[str]:
        lookups.append(host)
        return {"issuer.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]}[host]

    policy = OutboundPolicy(allow_private_addresses=True, ports=frozenset({port}))
    outbound = Outbound(policy, resolver=resolve, transport=pinned_transport(trust))
    try:
        body = outbound.get(
            f"https://issuer.example:{port}/did.json", accept="application/json", max_bytes=100
        )
        assert body == b'{"ok": true}'
        assert {"sni": "issuer.example"} in seen
        assert {"host": f"issuer.example:{port}", "path": "/did.json"} in seen
        # the same address under another name: its certificate does not name it, so it is refused
        other = f"https://other.example:{port}/did.json"
        with (
            caplog.at_level(logging.DEBUG, logger="microcareer.adapters.outbound_http"),
            pytest.raises(FetchFailed) as raised,
        ):
            outbound.get(other, accept="application/json", max_bytes=100)
        assert str(raised.value) == NEUTRAL
        assert "certificate" in caplog.text.lower()  # the detail is in the debug log only
        assert lookups == ["issuer.example", "other.example"]
    finally:
        outbound.close()


def test_an_internationalised_name_travels_as_ascii_and_a_bad_one_is_refused() -> None:
    net = _Net({"xn--exmple-cua.example": [PUBLIC_V4]})
    assert _get(net.outbound(), "https://exämple.example/did.json") == b"{}"
    (request,) = net.connections
    assert request.headers["host"] == "xn--exmple-cua.example"
    assert request.extensions["sni_hostname"] == "xn--exmple-cua.example"
    assert _refusal(net.outbound(), "https://a..b\u200d.example/did.json") == NEUTRAL
    assert len(net.connections) == 1


def test_a_compressed_answer_is_refused_even_a_small_one() -> None:
    """Only identity is asked for: a gzip answer (a possible bomb) is never inflated."""
    import gzip

    small = gzip.compress(b"{}")
    net = _Net(
        {"issuer.example": [PUBLIC_V4]},
        lambda request: httpx.Response(200, content=small, headers={"Content-Encoding": "gzip"}),
    )
    assert _refusal(net.outbound(), "https://issuer.example/did.json") == NEUTRAL
    assert net.connections[0].headers["accept-encoding"] == "identity"
