"""Outbound HTTPS to other issuers, safe to start from an anonymous request (no SSRF).

Every fetch: ``https`` only, on an allowed port (443 unless the operator allows more); the host is
resolved once and refused unless every address it resolves to is public (no loopback, private,
link-local, multicast, reserved, unspecified or shared address, nor an IPv6 form embedding one);
the connection goes to the address that was checked (no second lookup), with the original name as
``Host``, as TLS SNI and as the name the certificate is verified against. Numeric spellings such as
``127.1``, ``2130706433`` or ``0x7f.1`` are what the resolver makes of them, so they are checked as
the addresses they are. No redirects.

Fetches made inside one :meth:`Outbound.window` share one deadline, and at most ``max_in_flight``
fetches run at once in the process: when all are busy a fetch fails at once instead of queueing.
No fetch starts, and no answer is used, after the deadline; each wait on the network (lookup,
connect, each read) is bounded by what is left of it when the fetch starts, so one window ends at
the latest one such wait (at most ``timeout_seconds``) after its deadline.

Plain ``http://`` is refused unless the policy's ``allow_http`` is set, which only the command-line
verifier does, and only when its user asks (``--allow-http``, for local development); such a fetch
also goes through every check above (address, port: 80 is then allowed as well, deadline, size).
Every failure raises :class:`FetchFailed` with the same neutral message; what happened is logged at
debug level only, so an answer never tells a closed port from an open one, a timeout or a refusal.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import NoReturn
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)

NEUTRAL = "could not be fetched"
"""The one reason every failed fetch gives, whatever happened on the network."""

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
"""Host name and port → the addresses to try (as ``getaddrinfo`` gives them)."""

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_DEADLINE: ContextVar[float | None] = ContextVar("microcareer_outbound_deadline", default=None)


class FetchFailed(Exception):
    """A fetch failed; ``str()`` is always the neutral :data:`NEUTRAL` (details go to the debug log)."""

    def __init__(self) -> None:
        super().__init__(NEUTRAL)


@dataclass(frozen=True, slots=True)
class OutboundPolicy:
    """Where and how long the server may fetch: from settings, with safe defaults."""

    allow_private_addresses: bool = False
    ports: frozenset[int] = frozenset({443})
    deadline_seconds: float = 8.0
    """The total time of all fetches in one window (one verification)."""
    max_in_flight: int = 16
    """Outbound fetches running at once in the whole process."""
    timeout_seconds: float = 5.0
    """The longest wait for connecting or for each read, within the deadline."""
    allow_http: bool = False
    """Also fetch plain ``http://`` URLs (port 80 allowed too): for local development only, never
    on the server; the private-address and port checks still apply."""


def _embedded_v4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: mapped, compatible, 6to4, Teredo, NAT64."""
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    if int(address) >> 32 == 0 and int(address) > 1:  # ::a.b.c.d, IPv4-compatible (deprecated)
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def is_public(address: IpAddress) -> bool:
    """Whether the address is a public unicast one (nor any IPv4 address it embeds is not)."""
    if (
        not address.is_global
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_private
    ):
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if address.is_site_local:
            return False
        return all(is_public(inner) for inner in _embedded_v4(address))
    return True


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for ``host`` (TCP), in its order."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(answer[4][0]) for answer in answers]


