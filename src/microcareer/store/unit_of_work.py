"""``SqlAlchemyUnitOfWork``: one session and transaction, with every repository bound to it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from microcareer.store.repositories.accounts import SqlAlchemyAccountRepository
from microcareer.store.repositories.credentials import SqlAlchemyCredentialRepository
from microcareer.store.repositories.marketplace import SqlAlchemyMarketplaceRepository
from microcareer.store.repositories.profiles import SqlAlchemyProfileRepository
from microcareer.store.repositories.taxonomy import SqlAlchemyTaxonomyRepository


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

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def unit_of_work_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
