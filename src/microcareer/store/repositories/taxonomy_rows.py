"""Rows of the skills graph turned into domain concepts, with the labels and collections they carry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from microcareer.domain.taxonomy.concepts import ConceptType, Occupation, Skill, SkillRef
from microcareer.store.tables.taxonomy import (
    OccupationLabelRow,
    OccupationRow,
    SkillCollectionRow,
    SkillLabelRow,
    SkillRow,
)

Labels = tuple[tuple[str, ...], tuple[str, ...]]


def concept_type(value: str) -> ConceptType:
    try:
        return ConceptType(value)
    except ValueError:
        return ConceptType.SKILL


def skill_ref(row: SkillRow) -> SkillRef:
    return SkillRef(
        uri=row.uri,
        preferred_label=row.preferred_label,
        concept_type=concept_type(row.concept_type),
        skill_type=row.skill_type,
        organisation_id=row.organisation_id,
    )


def _split(pairs: list[tuple[str, str]]) -> Labels:
    alt = tuple(sorted(label for kind, label in pairs if kind == "alt"))
    hidden = tuple(sorted(label for kind, label in pairs if kind == "hidden"))
    return alt, hidden


def skill_labels(session: Session, skill_id: int) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(alternative labels, hidden labels, collections) of one skill."""
    pairs = session.execute(
        select(SkillLabelRow.kind, SkillLabelRow.label).where(SkillLabelRow.skill_id == skill_id)
    ).all()
    collections = session.scalars(
        select(SkillCollectionRow.collection).where(SkillCollectionRow.skill_id == skill_id)
    ).all()
    alt, hidden = _split([(k, v) for k, v in pairs])
    return alt, hidden, tuple(sorted(collections))


def skill_from_row(
    row: SkillRow, alt: tuple[str, ...], hidden: tuple[str, ...], collections: tuple[str, ...]
) -> Skill:
    return Skill(
        uri=row.uri,
        preferred_label=row.preferred_label,
        concept_type=concept_type(row.concept_type),
        alt_labels=alt,
        hidden_labels=hidden,
        skill_type=row.skill_type,
        reuse_level=row.reuse_level,
        code=row.code,
        status=row.status,
        description=row.description or "",
        definition=row.definition or "",
        scope_note=row.scope_note or "",
        collections=collections,
        organisation_id=row.organisation_id,
    )


def occupation_labels(session: Session, occupation_id: int) -> Labels:
    pairs = session.execute(
        select(OccupationLabelRow.kind, OccupationLabelRow.label).where(
            OccupationLabelRow.occupation_id == occupation_id
        )
    ).all()
    return _split([(k, v) for k, v in pairs])


def occupation_from_row(row: OccupationRow, alt: tuple[str, ...], hidden: tuple[str, ...]) -> Occupation:
    return Occupation(
        uri=row.uri,
        preferred_label=row.preferred_label,
        code=row.code,
        isco_group=row.isco_group,
        alt_labels=alt,
        hidden_labels=hidden,
        status=row.status,
        description=row.description or "",
        definition=row.definition or "",
        scope_note=row.scope_note or "",
        regulated_profession_note=row.regulated_profession_note or "",
    )
