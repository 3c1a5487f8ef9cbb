"""search (issue 18): a full-text index of micro-jobs and the words it holds

``search_words`` lists every word the indexed texts hold (typo tolerance widens a misspelt term to the
words near it). ``search_index_jobs`` is the index itself, different by database and so outside the
models: an FTS5 virtual table on SQLite (rowid = job id), a table with a weighted ``tsvector`` and a
GIN index on PostgreSQL. The existing jobs are indexed here; from now on the marketplace repository
rewrites a job's document whenever it writes the job.

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-06 04:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_words",
        sa.Column("word", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_index_jobs USING fts5("
            "title, skills, place, brief, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "CREATE TABLE search_index_jobs (job_id integer PRIMARY KEY "
            "REFERENCES micro_jobs (id) ON DELETE CASCADE, document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_search_index_jobs_document ON search_index_jobs USING gin (document)")
    _index_existing_jobs(connection)


def _index_existing_jobs(connection: sa.Connection) -> None:
    # The same writer the application uses, so a backfilled document is the one an edit would write.
    from microcareer.store.repositories.search_index import write_job_document

    jobs = connection.execute(sa.text("SELECT id, title, brief, place FROM micro_jobs ORDER BY id"))
    for job_id, title, brief, place in jobs.fetchall():
        labels = connection.execute(
            sa.text(
                "SELECT s.preferred_label FROM micro_job_skills j JOIN skills s ON s.uri = j.skill_uri "
                "WHERE j.job_id = :id ORDER BY s.preferred_label"
            ),
            {"id": job_id},
        ).scalars()
        fields = {"title": title, "skills": " ".join(labels), "place": place, "brief": brief}
        write_job_document(connection, job_id, fields)


def downgrade() -> None:
    op.execute("DROP TABLE search_index_jobs")
    op.drop_table("search_words")
