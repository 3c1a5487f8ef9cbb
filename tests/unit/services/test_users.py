"""Creating users: admin creation, sign-up limits, validation, and nothing stored on bad input."""

from __future__ import annotations

import pytest

from microcareer.domain.accounts import Actor, Role, User
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import users
from tests.fakes import FakeClock, FakePasswordHasher, FakeUnitOfWork
from tests.unit.services.account_helpers import PASSWORD, actor_of, make_user


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def sign_up(
    uow: FakeUnitOfWork,
    *,
    email: str = "ada@example.org",
    roles: list[Role] | None = None,
    allow: bool = True,
    actor: Actor | None = None,
    password: str = PASSWORD,
) -> User:
    return users.create_user(
        uow,
        actor=actor or Actor.anonymous(),
        email=email,
        display_name="Ada Lovelace",
        password=password,
        roles=roles or [Role.PROFESSIONAL],
        passwords=FakePasswordHasher(),
        clock=FakeClock(),
        allow_signup=allow,
    )


def test_sign_up_stores_a_normalised_email_and_a_hash_not_the_password(uow: FakeUnitOfWork) -> None:
    user = sign_up(uow, email="  Ada@Example.ORG ")
    with uow:
        found = uow.accounts.get_user_by_email("ada@example.org")
        assert found == user
        assert found is not None
        stored = uow.accounts.password_hash_of(found.id)
    assert stored is not None
    assert PASSWORD not in stored


def test_sign_up_is_limited_to_professional_and_client(uow: FakeUnitOfWork) -> None:
    sign_up(uow, roles=[Role.PROFESSIONAL, Role.CLIENT])
    with pytest.raises(PermissionDenied, match="professional or client"):
        sign_up(uow, email="eve@example.org", roles=[Role.PLATFORM_ADMIN])
    with pytest.raises(PermissionDenied, match="professional or client"):
        sign_up(uow, email="eve@example.org", roles=[Role.ISSUER])
    assert len(uow.data.users) == 1


def test_sign_up_closed_is_refused(uow: FakeUnitOfWork) -> None:
    with pytest.raises(PermissionDenied, match="sign-up is closed"):
        sign_up(uow, allow=False)
    assert uow.data.users == {}


def test_signed_in_non_admin_cannot_create_accounts(uow: FakeUnitOfWork) -> None:
    pro = make_user(uow, "pro@example.org")
    with pytest.raises(PermissionDenied):
        sign_up(uow, actor=actor_of(uow, pro))


def test_platform_admin_creates_any_roles_even_with_sign_up_closed(uow: FakeUnitOfWork) -> None:
    admin = make_user(uow, "root@example.org", Role.PLATFORM_ADMIN)
    user = sign_up(uow, actor=actor_of(uow, admin), roles=[Role.ISSUER], allow=False)
    assert user.roles == frozenset({Role.ISSUER})


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("not-an-email", PASSWORD, "email"),
        ("a@b", PASSWORD, "email"),
        ("ada@example.org", "short", "password"),
        ("ada@example.org", "ADA@example.org", "password"),
        ("ada@example.org", "x" * 2000, "password"),
    ],
)
def test_bad_input_is_a_clear_error_and_stores_nothing(
    uow: FakeUnitOfWork, email: str, password: str, field: str
) -> None:
    with pytest.raises(InvalidInput, match=field) as raised:
        sign_up(uow, email=email, password=password)
    assert raised.value.extra["field"] == field
    assert uow.data.users == {}


def test_unknown_role_is_invalid_input(uow: FakeUnitOfWork) -> None:
    with pytest.raises(InvalidInput, match="'wizard' is not a role"):
        sign_up(uow, roles=["wizard"])  # type: ignore[list-item]


def test_the_same_email_twice_is_a_conflict(uow: FakeUnitOfWork) -> None:
    sign_up(uow)
    with pytest.raises(Conflict, match="exists already"):
        sign_up(uow, email="ADA@example.org")


def test_users_read_themselves_and_admins_read_anyone(uow: FakeUnitOfWork) -> None:
    ada = make_user(uow, "ada@example.org")
    bob = make_user(uow, "bob@example.org")
    admin = make_user(uow, "root@example.org", Role.PLATFORM_ADMIN)
    assert users.get_user(uow, actor=actor_of(uow, ada), user_id=ada.id) == ada
    with pytest.raises(PermissionDenied):
        users.get_user(uow, actor=actor_of(uow, ada), user_id=bob.id)
    assert users.get_user(uow, actor=actor_of(uow, admin), user_id=bob.id) == bob
    with pytest.raises(NotFound):
        users.get_user(uow, actor=actor_of(uow, admin), user_id=12345)
    with pytest.raises(NotAuthenticated):
        users.get_user(uow, actor=Actor.anonymous(), user_id=ada.id)


