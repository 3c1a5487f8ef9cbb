"""Personal access tokens: shown once, stored hashed, refused when unknown, expired or revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from microcareer.domain.access_tokens import token_hash
from microcareer.domain.accounts import Actor, OrgRole
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import tokens
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.unit.services.account_helpers import actor_of, make_user


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_token_is_shown_once_and_only_its_hash_is_kept(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org")
    issued = tokens.create_token(uow, actor=actor_of(uow, ada), user_id=ada.id, name="laptop", clock=clock)
    assert issued.plaintext.startswith("mcp_")
    assert len(issued.plaintext) > 40
    assert issued.token.prefix == issued.plaintext[:12]
    assert issued.plaintext not in repr(uow.data)
    assert token_hash(issued.plaintext) in uow.data.token_hashes


def test_token_acts_for_its_user_with_roles_and_memberships(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org")
    with uow:
        org = uow.accounts.add_organisation(slug="acme", name="Acme", created_at=clock())
        uow.accounts.set_membership(org.id, ada.id, OrgRole.MEMBER, created_at=clock())
        uow.commit()
    issued = tokens.create_token(uow, actor=Actor.system(), user_id=ada.id, name="ci", clock=clock)
    actor = tokens.actor_for_token(uow, token=issued.plaintext, clock=clock)
    assert actor.user_id == ada.id
    assert actor.roles == ada.roles
    assert actor.org_role(org.id) is OrgRole.MEMBER
    assert uow.data.tokens[issued.token.id].last_used_at == clock.now


def test_last_used_is_written_at_most_once_a_minute(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org")
    issued = tokens.create_token(uow, actor=Actor.system(), user_id=ada.id, name="ci", clock=clock)
    tokens.actor_for_token(uow, token=issued.plaintext, clock=clock)
    commits = uow.commits
    clock.advance(seconds=30)
    tokens.actor_for_token(uow, token=issued.plaintext, clock=clock)
    assert uow.commits == commits
    clock.advance(seconds=31)
    tokens.actor_for_token(uow, token=issued.plaintext, clock=clock)
    assert uow.data.tokens[issued.token.id].last_used_at == clock.now


@pytest.mark.parametrize("bad", ["", "nonsense", "mcp_" + "x" * 43, "Bearer mcp_abc"])
def test_unknown_tokens_are_not_authenticated(uow: FakeUnitOfWork, clock: FakeClock, bad: str) -> None:
    with pytest.raises(NotAuthenticated, match="unknown, expired or revoked"):
        tokens.actor_for_token(uow, token=bad, clock=clock)


def test_expired_and_revoked_tokens_stop_working(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org")
    me = actor_of(uow, ada)
    short = tokens.create_token(uow, actor=me, user_id=ada.id, name="a", clock=clock, expires_days=1)
    kept = tokens.create_token(uow, actor=me, user_id=ada.id, name="b", clock=clock)
    clock.advance(days=1)
    with pytest.raises(NotAuthenticated):
        tokens.actor_for_token(uow, token=short.plaintext, clock=clock)
    tokens.actor_for_token(uow, token=kept.plaintext, clock=clock)
    revoked = tokens.revoke_token(uow, actor=me, token_id=kept.token.id, clock=clock)
    assert revoked.revoked_at == clock.now
    with pytest.raises(NotAuthenticated):
        tokens.actor_for_token(uow, token=kept.plaintext, clock=clock)
    assert [t.name for t in tokens.list_tokens(uow, actor=me, user_id=ada.id)] == ["a", "b"]


def test_inactive_users_tokens_stop_working(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org")
    issued = tokens.create_token(uow, actor=Actor.system(), user_id=ada.id, name="ci", clock=clock)
    with uow:
        uow.accounts.set_active(ada.id, False)  # type: ignore[attr-defined]
        uow.commit()
    with pytest.raises(NotAuthenticated):
        tokens.actor_for_token(uow, token=issued.plaintext, clock=clock)


def test_others_tokens_cannot_be_made_listed_or_revoked(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    ada = make_user(uow, "ada@example.org")
    bob = make_user(uow, "bob@example.org")
    adas = tokens.create_token(uow, actor=Actor.system(), user_id=ada.id, name="ci", clock=clock)
    bob_actor = actor_of(uow, bob)
    with pytest.raises(PermissionDenied):
        tokens.create_token(uow, actor=bob_actor, user_id=ada.id, name="x", clock=clock)
    with pytest.raises(PermissionDenied):
        tokens.list_tokens(uow, actor=bob_actor, user_id=ada.id)
    with pytest.raises(NotFound):
        tokens.revoke_token(uow, actor=bob_actor, token_id=adas.token.id, clock=clock)
    with pytest.raises(NotAuthenticated):
        tokens.revoke_token(uow, actor=Actor.anonymous(), token_id=adas.token.id, clock=clock)
    assert uow.data.tokens[adas.token.id].revoked_at is None


@pytest.mark.parametrize(("name", "days"), [("  ", None), ("x" * 101, None), ("ci", 0), ("ci", 100_000)])
def test_bad_token_requests_are_invalid_input(
    uow: FakeUnitOfWork, clock: FakeClock, name: str, days: int | None
) -> None:
    ada = make_user(uow, "ada@example.org")
    with pytest.raises(InvalidInput):
        tokens.create_token(
            uow, actor=Actor.system(), user_id=ada.id, name=name, clock=clock, expires_days=days
        )
    assert uow.data.tokens == {}


def test_a_token_without_a_lifetime_gets_the_default_and_stops_then(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    ada = make_user(uow, "ada@example.org")
    me = actor_of(uow, ada)
    default = tokens.create_token(uow, actor=me, user_id=ada.id, name="ci", clock=clock)
    assert default.token.expires_at == clock.now + timedelta(days=tokens.DEFAULT_EXPIRY_DAYS)
    set_short = tokens.create_token(uow, actor=me, user_id=ada.id, name="ci", clock=clock, default_days=7)
    assert set_short.token.expires_at == clock.now + timedelta(days=7)
    clock.advance(days=7)
    with pytest.raises(NotAuthenticated):
        tokens.actor_for_token(uow, token=set_short.plaintext, clock=clock)
    tokens.actor_for_token(uow, token=default.plaintext, clock=clock)
    clock.advance(days=tokens.DEFAULT_EXPIRY_DAYS - 7)
    with pytest.raises(NotAuthenticated):
        tokens.actor_for_token(uow, token=default.plaintext, clock=clock)
