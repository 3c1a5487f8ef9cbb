"""market (issue 19): background ingest jobs, and each posting skill's facts beside it

``market_ingest_jobs``: an uploaded file ingested in the background, with its state, progress and final
report (``heartbeat_at`` tells a live job from one whose process ended). ``market_posting_skills`` gains
its posting's month, date, place, occupation and pay (skills are only stored on originals), so demand
and trends group the skill rows alone, never joining the postings and their text; filled from the
postings for the rows already stored. ``market_postings`` gains an index on (duplicate_of, pay) for
the mean pay of all originals.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 07:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "market_ingest_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("columns", sa.String(length=1000), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("reposts", sa.Integer(), nullable=False),
        sa.Column("known", sa.Integer(), nullable=False),
        sa.Column("matched_occupation", sa.Integer(), nullable=False),
        sa.Column("bad_count", sa.Integer(), nullable=False),
        sa.Column("bad", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_market_ingest_jobs_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_ingest_jobs")),
    )
    with op.batch_alter_table("market_ingest_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_market_ingest_jobs_state"), ["state"], unique=False)

    with op.batch_alter_table("market_postings", schema=None) as batch_op:
        batch_op.create_index("ix_market_postings_dup_pay", ["duplicate_of", "pay"], unique=False)
    with op.batch_alter_table("market_posting_skills", schema=None) as batch_op:
        batch_op.add_column(sa.Column("month", sa.String(length=7), server_default="", nullable=False))
        batch_op.add_column(sa.Column("posted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("place_key", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("occupation_uri", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("pay", sa.Float(), nullable=True))
    # one correlated UPDATE (both stores): each skill row takes its posting's facts
    op.execute(
        sa.text(
            "UPDATE market_posting_skills SET "
            "month = (SELECT p.month FROM market_postings p WHERE p.id = market_posting_skills.posting_id), "
            "posted_on = (SELECT p.posted_on FROM market_postings p "
            "WHERE p.id = market_posting_skills.posting_id), "
            "place_key = (SELECT p.place_key FROM market_postings p "
            "WHERE p.id = market_posting_skills.posting_id), "
            "occupation_uri = (SELECT p.occupation_uri FROM market_postings p "
            "WHERE p.id = market_posting_skills.posting_id), "
            "pay = (SELECT p.pay FROM market_postings p WHERE p.id = market_posting_skills.posting_id)"
        )
    )
    with op.batch_alter_table("market_posting_skills", schema=None) as batch_op:
        batch_op.alter_column("posted_on", existing_type=sa.Date(), nullable=False)
        batch_op.drop_index("ix_market_posting_skills_skill_uri")
        batch_op.create_index(
            "ix_market_posting_skills_skill_month", ["skill_uri", "month", "pay"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("market_posting_skills", schema=None) as batch_op:
        batch_op.drop_index("ix_market_posting_skills_skill_month")
        batch_op.create_index("ix_market_posting_skills_skill_uri", ["skill_uri"], unique=False)
        for name in ("pay", "occupation_uri", "place_key", "posted_on", "month"):
            batch_op.drop_column(name)
    with op.batch_alter_table("market_postings", schema=None) as batch_op:
        batch_op.drop_index("ix_market_postings_dup_pay")
    with op.batch_alter_table("market_ingest_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_ingest_jobs_state"))
    op.drop_table("market_ingest_jobs")
