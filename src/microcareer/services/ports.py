"""What the services need from the outside world, as Protocols that the store and adapters satisfy.

Services import only this module (never ``microcareer.store``); ``bootstrap`` wires the real
implementations and tests wire fakes (``tests/fakes.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from microcareer.domain.access_tokens import ApiToken, WebSession
from microcareer.domain.accounts import Organisation, OrgRole, Role, User
from microcareer.domain.extraction.lexicon import Lexicon
from microcareer.domain.profiles.evidence import Evidence
from microcareer.domain.profiles.profile import Profile, ProfileSkill, StoredProfile, Visibility
from microcareer.domain.progress import NoProgress as NoProgress  # re-exported: the store imports domain's
from microcareer.domain.progress import Progress as Progress
from microcareer.domain.sign_in_throttle import ThrottleKey
from microcareer.domain.taxonomy.concepts import (
    Occupation,
    OccupationDetail,
    OccupationRef,
    OrgLinkRelation,
    Skill,
    SkillDetail,
    SkillRef,
    TaxonomyBundle,
    TaxonomyCounts,
    TaxonomyInfo,
)
from microcareer.services.assessment_ports import AssessmentRepository
from microcareer.services.credential_ports import CredentialRepository
from microcareer.services.idea_ports import IdeaRepository
from microcareer.services.market_ports import IngestJobRepository, MarketRepository
from microcareer.services.marketplace_ports import MarketplaceRepository
from microcareer.services.network_ports import NetworkRepository, PortfolioRepository
from microcareer.services.offer_ports import OfferRepository
from microcareer.services.pathway_ports import PathwayRepository
from microcareer.services.search_ports import SearchRepository

if TYPE_CHECKING:  # numpy comes with the semantic extra only; the lexical path never imports it
    from microcareer.domain.extraction.semantic import FloatMatrix, SkillEmbeddings

Clock = Callable[[], datetime]


class TaxonomySource(Protocol):
    """Somewhere a whole taxonomy can be read from (a folder of ESCO CSVs, the bundled build)."""

    def read(self, progress: Progress) -> TaxonomyBundle: ...


class LexiconStore(Protocol):
    """Where built extraction lexicons are kept between runs (a cache: losing it costs a rebuild)."""

    def load(self, revision_id: str) -> Lexicon | None: ...

    def save(self, lexicon: Lexicon) -> None: ...


class ToolNameSource(Protocol):
    """Names of tools that stand for skills ("Docker", "Microsoft Excel"): more lexicon label rows."""

    @property
    def digest(self) -> str: ...  # changes whenever the names do: part of the lexicon's cache key

    def label_rows(self) -> Iterable[tuple[str, str, str, int | None]]: ...  # kind "tool"


class TextEmbedder(Protocol):
    """A sentence-embedding model: texts → unit-length float32 rows (the ``semantic`` extra's adapter)."""

    model_name: str  # says which model made a vector: part of every cache key

    def embed(self, texts: Sequence[str]) -> FloatMatrix: ...


class SkillEmbeddingStore(Protocol):
    """Where skill embeddings are kept between runs (a cache): the last saved under a key of model and
    format, with the taxonomy revision they were made for."""

    def load(self, key: str) -> tuple[str, SkillEmbeddings] | None: ...

    def save(self, key: str, revision_id: str, embeddings: SkillEmbeddings) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class TaxonomyRepository(Protocol):
    """The skills graph in the store."""

    def info(self) -> TaxonomyInfo: ...

    def revision(self) -> int: ...

    def revision_id(self) -> str:
        """The revision, made unique across databases: names on-disk caches built from the graph."""
        ...

    def replace_esco(self, bundle: TaxonomyBundle, progress: Progress) -> TaxonomyCounts: ...

    def get_skill(self, uri: str) -> Skill | None: ...

    def skill_uri_for_key(self, key: str) -> str | None: ...

    def skill_detail(self, uri: str, *, visible_orgs: frozenset[int] | None) -> SkillDetail | None:
        """The skill with its broader chains, narrower and related skills (organisation ones only if
        visible) and how many occupations need it."""
        ...

    def skill_refs(self, uris: Sequence[str]) -> dict[str, SkillRef]: ...

    def skill_label_rows(self) -> Iterator[tuple[str, str, str, int | None]]:
        """(uri, label, kind, organisation_id) for every label of every skill, for the search index."""
        ...

    def extraction_label_rows(self) -> Iterator[tuple[str, str, str, int | None]]:
        """As ``skill_label_rows``, without skill groups (they are headings, not skills to find)."""
        ...

    def ranking_skill_rows(self) -> Iterator[tuple[str, str | None, str | None, str]]:
        """(uri, skill type, reuse level, description) of every skill that is not a group."""
        ...

    def skill_graph_rows(self) -> Iterator[tuple[str, str, str]]:
        """(uri, other uri, link) for every edge of the skill graph: ``broader`` (other is broader),
        ``essential`` / ``optional`` (ESCO skill→skill relations), ``related`` (an organisation's link)."""
        ...

    def occupation_skill_rows(self) -> Iterator[tuple[str, str, bool]]:
        """(occupation uri, skill uri, essential) for every occupation→skill relation."""
        ...

    def skill_broader_rows(self) -> Iterator[tuple[str, str]]:
        """(uri, broader uri) for every edge of the skill hierarchy (skill groups included)."""
        ...

    def get_occupation(self, uri: str) -> Occupation | None: ...

    def occupation_uri_for_key(self, key: str) -> str | None: ...

    def occupation_detail(self, uri: str) -> OccupationDetail | None: ...

    def occupation_refs(self, uris: Sequence[str]) -> dict[str, OccupationRef]: ...

    def occupation_label_rows(self) -> Iterator[tuple[str, str, str, int | None]]: ...

    def add_org_skill(
        self,
        skill: Skill,
        links: Iterable[tuple[str, OrgLinkRelation]],
        *,
        created_by: int | None,
        created_at: datetime,
    ) -> Skill: ...


class AccountRepository(Protocol):
    """Users, roles, organisations, memberships, API tokens and web sessions in the store."""

    def add_user(
        self,
        *,
        email: str,
        display_name: str,
        password_hash: str,
        roles: Iterable[Role],
        created_at: datetime,
    ) -> User: ...

    def get_user(self, user_id: int) -> User | None: ...

    def users_by_id(self, user_ids: Sequence[int]) -> dict[int, User]:
        """Those of ``user_ids`` that exist, in a few queries."""
        ...

    def get_user_by_email(self, email: str) -> User | None: ...

    def users_looking_like(self, *, email: str, display_name: str, limit: int = 20) -> list[User]:
        """Users whose e-mail or display name has the same confusable skeleton (``domain/confusables``)."""
        ...

    def password_hash_of(self, user_id: int) -> str | None: ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    def set_roles(self, user_id: int, roles: Iterable[Role]) -> None: ...

    def list_users(self, *, offset: int, limit: int) -> tuple[list[User], int]: ...

    def add_organisation(self, *, slug: str, name: str, created_at: datetime) -> Organisation: ...

    def organisations_looking_like(self, name: str, *, limit: int = 20) -> list[Organisation]:
        """Organisations whose name has the same confusable skeleton (``domain/confusables``)."""
        ...

    def get_organisation(self, organisation_id: int) -> Organisation | None: ...

    def get_organisation_by_slug(self, slug: str) -> Organisation | None: ...

    def set_membership(
        self, organisation_id: int, user_id: int, role: OrgRole, *, created_at: datetime
    ) -> None: ...

    def remove_membership(self, organisation_id: int, user_id: int) -> bool: ...

    def memberships_of(self, user_id: int) -> dict[int, OrgRole]: ...

    def memberships_of_users(self, user_ids: Sequence[int]) -> dict[int, dict[int, OrgRole]]:
        """``memberships_of`` each of ``user_ids``, in a few queries."""
        ...

    def members_of(self, organisation_id: int) -> list[tuple[User, OrgRole]]: ...

    def add_token(
        self,
        *,
        user_id: int,
        name: str,
        prefix: str,
        token_hash: str,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> ApiToken: ...

    def get_token(self, token_id: int) -> ApiToken | None: ...

    def token_by_hash(self, token_hash: str) -> ApiToken | None: ...

    def token_holder(self, token_hash: str) -> tuple[ApiToken, User] | None:
        """The token with this hash and its user (with roles) in one read; None when no token has it."""
        ...

    def tokens_of(self, user_id: int) -> list[ApiToken]: ...

    def revoke_token(self, token_id: int, *, at: datetime) -> None: ...

    def touch_token(self, token_id: int, *, at: datetime) -> None: ...

    def add_session(
        self, *, user_id: int, token_hash: str, created_at: datetime, expires_at: datetime
    ) -> WebSession: ...

    def session_by_hash(self, token_hash: str) -> WebSession | None: ...

    def session_holder(self, token_hash: str) -> tuple[WebSession, User] | None:
        """The web session with this hash and its user (with roles) in one read; None when none has it."""
        ...

    def revoke_session(self, session_id: int, *, at: datetime) -> None: ...

    def sign_in_locked_until(
        self, keys: Sequence[ThrottleKey], *, forget_before: datetime
    ) -> datetime | None:
        """The latest lock among ``keys`` whose last failure is not forgotten yet."""
        ...

    def record_sign_in_failure(self, key: ThrottleKey, *, at: datetime, forget_before: datetime) -> int:
        """One more failed sign-in for ``key``; the count after it (forgotten failures start over)."""
        ...

    def lock_sign_in(self, key: ThrottleKey, *, until: datetime) -> None: ...

    def clear_sign_in_failures(self, key: ThrottleKey) -> None: ...


class ProfileRepository(Protocol):
    """Profiles, their experiences, skills and evidence."""

    def get(self, user_id: int) -> StoredProfile | None: ...

    def named(self, user_id: int) -> tuple[str, StoredProfile | None] | None:
        """The user's display name and stored profile (None: none yet) in one read; None: no such user."""
        ...

    def save(self, user_id: int, profile: Profile, *, resume_extras: dict[str, Any], at: datetime) -> None:
        """Create or replace the profile and all its experiences (skills and evidence stay)."""
        ...

    def skills(self, user_id: int) -> list[ProfileSkill]: ...

    def set_skill(self, user_id: int, uri: str, proficiency: int, *, at: datetime) -> None: ...

    def add_evidence(self, user_id: int, uri: str, evidence: Iterable[Evidence], *, at: datetime) -> None: ...

    def reweigh_evidence(self, sources: Sequence[str], *, weight: float, note: str) -> int: ...

    def remove_evidence_from(self, user_id: int, source: str) -> int: ...

    def remove_skill(self, user_id: int, uri: str) -> bool: ...

    def holders_of(self, user_ids: Sequence[int]) -> dict[int, list[ProfileSkill]]: ...

    def available_holders(
        self, uris: Sequence[str], *, visibilities: Sequence[Visibility] | None = None
    ) -> list[tuple[int, Visibility]]:
        """(user id, visibility) of available profiles holding any of ``uris`` (talent search)."""
        ...

    def matching_head(self) -> int:
        """The id of the latest change to anyone's matching facts (0: none yet)."""
        ...

    def matching_changes(self, after: int, limit: int) -> list[tuple[int, int]]:
        """(change id, user id) of up to ``limit`` changes after ``after``, oldest first."""
        ...

    def matching_floor(self) -> int:
        """The id of the oldest change kept (0: none): every change below it may have been pruned."""
        ...

    def prune_matching_changes(self, below: int) -> int:
        """Delete the changes with ids below ``below``; how many were deleted."""
        ...

    def matching_instance(self) -> str:
        """This database's identity (a random id kept in it, made on the first call: the caller
        commits; on PostgreSQL with the database's and schema's names): names the index's file."""
        ...

    def matching_profiles(
        self, user_ids: Sequence[int] | None = None
    ) -> Iterator[tuple[int, Profile, list[ProfileSkill]]]:
        """Available, non-private profiles (of ``user_ids``, or all) with their skills and evidence."""
        ...

    def matching_people(
        self, user_ids: Sequence[int]
    ) -> Iterator[tuple[int, str, datetime, Profile, list[ProfileSkill]]]:
        """``matching_profiles`` of ``user_ids`` with each owner's display name and joining time."""
        ...


class ExtractionTaxonomy(Protocol):
    """What skill extraction reads of a taxonomy (``TaxonomyRepository`` is one; the bundled ESCO is
    another, for extraction with no database)."""

    def revision_id(self) -> str: ...

    def extraction_label_rows(self) -> Iterator[tuple[str, str, str, int | None]]: ...

    def ranking_skill_rows(self) -> Iterator[tuple[str, str | None, str | None, str]]: ...

    def occupation_skill_rows(self) -> Iterator[tuple[str, str, bool]]: ...

    def skill_broader_rows(self) -> Iterator[tuple[str, str]]:
        """(uri, broader uri) for every edge of the skill hierarchy (skill groups included)."""
        ...


class ExtractionSource(Protocol):
    """Where extraction reads its taxonomy, entered around each read: a ``UnitOfWork`` is one."""

    @property
    def taxonomy(self) -> ExtractionTaxonomy: ...

    def __enter__(self) -> Any: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: everything done through it is committed together or not at all."""

    @property
    def taxonomy(self) -> TaxonomyRepository: ...

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def profiles(self) -> ProfileRepository: ...

    @property
    def credentials(self) -> CredentialRepository: ...

    @property
    def marketplace(self) -> MarketplaceRepository: ...

    @property
    def pathways(self) -> PathwayRepository: ...

    @property
    def network(self) -> NetworkRepository: ...

    @property
    def portfolio(self) -> PortfolioRepository: ...

    @property
    def market(self) -> MarketRepository: ...

    @property
    def market_jobs(self) -> IngestJobRepository: ...

    @property
    def offers(self) -> OfferRepository: ...

    @property
    def ideas(self) -> IdeaRepository: ...

    @property
    def search(self) -> SearchRepository: ...

    @property
    def assessments(self) -> AssessmentRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
