"""Test doubles for the ports: an in-memory account store and unit of work, so service tests need no DB.

``FakeUnitOfWork`` works on a copy of the store and writes it back only on ``commit``, so a service
that fails half-way leaves nothing behind, as the real one does.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self, cast

from microcareer.domain.access_tokens import ApiToken, WebSession
from microcareer.domain.accounts import Organisation, OrgRole, Role, User
from microcareer.domain.confusables import skeleton_hash
from microcareer.domain.sign_in_throttle import ThrottleKey
from microcareer.errors import Conflict
from microcareer.services.assessment_ports import AssessmentRepository
from microcareer.services.credential_ports import CredentialRepository
from microcareer.services.idea_ports import IdeaRepository
from microcareer.services.market_ports import IngestJobRepository, MarketRepository
from microcareer.services.marketplace_ports import MarketplaceRepository
from microcareer.services.network_ports import NetworkRepository, PortfolioRepository
from microcareer.services.offer_ports import OfferRepository
from microcareer.services.pathway_ports import PathwayRepository
from microcareer.services.ports import AccountRepository, ProfileRepository, TaxonomyRepository
from microcareer.services.search_ports import SearchRepository


@dataclass
class AccountData:
    """Everything the fake account repository holds."""

    users: dict[int, User] = field(default_factory=dict)
    password_hashes: dict[int, str] = field(default_factory=dict)
    organisations: dict[int, Organisation] = field(default_factory=dict)
    memberships: dict[tuple[int, int], OrgRole] = field(default_factory=dict)
    tokens: dict[int, ApiToken] = field(default_factory=dict)
    token_hashes: dict[str, int] = field(default_factory=dict)
    sessions: dict[int, WebSession] = field(default_factory=dict)
    session_hashes: dict[str, int] = field(default_factory=dict)
    # (failures, last failure, locked until) per throttle key
    sign_in_failures: dict[ThrottleKey, tuple[int, datetime, datetime | None]] = field(default_factory=dict)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


class FakeAccountRepository:
    """``AccountRepository`` on plain dicts."""

    def __init__(self, data: AccountData) -> None:
        self.data = data

    def add_user(
        self,
        *,
        email: str,
        display_name: str,
        password_hash: str,
        roles: Iterable[Role],
        created_at: datetime,
    ) -> User:
        if self.get_user_by_email(email) is not None:
            raise Conflict(f"a user with email {email} exists already")
        user = User(self.data.new_id(), email, display_name, frozenset(roles), True, created_at)
        self.data.users[user.id] = user
        self.data.password_hashes[user.id] = password_hash
        return user

    def get_user(self, user_id: int) -> User | None:
        return self.data.users.get(user_id)

    def users_by_id(self, user_ids: Sequence[int]) -> dict[int, User]:
        return {user_id: self.data.users[user_id] for user_id in user_ids if user_id in self.data.users}

    def get_user_by_email(self, email: str) -> User | None:
        return next((u for u in self.data.users.values() if u.email == email), None)

    def users_looking_like(self, *, email: str, display_name: str, limit: int = 20) -> list[User]:
        email_key, name_key = skeleton_hash(email), skeleton_hash(display_name)
        found = [
            u
            for u in self.data.users.values()
            if skeleton_hash(u.email) == email_key or skeleton_hash(u.display_name) == name_key
        ]
        return sorted(found, key=lambda u: u.id)[:limit]

    def password_hash_of(self, user_id: int) -> str | None:
        return self.data.password_hashes.get(user_id)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self.data.password_hashes[user_id] = password_hash

    def set_roles(self, user_id: int, roles: Iterable[Role]) -> None:
        self.data.users[user_id] = replace(self.data.users[user_id], roles=frozenset(roles))

    def set_active(self, user_id: int, active: bool) -> None:
        """Not part of the port: lets tests make an inactive user."""
        self.data.users[user_id] = replace(self.data.users[user_id], is_active=active)

    def list_users(self, *, offset: int, limit: int) -> tuple[list[User], int]:
        users = sorted(self.data.users.values(), key=lambda u: u.id)
        return users[offset : offset + limit], len(users)

    def add_organisation(self, *, slug: str, name: str, created_at: datetime) -> Organisation:
        if self.get_organisation_by_slug(slug) is not None:
            raise Conflict(f"an organisation with slug {slug} exists already")
        organisation = Organisation(self.data.new_id(), slug, name, created_at)
        self.data.organisations[organisation.id] = organisation
        return organisation

    def organisations_looking_like(self, name: str, *, limit: int = 20) -> list[Organisation]:
        key = skeleton_hash(name)
        found = [o for o in self.data.organisations.values() if skeleton_hash(o.name) == key]
        return sorted(found, key=lambda o: o.id)[:limit]

    def get_organisation(self, organisation_id: int) -> Organisation | None:
        return self.data.organisations.get(organisation_id)

    def get_organisation_by_slug(self, slug: str) -> Organisation | None:
        return next((o for o in self.data.organisations.values() if o.slug == slug), None)

    def set_membership(
        self, organisation_id: int, user_id: int, role: OrgRole, *, created_at: datetime
    ) -> None:
        self.data.memberships[(organisation_id, user_id)] = OrgRole(role)

    def remove_membership(self, organisation_id: int, user_id: int) -> bool:
        return self.data.memberships.pop((organisation_id, user_id), None) is not None

    def memberships_of(self, user_id: int) -> dict[int, OrgRole]:
        return {org: role for (org, user), role in self.data.memberships.items() if user == user_id}

    def memberships_of_users(self, user_ids: Sequence[int]) -> dict[int, dict[int, OrgRole]]:
        return {user_id: self.memberships_of(user_id) for user_id in user_ids}

    def members_of(self, organisation_id: int) -> list[tuple[User, OrgRole]]:
        pairs = [
            (self.data.users[user], role)
            for (org, user), role in self.data.memberships.items()
            if org == organisation_id
        ]
        return sorted(pairs, key=lambda pair: (pair[0].display_name, pair[0].id))

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
        token = ApiToken(self.data.new_id(), user_id, name, prefix, created_at, expires_at, None, None)
        self.data.tokens[token.id] = token
        self.data.token_hashes[token_hash] = token.id
        return token

    def get_token(self, token_id: int) -> ApiToken | None:
        return self.data.tokens.get(token_id)

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        token_id = self.data.token_hashes.get(token_hash)
        return None if token_id is None else self.data.tokens[token_id]

    def token_holder(self, token_hash: str) -> tuple[ApiToken, User] | None:
        token = self.token_by_hash(token_hash)
        user = None if token is None else self.data.users.get(token.user_id)
        return None if token is None or user is None else (token, user)

    def tokens_of(self, user_id: int) -> list[ApiToken]:
        return [t for t in self.data.tokens.values() if t.user_id == user_id]

    def revoke_token(self, token_id: int, *, at: datetime) -> None:
        token = self.data.tokens[token_id]
        if token.revoked_at is None:
            self.data.tokens[token_id] = replace(token, revoked_at=at)

    def touch_token(self, token_id: int, *, at: datetime) -> None:
        self.data.tokens[token_id] = replace(self.data.tokens[token_id], last_used_at=at)

    def add_session(
        self, *, user_id: int, token_hash: str, created_at: datetime, expires_at: datetime
    ) -> WebSession:
        session = WebSession(self.data.new_id(), user_id, created_at, expires_at, None)
        self.data.sessions[session.id] = session
        self.data.session_hashes[token_hash] = session.id
        return session

    def session_by_hash(self, token_hash: str) -> WebSession | None:
        session_id = self.data.session_hashes.get(token_hash)
        return None if session_id is None else self.data.sessions[session_id]

    def session_holder(self, token_hash: str) -> tuple[WebSession, User] | None:
        session = self.session_by_hash(token_hash)
        user = None if session is None else self.data.users.get(session.user_id)
        return None if session is None or user is None else (session, user)

    def revoke_session(self, session_id: int, *, at: datetime) -> None:
        session = self.data.sessions[session_id]
        if session.revoked_at is None:
            self.data.sessions[session_id] = replace(session, revoked_at=at)

    def sign_in_locked_until(
        self, keys: Sequence[ThrottleKey], *, forget_before: datetime
    ) -> datetime | None:
        found = [
            locked
            for key in keys
            if key in self.data.sign_in_failures
            for _, last, locked in [self.data.sign_in_failures[key]]
            if locked is not None and last >= forget_before
        ]
        return max(found, default=None)

    def record_sign_in_failure(self, key: ThrottleKey, *, at: datetime, forget_before: datetime) -> int:
        for stale in [k for k, (_, last, _) in self.data.sign_in_failures.items() if last < forget_before]:
            del self.data.sign_in_failures[stale]
        failures, _, locked = self.data.sign_in_failures.get(key, (0, at, None))
        self.data.sign_in_failures[key] = (failures + 1, at, locked)
        return failures + 1

    def lock_sign_in(self, key: ThrottleKey, *, until: datetime) -> None:
        failures, last, _ = self.data.sign_in_failures[key]
        self.data.sign_in_failures[key] = (failures, last, until)

    def clear_sign_in_failures(self, key: ThrottleKey) -> None:
        self.data.sign_in_failures.pop(key, None)


class _NoTaxonomy:
    def __getattr__(self, name: str) -> object:
        raise NotImplementedError(f"FakeUnitOfWork has no taxonomy repository ({name})")


class _NoProfiles:
    def __getattr__(self, name: str) -> object:
        raise NotImplementedError(f"FakeUnitOfWork has no profile repository ({name})")


class _NoCredentials:
    def __getattr__(self, name: str) -> object:
        raise NotImplementedError(f"FakeUnitOfWork has no credential repository ({name})")


class _NoMarketplace:
    def __getattr__(self, name: str) -> object:
        raise NotImplementedError(f"FakeUnitOfWork has no marketplace repository ({name})")


class _NoPathways:
    def __getattr__(self, name: str) -> object:
        raise NotImplementedError(f"FakeUnitOfWork has no pathway repository ({name})")


class _NoNetwork:
    def __getattr__(self, name: str) -> object:
        raise NotImplementedError(f"FakeUnitOfWork has no network repository ({name})")


class _NoMarket:
    def __getattr__(self, name: str) -> object:
        raise NotImplementedError(f"FakeUnitOfWork has no market repository ({name})")


class _NoIdeas:
    def __getattr__(self, name: str) -> object:
        raise NotImplementedError(f"FakeUnitOfWork has no idea repository ({name})")


class _NoSearch:
    def __getattr__(self, name: str) -> object:
        raise NotImplementedError(f"FakeUnitOfWork has no search repository ({name})")


class _NoAssessments:
    def __getattr__(self, name: str) -> object:
        raise NotImplementedError(f"FakeUnitOfWork has no assessment repository ({name})")


class FakeUnitOfWork:
    """A unit of work over ``AccountData``: changes land only on ``commit``."""

    def __init__(self, data: AccountData | None = None) -> None:
        self.data = data if data is not None else AccountData()
        self.commits = 0
        self._working: AccountData | None = None
        self.taxonomy = cast(TaxonomyRepository, _NoTaxonomy())
        self.profiles = cast(ProfileRepository, _NoProfiles())
        self.credentials = cast(CredentialRepository, _NoCredentials())
        self.marketplace = cast(MarketplaceRepository, _NoMarketplace())
        self.pathways = cast(PathwayRepository, _NoPathways())
        self.network = cast(NetworkRepository, _NoNetwork())
        self.portfolio = cast(PortfolioRepository, _NoNetwork())
        self.market = cast(MarketRepository, _NoMarket())
        self.market_jobs = cast(IngestJobRepository, _NoMarket())
        self.offers = cast(OfferRepository, _NoMarket())
        self.ideas = cast(IdeaRepository, _NoIdeas())
        self.search = cast(SearchRepository, _NoSearch())
        self.assessments = cast(AssessmentRepository, _NoAssessments())
        self.accounts: AccountRepository = FakeAccountRepository(self.data)

    def __enter__(self) -> Self:
        self._working = copy.deepcopy(self.data)
        self.accounts = FakeAccountRepository(self._working)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._working = None

    def commit(self) -> None:
        assert self._working is not None, "commit outside the `with` block"
        self.data.__dict__.update(copy.deepcopy(self._working).__dict__)
        self.commits += 1

    def rollback(self) -> None:
        self._working = copy.deepcopy(self.data)
        self.accounts = FakeAccountRepository(self._working)


class FakePasswordHasher:
    """Not a hash: marks the password so tests can see it was never stored in the clear."""

    def __init__(self, *, scheme: str = "fake1") -> None:
        self.scheme = scheme
        self.hashed = 0

    def hash(self, password: str) -> str:
        self.hashed += 1
        return f"{self.scheme}${password[::-1]}"

    def verify(self, password_hash: str, password: str) -> bool:
        _, _, stored = password_hash.partition("$")
        return stored == password[::-1]

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(self.scheme + "$")


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
