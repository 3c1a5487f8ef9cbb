"""sign-in throttling and look-alike accounts

``sign_in_failures`` counts failed sign-ins in a row per account and per client address (keys stored as
SHA-256), so every server worker on either store sees the same counts. ``users.name_skeleton`` and
``users.email_skeleton`` hold SHA-256 of the confusable skeletons of the display name and e-mail
(``domain/confusables.py``), and ``organisations.name_skeleton`` that of the name, filled here for
the accounts and organisations made before this revision.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from microcareer.domain.confusables import skeleton_hash

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
        sa.UniqueConstraint("scope", "key_hash", name=op.f("uq_sign_in_failures_scope_key_hash")),
    )
    with op.batch_alter_table("sign_in_failures") as batch:
        batch.create_index(batch.f("ix_sign_in_failures_last_failure_at"), ["last_failure_at"], unique=False)
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("name_skeleton", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("email_skeleton", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_users_name_skeleton"), ["name_skeleton"], unique=False)
        batch.create_index(batch.f("ix_users_email_skeleton"), ["email_skeleton"], unique=False)
    users = sa.table(
        "users",
        sa.column("id", sa.Integer()),
        sa.column("email", sa.String()),
        sa.column("display_name", sa.String()),
        sa.column("name_skeleton", sa.String()),
        sa.column("email_skeleton", sa.String()),
    )
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("name_skeleton", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_organisations_name_skeleton"), ["name_skeleton"], unique=False)
    organisations = sa.table(
        "organisations",
        sa.column("id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("name_skeleton"),
    )
    connection = op.get_bind()
    for organisation_id, name in connection.execute(
        sa.select(organisations.c.id, organisations.c.name)
    ).all():
        connection.execute(
            organisations.update()
            .where(organisations.c.id == organisation_id)
            .values(name_skeleton=skeleton_hash(name))
        )
    rows = connection.execute(sa.select(users.c.id, users.c.email, users.c.display_name)).all()
    for user_id, email, display_name in rows:
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(name_skeleton=skeleton_hash(display_name), email_skeleton=skeleton_hash(email))
        )


def downgrade() -> None:
    # On SQLite a batch drop_column copies the table and drops the old one, which other tables' rows
    # reference (an issuer's owner is a user): the drop fails with foreign keys on. SQLite (3.35+)
    # drops a column that is in no index or constraint in place, so the indexes go first.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in (
        ("organisations", ("name_skeleton",)),
        ("users", ("email_skeleton", "name_skeleton")),
    ):
        for column in columns:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
            if sqlite:
                op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
            else:
                op.drop_column(table, column)
    op.drop_index(op.f("ix_sign_in_failures_last_failure_at"), table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
