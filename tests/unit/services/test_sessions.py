"""Signing in: one error for every wrong credential, rehash on the fly, sessions that end."""

from __future__ import annotations

import pytest

from microcareer.domain.accounts import Role
from microcareer.errors import NotAuthenticated
from microcareer.services import sessions
from tests.fakes import FakeClock, FakePasswordHasher, FakeUnitOfWork
from tests.unit.services.account_helpers import PASSWORD, make_user


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def hasher() -> FakePasswordHasher:
    return FakePasswordHasher()


def test_authenticate_finds_the_user_whatever_the_case_of_the_email(
    uow: FakeUnitOfWork, hasher: FakePasswordHasher
) -> None:
    ada = make_user(uow, "ada@example.org", hasher=hasher)
    assert sessions.authenticate(uow, email=" ADA@example.org", password=PASSWORD, passwords=hasher) == ada


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ada@example.org", "wrong password!"),
        ("nobody@example.org", PASSWORD),
        ("not an email", PASSWORD),
        ("ada@example.org", "x" * 5000),
    ],
)
def test_every_wrong_credential_gets_the_same_error(
    uow: FakeUnitOfWork, hasher: FakePasswordHasher, email: str, password: str
) -> None:
    make_user(uow, "ada@example.org", hasher=hasher)
    with pytest.raises(NotAuthenticated) as raised:
        sessions.authenticate(uow, email=email, password=password, passwords=hasher)
    assert str(raised.value) == sessions.WRONG_CREDENTIALS


def test_unknown_email_still_spends_a_hash(uow: FakeUnitOfWork, hasher: FakePasswordHasher) -> None:
    before = hasher.hashed
    with pytest.raises(NotAuthenticated):
        sessions.authenticate(uow, email="nobody@example.org", password=PASSWORD, passwords=hasher)
    assert hasher.hashed == before + 1


def test_inactive_users_cannot_sign_in(uow: FakeUnitOfWork, hasher: FakePasswordHasher) -> None:
    ada = make_user(uow, "ada@example.org", hasher=hasher)
    with uow:
        uow.accounts.set_active(ada.id, False)  # type: ignore[attr-defined]
        uow.commit()
    with pytest.raises(NotAuthenticated, match="email or password is wrong"):
        sessions.authenticate(uow, email="ada@example.org", password=PASSWORD, passwords=hasher)


def test_an_outdated_hash_is_replaced_on_sign_in(uow: FakeUnitOfWork) -> None:
    ada = make_user(uow, "ada@example.org", hasher=FakePasswordHasher(scheme="old"))
    newer = FakePasswordHasher(scheme="new")
    sessions.authenticate(uow, email="ada@example.org", password=PASSWORD, passwords=newer)
    assert uow.data.password_hashes[ada.id].startswith("new$")


def test_session_lives_until_it_expires_or_ends(uow: FakeUnitOfWork, hasher: FakePasswordHasher) -> None:
    clock = FakeClock()
    ada = make_user(uow, "ada@example.org", Role.CLIENT, hasher=hasher)
    issued = sessions.log_in(
        uow, email="ada@example.org", password=PASSWORD, passwords=hasher, clock=clock, session_hours=2
    )
    assert issued.token not in repr(uow.data)
    identity = sessions.identify_session(uow, token=issued.token, clock=clock)
    assert identity.user == ada
    assert identity.actor.user_id == ada.id
    clock.advance(hours=2)
    with pytest.raises(NotAuthenticated):
        sessions.identify_session(uow, token=issued.token, clock=clock)
    again = sessions.start_session(uow, user=ada, clock=clock, session_hours=2)
    sessions.end_session(uow, token=again.token, clock=clock)
    with pytest.raises(NotAuthenticated):
        sessions.identify_session(uow, token=again.token, clock=clock)
    sessions.end_session(uow, token="never-issued", clock=clock)
