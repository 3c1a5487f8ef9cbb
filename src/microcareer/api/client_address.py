"""The address of the client a request comes from, for sign-in throttling (API and web alike).

The connection's peer is the client unless it is one of ``MICROCAREER_TRUSTED_PROXIES``: then the
``X-Forwarded-For`` header is read from its right end, skipping the trusted proxies, and the first
address not trusted is the client. A header sent by anyone else is ignored, so a client cannot choose
the address it is throttled under.
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from starlette.requests import Request

from microcareer.config import Settings

UNKNOWN = "unknown"


def _networks(settings: Settings) -> list[IPv4Network | IPv6Network]:
    return [ip_network(entry, strict=False) for entry in settings.trusted_proxies]


def _trusted(address: str, networks: list[IPv4Network | IPv6Network]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_address(request: Request, settings: Settings) -> str:
    """The client's address as this server can vouch for it."""
    peer = request.client.host if request.client is not None else UNKNOWN
    networks = _networks(settings)
    if not networks or not _trusted(peer, networks):
        return peer
    forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ip_address(hop))
            except ValueError:
                return peer  # a proxy passed on garbage: count the proxy, not a chosen name
    return peer
