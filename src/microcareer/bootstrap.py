"""The composition root: builds the store, the unit-of-work factory, clock and hasher from settings.

Everything outward-facing (CLI, API, web) gets a ``Platform`` from here; tests build one with fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from microcareer.adapters.lexicon_cache import FileLexiconStore
from microcareer.adapters.passwords import Argon2PasswordHasher
from microcareer.config import Settings
from microcareer.errors import NotReady
from microcareer.services.ports import Clock, LexiconStore, PasswordHasher, UnitOfWork
from microcareer.store import migrate
from microcareer.store.engine import build_engine
from microcareer.store.unit_of_work import SqlAlchemyUnitOfWork, unit_of_work_factory


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Platform:
    """The wired application: what every interface needs to call the services."""

    settings: Settings
    uow: Callable[[], UnitOfWork]
    clock: Clock
    passwords: PasswordHasher
    engine: Engine | None = None
    caches: dict[str, object] = field(default_factory=dict)
    lexicons: LexiconStore | None = None  # on-disk cache of extraction lexicons; None: build each time

    def ensure_ready(self) -> None:
        """Refuse to serve from a database that has not been migrated to this version's schema."""
        if self.engine is not None and not migrate.is_up_to_date(self.engine):
            raise NotReady(
                "the database schema is missing or out of date: run `microcareer init` "
                "(or `microcareer db upgrade`)"
            )

    def dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


def bootstrap(
    settings: Settings | None = None,
    *,
    uow: Callable[[], UnitOfWork] | None = None,
    clock: Clock = utc_now,
    passwords: PasswordHasher | None = None,
) -> Platform:
    """Wire the platform; pass ``uow`` (e.g. a fake) to use no database at all."""
    settings = settings or Settings()
    hasher = passwords or Argon2PasswordHasher(
        time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib
    )
    if uow is not None:
        return Platform(settings=settings, uow=uow, clock=clock, passwords=hasher)
    engine = build_engine(settings.database_url)
    session_factory = unit_of_work_factory(engine)
    return Platform(
        settings=settings,
        uow=lambda: SqlAlchemyUnitOfWork(session_factory),
        clock=clock,
        passwords=hasher,
        engine=engine,
        lexicons=FileLexiconStore(Path(settings.cache_dir)),
    )
