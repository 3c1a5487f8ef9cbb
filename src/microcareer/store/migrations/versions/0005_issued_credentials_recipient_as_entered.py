"""issued credentials: the recipient's e-mail and name as the issuer entered them

The credential carries only a salted hash of the e-mail, so an issuer's list of what it issued could
not say to whom; these columns keep what the issuer typed, shown to its managers only. Credentials
issued before this revision keep NULL (their e-mail cannot be recovered from the hash).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("issued_credentials") as batch:
        batch.add_column(sa.Column("recipient_email", sa.String(length=320), nullable=True))
        batch.add_column(sa.Column("recipient_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("issued_credentials") as batch:
        batch.drop_column("recipient_name")
        batch.drop_column("recipient_email")
