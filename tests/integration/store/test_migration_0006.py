"""Revision 0006 fills the confusable skeletons of accounts and organisations made before it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from microcareer.domain.confusables import skeleton_hash
from microcareer.store import migrate
from microcareer.store.engine import build_engine


def test_upgrading_fills_the_skeletons_of_existing_rows_and_downgrading_removes_them(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = migrate.alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0005")
            connection.execute(
                text(
                    "INSERT INTO users (email, display_name, password_hash, is_active, created_at) "
                    "VALUES ('ada@example.org', 'Ada Lovelace', 'x', 1, '2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO organisations (slug, name, created_at) "
                    "VALUES ('acme', 'Acme Academy', '2026-01-01 00:00:00')"
                )
            )
            command.upgrade(config, "0006")
            user = connection.execute(text("SELECT name_skeleton, email_skeleton FROM users")).one()
            organisation = connection.execute(text("SELECT name_skeleton FROM organisations")).one()
            failures = connection.execute(text("SELECT count(*) FROM sign_in_failures")).scalar()
            command.downgrade(config, "0005")
            columns = {row[1] for row in connection.execute(text("PRAGMA table_info(users)"))}
        assert user == (skeleton_hash("Ada Lovelace"), skeleton_hash("ada@example.org"))
        assert organisation == (skeleton_hash("Acme Academy"),)
        assert failures == 0
        assert "name_skeleton" not in columns
    finally:
        engine.dispose()
