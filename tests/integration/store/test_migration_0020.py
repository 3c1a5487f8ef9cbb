"""Revision 0020 on each database: jobs left running side by side before it keep the newest running
(the others interrupted, with why), every job gains an empty owner, and a second running job can no
longer be stored; its downgrade gives 0019's table back."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from microcareer.store import migrate
from microcareer.store.engine import build_engine

JOB = (
    "INSERT INTO market_ingest_jobs (id, created_at, heartbeat_at, state, file_name, source, columns, "
    "rows_done, added, reposts, known, matched_occupation, bad_count, bad, error) VALUES "
    "(:id, '2026-12-01 10:00:00', '2026-12-01 10:00:00', :state, 'p.csv', 'p', '', 0, 0, 0, 0, 0, 0, "
    "'[]', '')"
)


def test_upgrading_keeps_one_running_job_and_the_downgrade_works(database_url: str) -> None:
    engine = build_engine(database_url)
    config = migrate.alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0019")
            for n, state in enumerate(("running", "done", "running", "running"), start=1):
                connection.execute(text(JOB), {"id": n, "state": state})
            command.upgrade(config, "0020")
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, state, owner, error FROM market_ingest_jobs ORDER BY id")
            ).all()
            assert [(r[0], r[1], r[2]) for r in rows] == [
                (1, "interrupted", ""),
                (2, "done", ""),
                (3, "interrupted", ""),
                (4, "running", ""),
            ]
            assert "another job ran beside it" in rows[0][3]
            assert rows[3][3] == ""
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(JOB), {"id": 5, "state": "running"})
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0019")
        columns = {c["name"] for c in inspect(engine).get_columns("market_ingest_jobs")}
        assert "owner" not in columns
        with engine.begin() as connection:  # two running jobs may be stored again
            connection.execute(text(JOB), {"id": 5, "state": "running"})
            connection.execute(text("UPDATE market_ingest_jobs SET state = 'done' WHERE id >= 4"))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()
