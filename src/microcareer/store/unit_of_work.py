"""``SqlAlchemyUnitOfWork``: one session and transaction, with every repository bound to it."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from microcareer.errors import Conflict
from microcareer.store.change_count import ChangeCount
from microcareer.store.repositories.accounts import ACCOUNT_CHANGES, SqlAlchemyAccountRepository
from microcareer.store.repositories.assessments import SqlAlchemyAssessmentRepository
from microcareer.store.repositories.credentials import SqlAlchemyCredentialRepository
from microcareer.store.repositories.ideas import SqlAlchemyIdeaRepository
from microcareer.store.repositories.market import SqlAlchemyMarketRepository
from microcareer.store.repositories.market_jobs import SqlAlchemyIngestJobRepository
from microcareer.store.repositories.marketplace import SqlAlchemyMarketplaceRepository
from microcareer.store.repositories.network import SqlAlchemyNetworkRepository
from microcareer.store.repositories.offers import SqlAlchemyOfferRepository
from microcareer.store.repositories.pathways import SqlAlchemyPathwayRepository
from microcareer.store.repositories.portfolio import SqlAlchemyPortfolioRepository
from microcareer.store.repositories.profiles import SqlAlchemyProfileRepository
from microcareer.store.repositories.search import search_repository
from microcareer.store.repositories.taxonomy import SqlAlchemyTaxonomyRepository

log = logging.getLogger(__name__)

# How many units of work this process has committed: remembered reads (``services/recent_reads.py``)
# lapse when it moves.
COMMITS = ChangeCount()


class SqlAlchemyUnitOfWork:
    """Use as ``with uow: ...; uow.commit()``; leaving the block without commit rolls back."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its `with` block")
        return self._session

    def __enter__(self) -> Self:
        self._session = self._session_factory()
        self.taxonomy = SqlAlchemyTaxonomyRepository(self._session)
        self.accounts = SqlAlchemyAccountRepository(self._session)
        self.profiles = SqlAlchemyProfileRepository(self._session)
        self.credentials = SqlAlchemyCredentialRepository(self._session)
        self.marketplace = SqlAlchemyMarketplaceRepository(self._session)
        self.pathways = SqlAlchemyPathwayRepository(self._session)
        self.network = SqlAlchemyNetworkRepository(self._session)
        self.portfolio = SqlAlchemyPortfolioRepository(self._session)
        self.market = SqlAlchemyMarketRepository(self._session)
        self.market_jobs = SqlAlchemyIngestJobRepository(self._session)
        self.offers = SqlAlchemyOfferRepository(self._session)
        self.ideas = SqlAlchemyIdeaRepository(self._session)
        self.search = search_repository(self._session)
        self.assessments = SqlAlchemyAssessmentRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None
        conflict = _conflict(exc) if isinstance(exc, DBAPIError) else None
        if conflict is not None:
            raise conflict from exc

    def commit(self) -> None:
        try:
            self.session.commit()
        except DBAPIError as error:
            conflict = _conflict(error)
            if conflict is None:
                raise
            raise conflict from error
        finally:
            COMMITS.bump()  # even a commit that failed may have landed: what was remembered lapses
        if self.accounts.changed_identities:  # roles, memberships or tokens: remembered actors lapse
            self.accounts.changed_identities = False
            ACCOUNT_CHANGES.bump()

    def rollback(self) -> None:
        self.session.rollback()


def _conflict(error: DBAPIError) -> Conflict | None:
    """A write that lost a race (a unique key taken meanwhile, a lock not granted in time) is a 409 to
    retry, never a 500; any other database error stays what it is (a bug, logged as a 500)."""
    if isinstance(error, IntegrityError):
        return Conflict("the change conflicts with another made at the same time: reload and retry")
    reason = str(error.orig).lower()
    # PostgreSQL's lock timeout, which the contract's lock sets for the rest of its transaction
    # (``marketplace.lock_contract``), runs out on any later lock wait too: busy as well
    busy = ("database is locked", "deadlock detected", "could not serialize", "due to lock timeout")
    if isinstance(error, OperationalError) and any(marker in reason for marker in busy):
        # SQLite's extended code tells a busy timeout that ran out (SQLITE_BUSY) from a stale snapshot
        # (SQLITE_BUSY_SNAPSHOT, never waited for): see store/write_gate.py
        code = getattr(error.orig, "sqlite_errorname", None) or getattr(error.orig, "sqlstate", None)
        log.warning("a busy database answered 409: %s (%s)", reason, code)
        return Conflict("the database is busy with a change to the same thing: try again")
    return None


def unit_of_work_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