def test_list_users_pages_for_admins_only(uow: FakeUnitOfWork) -> None:
    for i in range(5):
        make_user(uow, f"user{i}@example.org")
    page, total = users.list_users(uow, actor=Actor.system(), offset=2, limit=2)
    assert total == 5
    assert [u.email for u in page] == ["user2@example.org", "user3@example.org"]
    with pytest.raises(PermissionDenied):
        users.list_users(uow, actor=actor_of(uow, page[0]), offset=0, limit=10)


def test_set_roles_replaces_them(uow: FakeUnitOfWork) -> None:
    ada = make_user(uow, "ada@example.org")
    updated = users.set_roles(uow, actor=Actor.system(), user_id=ada.id, roles=["issuer", "client"])
    assert updated.roles == frozenset({Role.ISSUER, Role.CLIENT})
    with pytest.raises(InvalidInput):
        users.set_roles(uow, actor=Actor.system(), user_id=ada.id, roles=[])
    with pytest.raises(PermissionDenied):
        users.set_roles(uow, actor=actor_of(uow, updated), user_id=ada.id, roles=[Role.PLATFORM_ADMIN])


def _signed_up(uow: FakeUnitOfWork, hasher: FakePasswordHasher, email: str, name: str) -> users.SignUpOutcome:
    return users.sign_up(
        uow,
        actor=Actor.anonymous(),
        email=email,
        display_name=name,
        password="another long secret",
        roles=[Role.CLIENT],
        passwords=hasher,
        clock=FakeClock(),
        allow_signup=True,
    )


def test_sign_up_with_a_taken_email_says_the_same_changes_nothing_and_hashes_all_the_same(
    uow: FakeUnitOfWork,
) -> None:
    ada = make_user(uow, "ada@example.org")
    hasher = FakePasswordHasher()
    taken = _signed_up(uow, hasher, "ADA@example.org", "Someone Else")
    assert hasher.hashed == 1  # the same work as for a new address
    new = _signed_up(uow, hasher, "bob@example.org", "Bob")
    assert hasher.hashed == 2
    assert taken.message == new.message
    assert taken.created is None
    assert new.created is not None
    with uow:
        assert uow.accounts.get_user_by_email("ada@example.org") == ada
        stored = uow.accounts.password_hash_of(ada.id)
    assert stored is not None
    assert not hasher.verify(stored, "another long secret")


def test_sign_up_still_refuses_what_was_typed_wrong_and_a_closed_platform(uow: FakeUnitOfWork) -> None:
    hasher = FakePasswordHasher()
    with pytest.raises(InvalidInput, match="most common"):
        users.sign_up(
            uow,
            actor=Actor.anonymous(),
            email="eve@example.org",
            display_name="Eve",
            password="password1234",
            roles=[Role.CLIENT],
            passwords=hasher,
            clock=FakeClock(),
            allow_signup=True,
        )
    with pytest.raises(PermissionDenied, match="closed"):
        users.sign_up(
            uow,
            actor=Actor.anonymous(),
            email="eve@example.org",
            display_name="Eve",
            password=PASSWORD,
            roles=[Role.CLIENT],
            passwords=hasher,
            clock=FakeClock(),
            allow_signup=False,
        )
    assert uow.data.users == {}


@pytest.mark.parametrize(
    ("email", "name", "field"),
    [
        ("ada2@example.org", "\u0410da Lovelace", "display_name"),
        ("\u0430da@example.org", "Someone", "email"),
    ],
)
def test_look_alike_names_and_emails_are_refused_naming_the_field(
    uow: FakeUnitOfWork, email: str, name: str, field: str
) -> None:
    make_user(uow, "ada@example.org")  # display name "Ada"
    with uow:
        uow.accounts.add_user(
            email="ada.l@example.org",
            display_name="Ada Lovelace",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=FakeClock()(),
        )
        uow.commit()
    with pytest.raises(InvalidInput, match="looks like") as raised:
        _signed_up(uow, FakePasswordHasher(), email, name)
    assert raised.value.extra["field"] == field
    with pytest.raises(InvalidInput, match="looks like"):
        users.create_user(
            uow,
            actor=Actor.system(),
            email=email,
            display_name=name,
            password=PASSWORD,
            roles=[Role.PROFESSIONAL],
            passwords=FakePasswordHasher(),
            clock=FakeClock(),
            allow_signup=False,
        )
    assert _signed_up(uow, FakePasswordHasher(), "ada3@example.org", "Ada Lovelace").created is not None
