"""Shared fixtures. Storage tests run once per configured database.

SQLite always; PostgreSQL too when ``MICROCAREER_DATABASE_URL`` names one (CI sets it). Each test gets
an empty, fully migrated database: SQLite as a copy of a migrated template file, PostgreSQL as a
private schema for the run whose tables are emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

# pytest-xdist's workers run with COLUMNS=80 in their environment, and rich pins a Console's width to
# COLUMNS when the console is made (the CLI's, at import): the CLI tests' own COLUMNS would then be
# ignored. Without it, rich reads COLUMNS each time it prints, as in a one-process run.
os.environ.pop("COLUMNS", None)
# A test process starts many apps: the server's gc.freeze at start-up (MICROCAREER_GC_FREEZE) would keep
# each one's reference cycles for the rest of the run. Off for the tests (and the servers they start);
# tests/integration/api/test_gc_freeze.py turns it on for its own.
os.environ.setdefault("MICROCAREER_GC_FREEZE", "false")

from microcareer.adapters.passwords import Argon2PasswordHasher
from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.store import migrate
from microcareer.store.engine import build_engine, is_sqlite
from microcareer.store.tables import Base

POSTGRES_URL = os.environ.get("MICROCAREER_DATABASE_URL", "")
HAS_POSTGRES = POSTGRES_URL.startswith("postgresql")
BACKENDS = ["sqlite", "postgresql"] if HAS_POSTGRES else ["sqlite"]


def pytest_report_header(config: pytest.Config) -> str:
    if HAS_POSTGRES:
        return "storage tests: SQLite and PostgreSQL (MICROCAREER_DATABASE_URL)"
    return (
        "storage tests: SQLite only -- set MICROCAREER_DATABASE_URL=postgresql+psycopg://... "
        "to run them on PostgreSQL too"
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not HAS_POSTGRES:
        terminalreporter.write_line(
            "note: storage tests ran on SQLite alone (MICROCAREER_DATABASE_URL names no PostgreSQL)"
        )


FAST_HASHER = Argon2PasswordHasher(time_cost=1, memory_kib=8)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = build_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    if not HAS_POSTGRES:
        pytest.skip("no PostgreSQL configured: set MICROCAREER_DATABASE_URL to run storage tests on it")
    schema = f"mc_test_{uuid.uuid4().hex[:12]}"
    admin = build_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    engine = build_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _empty_all_tables(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database on each configured backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "microcareer.sqlite3"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_schema_url")
    engine = build_engine(url)
    _empty_all_tables(engine)
    engine.dispose()
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        argon2_time_cost=1,
        argon2_memory_kib=8,
        cache_dir=str(tmp_path / "cache"),
    )


@pytest.fixture
def platform(settings: Settings) -> Iterator[Platform]:
    platform = bootstrap(settings, passwords=FAST_HASHER)
    yield platform
    platform.dispose()


@pytest.fixture
def backend(database_url: str) -> str:
    return "sqlite" if is_sqlite(database_url) else "postgresql"
