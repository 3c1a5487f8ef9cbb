"""Profiles: read them as their visibility allows, edit your own, and hold skills with evidence.

Who may read a profile:

- ``public``: anyone signed in;
- ``organisation``: its owner, members of an organisation the owner belongs to, platform admins;
- ``private``: its owner and platform admins.

Anyone else is told there is no such profile (404), so a hidden profile's existence does not leak.
A profile that is not ``available`` is still readable as above; it only drops out of searches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from microcareer.domain.accounts import Actor, Role
from microcareer.domain.profiles.evidence import (
    Evidence,
    EvidenceKind,
    EvidencePolicy,
    SkillConfidence,
    assess,
)
from microcareer.domain.profiles.holdings import Holding
from microcareer.domain.profiles.profile import Profile, ProfileSkill, StoredProfile, Visibility
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound
from microcareer.services.access import Action, Resource, authorize, visible_organisations
from microcareer.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class HeldSkill:
    """A skill on a profile as people see it: label, level, confidence and the line that explains it."""

    uri: str
    label: str
    proficiency: int
    confidence: SkillConfidence
    evidence: tuple[Evidence, ...]
    known: bool
    """False when the taxonomy no longer has the URI (retired by a newer ESCO): kept, shown as such."""

    def holding(self) -> Holding:
        return Holding(self.uri, self.label, self.proficiency, self.confidence)


@dataclass(frozen=True, slots=True)
class ProfileView:
    user_id: int
    display_name: str
    profile: Profile
    skills: tuple[HeldSkill, ...]
    updated_at: datetime | None
    editable: bool


def may_read(actor: Actor, owner_id: int, visibility: Visibility, owner_orgs: Iterable[int]) -> bool:
    if actor.user_id is not None and actor.user_id == owner_id:
        return True
    if actor.has_role(Role.PLATFORM_ADMIN):
        return True
    if not actor.is_authenticated:
        return False
    if visibility is Visibility.PUBLIC:
        return True
    if visibility is Visibility.ORGANISATION:
        return bool(actor.organisation_ids & frozenset(owner_orgs))
    return False


def readable_profile(uow: UnitOfWork, actor: Actor, user_id: int) -> tuple[StoredProfile | None, str]:
    """The stored profile (None: none yet) and the owner's name, or 404 / 401 as the reader may know."""
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to see profiles")
    found = uow.profiles.named(user_id)  # the owner's name and the profile: one read
    if found is None:
        raise NotFound(f"no profile for user {user_id}")
    name, stored = found
    visibility = stored.profile.visibility if stored is not None else Visibility.PRIVATE
    if not may_read(actor, user_id, visibility, _memberships(uow, user_id)):
        raise NotFound(f"no profile for user {user_id}")
    return stored, name


def _memberships(uow: UnitOfWork, user_id: int) -> Iterator[int]:
    """The organisations ``user_id`` belongs to, read from the store only when iterated: ``may_read``
    needs them only for an organisation-only profile read by someone else (not for one's own profile)."""
    yield from uow.accounts.memberships_of(user_id)


def require_standing_visible(uow: UnitOfWork, actor: Actor, user_id: int) -> None:
    """A person's reviews and reputation follow their profile's visibility: 404 to whoever may not read
    the profile, so a hidden profile's record does not leak. A public profile's record stays open to
    anonymous readers too (as it always was); private and organisation-only ones do not."""
    if uow.accounts.get_user(user_id) is None:
        raise NotFound(f"no user {user_id}")
    stored = uow.profiles.get(user_id)
    visibility = stored.profile.visibility if stored is not None else Visibility.PRIVATE
    if visibility is Visibility.PUBLIC and not actor.is_authenticated:
        return
    if not may_read(actor, user_id, visibility, uow.accounts.memberships_of(user_id)):
        raise NotFound(f"no user {user_id}")


def readable_profiles(uow: UnitOfWork, *, actor: Actor, user_ids: Iterable[int]) -> frozenset[int]:
    """Which of these people's profiles ``actor`` may open: pages link a name to a profile only then."""
    readable: set[int] = set()
    with uow:
        for user_id in sorted(set(user_ids)):
            stored = uow.profiles.get(user_id)
            visibility = stored.profile.visibility if stored is not None else Visibility.PRIVATE
            if may_read(actor, user_id, visibility, uow.accounts.memberships_of(user_id)):
                readable.add(user_id)
    return frozenset(readable)


def held_skills(
    uow: UnitOfWork, user_id: int, *, today: date, policy: EvidencePolicy | None = None
) -> tuple[HeldSkill, ...]:
    """The person's skills with confidence on ``today``, best first (no authorisation: callers check)."""
    skills = uow.profiles.skills(user_id)
    refs = uow.taxonomy.skill_refs([s.uri for s in skills])
    held = [
        HeldSkill(
            uri=s.uri,
            label=refs[s.uri].preferred_label if s.uri in refs else s.uri,
            proficiency=s.proficiency,
            confidence=assess(s.evidence, today, policy),
            evidence=s.evidence,
            known=s.uri in refs,
        )
        for s in skills
    ]
    return tuple(sorted(held, key=lambda h: (-h.confidence.value, -h.proficiency, h.label.casefold())))


