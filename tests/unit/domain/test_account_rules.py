"""Email, password, name, role and slug rules; token and CSRF helpers."""

from __future__ import annotations

import pytest

from microcareer.domain.access_tokens import (
    csrf_matches,
    csrf_token_for,
    looks_like_api_token,
    new_api_token,
    new_session_token,
    token_hash,
)
from microcareer.domain.account_rules import (
    check_password,
    clean_name,
    clean_roles,
    clean_slug,
    common_passwords,
    is_common_password,
    normalise_email,
)
from microcareer.domain.accounts import Role
from microcareer.errors import InvalidInput


@pytest.mark.parametrize(
    ("given", "stored"),
    [(" Ada@Example.ORG ", "ada@example.org"), ("a.b+c@sub.example.co.uk", "a.b+c@sub.example.co.uk")],
)
def test_emails_are_normalised(given: str, stored: str) -> None:
    assert normalise_email(given) == stored


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "ada",
        "ada@",
        "@example.org",
        "ada@example",
        "ada@@example.org",
        "a b@example.org",
        "ada@example..org",
        "ada@-example.org",
        "x" * 65 + "@example.org",
    ],
)
def test_bad_emails_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput, match="email"):
        normalise_email(bad)


def test_password_rules() -> None:
    check_password("ten chars!", email="ada@example.org")
    for bad in ["123456789", "Ada@Example.org", "y" * 1025]:
        with pytest.raises(InvalidInput, match="password"):
            check_password(bad, email="ada@example.org")


def test_names_are_trimmed_and_bounded() -> None:
    assert clean_name("  Ada   Lovelace ") == "Ada Lovelace"
    for bad in ["", "   ", "x" * 201, "Ada\x00"]:
        with pytest.raises(InvalidInput, match="display_name"):
            clean_name(bad)


def test_roles_are_known_and_not_empty() -> None:
    assert clean_roles(["client", Role.CLIENT]) == frozenset({Role.CLIENT})
    with pytest.raises(InvalidInput):
        clean_roles([])
    with pytest.raises(InvalidInput, match="known"):
        clean_roles(["root"])


def test_slugs() -> None:
    assert clean_slug(" ACME-co ") == "acme-co"
    for bad in ["ab", "-ab", "ab-", "a_b", "a" * 65, "acmé"]:
        with pytest.raises(InvalidInput, match="slug"):
            clean_slug(bad)


def test_tokens_are_random_recognisable_and_hashed() -> None:
    first, second = new_api_token(), new_api_token()
    assert first != second
    assert looks_like_api_token(first)
    assert not looks_like_api_token(new_session_token())
    assert len(token_hash(first)) == 64
    assert token_hash(first) != token_hash(second)


def test_csrf_token_is_bound_to_session_and_secret() -> None:
    token = csrf_token_for("session-a", "secret")
    assert csrf_matches(token, "session-a", "secret")
    assert not csrf_matches(token, "session-b", "secret")
    assert not csrf_matches(token, "session-a", "other secret")
    assert not csrf_matches(None, "session-a", "secret")
    assert not csrf_matches("", "session-a", "secret")


@pytest.mark.parametrize(
    "common", ["password1234", "QWERTYUIOP", "1q2w3e4r5t", "Password 1234", "manchester"]
)
def test_common_passwords_are_refused_by_name(common: str) -> None:
    with pytest.raises(InvalidInput, match="most common passwords") as raised:
        check_password(common, email="ada@example.org")
    assert raised.value.extra["field"] == "password"
    assert common not in str(raised.value)


def test_the_common_list_is_the_packaged_one_and_long_passphrases_pass() -> None:
    assert len(common_passwords()) > 25_000
    assert is_common_password("Dragon")
    check_password("correct horse battery", email="ada@example.org")
