"""An organisation's skills: what its members hold, and who could grow into which target role.

For its admins (``Action.ORG_SKILLS_INVENTORY``) and platform admins; anyone outside is told the
organisation does not exist. Only the organisation's members are ever read, and of those only the
ones whose profile the reader may read (``profiles.may_read``): a member whose profile is ``private``
is left out of every figure, not counted anonymously, because in a small team an "anonymous" count
still tells who holds what. The views say how many members were left out and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from microcareer.domain.accounts import Actor, Organisation
from microcareer.domain.profiles.evidence import EvidencePolicy
from microcareer.domain.profiles.gap import (
    ESSENTIAL_IMPORTANCE,
    OPTIONAL_IMPORTANCE,
    FitBreakdown,
    GapStatus,
    TargetSkill,
    analyse_gap,
)
from microcareer.domain.profiles.profile import Visibility
from microcareer.errors import InvalidInput
from microcareer.services.access import Action, Resource, authorize_or_hide
from microcareer.services.gap_analysis import GraphCache
from microcareer.services.organisations import get_organisation
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import HeldSkill, held_skills, may_read
from microcareer.services.taxonomy import LabelIndexCache, match_occupation

MAX_ROLES = 20
TOP_MISSING = 3


@dataclass(frozen=True, slots=True)
class Holder:
    user_id: int
    display_name: str
    proficiency: int
    confidence: float


@dataclass(frozen=True, slots=True)
class InventorySkill:
    """One skill across the organisation: who holds it, at which levels, how surely."""

    uri: str
    label: str
    holders: tuple[Holder, ...]
    """Best first (level, then confidence)."""

    @property
    def levels(self) -> tuple[int, ...]:
        """How many hold it at level 1, 2, 3, 4 and 5."""
        return tuple(sum(h.proficiency == level for h in self.holders) for level in range(1, 6))

    @property
    def mean_confidence(self) -> float:
        return round(sum(h.confidence for h in self.holders) / len(self.holders), 4)


@dataclass(frozen=True, slots=True)
class MemberCount:
    members: int
    shown: int
    """Members whose profiles are in the view."""
    left_out: int
    """Members whose profile the reader may not read (private, or none yet): left out of every figure."""


@dataclass(frozen=True, slots=True)
class SkillsInventory:
    organisation: Organisation
    count: MemberCount
    skills: tuple[InventorySkill, ...]
    """Most held first."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member measured against a role: the fit and the essential skills they lack most."""

    user_id: int
    display_name: str
    fit: float
    breakdown: FitBreakdown
    top_missing: tuple[str, ...]
    """Labels of the essential skills with the highest priority still to close."""


@dataclass(frozen=True, slots=True)
class RoleGap:
    uri: str
    label: str
    candidates: tuple[Candidate, ...]
    """Best fit first."""
    note: str
    """Plain words when the taxonomy lists no skills for the role, else ""."""
    matched: str = ""
    """Said when the role was named by another occupation's label ("data engineer"), else ""."""


@dataclass(frozen=True, slots=True)
class OrganisationGap:
    organisation: Organisation
    count: MemberCount
    roles: tuple[RoleGap, ...]


@dataclass(frozen=True, slots=True)
class _Member:
    user_id: int
    display_name: str
    skills: tuple[HeldSkill, ...]


def _readable_members(
    uow: UnitOfWork, actor: Actor, slug: str, today: date, policy: EvidencePolicy | None
) -> tuple[Organisation, MemberCount, list[_Member]]:
    """The organisation (after the access check) and those members whose profiles the actor may read."""
    organisation = get_organisation(uow, actor=actor, slug=slug)  # outsiders: not found
    resource = Resource(organisation_id=organisation.id)
    authorize_or_hide(actor, Action.ORG_SKILLS_INVENTORY, resource, f"organisation {organisation.slug!r}")
    with uow:
        people = uow.accounts.members_of(organisation.id)
        shown: list[_Member] = []
        for user, _ in people:
            stored = uow.profiles.get(user.id)
            visibility = stored.profile.visibility if stored is not None else Visibility.PRIVATE
            if not may_read(actor, user.id, visibility, uow.accounts.memberships_of(user.id)):
                continue
            skills = tuple(h for h in held_skills(uow, user.id, today=today, policy=policy) if h.known)
            shown.append(_Member(user.id, user.display_name, skills))
    count = MemberCount(members=len(people), shown=len(shown), left_out=len(people) - len(shown))
    return organisation, count, shown


