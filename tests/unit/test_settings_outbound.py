"""The outbound settings: safe defaults, read from the environment, and wired into the verifier's gate."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from microcareer.bootstrap import outbound_policy
from microcareer.config import Settings


def test_the_defaults_fetch_only_public_addresses_on_port_443() -> None:
    policy = outbound_policy(Settings())
    assert policy.allow_private_addresses is False
    assert policy.ports == frozenset({443})
    assert policy.deadline_seconds == 8
    assert policy.max_in_flight == 16


def test_the_environment_sets_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCAREER_OUTBOUND_ALLOW_PRIVATE_ADDRESSES", "true")
    monkeypatch.setenv("MICROCAREER_OUTBOUND_PORTS", "[443, 8443]")
    monkeypatch.setenv("MICROCAREER_VERIFICATION_DEADLINE_SECONDS", "3.5")
    monkeypatch.setenv("MICROCAREER_OUTBOUND_MAX_IN_FLIGHT", "4")
    policy = outbound_policy(Settings())
    assert policy.allow_private_addresses is True
    assert policy.ports == frozenset({443, 8443})
    assert (policy.deadline_seconds, policy.max_in_flight) == (3.5, 4)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MICROCAREER_OUTBOUND_PORTS", "[0]"),
        ("MICROCAREER_OUTBOUND_PORTS", "[70000]"),
        ("MICROCAREER_OUTBOUND_PORTS", "[]"),
        ("MICROCAREER_VERIFICATION_DEADLINE_SECONDS", "0"),
        ("MICROCAREER_OUTBOUND_MAX_IN_FLIGHT", "0"),
    ],
)
def test_nonsense_is_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=name.removeprefix("MICROCAREER_").lower()):
        Settings()