def _in_url(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def pinned_transport(ssl_context: ssl.SSLContext | None = None) -> httpx.BaseTransport:
    """The real transport: TLS verified (against the SNI name, which :class:`Outbound` sets to the
    URL's host), no retries, and no keep-alive: a kept connection is keyed by address, and would be
    reused for another name on the same address without checking its certificate again."""
    return httpx.HTTPTransport(
        verify=ssl_context or httpx.create_ssl_context(),
        limits=httpx.Limits(max_keepalive_connections=0),
        retries=0,
    )


class Outbound:
    """The process-wide gate for outbound HTTPS: address checks, pinning, a deadline, a bound."""

    def __init__(
        self,
        policy: OutboundPolicy | None = None,
        *,
        resolver: Resolver = system_resolver,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy or OutboundPolicy()
        self._resolver = resolver
        self._client = httpx.Client(transport=transport or pinned_transport(), follow_redirects=False)
        self._clock = clock
        self._slots = threading.BoundedSemaphore(self.policy.max_in_flight)
        self._lookups = ThreadPoolExecutor(
            max_workers=self.policy.max_in_flight, thread_name_prefix="outbound-dns"
        )

    @contextmanager
    def window(self) -> Iterator[None]:
        """Fetches inside share one deadline (an enclosing window's, when there is one)."""
        if _DEADLINE.get() is not None:
            yield
            return
        token = _DEADLINE.set(self._clock() + self.policy.deadline_seconds)
        try:
            yield
        finally:
            _DEADLINE.reset(token)

    def _remaining(self) -> float:
        deadline = _DEADLINE.get()
        assert deadline is not None, "fetches run inside a window"
        return deadline - self._clock()

    def get(self, url: str, *, accept: str, max_bytes: int) -> bytes:
        """The body of a 200 answer to ``GET url``; raises the neutral :class:`FetchFailed`.

        Outside any window, the fetch has a window (a deadline) of its own."""
        with self.window():
            return self._gated(url, accept, max_bytes)

    def _gated(self, url: str, accept: str, max_bytes: int) -> bytes:
        if self._remaining() <= 0:
            return self._fail(url, "the verification's deadline has passed")
        if not self._slots.acquire(blocking=False):
            return self._fail(url, f"all {self.policy.max_in_flight} outbound slots are busy")
        try:
            return self._get(url, accept, max_bytes)
        finally:
            self._slots.release()

    def _fail(self, url: str, detail: str) -> NoReturn:
        log.debug("outbound fetch of %s refused or failed: %s", url, detail)
        raise FetchFailed

    def _get(self, url: str, accept: str, max_bytes: int) -> bytes:
        parts = urlsplit(url)
        plain = parts.scheme == "http" and self.policy.allow_http
        default_port = 80 if plain else 443
        try:
            host, port = parts.hostname, parts.port or default_port
        except ValueError:
            return self._fail(url, "malformed port")
        if (parts.scheme != "https" and not plain) or not host or parts.username or parts.password:
            return self._fail(url, "not an https URL with a host (http only where allowed)")
        if port not in self.policy.ports and not (plain and port == 80):
            return self._fail(url, f"port {port} is not allowed")
        try:  # an internationalised name travels as its ASCII (IDNA) form, in DNS, Host and SNI alike
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return self._fail(url, "the host is not a valid name")
        address = self._checked_address(url, host, port)
        remaining = self._remaining()
        if remaining <= 0:
            return self._fail(url, "the verification's deadline has passed")
        literal = f"[{host}]" if ":" in host else host
        try:
            request = self._client.build_request(
                "GET",
                parts._replace(netloc=f"{_in_url(address)}:{port}", fragment="").geturl(),
                headers={
                    "Host": literal if port == default_port else f"{literal}:{port}",
                    "Accept": accept,
                    "Accept-Encoding": "identity",  # bytes counted as they arrive: no gzip bomb
                },
                timeout=httpx.Timeout(min(self.policy.timeout_seconds, remaining)),
                extensions={} if plain else {"sni_hostname": host},
            )
            response = self._client.send(request, stream=True)
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as error:
            return self._fail(url, f"{type(error).__name__}: {error}")
        try:
            if response.status_code != 200:
                return self._fail(url, f"HTTP {response.status_code}")
            encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
            if encoding != "identity":
                return self._fail(url, f"answered in Content-Encoding {encoding!r}, not identity")
            body = bytearray()
            for chunk in response.iter_bytes():  # identity: the bytes as they came
                body += chunk
                if len(body) > max_bytes:
                    return self._fail(url, f"larger than {max_bytes} bytes")
                if self._remaining() <= 0:
                    return self._fail(url, "the verification's deadline passed while reading")
            return bytes(body)
        except httpx.HTTPError as error:
            return self._fail(url, f"{type(error).__name__}: {error}")
        finally:
            response.close()

    def _checked_address(self, url: str, host: str, port: int) -> str:
        """The first address ``host`` resolves to, once all of them are checked; raises FetchFailed."""
        remaining = self._remaining()
        lookup = self._lookups.submit(self._resolver, host, port)
        try:
            answers = list(lookup.result(timeout=max(remaining, 0.0)))
        except FutureTimeout:
            lookup.cancel()
            self._fail(url, "the name did not resolve before the deadline")
        except (OSError, UnicodeError, ValueError) as error:
            self._fail(url, f"the name did not resolve ({error})")
        addresses: list[IpAddress] = []
        for answer in answers:
            try:
                addresses.append(ipaddress.ip_address(answer.partition("%")[0]))
            except ValueError:
                self._fail(url, f"the resolver answered {answer!r}, not an address")
        if not addresses:
            self._fail(url, "the name resolves to no address")
        if not self.policy.allow_private_addresses:
            blocked = [str(a) for a in addresses if not is_public(a)]
            if blocked:
                self._fail(url, f"resolves to addresses that are not public: {', '.join(blocked)}")
        return str(addresses[0])

    def close(self) -> None:
        self._client.close()
        self._lookups.shutdown(wait=False, cancel_futures=True)
