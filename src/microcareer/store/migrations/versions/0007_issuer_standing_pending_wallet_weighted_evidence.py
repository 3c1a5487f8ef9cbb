"""trust: issuer standing and unique names, pending wallet entries, weighted evidence, sign-in devices

Issuers get a standing (unverified, domain_verified, approved), the domain they proved and the
challenge they are proving, and a folded name that must be unique. Existing issuers start
unverified; two existing issuers whose names fold alike keep their names, the later ones' keys get
``#ID`` appended so the unique index can be made (rename them, then an admin can approve one).
Wallet entries get a state: existing ones are accepted (their holders had them already). Evidence
gets a weight in [0, 1] and a note: evidence of credentials issued here by issuers that are now
unverified drops to 0 ("not counted") until a platform admin approves the issuer, which reweighs it.
``sign_in_devices`` keeps the hash of each browser's device cookie a person signed in with (a
collusion signal: two accounts on one device).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 21:30:00
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNVERIFIED_NOTE = "unverified issuer: not counted"


def _name_key(name: str) -> str:
    """A frozen copy of ``issuer_standing.name_key`` as it was at this revision."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    kept = "".join(c for c in folded if not unicodedata.combining(c) and c.isalnum())
    return unicodedata.normalize("NFC", kept)


def upgrade() -> None:
    with op.batch_alter_table("credential_issuers") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
        batch.add_column(
            sa.Column("standing", sa.String(length=16), nullable=False, server_default="unverified")
        )
        batch.add_column(sa.Column("verified_domain", sa.String(length=253), nullable=True))
        batch.add_column(sa.Column("domain_claim", sa.String(length=253), nullable=True))
        batch.add_column(sa.Column("domain_token", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("standing_changed_at", sa.DateTime(timezone=True), nullable=True))
    bind = op.get_bind()
    issuers = sa.table("credential_issuers", sa.column("id"), sa.column("name"), sa.column("name_key"))
    seen: set[str] = set()
    for issuer_id, name in bind.execute(sa.select(issuers.c.id, issuers.c.name).order_by(issuers.c.id)):
        key = _name_key(name) or f"#{issuer_id}"
        if key in seen:
            key = f"{key}#{issuer_id}"
        seen.add(key)
        bind.execute(issuers.update().where(issuers.c.id == issuer_id).values(name_key=key))
    with op.batch_alter_table("credential_issuers") as batch:
        batch.alter_column("name_key", existing_type=sa.String(length=200), nullable=False)
        batch.create_unique_constraint(batch.f("uq_credential_issuers_name_key"), ["name_key"])
    with op.batch_alter_table("wallet_entries") as batch:
        batch.add_column(sa.Column("state", sa.String(length=16), nullable=False, server_default="accepted"))
    with op.batch_alter_table("skill_evidence") as batch:
        batch.add_column(sa.Column("weight", sa.Float(), nullable=False, server_default="1.0"))
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
    op.execute(
        sa.text(
            "UPDATE skill_evidence SET weight = 0, note = :note WHERE kind = 'credential' "
            "AND source IN (SELECT 'urn:uuid:' || id FROM issued_credentials)"
        ).bindparams(note=UNVERIFIED_NOTE)
    )

    op.create_table(
        "sign_in_devices",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("device_hash", sa.String(length=64), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sign_in_devices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "device_hash", name=op.f("pk_sign_in_devices")),
    )
    with op.batch_alter_table("sign_in_devices") as batch:
        batch.create_index(batch.f("ix_sign_in_devices_device_hash"), ["device_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sign_in_devices") as batch:
        batch.drop_index(batch.f("ix_sign_in_devices_device_hash"))
    op.drop_table("sign_in_devices")
    with op.batch_alter_table("skill_evidence") as batch:
        batch.drop_column("note")
        batch.drop_column("weight")
    with op.batch_alter_table("wallet_entries") as batch:
        batch.drop_column("state")
    with op.batch_alter_table("credential_issuers") as batch:
        batch.drop_constraint(batch.f("uq_credential_issuers_name_key"), type_="unique")
        batch.drop_column("standing_changed_at")
        batch.drop_column("domain_token")
        batch.drop_column("domain_claim")
        batch.drop_column("verified_domain")
        batch.drop_column("standing")
        batch.drop_column("name_key")
