"""The SQL account repository on each database: users with roles, organisations, tokens, sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import OrgRole, Role
from microcareer.errors import Conflict
from microcareer.store.unit_of_work import SqlAlchemyUnitOfWork

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def uow(platform: Platform) -> SqlAlchemyUnitOfWork:
    made = platform.uow()
    assert isinstance(made, SqlAlchemyUnitOfWork)
    return made


def add_users(platform: Platform, count: int) -> list[int]:
    with uow(platform) as work:
        ids = [
            work.accounts.add_user(
                email=f"user{i}@example.org",
                display_name=f"User {i}",
                password_hash="hash",
                roles=[Role.PROFESSIONAL, Role.CLIENT] if i % 2 else [Role.ISSUER],
                created_at=NOW,
            ).id
            for i in range(count)
        ]
        work.commit()
    return ids


def test_users_round_trip_with_roles_and_utc_times(platform: Platform) -> None:
    [first, second] = add_users(platform, 2)
    with uow(platform) as work:
        user = work.accounts.get_user(second)
        assert user is not None
        assert user.roles == frozenset({Role.PROFESSIONAL, Role.CLIENT})
        assert user.created_at == NOW
        assert user.created_at.tzinfo is not None
        assert work.accounts.get_user_by_email("user0@example.org") == work.accounts.get_user(first)
        assert work.accounts.password_hash_of(first) == "hash"
        work.accounts.set_roles(first, [Role.PLATFORM_ADMIN])
        work.accounts.set_password_hash(first, "new")
        work.commit()
    with uow(platform) as work:
        changed = work.accounts.get_user(first)
        assert changed is not None
        assert changed.roles == frozenset({Role.PLATFORM_ADMIN})
        assert work.accounts.password_hash_of(first) == "new"
        assert work.accounts.get_user(999) is None


def test_duplicate_email_is_a_conflict_and_nothing_is_kept(platform: Platform) -> None:
    add_users(platform, 1)
    with uow(platform) as work, pytest.raises(Conflict):
        work.accounts.add_user(
            email="user0@example.org", display_name="Again", password_hash="h", roles=[], created_at=NOW
        )
    with uow(platform) as work:
        assert work.accounts.list_users(offset=0, limit=10)[1] == 1


def test_listing_users_costs_two_queries_whatever_the_page(platform: Platform) -> None:
    add_users(platform, 30)
    assert platform.engine is not None
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(platform.engine, "before_cursor_execute", count)
    try:
        with uow(platform) as work:
            page, total = work.accounts.list_users(offset=5, limit=20)
    finally:
        event.remove(platform.engine, "before_cursor_execute", count)
    assert total == 30
    assert len(page) == 20
    assert page[0].email == "user5@example.org"
    assert all(u.roles for u in page)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 3  # count, page, roles


def test_organisations_and_memberships(platform: Platform) -> None:
    ada, bob = add_users(platform, 2)
    with uow(platform) as work:
        org = work.accounts.add_organisation(slug="acme", name="Acme", created_at=NOW)
        work.accounts.set_membership(org.id, ada, OrgRole.ADMIN, created_at=NOW)
        work.accounts.set_membership(org.id, bob, OrgRole.MEMBER, created_at=NOW)
        work.accounts.set_membership(org.id, bob, OrgRole.ADMIN, created_at=NOW)
        work.commit()
    with uow(platform) as work:
        assert work.accounts.get_organisation_by_slug("acme") == org
        assert work.accounts.get_organisation(org.id) == org
        assert work.accounts.memberships_of(bob) == {org.id: OrgRole.ADMIN}
        assert [(u.id, r) for u, r in work.accounts.members_of(org.id)] == [
            (ada, OrgRole.ADMIN),
            (bob, OrgRole.ADMIN),
        ]
        assert work.accounts.remove_membership(org.id, bob) is True
        assert work.accounts.remove_membership(org.id, bob) is False
        with pytest.raises(Conflict):
            work.accounts.add_organisation(slug="acme", name="Again", created_at=NOW)


def test_tokens_and_sessions(platform: Platform) -> None:
    [ada] = add_users(platform, 1)
    later = NOW + timedelta(days=1)
    with uow(platform) as work:
        token = work.accounts.add_token(
            user_id=ada,
            name="ci",
            prefix="mcp_abcdefgh",
            token_hash="a" * 64,
            created_at=NOW,
            expires_at=later,
        )
        session = work.accounts.add_session(
            user_id=ada, token_hash="b" * 64, created_at=NOW, expires_at=later
        )
        work.commit()
    with uow(platform) as work:
        assert work.accounts.token_by_hash("a" * 64) == token
        assert work.accounts.token_by_hash("c" * 64) is None
        assert work.accounts.tokens_of(ada) == [token]
        work.accounts.touch_token(token.id, at=later)
        work.accounts.revoke_token(token.id, at=later)
        work.accounts.revoke_token(token.id, at=later + timedelta(hours=1))  # the first revocation stands
        assert work.accounts.session_by_hash("b" * 64) == session
        work.accounts.revoke_session(session.id, at=later)
        work.commit()
    with uow(platform) as work:
        stored = work.accounts.get_token(token.id)
        assert stored is not None
        assert stored.last_used_at == later
        assert stored.revoked_at == later
        ended = work.accounts.session_by_hash("b" * 64)
        assert ended is not None
        assert ended.revoked_at == later
        assert work.accounts.get_token(999) is None


def test_a_token_or_session_and_its_user_with_roles_in_one_query(platform: Platform) -> None:
    """``token_holder`` and ``session_holder`` give what ``*_by_hash`` then ``get_user`` give, in one
    SELECT each; a user with two roles, one with one, one with none, and revoked ones as they are."""
    ada, bob = add_users(platform, 2)  # bob: two roles; ada: one
    later = NOW + timedelta(days=1)
    with uow(platform) as work:
        cat = work.accounts.add_user(
            email="cat@example.org", display_name="Cat", password_hash="h", roles=[], created_at=NOW
        ).id
        for n, user_id in enumerate((ada, bob, cat)):
            work.accounts.add_token(
                user_id=user_id,
                name="t",
                prefix="mcp_x",
                token_hash=f"{n}" * 64,
                created_at=NOW,
                expires_at=later,
            )
            work.accounts.add_session(
                user_id=user_id, token_hash=f"s{n}" * 32, created_at=NOW, expires_at=later
            )
        revoked = work.accounts.token_by_hash("1" * 64)
        assert revoked is not None
        work.accounts.revoke_token(revoked.id, at=NOW)
        work.commit()
    assert platform.engine is not None
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    for n, user_id in enumerate((ada, bob, cat)):
        with uow(platform) as work:
            expected_user = work.accounts.get_user(user_id)
            expected_token = work.accounts.token_by_hash(f"{n}" * 64)
            expected_session = work.accounts.session_by_hash(f"s{n}" * 32)
            statements.clear()
            event.listen(platform.engine, "before_cursor_execute", count)
            try:
                by_token = work.accounts.token_holder(f"{n}" * 64)
                by_session = work.accounts.session_holder(f"s{n}" * 32)
            finally:
                event.remove(platform.engine, "before_cursor_execute", count)
            assert by_token == (expected_token, expected_user)
            assert by_session == (expected_session, expected_user)
            assert len(statements) == 2
    with uow(platform) as work:
        held = work.accounts.token_holder("1" * 64)
        assert held is not None
        assert held[0].revoked_at == NOW
        assert held[1].roles == frozenset({Role.PROFESSIONAL, Role.CLIENT})
        cat_held = work.accounts.token_holder("2" * 64)
        assert cat_held is not None
        assert cat_held[1].roles == frozenset()
        assert work.accounts.token_holder("9" * 64) is None
        assert work.accounts.session_holder("9" * 64) is None