def skills_inventory(
    uow: UnitOfWork,
    *,
    actor: Actor,
    slug: str,
    today: date,
    policy: EvidencePolicy | None = None,
) -> SkillsInventory:
    """Every skill the organisation's (readable) members hold, most held first."""
    organisation, count, members = _readable_members(uow, actor, slug, today, policy)
    by_skill: dict[str, list[Holder]] = {}
    labels: dict[str, str] = {}
    for member in members:
        for held in member.skills:
            labels[held.uri] = held.label
            by_skill.setdefault(held.uri, []).append(
                Holder(member.user_id, member.display_name, held.proficiency, held.confidence.value)
            )
    skills = [
        InventorySkill(
            uri,
            labels[uri],
            tuple(sorted(holders, key=lambda h: (-h.proficiency, -h.confidence, h.display_name))),
        )
        for uri, holders in by_skill.items()
    ]
    skills.sort(key=lambda s: (-len(s.holders), -s.mean_confidence, s.label.casefold()))
    return SkillsInventory(organisation, count, tuple(skills))


def organisation_gap(
    uow: UnitOfWork,
    graphs: GraphCache,
    labels: LabelIndexCache,
    *,
    actor: Actor,
    slug: str,
    roles: Sequence[str],
    today: date,
    policy: EvidencePolicy | None = None,
) -> OrganisationGap:
    """For each target role (occupation URI, key or exact label), the members ranked by fit to it."""
    cleaned = list(dict.fromkeys(role.strip() for role in roles if role.strip()))
    if not cleaned:
        raise InvalidInput("role: give at least one target role (an occupation)", field="role")
    if len(cleaned) > MAX_ROLES:
        raise InvalidInput(f"role: at most {MAX_ROLES} target roles at once", field="role")
    organisation, count, members = _readable_members(uow, actor, slug, today, policy)
    graph = graphs.get(uow)
    gaps: list[RoleGap] = []
    for role in cleaned:
        found = match_occupation(uow, labels, actor=actor, text=role)
        detail, matched = found.detail, found.notice
        occupation = detail.occupation
        targets = [
            TargetSkill(s.uri, s.preferred_label, ESSENTIAL_IMPORTANCE) for s in detail.essential_skills
        ]
        targets += [
            TargetSkill(s.uri, s.preferred_label, OPTIONAL_IMPORTANCE) for s in detail.optional_skills
        ]
        if not targets:
            note = f"the taxonomy lists no skills for {occupation.preferred_label}: no one can be measured"
            gaps.append(RoleGap(occupation.uri, occupation.preferred_label, (), note, matched))
            continue
        candidates = []
        for member in (m for m in members if m.skills):  # nothing to measure on an empty profile
            gap = analyse_gap(
                occupation.preferred_label, targets, [h.holding() for h in member.skills], graph.graph
            )
            missing = tuple(
                item.skill.label
                for item in gap.to_close
                if item.skill.importance >= ESSENTIAL_IMPORTANCE and item.status is not GapStatus.COVERED
            )[:TOP_MISSING]
            candidates.append(Candidate(member.user_id, member.display_name, gap.fit, gap.breakdown, missing))
        candidates.sort(key=lambda c: (-c.fit, c.display_name, c.user_id))
        gaps.append(RoleGap(occupation.uri, occupation.preferred_label, tuple(candidates), "", matched))
    return OrganisationGap(organisation, count, tuple(gaps))
