"""Whose address a request comes from: the peer, unless the peer is a trusted proxy."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from starlette.requests import Request

from microcareer.api.client_address import client_address
from microcareer.config import Settings


def request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "headers": headers, "client": (peer, 4321)})


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    settings = Settings(environment="test")
    assert client_address(request("203.0.113.9", "198.51.100.1"), settings) == "203.0.113.9"


def test_a_trusted_proxy_passes_the_first_untrusted_hop_from_the_right() -> None:
    settings = Settings(environment="test", trusted_proxies=["10.0.0.0/8", "::1"])
    assert (
        client_address(request("10.0.0.2", "192.0.2.7, 198.51.100.1, 10.0.0.5"), settings) == "198.51.100.1"
    )
    assert client_address(request("::1", "2001:db8::1"), settings) == "2001:db8::1"
    assert client_address(request("10.0.0.2", "192.0.2.7", "198.51.100.3"), settings) == "198.51.100.3"
    assert client_address(request("10.0.0.2"), settings) == "10.0.0.2"
    assert client_address(request("10.0.0.2", "not-an-address"), settings) == "10.0.0.2"
    assert client_address(request("203.0.113.9", "198.51.100.1"), settings) == "203.0.113.9"


def test_settings_refuse_a_proxy_that_is_no_address_and_a_window_shorter_than_a_lock() -> None:
    with pytest.raises(ValidationError, match="not an IP address or network"):
        Settings(environment="test", trusted_proxies=["proxy.example.org"])
    with pytest.raises(ValidationError, match="must be longer than"):
        Settings(environment="test", sign_in_lock_max_seconds=900, sign_in_forget_after_seconds=600)
    policy = Settings(environment="test", sign_in_account_failures=3).sign_in_policy()
    assert policy.account_free_failures == 3
