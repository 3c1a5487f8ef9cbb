"""search (issue 18): full-text indexes of micro-jobs and profiles, and the words they hold

``search_words`` lists the words of what anyone signed in may see (published open-market jobs,
public available profiles): typo tolerance widens a misspelt term to the words near it.
``search_index_jobs`` and ``search_index_profiles`` are the indexes, different by database and so
outside the models: FTS5 virtual tables on SQLite (rowid = job id, user id), tables with a weighted
``tsvector`` and a GIN index on PostgreSQL. The existing jobs and profiles are indexed here; from now
on the repositories rewrite a document whenever they write its job or profile.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-06 04:40:00.000000
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = {"jobs": "title, skills, place, brief", "profiles": "name, headline, skills, place, body"}
KEYS = {"jobs": ("job_id", "micro_jobs (id)"), "profiles": ("user_id", "profiles (user_id)")}


def upgrade() -> None:
    op.create_table(
        "search_words",
        sa.Column("word", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    connection = op.get_bind()
    for index, fields in FIELDS.items():
        if connection.dialect.name == "sqlite":
            op.execute(
                f"CREATE VIRTUAL TABLE search_index_{index} USING fts5("
                f"{fields}, tokenize = 'unicode61 remove_diacritics 2')"
            )
        else:
            key, target = KEYS[index]
            op.execute(
                f"CREATE TABLE search_index_{index} ({key} integer PRIMARY KEY "
                f"REFERENCES {target} ON DELETE CASCADE, document tsvector NOT NULL)"
            )
            op.execute(
                f"CREATE INDEX ix_search_index_{index}_document ON search_index_{index} USING gin (document)"
            )
    _index_existing(connection)


def _labels(connection: sa.Connection, table: str, key: str, row_id: int) -> str:
    # S608: the table and key are this module's constants; the id is a bound parameter
    joined = f"{table} x JOIN skills s ON s.uri = x.skill_uri"
    query = f"SELECT s.preferred_label FROM {joined} WHERE x.{key} = :id ORDER BY s.preferred_label"  # noqa: S608
    return " ".join(connection.execute(sa.text(query), {"id": row_id}).scalars())


def _index_existing(connection: sa.Connection) -> None:
    # The same writer the application uses, so a backfilled document is the one an edit would write.
    from microcareer.store.repositories.search_index import profile_place, write_document

    jobs = connection.execute(sa.text("SELECT id, title, brief, place, audience, state FROM micro_jobs"))
    for job_id, title, brief, place, audience, state in jobs.fetchall():
        skills = _labels(connection, "micro_job_skills", "job_id", job_id)
        fields = {"title": title, "skills": skills, "place": place, "brief": brief}
        public = audience == "open" and state != "draft"
        write_document(connection, "jobs", job_id, fields, public=public)
    profiles = connection.execute(
        sa.text(
            "SELECT p.user_id, u.display_name, p.headline, p.summary, p.location, p.visibility, "
            "p.available FROM profiles p JOIN users u ON u.id = p.user_id"
        )
    )
    for user_id, name, headline, summary, location, visibility, available in profiles.fetchall():
        experiences = connection.execute(
            sa.text("SELECT title, organisation FROM experiences WHERE user_id = :id"), {"id": user_id}
        )
        body = " ".join([summary, *(f"{title} {organisation}" for title, organisation in experiences)])
        place = profile_place(json.loads(location) if isinstance(location, str) else location or {})
        fields = {
            "name": name,
            "headline": headline,
            "skills": _labels(connection, "profile_skills", "user_id", user_id),
            "place": place,
            "body": body,
        }
        public = visibility == "public" and bool(available)
        write_document(connection, "profiles", user_id, fields, public=public)


def downgrade() -> None:
    for index in FIELDS:
        op.execute(f"DROP TABLE search_index_{index}")
    op.drop_table("search_words")
