"""Organisations: the creator is admin, members see each other, outsiders see nothing, one admin stays."""

from __future__ import annotations

import pytest

from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import organisations
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.unit.services.account_helpers import actor_of, make_user


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_creator_becomes_admin_and_manages_members(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org", Role.CLIENT)
    bob = make_user(uow, "bob@example.org")
    org = organisations.create_organisation(
        uow, actor=actor_of(uow, ada), slug="Acme-Co", name=" Acme ", clock=clock
    )
    assert (org.slug, org.name) == ("acme-co", "Acme")
    admin = actor_of(uow, ada)
    assert admin.org_role(org.id) is OrgRole.ADMIN
    organisations.add_member(uow, actor=admin, slug="acme-co", user_id=bob.id, role="member", clock=clock)
    members = organisations.list_members(uow, actor=actor_of(uow, bob), slug="acme-co")
    assert [(m.user.email, m.role) for m in members] == [
        ("ada@example.org", OrgRole.ADMIN),
        ("bob@example.org", OrgRole.MEMBER),
    ]


def test_outsiders_get_not_found_and_members_get_forbidden(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org")
    bob = make_user(uow, "bob@example.org")
    eve = make_user(uow, "eve@example.org")
    organisations.create_organisation(uow, actor=actor_of(uow, ada), slug="acme", name="Acme", clock=clock)
    organisations.add_member(
        uow, actor=actor_of(uow, ada), slug="acme", user_id=bob.id, role="member", clock=clock
    )
    outsider = actor_of(uow, eve)
    with pytest.raises(NotFound, match="acme"):
        organisations.get_organisation(uow, actor=outsider, slug="acme")
    with pytest.raises(NotFound):
        organisations.list_members(uow, actor=outsider, slug="acme")
    with pytest.raises(NotFound):
        organisations.add_member(uow, actor=outsider, slug="acme", user_id=eve.id, role="admin", clock=clock)
    with pytest.raises(PermissionDenied):
        organisations.add_member(
            uow, actor=actor_of(uow, bob), slug="acme", user_id=eve.id, role="member", clock=clock
        )
    with pytest.raises(NotAuthenticated):
        organisations.list_members(uow, actor=Actor.anonymous(), slug="acme")
    with pytest.raises(NotAuthenticated):
        organisations.get_organisation(uow, actor=Actor.anonymous(), slug="no-such-org")
    assert len(organisations.list_members(uow, actor=Actor.system(), slug="acme")) == 2


def test_the_last_admin_cannot_leave_or_be_demoted(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org")
    bob = make_user(uow, "bob@example.org")
    organisations.create_organisation(uow, actor=actor_of(uow, ada), slug="acme", name="Acme", clock=clock)
    admin = actor_of(uow, ada)
    with pytest.raises(Conflict, match="last admin"):
        organisations.remove_member(uow, actor=admin, slug="acme", user_id=ada.id)
    with pytest.raises(Conflict, match="last admin"):
        organisations.add_member(uow, actor=admin, slug="acme", user_id=ada.id, role="member", clock=clock)
    organisations.add_member(uow, actor=admin, slug="acme", user_id=bob.id, role="admin", clock=clock)
    organisations.remove_member(uow, actor=admin, slug="acme", user_id=ada.id)
    with pytest.raises(NotFound, match="not a member"):
        organisations.remove_member(uow, actor=Actor.system(), slug="acme", user_id=ada.id)


@pytest.mark.parametrize(
    ("slug", "name"), [("a", "Acme"), ("-acme", "Acme"), ("ac me", "Acme"), ("acme", "  ")]
)
def test_bad_slugs_and_names_are_invalid_and_store_nothing(
    uow: FakeUnitOfWork, clock: FakeClock, slug: str, name: str
) -> None:
    with pytest.raises(InvalidInput):
        organisations.create_organisation(uow, actor=Actor.system(), slug=slug, name=name, clock=clock)
    assert uow.data.organisations == {}


def test_duplicate_slug_and_bad_role(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org")
    organisations.create_organisation(
        uow, actor=Actor.system(), slug="acme", name="Acme", clock=clock, admin_user_id=ada.id
    )
    with pytest.raises(Conflict):
        organisations.create_organisation(uow, actor=Actor.system(), slug="ACME", name="Again", clock=clock)
    with pytest.raises(InvalidInput, match="'owner'"):
        organisations.add_member(
            uow, actor=Actor.system(), slug="acme", user_id=ada.id, role="owner", clock=clock
        )


def test_only_platform_admins_name_someone_else_as_first_admin(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org")
    bob = make_user(uow, "bob@example.org")
    with pytest.raises(PermissionDenied):
        organisations.create_organisation(
            uow, actor=actor_of(uow, ada), slug="acme", name="Acme", clock=clock, admin_user_id=bob.id
        )
    assert uow.data.organisations == {}


def test_an_organisation_name_imitating_another_is_refused_the_same_one_is_not(uow: FakeUnitOfWork) -> None:
    ada = make_user(uow, "ada@example.org")
    me = actor_of(uow, ada)
    organisations.create_organisation(uow, actor=me, slug="acme", name="Acme Academy", clock=FakeClock())
    with pytest.raises(InvalidInput, match="looks like the name of the organisation 'acme'") as raised:
        organisations.create_organisation(
            uow, actor=me, slug="acme-2", name="\u0410cme \u0410cademy", clock=FakeClock()
        )
    assert raised.value.extra["field"] == "name"
    organisations.create_organisation(uow, actor=me, slug="acme-3", name="Acme Academy", clock=FakeClock())
