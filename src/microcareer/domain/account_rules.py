"""What a valid account looks like: email, password, display name, roles and organisation slug rules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from microcareer.domain.accounts import Role
from microcareer.errors import InvalidInput

PASSWORD_MIN_LENGTH = 10
# Argon2 hashes any length, but a megabyte password is a denial of service, not a password.
PASSWORD_MAX_LENGTH = 1024
EMAIL_MAX_LENGTH = 320
NAME_MAX_LENGTH = 200
SIGN_UP_ROLES = frozenset({Role.PROFESSIONAL, Role.CLIENT})

_EMAIL = re.compile(r"^[^@\s]{1,64}@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$")


def normalise_email(email: str) -> str:
    """The stored form of an email address: trimmed, lower-case, checked for a sane shape."""
    candidate = email.strip().lower()
    if len(candidate) > EMAIL_MAX_LENGTH or not _EMAIL.match(candidate) or ".." in candidate:
        raise InvalidInput(f"email: {email.strip()[:80]!r} is not an email address", field="email")
    return candidate


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of leaked sets, as zxcvbn (MIT) ships them, lower-case."""
    return frozenset(word.casefold() for word in FREQUENCY_LISTS["passwords"])


def is_common_password(password: str) -> bool:
    """In the common list, ignoring case and spaces (``Password 1234`` is ``password1234``)."""
    folded = password.casefold()
    return folded in common_passwords() or "".join(folded.split()) in common_passwords()


def check_password(password: str, *, email: str) -> None:
    """Refuse a password that is too short, too long, common, or the email address itself."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise InvalidInput(
            f"password: must be at least {PASSWORD_MIN_LENGTH} characters long", field="password"
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise InvalidInput(f"password: must be at most {PASSWORD_MAX_LENGTH} characters", field="password")
    if password.strip().lower() == email.strip().lower():
        raise InvalidInput("password: must not be the email address", field="password")
    if is_common_password(password):
        raise InvalidInput(
            "password: is one of the most common passwords (attackers try those first): choose another",
            field="password",
        )


def clean_name(name: str, *, field: str = "display_name") -> str:
    """A person's or organisation's name: trimmed, 1-200 characters, no control characters."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput(f"{field}: must not be empty", field=field)
    if len(cleaned) > NAME_MAX_LENGTH:
        raise InvalidInput(f"{field}: must be at most {NAME_MAX_LENGTH} characters", field=field)
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise InvalidInput(f"{field}: must not contain control characters", field=field)
    return cleaned


def clean_roles(roles: Iterable[Role | str]) -> frozenset[Role]:
    """Platform roles from names; at least one, each a known role."""
    result: set[Role] = set()
    for role in roles:
        try:
            result.add(Role(role))
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise InvalidInput(f"roles: {role!r} is not a role (known: {known})", field="roles") from None
    if not result:
        raise InvalidInput("roles: give at least one role", field="roles")
    return frozenset(result)


def clean_slug(slug: str) -> str:
    """An organisation's slug: 3-64 of a-z, 0-9 and inner hyphens."""
    candidate = slug.strip().lower()
    if not _SLUG.match(candidate):
        raise InvalidInput(
            f"slug: {slug[:80]!r} must be 3-64 characters of a-z, 0-9 and hyphens, "
            "starting and ending with a letter or digit",
            field="slug",
        )
    return candidate
