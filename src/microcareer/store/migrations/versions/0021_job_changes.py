"""matching (issue 18): the change log of micro-jobs that keeps each process's job index current

``job_changes`` gets a row for every job written (posted, edited, any state change: published,
closed, cancelled...) in the same transaction as the write. A process's ``JobIndex``
(``services/job_index.py``) reads the rows above its watermark before each query and re-reads those
jobs, as ``matching_changes`` (0018) does for profiles.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_changes")),
    )


def downgrade() -> None:
    op.drop_table("job_changes")
