"""Without MICROCAREER_PUBLIC_URL the public URL follows the address ``serve`` listens on."""

from __future__ import annotations

import pytest

from microcareer.config import Settings, local_url


@pytest.fixture(autouse=True)
def no_address_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MICROCAREER_PUBLIC_URL", "MICROCAREER_HOST", "MICROCAREER_PORT"):
        monkeypatch.delenv(name, raising=False)


def test_the_default_address_gives_the_default_url() -> None:
    assert Settings().public_url == "http://127.0.0.1:8000"


def test_another_port_changes_the_public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCAREER_PORT", "9123")
    assert Settings().public_url == "http://127.0.0.1:9123"
    assert Settings(port=9200).public_url == "http://127.0.0.1:9200"  # as `serve --port 9200` makes it


def test_a_public_url_that_is_set_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCAREER_PORT", "9123")
    monkeypatch.setenv("MICROCAREER_PUBLIC_URL", "https://careers.example")
    assert Settings().public_url == "https://careers.example"
    assert Settings(public_url="https://other.example").public_url == "https://other.example"


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8080"),
        ("0.0.0.0", "http://127.0.0.1:8080"),  # noqa: S104 - a listening address, read
        ("::", "http://[::1]:8080"),
        ("::1", "http://[::1]:8080"),
        ("careers.local", "http://careers.local:8080"),
    ],
)
def test_a_listening_address_as_a_url(host: str, url: str) -> None:
    assert local_url(host, 8080) == url
    assert Settings(host=host, port=8080).public_url == url
