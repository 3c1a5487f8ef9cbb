"""Revision 0015 indexes the jobs made before it, on each database, and the index then finds them."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import Session

from microcareer.domain.marketplace.jobs import JobState
from microcareer.domain.search import JobFilters, TermMatch
from microcareer.store import migrate
from microcareer.store.engine import build_engine
from microcareer.store.repositories.search import search_repository


def test_upgrading_indexes_existing_jobs(database_url: str) -> None:
    engine = build_engine(database_url)
    config = migrate.alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0011")
            connection.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash, is_active, created_at) "
                    "VALUES (1, 'ada@example.org', 'Ada', 'x', true, '2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO micro_jobs (id, poster_user_id, title, brief, budget_kind, budget_amount, "
                    "currency, expected_hours, remote, place, audience, state, created_at, updated_at) "
                    "VALUES (1, 1, 'Café inventory tool', 'Count the beans.', 'fixed', 100, 'EUR', 3, "
                    "true, '', 'open', 'open', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
            command.upgrade(config, "head")
        with Session(engine) as session:
            repository = search_repository(session)
            assert repository.known_words(["cafe", "inventory", "beans", "nothing"]) == {
                "cafe",
                "inventory",
                "beans",
            }
            jobs, total, _ = repository.search_jobs(
                matches=[TermMatch("cafe"), TermMatch("inventry", ("inventory",))],
                filters=JobFilters(),
                states=[JobState.OPEN],
                visible_orgs=frozenset(),
                viewer_id=None,
                poster_id=None,
                limit=5,
                offset=0,
            )
        assert ([j.id for j in jobs], total) == ([1], 1)
    finally:
        engine.dispose()
