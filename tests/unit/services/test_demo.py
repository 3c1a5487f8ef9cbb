"""The demo data set: checked input with errors that name the place, idempotent seeding, operator only."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.errors import InvalidInput, PermissionDenied
from microcareer.services.demo import parse_demo_data, seed_demo
from microcareer.services.organisations import list_members
from tests.fakes import FakeClock, FakePasswordHasher, FakeUnitOfWork

DATA = {
    "password": "demo-password-long",
    "users": [
        {"email": "ada@example.org", "display_name": "Ada", "roles": ["professional"]},
        {"email": "olga@example.org", "display_name": "Olga", "roles": ["client"]},
    ],
    "organisations": [
        {
            "slug": "acme",
            "name": "Acme",
            "members": [
                {"email": "ada@example.org", "role": "member"},
                {"email": "olga@example.org", "role": "admin"},
            ],
        }
    ],
}


def test_the_bundled_demo_file_parses_and_names_only_demo_users_as_members() -> None:
    raw = json.loads(files("microcareer.data").joinpath("demo.json").read_text(encoding="utf-8"))
    data = parse_demo_data(raw, source="demo.json")
    emails = {user.email for user in data.users}
    assert {"platform_admin", "professional", "client", "issuer"} <= {r for u in data.users for r in u.roles}
    for org in data.organisations:
        assert {email for email, _ in org.members} <= emails
        assert any(role is OrgRole.ADMIN for _, role in org.members)


def test_seeding_twice_adds_everything_once_with_the_admin_named_first() -> None:
    uow = FakeUnitOfWork()
    data = parse_demo_data(DATA)
    first = seed_demo(uow, actor=Actor.system(), data=data, passwords=FakePasswordHasher(), clock=FakeClock())
    assert (first.users_created, first.organisations_created) == (2, 1)
    second = seed_demo(
        uow, actor=Actor.system(), data=data, passwords=FakePasswordHasher(), clock=FakeClock()
    )
    assert (second.users_created, second.organisations_created) == (0, 0)
    assert "2 users were there already" in second.summary()
    members = {m.user.email: m.role for m in list_members(uow, actor=Actor.system(), slug="acme")}
    assert members == {"olga@example.org": OrgRole.ADMIN, "ada@example.org": OrgRole.MEMBER}
    assert "demo-password-long" in first.summary()


def test_only_the_operator_may_seed() -> None:
    admin = Actor(user_id=1, roles=frozenset({Role.PLATFORM_ADMIN}))
    with pytest.raises(PermissionDenied):
        seed_demo(
            FakeUnitOfWork(),
            actor=admin,
            data=parse_demo_data(DATA),
            passwords=FakePasswordHasher(),
            clock=FakeClock(),
        )


@pytest.mark.parametrize(
    ("broken", "where"),
    [
        (
            {**DATA, "users": [{"display_name": "No email", "roles": []}]},
            "users[0]: the field 'email' is missing",
        ),
        ({**DATA, "users": "ada"}, "users: expected a list of objects"),
        ({**DATA, "password": ""}, "demo data.password: expected a non-empty string"),
        (
            {
                **DATA,
                "organisations": [
                    {"slug": "a", "name": "A", "members": [{"email": "x@y.z", "role": "boss"}]}
                ],
            },
            "organisations[0].members[0].role: 'boss' is not admin or member",
        ),
        ([], "expected a JSON object at the top"),
    ],
)
def test_bad_demo_data_names_the_place(broken: object, where: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_demo_data(broken)
    assert where in str(caught.value)
