"""Achievements: microcredential definitions aligned to skills, with expiry and stackability."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.open_badges import (
    AchievementDefinition,
    SkillAlignment,
    achievement_document,
)
from microcareer.domain.credentials.records import Achievement
from microcareer.errors import InvalidInput, NotFound
from microcareer.services.access import Action, authorize, visible_organisations
from microcareer.services.credential_issuers import issuer_resource
from microcareer.services.credential_issuing import Publication
from microcareer.services.ports import UnitOfWork


def define_achievement(
    uow: UnitOfWork, *, actor: Actor, issuer_slug: str, definition: AchievementDefinition, now: datetime
) -> Achievement:
    """Save a new achievement; skill URIs must be skills of the taxonomy (labels are filled in)."""
    definition.validate()
    with uow:
        issuer = uow.credentials.issuer_by_slug(issuer_slug)
        if issuer is None:
            raise NotFound(f"no issuer {issuer_slug!r}")
        authorize(actor, Action.ISSUER_MANAGE, issuer_resource(issuer))
        uris = [a.uri for a in definition.alignments]
        refs = uow.taxonomy.skill_refs(uris) if uris else {}
        visible = visible_organisations(actor)
        alignments = []
        for i, alignment in enumerate(definition.alignments):
            ref = refs.get(alignment.uri)
            hidden = ref is not None and ref.organisation_id is not None and visible is not None
            if ref is None or (hidden and ref.organisation_id not in (visible or frozenset())):
                raise InvalidInput(
                    f"alignments[{i}]: {alignment.uri} is not a skill of the taxonomy",
                    field=f"alignments[{i}]",
                )
            framework = "ESCO" if ref.organisation_id is None else "organisation"
            alignments.append(
                SkillAlignment(alignment.uri, alignment.label or ref.preferred_label, framework)
            )
        for part in definition.parts:
            if uow.credentials.get_achievement(part) is None:
                raise InvalidInput(f"parts: no achievement {part}", field="parts")
        achievement = uow.credentials.add_achievement(
            issuer.id, replace(definition, alignments=tuple(alignments)), at=now
        )
        uow.commit()
    return achievement


def get_achievement(uow: UnitOfWork, achievement_id: int) -> Achievement:
    """An achievement (public: it is embedded in every credential that awards it)."""
    with uow:
        achievement = uow.credentials.get_achievement(achievement_id)
    if achievement is None:
        raise NotFound(f"no achievement {achievement_id}")
    return achievement


def list_achievements(uow: UnitOfWork, issuer_slug: str | None = None) -> list[Achievement]:
    with uow:
        issuer_id = None
        if issuer_slug is not None:
            issuer = uow.credentials.issuer_by_slug(issuer_slug)
            if issuer is None:
                raise NotFound(f"no issuer {issuer_slug!r}")
            issuer_id = issuer.id
        return uow.credentials.achievements(issuer_id)


def published_achievement(uow: UnitOfWork, achievement_id: int, publication: Publication) -> dict[str, Any]:
    """The achievement as Open Badges 3.0 JSON, as credentials embed it."""
    with uow:
        achievement = uow.credentials.get_achievement(achievement_id)
        issuer = None if achievement is None else uow.credentials.get_issuer(achievement.issuer_id)
    if achievement is None or issuer is None:
        raise NotFound(f"no achievement {achievement_id}")
    document = achievement_document(
        achievement.definition,
        achievement_id=publication.achievement_url(achievement.id),
        creator=issuer.profile(),
    )
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        **document,
    }


def stack_progress(uow: UnitOfWork, *, user_id: int) -> list[dict[str, Any]]:
    """For each stacked achievement whose parts the person has started: parts held and missing."""
    with uow:
        held = {
            c.achievement_id
            for c in uow.credentials.credentials_of_recipient(user_id)
            if c.status == "active"
        }
        candidates: set[int] = set()
        for part in held:
            candidates.update(uow.credentials.achievements_made_of(part))
        progress = []
        for achievement_id in sorted(candidates):
            achievement = uow.credentials.get_achievement(achievement_id)
            if achievement is None:
                continue
            parts = achievement.definition.parts
            progress.append(
                {
                    "achievement_id": achievement.id,
                    "name": achievement.definition.name,
                    "held": [p for p in parts if p in held],
                    "missing": [p for p in parts if p not in held],
                    "complete": achievement.id in held,
                }
            )
    return progress
