"""The value of a microcredential and of its issuer, from what can be checked (issue 19).

A credential (an achievement) is worth what its aligned skills are worth in postings: each skill's
share of postings and its trend (the same test as ``market_trends``). An issuer gets no single score:
five parts, each measured, each explained in a sentence, shown side by side:

- **standing**: its credentials in good standing now (neither revoked, suspended nor expired), among
  the latest ``MAX_CREDENTIALS`` it issued here: what a verifier's status and date checks would find;
- **ESCO alignment**: its achievements aligned to at least one ESCO skill;
- **expiry policy**: its achievements that expire (and after how long), so a holder must renew;
- **holders' outcomes**: among holders on the platform (at most ``MAX_HOLDERS``), those who later
  completed a micro-job using a skill the credential aligns to, and those jobs' mean client rating;
- **demand**: the mean share of postings naming its aligned skills, and how many of them are rising
  or fading.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime

from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.records import Achievement, IssuedCredential
from microcareer.domain.market.trends import Direction, SkillTrend
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.errors import NotFound
from microcareer.services.access import Action, authorize
from microcareer.services.gap_analysis import GraphCache
from microcareer.services.market_demand import Selection
from microcareer.services.market_trends import all_trends
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import held_skills

ESCO_PREFIX = "http://data.europa.eu/esco/"
MAX_CREDENTIALS = 5_000
MAX_HOLDERS = 200


@dataclass(frozen=True)
class AlignedSkillValue:
    uri: str
    label: str
    postings: int
    share: float
    direction: Direction
    q_value: float | None


@dataclass(frozen=True)
class CredentialValue:
    achievement_id: int
    name: str
    total_postings: int
    skills: tuple[AlignedSkillValue, ...]
    summary: str


@dataclass(frozen=True)
class SignalPart:
    name: str
    value: float | None  # a share in [0, 1] (None: nothing to measure)
    measured_on: int  # how many things it was measured on
    explanation: str


@dataclass(frozen=True)
class IssuerSignal:
    slug: str
    name: str
    parts: tuple[SignalPart, ...]


def _values(
    trends: dict[str, SkillTrend], total: int, uris: list[tuple[str, str]]
) -> list[AlignedSkillValue]:
    out = []
    for uri, label in uris:
        trend = trends.get(uri)
        postings = trend.total if trend else 0
        out.append(
            AlignedSkillValue(
                uri,
                label,
                postings,
                postings / total if total else 0.0,
                trend.direction if trend else Direction.UNTESTED,
                trend.q_value if trend else None,
            )
        )
    return out


def _summary(values: list[AlignedSkillValue], total: int) -> str:
    if not values:
        return "it aligns to no skill, so postings say nothing about it"
    if total == 0:
        return "no job postings are loaded yet"
    seen = [v for v in values if v.postings]
    rising = sum(1 for v in values if v.direction is Direction.RISING)
    fading = sum(1 for v in values if v.direction is Direction.FADING)
    mean = statistics.fmean(v.share for v in values)
    return (
        f"{len(seen)} of {len(values)} aligned skills appear in the {total:,} postings, named in "
        f"{100 * mean:.1f}% of them on average; {rising} rising, {fading} fading"
    )


def credential_value(
    uow: UnitOfWork, graphs: GraphCache, *, actor: Actor, achievement_id: int
) -> CredentialValue:
    """Demand and trend of the skills an achievement aligns to."""
    authorize(actor, Action.MARKET_READ)
    with uow:
        achievement = uow.credentials.get_achievement(achievement_id)
    if achievement is None:
        raise NotFound(f"no achievement has the id {achievement_id}")
    _, totals, found = all_trends(uow, graphs, Selection())
    total = sum(totals.values())
    aligned = [(a.uri, a.label) for a in achievement.definition.alignments]
    values = _values({t.uri: t for t in found}, total, aligned)
    return CredentialValue(
        achievement.id, achievement.definition.name, total, tuple(values), _summary(values, total)
    )


def issuer_signal(
    uow: UnitOfWork, graphs: GraphCache, *, actor: Actor, slug: str, now: datetime
) -> IssuerSignal:
    """The five checkable parts of an issuer's quality, each explained; counts only, never names."""
    authorize(actor, Action.MARKET_READ)
    with uow:
        issuer = uow.credentials.issuer_by_slug(slug)
        if issuer is None:
            raise NotFound(f"no issuer is called {slug!r}")
        listed = uow.credentials.achievements(issuer.id)
        issued, _ = uow.credentials.credentials_of_issuer(issuer.id, limit=MAX_CREDENTIALS, offset=0)
    parts = [_standing(issued, now), _alignment(listed), _expiry(listed)]
    aligned = {a.id: {s.uri for s in a.definition.alignments} for a in listed}
    parts.append(_outcomes(uow, issued, aligned, now.date()))
    _, totals, found = all_trends(uow, graphs, Selection())
    total = sum(totals.values())
    uris = sorted({(s.uri, s.label) for a in listed for s in a.definition.alignments})
    values = _values({t.uri: t for t in found}, total, uris)
    parts.append(
        SignalPart(
            "demand",
            statistics.fmean(v.share for v in values) if values and total else None,
            len(values),
            _summary(values, total),
        )
    )
    return IssuerSignal(issuer.slug, issuer.name, tuple(parts))


