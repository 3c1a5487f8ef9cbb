"""market (issue 19): one background ingest job running across every process, and its owner

``market_ingest_jobs`` gains ``owner`` (the process running the job: host/pid/random id, so a process
starting up can mark its host's dead jobs interrupted at once) and a partial unique index on ``state``
where it is ``running``: a second job cannot start while one runs, from any process (the insert fails
in the store, atomically on both stores). Jobs left ``running`` but the newest are marked
``interrupted`` first (two could run before this revision).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 10:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = sa.text("state = 'running'")


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE market_ingest_jobs SET state = 'interrupted', finished_at = heartbeat_at, "
            "error = 'another job ran beside it; uploading the file again adds the rest' "
            "WHERE state = 'running' "
            "AND id < (SELECT max(id) FROM market_ingest_jobs WHERE state = 'running')"
        )
    )
    with op.batch_alter_table("market_ingest_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=200), server_default="", nullable=False))
        batch_op.create_index(
            "uq_market_ingest_jobs_running",
            ["state"],
            unique=True,
            sqlite_where=RUNNING,
            postgresql_where=RUNNING,
        )


def downgrade() -> None:
    with op.batch_alter_table("market_ingest_jobs", schema=None) as batch_op:
        batch_op.drop_index("uq_market_ingest_jobs_running")
        batch_op.drop_column("owner")
