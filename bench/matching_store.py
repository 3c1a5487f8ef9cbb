"""The set-up the matching benches through the services share (``bench_jobs_for_person``,
``bench_matching_service``, ``matching_service_steps``): a migrated SQLite database, a platform on a
fresh one in a temporary folder, users and professionals written through the repositories (the change
log included), and the timing helpers. What each bench's population holds (which skills, levels,
evidence, terms, in which order its seeded draws come) stays in the bench."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Role
from microcareer.domain.profiles.evidence import Evidence
from microcareer.domain.profiles.profile import Profile
from microcareer.services.ports import UnitOfWork
from microcareer.store import migrate
from microcareer.store.engine import build_engine

T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[float, T]:
    """``call``'s wall time in milliseconds, and what it returned."""
    t = time.perf_counter()
    out = call()
    return (time.perf_counter() - t) * 1000, out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def median_p99(values: list[float], digits: int = 1) -> dict[str, float]:
    return {"median": round(statistics.median(values), digits), "p99": round(pct(values, 0.99), digits)}


def settings_for(folder: Path | str) -> Settings:
    """The settings of a bench database ``bench.sqlite3`` in ``folder`` (its cache beside it)."""
    return Settings(
        environment="test", database_url=f"sqlite:///{folder}/bench.sqlite3", cache_dir=f"{folder}/cache"
    )


def migrate_database(settings: Settings) -> None:
    """Make ``settings``' database, all migrations applied."""
    engine = build_engine(settings.database_url)
    migrate.upgrade(engine)
    engine.dispose()


@contextmanager
def fresh_platform() -> Iterator[tuple[Platform, Path]]:
    """A platform on a new, migrated SQLite database in a temporary folder (gone afterwards), and the
    folder."""
    with tempfile.TemporaryDirectory() as folder:
        settings = settings_for(folder)
        migrate_database(settings)
        platform = bootstrap(settings)
        try:
            yield platform, Path(folder)
        finally:
            platform.dispose()


def add_user(uow: UnitOfWork, email: str, name: str, role: Role, now: datetime) -> int:
    """A user of one role (no sign-in in the benches: a placeholder hash); their id."""
    return uow.accounts.add_user(
        email=email, display_name=name, password_hash="x",  # noqa: S106 - no sign-in here
        roles=[role], created_at=now,
    ).id  # fmt: skip


def add_professional(
    uow: UnitOfWork, number: int, profile: Profile, skills: Mapping[str, tuple[int, Evidence]], now: datetime
) -> int:
    """Professional ``number`` (``p<number>@x.test``, ``P <number>``) with ``profile`` and each skill at its
    level with its one piece of evidence, through the repositories; their id."""
    user_id = add_user(uow, f"p{number}@x.test", f"P {number}", Role.PROFESSIONAL, now)
    uow.profiles.save(user_id, profile, resume_extras={}, at=now)
    for uri, (level, evidence) in skills.items():
        uow.profiles.set_skill(user_id, uri, level, at=now)
        uow.profiles.add_evidence(user_id, uri, [evidence], at=now)
    return user_id
