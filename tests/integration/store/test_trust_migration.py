"""Migration 0007 on a database with data: issuers whose names fold alike both survive (the later one's
key gets its id appended), all start unverified, and the migration goes down and up again (SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import text

from microcareer.store import migrate
from microcareer.store.engine import build_engine


def test_0007_keeps_issuers_whose_names_fold_alike_and_goes_down_and_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            config = migrate.alembic_config(url)
            config.attributes["connection"] = conn
            command.upgrade(config, "0005")
            now = datetime(2026, 12, 1, tzinfo=UTC)
            conn.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash, is_active, created_at) "
                    "VALUES (1, 'a@x.test', 'A', 'x', 1, :now)"
                ),
                {"now": now},
            )
            for issuer_id, name in ((1, "Code School"), (2, "CODE-SCHOOL"), (3, "Other Academy")):
                conn.execute(
                    text(
                        "INSERT INTO credential_issuers (id, slug, name, description, owner_user_id, did, "
                        "created_at) VALUES (:id, :slug, :name, '', 1, :did, :now)"
                    ),
                    {
                        "id": issuer_id,
                        "slug": f"s{issuer_id}",
                        "name": name,
                        "did": f"did:key:z{issuer_id}",
                        "now": now,
                    },
                )
            conn.commit()
            command.upgrade(config, "head")
            conn.commit()
            rows = conn.execute(
                text("SELECT id, name, name_key, standing FROM credential_issuers ORDER BY id")
            ).all()
            assert [tuple(r) for r in rows] == [
                (1, "Code School", "codeschool", "unverified"),
                (2, "CODE-SCHOOL", "codeschool#2", "unverified"),
                (3, "Other Academy", "otheracademy", "unverified"),
            ]
            command.downgrade(config, "0005")
            conn.commit()
            command.upgrade(config, "head")
            conn.commit()
        assert migrate.is_up_to_date(engine)
    finally:
        engine.dispose()