def get_profile(
    uow: UnitOfWork, *, actor: Actor, user_id: int, today: date, policy: EvidencePolicy | None = None
) -> ProfileView:
    with uow:
        stored, name = readable_profile(uow, actor, user_id)
        skills = held_skills(uow, user_id, today=today, policy=policy)
    return ProfileView(
        user_id=user_id,
        display_name=name,
        profile=stored.profile if stored is not None else Profile(visibility=Visibility.PRIVATE),
        skills=skills,
        updated_at=stored.updated_at if stored is not None else None,
        editable=actor.user_id == user_id or actor.has_role(Role.PLATFORM_ADMIN),
    )


def save_profile(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int,
    profile: Profile,
    now: datetime,
    resume_extras: dict[str, object] | None = None,
) -> None:
    """Replace the profile and its experiences; experience skills must be skills the person may see."""
    authorize(actor, Action.PROFILE_EDIT, Resource(owner_user_id=user_id))
    with uow:
        if uow.accounts.get_user(user_id) is None:
            raise NotFound(f"no user {user_id}")
        wanted = sorted({uri for e in profile.experiences for uri in e.skills})
        _check_skills(uow, actor, wanted)
        previous = uow.profiles.get(user_id)
        extras = (
            resume_extras if resume_extras is not None else (dict(previous.resume_extras) if previous else {})
        )
        uow.profiles.save(user_id, profile, resume_extras=dict(extras), at=now)
        uow.commit()


def set_skill(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int,
    uri: str,
    proficiency: int,
    evidence: Sequence[Evidence] = (),
    now: datetime,
) -> None:
    """Put a skill on the profile (or change its level) and add evidence, in one transaction.

    The person may claim a skill (self-claim) or confirm one the extractor found in their CV; the other
    kinds (credential, micro-job, assessment) are recorded by the parts of the platform that verify
    them, never typed in by the person.
    """
    authorize(actor, Action.PROFILE_EDIT, Resource(owner_user_id=user_id))
    ProfileSkill(uri, proficiency)  # checks the level
    self_service = {EvidenceKind.SELF_CLAIM, EvidenceKind.CV_EXTRACTION}
    if actor.user_id == user_id and any(e.kind not in self_service for e in evidence):
        raise InvalidInput(
            "evidence: a person may add self-claims and CV findings only; credentials, micro-jobs and "
            "assessments are recorded when they are verified",
            field="evidence",
        )
    with uow:
        if uow.accounts.get_user(user_id) is None:
            raise NotFound(f"no user {user_id}")
        _check_skills(uow, actor, [uri])
        if uow.profiles.get(user_id) is None:
            # a profile made on the way starts private: the person decides when to show it
            uow.profiles.save(user_id, Profile(visibility=Visibility.PRIVATE), resume_extras={}, at=now)
        uow.profiles.set_skill(user_id, uri, proficiency, at=now)
        if evidence:
            uow.profiles.add_evidence(user_id, uri, evidence, at=now)
        uow.commit()


def remove_skill(uow: UnitOfWork, *, actor: Actor, user_id: int, uri: str) -> None:
    authorize(actor, Action.PROFILE_EDIT, Resource(owner_user_id=user_id))
    with uow:
        if not uow.profiles.remove_skill(user_id, uri):
            raise NotFound(f"{uri} is not on the profile")
        uow.commit()


def visible_skill_labels(uow: UnitOfWork, actor: Actor, uris: Sequence[str]) -> dict[str, str]:
    """Preferred labels of the URIs that are skills the actor may see (other organisations' are left out)."""
    visible = visible_organisations(actor)
    return {
        uri: ref.preferred_label
        for uri, ref in uow.taxonomy.skill_refs(list(uris)).items()
        if ref.organisation_id is None or visible is None or ref.organisation_id in visible
    }


def _check_skills(uow: UnitOfWork, actor: Actor, uris: Sequence[str]) -> None:
    """Every URI is a skill in the taxonomy, and an organisation's skill only for its members."""
    if not uris:
        return
    refs = uow.taxonomy.skill_refs(list(uris))
    visible = visible_organisations(actor)
    for uri in uris:
        ref = refs.get(uri)
        hidden = ref is not None and ref.organisation_id is not None and visible is not None
        if ref is None or (hidden and ref.organisation_id not in (visible or frozenset())):
            raise InvalidInput(f"skill: {uri} is not a skill of the taxonomy", field="skill")


def record_verified_evidence(
    uow: UnitOfWork,
    user_id: int,
    uris: Sequence[str],
    evidence: Evidence,
    *,
    level: int,
    raise_level: bool,
    now: datetime,
) -> None:
    """Evidence a part of the platform verified (a credential, a micro-job) on each of ``uris`` (skills
    the caller checked), inside the caller's unit of work. A profile made on the way starts private; a
    skill not yet held starts at ``level``, and one held lower is raised to it when ``raise_level``."""
    if not uris:
        return
    if uow.profiles.get(user_id) is None:
        uow.profiles.save(user_id, Profile(visibility=Visibility.PRIVATE), resume_extras={}, at=now)
    held = {s.uri: s.proficiency for s in uow.profiles.skills(user_id)}
    for uri in uris:
        if uri not in held or (raise_level and held[uri] < level):
            uow.profiles.set_skill(user_id, uri, level, at=now)
        uow.profiles.add_evidence(user_id, uri, [evidence], at=now)
