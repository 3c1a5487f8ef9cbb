"""Talent search: available professionals ranked by how well their evidence covers a list of skills.

A candidate's score is the mean, over the skills asked for, of the confidence their evidence gives
each skill today (0 for a skill they do not hold), so a verified credential ranks above a self-claim
and covering more of the list ranks above covering less. Only profiles the searcher may read are
found (``profiles.may_read``): public ones, organisation ones for members of the owner's
organisations, private ones for nobody else; a profile that is not ``available`` is never found, and
the searcher is not among their own results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.jobs import SKILLS_MAX
from microcareer.domain.profiles.evidence import EvidencePolicy
from microcareer.domain.profiles.profile import Visibility
from microcareer.errors import InvalidInput
from microcareer.services.access import Action, authorize
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import held_skills, may_read, visible_skill_labels

LIMIT_MAX = 100


@dataclass(frozen=True, slots=True)
class SkillCoverage:
    """One skill asked for, as the candidate holds it (confidence 0 and no evidence when not held)."""

    uri: str
    label: str
    confidence: float
    explanation: str
    """'Python: 0.82 (verified credential 2026-03, 2 completed micro-jobs, last used this month)'."""


@dataclass(frozen=True, slots=True)
class Candidate:
    user_id: int
    display_name: str
    score: float
    """Mean confidence over the skills asked for, in [0, 1]."""
    coverage: tuple[SkillCoverage, ...]
    """Each skill asked for, in the order asked."""

    @property
    def matched(self) -> tuple[SkillCoverage, ...]:
        return tuple(c for c in self.coverage if c.confidence > 0)


def _skills(uow: UnitOfWork, actor: Actor, skills: Sequence[str]) -> dict[str, str]:
    wanted = list(dict.fromkeys(skills))
    if not wanted:
        raise InvalidInput("skills: give at least one skill", field="skills")
    if len(wanted) > SKILLS_MAX:
        raise InvalidInput(f"skills: at most {SKILLS_MAX}, not {len(wanted)}", field="skills")
    labels = visible_skill_labels(uow, actor, wanted)
    for index, uri in enumerate(wanted):
        if uri not in labels:
            raise InvalidInput(f"skills[{index}]: {uri} is not a skill of the taxonomy", field="skills")
    return {uri: labels[uri] for uri in wanted}


def find_people(
    uow: UnitOfWork,
    *,
    actor: Actor,
    skills: Sequence[str],
    limit: int = 20,
    today: date,
    policy: EvidencePolicy | None = None,
) -> list[Candidate]:
    """The best ``limit`` readable, available people holding any of ``skills``, best first."""
    authorize(actor, Action.TALENT_SEARCH)
    if not 1 <= limit <= LIMIT_MAX:
        raise InvalidInput(f"limit: 1 to {LIMIT_MAX}, not {limit}", field="limit")
    admin = actor.has_role(Role.PLATFORM_ADMIN)
    shown = None if admin else (Visibility.PUBLIC, Visibility.ORGANISATION)
    candidates: list[Candidate] = []
    with uow:
        wanted = _skills(uow, actor, skills)
        for user_id, visibility in uow.profiles.available_holders(list(wanted), visibilities=shown):
            if user_id == actor.user_id:
                continue
            if not may_read(actor, user_id, visibility, uow.accounts.memberships_of(user_id)):
                continue
            user = uow.accounts.get_user(user_id)
            if user is None:
                continue
            held = {h.uri: h for h in held_skills(uow, user_id, today=today, policy=policy)}
            coverage = []
            for uri, label in wanted.items():
                skill = held.get(uri)
                value = skill.confidence.value if skill is not None else 0.0
                why = skill.confidence.explanation if skill is not None else "not on the profile"
                coverage.append(SkillCoverage(uri, label, value, f"{label}: {value:.2f} ({why})"))
            score = round(sum(c.confidence for c in coverage) / len(coverage), 4)
            candidates.append(Candidate(user_id, user.display_name, score, tuple(coverage)))
    candidates.sort(key=lambda c: (-c.score, -len(c.matched), c.display_name.casefold(), c.user_id))
    return candidates[:limit]
