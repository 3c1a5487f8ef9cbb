"""``SqlAlchemyAccountRepository``: users with roles, organisations, memberships, tokens and sessions.

Lists load roles for a whole page in one extra query (never one per user).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from microcareer.domain.access_tokens import ApiToken, WebSession
from microcareer.domain.accounts import Organisation, OrgRole, Role, User
from microcareer.domain.confusables import skeleton_hash
from microcareer.domain.sign_in_throttle import ThrottleKey
from microcareer.errors import Conflict
from microcareer.store.change_count import ChangeCount
from microcareer.store.tables.accounts import (
    ApiTokenRow,
    MembershipRow,
    OrganisationRow,
    SignInFailureRow,
    UserRoleRow,
    UserRow,
    WebSessionRow,
)

_CHUNK = 500
"""Ids in one ``IN`` list (well within SQLite's variable limit)."""
_ROLES = {role.value: role for role in Role}
_USER_COLUMNS = (UserRow.id, UserRow.email, UserRow.display_name, UserRow.is_active, UserRow.created_at)


def _user(row: UserRow | Row[int, str, str, bool, datetime], roles: Iterable[str]) -> User:
    """The user of an ORM row or of a Core row of ``_USER_COLUMNS``."""
    return User(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        roles=frozenset(_ROLES.get(r) or Role(r) for r in roles),
        is_active=row.is_active,
        created_at=row.created_at,
    )


def _organisation(row: OrganisationRow) -> Organisation:
    return Organisation(id=row.id, slug=row.slug, name=row.name, created_at=row.created_at)


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        prefix=row.token_prefix,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _session(row: WebSessionRow) -> WebSession:
    return WebSession(
        id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


# Committed changes, in this process, to who a token acts for (roles, memberships, revoked tokens):
# remembered token identities (``services/token_cache.py``) read before the last change are not used
# again, so a change made through this process applies to the next request.
ACCOUNT_CHANGES = ChangeCount()


class SqlAlchemyAccountRepository:
    """Accounts on one session (one unit of work)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.changed_identities = False  # the unit of work bumps ACCOUNT_CHANGES when it commits

    # users -------------------------------------------------------------------------------------

    def _roles_of(self, user_ids: Sequence[int]) -> dict[int, list[str]]:
        roles: dict[int, list[str]] = defaultdict(list)
        if user_ids:
            query = select(UserRoleRow.user_id, UserRoleRow.role).where(UserRoleRow.user_id.in_(user_ids))
            for user_id, role in self.session.execute(query):
                roles[user_id].append(role)
        return roles

    def _users(self, rows: Sequence[UserRow]) -> list[User]:
        roles = self._roles_of([row.id for row in rows])
        return [_user(row, roles.get(row.id, ())) for row in rows]

    def _flush(self, clash: str) -> None:
        # No savepoint: SQLite's driver would commit on RELEASE. The unit of work rolls back anyway.
        try:
            self.session.flush()
        except IntegrityError:
            raise Conflict(clash) from None

    def add_user(
        self,
        *,
        email: str,
        display_name: str,
        password_hash: str,
        roles: Iterable[Role],
        created_at: datetime,
    ) -> User:
        row = UserRow(
            email=email,
            display_name=display_name,
            password_hash=password_hash,
            is_active=True,
            created_at=created_at,
            name_skeleton=skeleton_hash(display_name),
            email_skeleton=skeleton_hash(email),
        )
        self.session.add(row)
        self._flush(f"a user with email {email} exists already")
        role_names = sorted({Role(r).value for r in roles})
        self.session.add_all(UserRoleRow(user_id=row.id, role=r) for r in role_names)
        self.session.flush()
        return _user(row, role_names)

    def get_user(self, user_id: int) -> User | None:
        row = self.session.get(UserRow, user_id)
        return None if row is None else self._users([row])[0]

    def users_by_id(self, user_ids: Sequence[int]) -> dict[int, User]:
        """The users of ``user_ids`` that exist, read ``_CHUNK`` ids at a time."""
        wanted = sorted(set(user_ids))
        found: dict[int, User] = {}
        for at in range(0, len(wanted), _CHUNK):
            chunk = wanted[at : at + _CHUNK]
            roles = self._roles_of(chunk)
            for row in self.session.execute(select(*_USER_COLUMNS).where(UserRow.id.in_(chunk))):
                found[row.id] = _user(row, roles.get(row.id, ()))
        return found

    def get_user_by_email(self, email: str) -> User | None:
        row = self.session.scalars(select(UserRow).where(UserRow.email == email)).one_or_none()
        return None if row is None else self._users([row])[0]

    def users_looking_like(self, *, email: str, display_name: str, limit: int = 20) -> list[User]:
        """Users whose e-mail or display name has the same confusable skeleton as those given."""
        query = (
            select(UserRow)
            .where(
                (UserRow.email_skeleton == skeleton_hash(email))
                | (UserRow.name_skeleton == skeleton_hash(display_name))
            )
            .order_by(UserRow.id)
            .limit(limit)
        )
        return self._users(self.session.scalars(query).all())

    def password_hash_of(self, user_id: int) -> str | None:
        return self.session.scalar(select(UserRow.password_hash).where(UserRow.id == user_id))

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self.session.execute(update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash))

    def set_roles(self, user_id: int, roles: Iterable[Role]) -> None:
        self.changed_identities = True
        self.session.execute(delete(UserRoleRow).where(UserRoleRow.user_id == user_id))
        self.session.add_all(UserRoleRow(user_id=user_id, role=r) for r in sorted({Role(x) for x in roles}))
        self.session.flush()

    def list_users(self, *, offset: int, limit: int) -> tuple[list[User], int]:
        total = self.session.scalar(select(func.count()).select_from(UserRow)) or 0
        rows = self.session.scalars(select(UserRow).order_by(UserRow.id).offset(offset).limit(limit)).all()
        return self._users(rows), total

    # organisations and memberships -------------------------------------------------------------

    def add_organisation(self, *, slug: str, name: str, created_at: datetime) -> Organisation:
        row = OrganisationRow(slug=slug, name=name, created_at=created_at, name_skeleton=skeleton_hash(name))
        self.session.add(row)
        self._flush(f"an organisation with slug {slug} exists already")
        return _organisation(row)

    def organisations_looking_like(self, name: str, *, limit: int = 20) -> list[Organisation]:
        """Organisations whose name has the same confusable skeleton as ``name``."""
        query = (
            select(OrganisationRow)
            .where(OrganisationRow.name_skeleton == skeleton_hash(name))
            .order_by(OrganisationRow.id)
            .limit(limit)
        )
        return [_organisation(row) for row in self.session.scalars(query)]

    def get_organisation(self, organisation_id: int) -> Organisation | None:
        row = self.session.get(OrganisationRow, organisation_id)
        return None if row is None else _organisation(row)

    def get_organisation_by_slug(self, slug: str) -> Organisation | None:
        query = select(OrganisationRow).where(OrganisationRow.slug == slug)
        row = self.session.scalars(query).one_or_none()
        return None if row is None else _organisation(row)

    def set_membership(
        self, organisation_id: int, user_id: int, role: OrgRole, *, created_at: datetime
    ) -> None:
        self.changed_identities = True
        row = self.session.get(MembershipRow, (organisation_id, user_id))
        if row is None:
            self.session.add(
                MembershipRow(
                    organisation_id=organisation_id,
                    user_id=user_id,
                    role=OrgRole(role).value,
                    created_at=created_at,
                )
            )
        else:
            row.role = OrgRole(role).value
        self.session.flush()

    def remove_membership(self, organisation_id: int, user_id: int) -> bool:
        self.changed_identities = True
        result = self.session.execute(
            delete(MembershipRow).where(
                MembershipRow.organisation_id == organisation_id, MembershipRow.user_id == user_id
            )
        )
        return bool(getattr(result, "rowcount", 0))

    def memberships_of(self, user_id: int) -> dict[int, OrgRole]:
        query = select(MembershipRow.organisation_id, MembershipRow.role).where(
            MembershipRow.user_id == user_id
        )
        return {org_id: OrgRole(role) for org_id, role in self.session.execute(query)}

    def memberships_of_users(self, user_ids: Sequence[int]) -> dict[int, dict[int, OrgRole]]:
        """``memberships_of`` for each of ``user_ids`` (an empty dict for none), ``_CHUNK`` ids a query."""
        wanted = sorted(set(user_ids))
        found: dict[int, dict[int, OrgRole]] = {user_id: {} for user_id in wanted}
        for at in range(0, len(wanted), _CHUNK):
            query = select(MembershipRow.user_id, MembershipRow.organisation_id, MembershipRow.role).where(
                MembershipRow.user_id.in_(wanted[at : at + _CHUNK])
            )
            for user_id, org_id, role in self.session.execute(query):
                found[user_id][org_id] = OrgRole(role)
        return found

    def members_of(self, organisation_id: int) -> list[tuple[User, OrgRole]]:
        query = (
            select(UserRow, MembershipRow.role)
            .join(MembershipRow, MembershipRow.user_id == UserRow.id)
            .where(MembershipRow.organisation_id == organisation_id)
            .order_by(UserRow.display_name, UserRow.id)
        )
        pairs = self.session.execute(query).all()
        users = self._users([row for row, _ in pairs])
        return [(user, OrgRole(role)) for user, (_, role) in zip(users, pairs, strict=True)]

    # API tokens --------------------------------------------------------------------------------

    def add_token(
        self,
        *,
        user_id: int,
        name: str,
        prefix: str,
        token_hash: str,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> ApiToken:
        row = ApiTokenRow(
            user_id=user_id,
            name=name,
            token_prefix=prefix,
            token_hash=token_hash,
            created_at=created_at,
            expires_at=expires_at,
        )
        self.session.add(row)
        self.session.flush()
        return _token(row)

    def get_token(self, token_id: int) -> ApiToken | None:
        row = self.session.get(ApiTokenRow, token_id)
        return None if row is None else _token(row)

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        query = select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)
        row = self.session.scalars(query).one_or_none()
        return None if row is None else _token(row)

    def token_holder(self, token_hash: str) -> tuple[ApiToken, User] | None:
        query = (
            select(ApiTokenRow, UserRow, UserRoleRow.role)
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .outerjoin(UserRoleRow, UserRoleRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == token_hash)
        )
        rows = self.session.execute(query).all()
        if not rows:
            return None
        token, user = rows[0][0], rows[0][1]
        return _token(token), _user(user, [role for _, _, role in rows if role is not None])

    def tokens_of(self, user_id: int) -> list[ApiToken]:
        query = select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
        return [_token(row) for row in self.session.scalars(query)]

    def revoke_token(self, token_id: int, *, at: datetime) -> None:
        self.changed_identities = True
        self.session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.id == token_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def touch_token(self, token_id: int, *, at: datetime) -> None:
        self.session.execute(update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=at))

    # web sessions ------------------------------------------------------------------------------

    def add_session(
        self, *, user_id: int, token_hash: str, created_at: datetime, expires_at: datetime
    ) -> WebSession:
        row = WebSessionRow(
            user_id=user_id, token_hash=token_hash, created_at=created_at, expires_at=expires_at
        )
        self.session.add(row)
        self.session.flush()
        return _session(row)

    def session_holder(self, token_hash: str) -> tuple[WebSession, User] | None:
        query = (
            select(WebSessionRow, UserRow, UserRoleRow.role)
            .join(UserRow, UserRow.id == WebSessionRow.user_id)
            .outerjoin(UserRoleRow, UserRoleRow.user_id == UserRow.id)
            .where(WebSessionRow.token_hash == token_hash)
        )
        rows = self.session.execute(query).all()
        if not rows:
            return None
        session, user = rows[0][0], rows[0][1]
        return _session(session), _user(user, [role for _, _, role in rows if role is not None])

    def session_by_hash(self, token_hash: str) -> WebSession | None:
        query = select(WebSessionRow).where(WebSessionRow.token_hash == token_hash)
        row = self.session.scalars(query).one_or_none()
        return None if row is None else _session(row)

    def revoke_session(self, session_id: int, *, at: datetime) -> None:
        self.session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.id == session_id, WebSessionRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    # sign-in failures --------------------------------------------------------------------------

    def _failure_row(self, key: ThrottleKey) -> SignInFailureRow | None:
        query = select(SignInFailureRow).where(
            SignInFailureRow.scope == key.scope.value, SignInFailureRow.key_hash == key.key_hash
        )
        return self.session.scalars(query).one_or_none()

    def sign_in_locked_until(
        self, keys: Sequence[ThrottleKey], *, forget_before: datetime
    ) -> datetime | None:
        """The latest lock among ``keys`` (None: none is locked or remembered)."""
        found: list[datetime] = []
        for key in keys:
            row = self._failure_row(key)
            if row is not None and row.locked_until is not None and row.last_failure_at >= forget_before:
                found.append(row.locked_until)
        return max(found, default=None)

    def record_sign_in_failure(self, key: ThrottleKey, *, at: datetime, forget_before: datetime) -> int:
        """Count one more failure for ``key`` (atomically: concurrent workers each add one) and
        return the count; rows last failed before ``forget_before`` are forgotten first."""
        self.session.execute(delete(SignInFailureRow).where(SignInFailureRow.last_failure_at < forget_before))
        bumped = self.session.execute(
            update(SignInFailureRow)
            .where(SignInFailureRow.scope == key.scope.value, SignInFailureRow.key_hash == key.key_hash)
            .values(failures=SignInFailureRow.failures + 1, last_failure_at=at)
            .execution_options(synchronize_session=False)
        )
        if getattr(bumped, "rowcount", 0) == 0:
            self.session.add(
                SignInFailureRow(scope=key.scope.value, key_hash=key.key_hash, failures=1, last_failure_at=at)
            )
            self._flush("another sign-in failed at the same moment: try again")
            return 1
        count = self.session.scalar(
            select(SignInFailureRow.failures).where(
                SignInFailureRow.scope == key.scope.value, SignInFailureRow.key_hash == key.key_hash
            )
        )
        return int(count or 1)

    def lock_sign_in(self, key: ThrottleKey, *, until: datetime) -> None:
        self.session.execute(
            update(SignInFailureRow)
            .where(SignInFailureRow.scope == key.scope.value, SignInFailureRow.key_hash == key.key_hash)
            .values(locked_until=until)
            .execution_options(synchronize_session=False)
        )

    def clear_sign_in_failures(self, key: ThrottleKey) -> None:
        self.session.execute(
            delete(SignInFailureRow).where(
                SignInFailureRow.scope == key.scope.value, SignInFailureRow.key_hash == key.key_hash
            )
        )
