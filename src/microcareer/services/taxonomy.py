"""Look up skills and occupations by URI or key, and add an organisation's own skills to the graph.

A key is the last segment of a URI: the UUID of an ESCO concept, or of an organisation's skill.
Label search lives in ``taxonomy_search``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import (
    OccupationDetail,
    OccupationRef,
    OrgLinkRelation,
    Skill,
    SkillDetail,
)
from microcareer.errors import InvalidInput, NotFound
from microcareer.services.access import Action, Resource, authorize, visible_organisations
from microcareer.services.ports import Clock, TaxonomyRepository, UnitOfWork
from microcareer.services.taxonomy_search import (
    IndexKind,
    LabelIndexCache,
    SearchHit,
    SearchPage,
    label_index_cache,
    resolve_label,
    search_occupations,
    search_skills,
    skill_search_key,
)

__all__ = [
    "IndexKind",
    "LabelIndexCache",
    "OccupationMatch",
    "SearchHit",
    "SearchPage",
    "add_org_skill",
    "find_occupation",
    "get_occupation",
    "get_skill",
    "label_index_cache",
    "match_occupation",
    "search_occupations",
    "search_skills",
    "skill_search_key",
]

MAX_LABEL_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 5000
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _skill_uri(taxonomy: TaxonomyRepository, uri_or_key: str) -> str | None:
    if ":" in uri_or_key:
        return uri_or_key
    return taxonomy.skill_uri_for_key(uri_or_key) if _KEY.match(uri_or_key) else None


def _occupation_uri(taxonomy: TaxonomyRepository, uri_or_key: str) -> str | None:
    if ":" in uri_or_key:
        return uri_or_key
    return taxonomy.occupation_uri_for_key(uri_or_key) if _KEY.match(uri_or_key) else None


def get_skill(uow: UnitOfWork, *, actor: Actor, uri_or_key: str) -> SkillDetail:
    """A skill with its broader chains, narrower and related skills, and occupation counts."""
    authorize(actor, Action.TAXONOMY_READ)
    wanted = uri_or_key.strip()
    with uow:
        uri = _skill_uri(uow.taxonomy, wanted)
        detail = uow.taxonomy.skill_detail(uri, visible_orgs=visible_organisations(actor)) if uri else None
    if detail is None:
        raise NotFound(f"no skill has the URI or key {wanted!r}", uri=wanted)
    if detail.skill.organisation_id is not None:
        authorize(actor, Action.ORG_SKILL_READ, Resource(organisation_id=detail.skill.organisation_id))
    return detail


def get_occupation(uow: UnitOfWork, *, actor: Actor, uri_or_key: str) -> OccupationDetail:
    """An occupation with its ISCO group, broader concepts, and essential and optional skills."""
    authorize(actor, Action.TAXONOMY_READ)
    wanted = uri_or_key.strip()
    with uow:
        uri = _occupation_uri(uow.taxonomy, wanted)
        detail = uow.taxonomy.occupation_detail(uri) if uri else None
    if detail is None:
        raise NotFound(f"no occupation has the URI or key {wanted!r}", uri=wanted)
    return detail


def _clean_labels(label: str, alt_labels: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    preferred = " ".join(label.split())
    if not preferred:
        raise InvalidInput("the skill's label is empty", field="label")
    alts: dict[str, str] = {}
    for alt in [preferred, *alt_labels]:
        cleaned = " ".join(alt.split())
        if len(cleaned) > MAX_LABEL_LENGTH:
            raise InvalidInput(f"the label {cleaned[:40]!r}... is over {MAX_LABEL_LENGTH} characters")
        if cleaned:
            alts.setdefault(cleaned.casefold(), cleaned)
    alts.pop(preferred.casefold())
    return preferred, tuple(alts.values())


def add_org_skill(
    uow: UnitOfWork,
    *,
    actor: Actor,
    clock: Clock,
    organisation_id: int,
    label: str,
    alt_labels: Sequence[str] = (),
    description: str = "",
    links: Sequence[tuple[str, OrgLinkRelation]] = (),
) -> Skill:
    """Add an organisation's own skill, linked to existing concepts as narrower or related."""
    authorize(actor, Action.ORG_SKILL_CREATE, Resource(organisation_id=organisation_id))
    preferred, alts = _clean_labels(label, alt_labels)
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise InvalidInput(
            f"the description is over {MAX_DESCRIPTION_LENGTH} characters", field="description"
        )
    visible = visible_organisations(actor)
    with uow:
        if uow.accounts.get_organisation(organisation_id) is None:
            raise NotFound(f"no organisation has the id {organisation_id}", organisation_id=organisation_id)
        targets = uow.taxonomy.skill_refs([uri for uri, _ in links])
        for uri, _ in links:
            ref = targets.get(uri)
            hidden = (
                ref is not None
                and ref.organisation_id is not None
                and not (visible is None or ref.organisation_id in visible)
            )
            if ref is None or hidden:
                raise NotFound(f"cannot link to {uri!r}: no skill has that URI", uri=uri)
        skill = Skill(
            uri="",
            preferred_label=preferred,
            alt_labels=alts,
            description=description.strip(),
            organisation_id=organisation_id,
        )
        stored = uow.taxonomy.add_org_skill(skill, links, created_by=actor.user_id, created_at=clock())
        uow.commit()
    return stored


ALTERNATIVES = 5


@dataclass(frozen=True, slots=True)
class OccupationMatch:
    """The occupation a text named, by which label, and the other occupations its words fit."""

    detail: OccupationDetail
    asked: str
    matched_label: str
    """The label that matched; "" when the text was the URI or key."""
    label_kind: str
    """``uri``, ``preferred``, ``alt`` or ``hidden``."""
    alternatives: tuple[OccupationRef, ...]
    """Other occupations whose labels fit the text, best first (none when asked by URI or key)."""

    @property
    def by_another_name(self) -> bool:
        """The text is not this occupation's name but one of its other labels ("data engineer")."""
        return self.label_kind in ("alt", "hidden")

    @property
    def notice(self) -> str:
        """What people are told when the occupation was matched by another label, else ""."""
        if not self.by_another_name:
            return ""
        return (
            f"No occupation is called {self.asked!r}: showing {self.detail.occupation.preferred_label!r}, "
            f"which the taxonomy also calls {self.matched_label!r}"
        )


def match_occupation(uow: UnitOfWork, cache: LabelIndexCache, *, actor: Actor, text: str) -> OccupationMatch:
    """An occupation by URI, key or exact label, saying which label matched and what else fits."""
    wanted = " ".join(text.split())
    try:
        detail = get_occupation(uow, actor=actor, uri_or_key=wanted)
        return OccupationMatch(detail, wanted, "", "uri", ())
    except NotFound:
        if not wanted:
            raise
    page = search_occupations(uow, cache, actor=actor, query=wanted, limit=ALTERNATIVES + 5)
    chosen = resolve_label(page, wanted, "occupation")
    hit = next(h for h in page.hits if h.concept.uri == chosen.uri)
    others = tuple(h.concept for h in page.hits if h.concept.uri != chosen.uri)[:ALTERNATIVES]
    detail = get_occupation(uow, actor=actor, uri_or_key=chosen.uri)
    return OccupationMatch(detail, wanted, hit.matched_label, hit.label_kind, others)


def find_occupation(uow: UnitOfWork, cache: LabelIndexCache, *, actor: Actor, text: str) -> OccupationDetail:
    """An occupation by URI, key or exact label (``find_occupation(..., text="software developer")``)."""
    return match_occupation(uow, cache, actor=actor, text=text).detail
