"""ideas (issue 22): intrapreneurship inside an organisation

``ideas`` a member's pitch (problem, proposal, skills, hours), its sponsorship (a manager and a budget
of hours) and outcome; ``idea_supports`` one support per colleague; ``idea_join_requests`` colleagues
asking to work on it; ``idea_jobs`` the internal micro-jobs made from a sponsored idea.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 04:14:54.018340
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "ideas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("proposal", sa.Text(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sponsor_user_id", sa.Integer(), nullable=True),
        sa.Column("budget_hours", sa.Integer(), nullable=True),
        sa.Column("sponsored_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_user_id"], ["users.id"], name=op.f("fk_ideas_author_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_ideas_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_user_id"],
            ["users.id"],
            name=op.f("fk_ideas_sponsor_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ideas")),
    )
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ideas_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "idea_jobs",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_idea_jobs_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["micro_jobs.id"], name=op.f("fk_idea_jobs_job_id_micro_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_idea_jobs")),
    )
    with op.batch_alter_table("idea_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idea_jobs_idea_id"), ["idea_id"], unique=False)

    op.create_table(
        "idea_join_requests",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_idea_join_requests_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idea_join_requests_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("idea_id", "user_id", name=op.f("pk_idea_join_requests")),
    )
    op.create_table(
        "idea_supports",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_idea_supports_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idea_supports_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("idea_id", "user_id", name=op.f("pk_idea_supports")),
    )


def downgrade() -> None:

    op.drop_table("idea_supports")
    op.drop_table("idea_join_requests")
    with op.batch_alter_table("idea_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idea_jobs_idea_id"))

    op.drop_table("idea_jobs")
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ideas_organisation_id"))

    op.drop_table("ideas")
