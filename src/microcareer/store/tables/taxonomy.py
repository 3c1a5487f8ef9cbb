"""The skills graph: ESCO skills and skill groups, occupations, ISCO groups, and their relations.

ESCO rows (``organisation_id IS NULL``) are replaced as a whole by an import; an organisation's own
skills survive it because they point at ESCO concepts by URI (``org_skill_links``), not by row id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base, UtcDateTime


class TaxonomyMetaRow(Base):
    """Key/value facts about the loaded taxonomy: source, version, language, revision, imported_at."""

    __tablename__ = "taxonomy_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SkillRow(Base):
    """A concept of the skill pillar: a skill/competence or knowledge concept, or a skill group."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(255), unique=True)
    concept_type: Mapped[str] = mapped_column(String(40))
    preferred_label: Mapped[str] = mapped_column(Text)
    skill_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reuse_level: Mapped[str | None] = mapped_column(String(40), nullable=True)
    code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    status: Mapped[str | None] = mapped_column(String(40), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    definition: Mapped[str] = mapped_column(Text, default="")
    scope_note: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), nullable=True, index=True
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class SkillLabelRow(Base):
    """Every label of a skill, one row each: kind is ``preferred``, ``alt`` or ``hidden``."""

    __tablename__ = "skill_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(Text)


class SkillCollectionRow(Base):
    """Membership of an ESCO collection: digital, green, language, transversal, digcomp, research."""

    __tablename__ = "skill_collections"

    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    collection: Mapped[str] = mapped_column(String(40), primary_key=True)


class SkillBroaderRow(Base):
    """``skill_id`` is narrower than ``broader_id`` (ESCO's skill pillar hierarchy)."""

    __tablename__ = "skill_broader"

    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    broader_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SkillRelationRow(Base):
    """ESCO skill-to-skill relation: ``related_id`` is essential or optional for ``skill_id``."""

    __tablename__ = "skill_relations"

    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    related_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relation_type: Mapped[str] = mapped_column(String(16))


class OrgSkillLinkRow(Base):
    """An organisation's skill linked to a concept by URI: ``narrower`` (of target) or ``related``."""

    __tablename__ = "org_skill_links"

    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    target_uri: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    relation: Mapped[str] = mapped_column(String(16))


class IscoGroupRow(Base):
    __tablename__ = "isco_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(255), unique=True)
    code: Mapped[str] = mapped_column(String(10), index=True)
    preferred_label: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")


class OccupationRow(Base):
    __tablename__ = "occupations"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(255), unique=True)
    code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    isco_group: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    preferred_label: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(40), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    definition: Mapped[str] = mapped_column(Text, default="")
    scope_note: Mapped[str] = mapped_column(Text, default="")
    regulated_profession_note: Mapped[str] = mapped_column(Text, default="")


class OccupationLabelRow(Base):
    __tablename__ = "occupation_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    occupation_id: Mapped[int] = mapped_column(ForeignKey("occupations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(Text)


class OccupationBroaderRow(Base):
    """ESCO's occupation pillar hierarchy, by URI: an occupation or ISCO group and its broader concept."""

    __tablename__ = "occupation_broader"

    concept_uri: Mapped[str] = mapped_column(String(255), primary_key=True)
    broader_uri: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)


class OccupationSkillRow(Base):
    """A skill an occupation needs: relation_type ``essential`` or ``optional``."""

    __tablename__ = "occupation_skills"

    occupation_id: Mapped[int] = mapped_column(
        ForeignKey("occupations.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    relation_type: Mapped[str] = mapped_column(String(16))

    __table_args__ = (Index("ix_occupation_skills_skill_id", "skill_id"),)