def _standing(issued: list[IssuedCredential], now: datetime) -> SignalPart:
    if not issued:
        return SignalPart("standing", None, 0, "it has issued no credentials here yet")
    moment = now if now.tzinfo else now.replace(tzinfo=UTC)
    good = sum(
        1
        for c in issued
        if c.revoked_at is None and not c.suspended and (c.valid_until is None or c.valid_until > moment)
    )
    return SignalPart(
        "standing",
        good / len(issued),
        len(issued),
        f"{good:,} of the {len(issued):,} credentials it issued here are in good standing now "
        "(not revoked, suspended or expired): a verifier's status and date checks pass for them",
    )


def _alignment(listed: list[Achievement]) -> SignalPart:
    if not listed:
        return SignalPart("ESCO alignment", None, 0, "it defines no achievements yet")
    aligned = sum(1 for a in listed if any(s.uri.startswith(ESCO_PREFIX) for s in a.definition.alignments))
    return SignalPart(
        "ESCO alignment",
        aligned / len(listed),
        len(listed),
        f"{aligned} of its {len(listed)} achievements name at least one ESCO skill they certify",
    )


def _expiry(listed: list[Achievement]) -> SignalPart:
    if not listed:
        return SignalPart("expiry policy", None, 0, "it defines no achievements yet")
    days = [a.definition.expiry_days for a in listed if a.definition.expiry_days]
    text = f"{len(days)} of its {len(listed)} achievements expire"
    if days:
        text += f", after {statistics.median(days):g} days (median): holders renew to keep them"
    else:
        text += ": a credential stays valid however old the skill it shows"
    return SignalPart("expiry policy", len(days) / len(listed), len(listed), text)


def _outcomes(
    uow: UnitOfWork, issued: list[IssuedCredential], aligned: dict[int, set[str]], today: date
) -> SignalPart:
    holders: dict[int, tuple[date, set[str]]] = {}
    for credential in issued:
        user = credential.recipient_user_id
        if user is None or (user not in holders and len(holders) >= MAX_HOLDERS):
            continue
        since, skills = holders.get(user, (credential.issued_at.date(), set()))
        holders[user] = (
            min(since, credential.issued_at.date()),
            skills | aligned.get(credential.achievement_id, set()),
        )
    if not holders:
        return SignalPart("holders' outcomes", None, 0, "none of its holders has an account here")
    succeeded = 0
    ratings: list[float] = []
    with uow:
        for user, (since, skills) in holders.items():
            jobs = [
                e
                for held in held_skills(uow, user, today=today)
                if held.uri in skills
                for e in held.evidence
                if e.kind is EvidenceKind.MICRO_JOB and e.last_used >= since
            ]
            succeeded += bool(jobs)
            ratings += [e.rating for e in jobs if e.rating is not None]
    text = (
        f"{succeeded} of {len(holders)} holders on the platform later completed a micro-job using a skill "
        "the credential certifies"
    )
    if ratings:
        text += f", rated {statistics.fmean(ratings):.1f}/5 by their clients on average"
    return SignalPart("holders' outcomes", succeeded / len(holders), len(holders), text)
