"""Signing in: one error for every wrong credential, rehash on the fly, sessions that end."""

from __future__ import annotations

import pytest

from microcareer.domain.accounts import Role
from microcareer.domain.sign_in_throttle import ThrottlePolicy
from microcareer.errors import NotAuthenticated, TooManyAttempts
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


POLICY = ThrottlePolicy(
    account_free_failures=3, address_free_failures=5, lock_seconds=30, lock_max_seconds=600
)


def _sign_in(
    uow: FakeUnitOfWork, hasher: FakePasswordHasher, clock: FakeClock, email: str, password: str, address: str
) -> object:
    return sessions.sign_in(
        uow,
        email=email,
        password=password,
        passwords=hasher,
        clock=clock,
        client_address=address,
        policy=POLICY,
    )


def test_an_account_is_locked_after_its_free_failures_even_for_the_right_password(
    uow: FakeUnitOfWork, hasher: FakePasswordHasher
) -> None:
    clock = FakeClock()
    make_user(uow, "ada@example.org", hasher=hasher)
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            _sign_in(uow, hasher, clock, "ada@example.org", "wrong password!", "192.0.2.1")
    with pytest.raises(TooManyAttempts, match="try again in 30 seconds") as third:
        _sign_in(uow, hasher, clock, "ada@example.org", "wrong password!", "192.0.2.1")
    assert third.value.retry_after == 30
    checked = hasher.hashed
    with pytest.raises(TooManyAttempts):  # locked: the right password is not even checked
        _sign_in(uow, hasher, clock, "ADA@example.org", PASSWORD, "198.51.100.7")
    assert hasher.hashed == checked
    clock.advance(seconds=31)
    with pytest.raises(TooManyAttempts, match="60 seconds"):  # the next failure doubles the lock
        _sign_in(uow, hasher, clock, "ada@example.org", "wrong password!", "198.51.100.7")
    clock.advance(seconds=61)
    assert _sign_in(uow, hasher, clock, "ada@example.org", PASSWORD, "198.51.100.7") is not None
    with pytest.raises(NotAuthenticated):  # the success cleared the account's count
        _sign_in(uow, hasher, clock, "ada@example.org", "wrong password!", "203.0.113.9")


def test_an_unknown_email_is_counted_and_locked_like_a_known_one(
    uow: FakeUnitOfWork, hasher: FakePasswordHasher
) -> None:
    clock = FakeClock()
    make_user(uow, "ada@example.org", hasher=hasher)
    answers: dict[str, list[str]] = {}
    for email in ("ada@example.org", "nobody@example.org"):
        for n in range(4):
            try:
                _sign_in(uow, hasher, clock, email, "wrong password!", f"192.0.2.{n}{len(email)}")
            except (NotAuthenticated, TooManyAttempts) as error:
                answers.setdefault(email, []).append(f"{type(error).__name__}: {error}")
    assert answers["ada@example.org"] == answers["nobody@example.org"]
    assert answers["ada@example.org"][-1].startswith("TooManyAttempts")


def test_an_address_is_locked_after_its_own_free_failures_across_accounts(
    uow: FakeUnitOfWork, hasher: FakePasswordHasher
) -> None:
    clock = FakeClock()
    make_user(uow, "ada@example.org", hasher=hasher)
    for n in range(4):
        with pytest.raises(NotAuthenticated):
            _sign_in(uow, hasher, clock, f"guess{n}@example.org", "wrong password!", "192.0.2.1")
    with pytest.raises(TooManyAttempts):
        _sign_in(uow, hasher, clock, "guess9@example.org", "wrong password!", "192.0.2.1")
    with pytest.raises(TooManyAttempts):
        _sign_in(uow, hasher, clock, "ada@example.org", PASSWORD, "192.0.2.1")
    assert _sign_in(uow, hasher, clock, "ada@example.org", PASSWORD, "192.0.2.2") is not None


def test_failures_are_forgotten_after_the_window(uow: FakeUnitOfWork, hasher: FakePasswordHasher) -> None:
    clock = FakeClock()
    make_user(uow, "ada@example.org", hasher=hasher)
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            _sign_in(uow, hasher, clock, "ada@example.org", "wrong password!", "192.0.2.1")
    clock.advance(seconds=POLICY.forget_after_seconds + 1)
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            _sign_in(uow, hasher, clock, "ada@example.org", "wrong password!", "192.0.2.1")
