"""ideas (issue 22): a request to join an idea is answered (accepted or declined) by its author or sponsor

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idea_join_requests") as batch:
        batch.add_column(sa.Column("state", sa.String(length=16), server_default="asked", nullable=False))
        batch.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("idea_join_requests") as batch:
        batch.drop_column("answered_at")
        batch.drop_column("state")
