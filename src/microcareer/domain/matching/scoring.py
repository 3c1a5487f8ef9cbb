"""The one scoring model, used both ways: how well a person fits a job, and why.

Skills. Each job skill gets the person's best credit for it through the skills graph, exactly as the
gap analysis gives it (``skill_graph.best_credits`` over ``Holding.strength``: the same skill counts 1,
a narrower one 0.75, a broader 0.5, an essential related 0.4, a sibling 0.35, an optional related
0.25, times how well the person holds the source skill). Required skills weigh 1, nice-to-have 0.5
(the gap's essential/optional importance); the skills score is the weighted mean.

Required skills. Each required skill not met (coverage under ``MET_AT``) multiplies the score by
``UNMET_REQUIRED`` (0.7): someone holding every nice-to-have but not what the job needs ranks below
someone who holds what it needs.

Terms. The skills score is multiplied by factors in [0.5, 1] (reputation: [0.9, 1.1]); a fact the
person did not give is neutral (1), never a penalty:

- rate: at or under the job's rate per hour 1, above it budget/rate (at least 0.5); another currency
  is neutral (no conversion is guessed);
- hours: hours a week available over hours a week the job needs, capped at 1 (at least 0.5);
- place: remote jobs 1; on-site jobs 1 where the person's city or country is a word of the job's place,
  0.6 elsewhere, 0.8 when the person gives no place;
- language: when the job names languages, 0.5 + 0.5 x the share the person speaks;
- reputation: 1 + 0.1 x (score - 80) / 50 when the person has a score (0.84 to 1.04); 1 without one,
  which is what a score of 80 gives (the score of completed, unrated work), so a new professional
  with verified evidence is not pushed under long-standing accounts with ordinary good records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from microcareer.domain.matching.facts import JobFacts, PersonFacts, place_words
from microcareer.domain.profiles.gap import ESSENTIAL_IMPORTANCE, OPTIONAL_IMPORTANCE
from microcareer.domain.profiles.skill_graph import Credit, Link, SkillGraph, best_credits

REQUIRED_WEIGHT = ESSENTIAL_IMPORTANCE
NICE_WEIGHT = OPTIONAL_IMPORTANCE
MET_AT = 0.5
"""A required skill is met from this coverage (a narrower skill held at level, a broader one well)."""
MET_TOLERANCE = 1e-6
"""Strengths are float32 in the index: a coverage this close under ``MET_AT`` counts as met both ways."""
CLOSE_AT = 0.1
"""A missing skill is within reach from this coverage (some related skill leads to it)."""
UNMET_REQUIRED = 0.7
FACTOR_FLOOR = 0.5
PLACE_ELSEWHERE = 0.6
PLACE_UNKNOWN = 0.8
REPUTATION_SPAN = 0.1
REPUTATION_NEUTRAL = 80.0
"""The score a person without one is taken to have: completed unrated work (``UNRATED_COMPLETED``)."""
REPUTATION_SCALE = 50.0


class How(StrEnum):
    EXACT = "exact"
    RELATED = "related"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class SkillMatch:
    uri: str
    label: str
    required: bool
    coverage: float
    how: How
    link: Link | None = None
    source: str | None = None
    """The person's skill that gives the credit (its label)."""
    through: str | None = None
    """The shared parent (siblings) or middle skill (two levels down), its label."""
    met: bool = False
    """Coverage at least ``MET_AT``, decided on the unrounded value (as the index decides it)."""

    @property
    def line(self) -> str:
        kind = "required" if self.required else "nice-to-have"
        if self.how is How.MISSING:
            return f"{self.label} ({kind}): missing"
        if self.how is How.EXACT:
            return f"{self.label} ({kind}): on the profile, {self.coverage:.2f}"
        via = f" under {self.through}" if self.through else ""
        link = self.link.value if self.link else "related skill"
        return f"{self.label} ({kind}): {self.coverage:.2f} via {self.source} ({link}{via})"


@dataclass(frozen=True, slots=True)
class Factor:
    name: str
    value: float
    note: str


@dataclass(frozen=True, slots=True)
class Match:
    user_id: int
    job_id: int
    score: float
    skills_score: float
    skills: tuple[SkillMatch, ...]
    factors: tuple[Factor, ...]

    @property
    def missing_required(self) -> tuple[SkillMatch, ...]:
        return tuple(s for s in self.skills if s.required and not s.met)

    @property
    def matched(self) -> tuple[SkillMatch, ...]:
        return tuple(s for s in self.skills if s.how is not How.MISSING)

    @property
    def explanation(self) -> tuple[str, ...]:
        return (*(s.line for s in self.skills), *(f.note for f in self.factors))


def rate_factor(person: PersonFacts, job: JobFacts) -> Factor:
    if job.hourly_budget is None or person.hourly_rate is None:
        return Factor("rate", 1.0, "rate: not given, neutral")
    if person.currency != job.currency:
        return Factor("rate", 1.0, f"rate: asks in {person.currency}, job pays {job.currency}, neutral")
    if person.hourly_rate <= job.hourly_budget:
        note = f"rate: {person.hourly_rate:.2f} {person.currency}/h within {job.hourly_budget:.2f}/h"
        return Factor("rate", 1.0, note)
    value = max(FACTOR_FLOOR, job.hourly_budget / person.hourly_rate)
    note = f"rate: {person.hourly_rate:.2f} {person.currency}/h above {job.hourly_budget:.2f}/h"
    return Factor("rate", value, note)


def hours_factor(person: PersonFacts, job: JobFacts) -> Factor:
    if job.hours_per_week is None or person.hours_per_week is None or job.hours_per_week <= 0:
        return Factor("hours", 1.0, "hours: not given, neutral")
    value = min(1.0, max(FACTOR_FLOOR, person.hours_per_week / job.hours_per_week))
    note = f"hours: {person.hours_per_week} h/week available, the job needs about {job.hours_per_week:.0f}"
    return Factor("hours", value, note)


def located_in(city: str, country: str, place: str) -> bool:
    words = place_words(place)
    return any(part.strip() and place_words(part) in words for part in (city, country))


def place_factor(person: PersonFacts, job: JobFacts) -> Factor:
    if job.remote:
        return Factor("place", 1.0, "place: remote")
    if not person.city.strip() and not person.country.strip():
        return Factor("place", PLACE_UNKNOWN, f"place: on site in {job.place}; the profile gives no place")
    if located_in(person.city, person.country, job.place):
        return Factor("place", 1.0, f"place: on site in {job.place}, the person is there")
    return Factor("place", PLACE_ELSEWHERE, f"place: on site in {job.place}, the person is elsewhere")


def language_factor(person: PersonFacts, job: JobFacts) -> Factor:
    if not job.languages:
        return Factor("language", 1.0, "language: the job names none")
    spoken = job.languages & person.languages
    value = 0.5 + 0.5 * len(spoken) / len(job.languages)
    return Factor("language", value, f"language: speaks {len(spoken)} of {len(job.languages)} asked")


def reputation_factor(person: PersonFacts) -> Factor:
    return _reputation_factor(person.reputation)


def reputation_value(score: int | None) -> float:
    """The reputation factor's value for a job-success ``score`` (None: neutral, 1)."""
    return _reputation_factor(score).value


def _reputation_factor(score: int | None) -> Factor:
    if score is None:
        return Factor("reputation", 1.0, "reputation: none yet, neutral (never a penalty)")
    value = 1.0 + REPUTATION_SPAN * (score - REPUTATION_NEUTRAL) / REPUTATION_SCALE
    return Factor("reputation", value, f"reputation: {score}/100")


def _skill_match(
    uri: str, required: bool, credits: Mapping[str, tuple[float, Credit]], labels: Mapping[str, str]
) -> SkillMatch:
    label = labels.get(uri, uri)
    found = credits.get(uri)
    if found is None or found[0] <= 0:
        return SkillMatch(uri, label, required, 0.0, How.MISSING)
    value, credit = found
    how = How.EXACT if credit.link is Link.SAME else How.RELATED
    through = labels.get(credit.via, credit.via) if credit.via else None
    source = labels.get(credit.source, credit.source)
    met = value >= MET_AT - MET_TOLERANCE
    return SkillMatch(uri, label, required, round(value, 4), how, credit.link, source, through, met)


def skills_score(skills: tuple[SkillMatch, ...]) -> float:
    weights = [REQUIRED_WEIGHT if s.required else NICE_WEIGHT for s in skills]
    total = sum(weights)
    return sum(w * s.coverage for w, s in zip(weights, skills, strict=True)) / total if total else 0.0


def match(
    person: PersonFacts,
    job: JobFacts,
    graph: SkillGraph,
    credits: Mapping[str, tuple[float, Credit]] | None = None,
) -> Match:
    """How well ``person`` fits ``job`` and why (the model in the module doc); ``credits``: the
    person's ``best_credits``, when the caller matches them against many jobs (the same result)."""
    if credits is None:
        credits = best_credits(graph, person.strengths)
    labels = {**person.labels, **job.labels}
    skills = tuple(
        [_skill_match(uri, True, credits, labels) for uri in job.required]
        + [_skill_match(uri, False, credits, labels) for uri in job.nice if uri not in job.required]
    )
    base = skills_score(skills)
    unmet = sum(1 for s in skills if s.required and not s.met)
    factors = (
        Factor(
            "required",
            UNMET_REQUIRED**unmet,
            f"required: {len(job.required) - unmet} of {len(job.required)} met",
        ),
        rate_factor(person, job),
        hours_factor(person, job),
        place_factor(person, job),
        language_factor(person, job),
        reputation_factor(person),
    )
    return _scored(person.user_id, job.job_id, base, skills, factors)


def _scored(
    user_id: int, job_id: int, base: float, skills: tuple[SkillMatch, ...], factors: tuple[Factor, ...]
) -> Match:
    score = base
    for factor in factors:
        score *= factor.value
    return Match(user_id, job_id, round(score, 4), round(base, 4), skills, factors)


def with_reputation(found: Match, reputation: int | None) -> Match:
    """``found``, a ``match`` of someone, as ``match`` gives it for them with ``reputation`` instead:
    the skills and every other factor are the person's whatever their reputation, and the score is
    the product of the same numbers in the same order (the reputation factor last), so it is the same
    float, without matching the person's skills again."""
    *terms, last = found.factors
    if last.name != "reputation":
        raise ValueError(f"not a match's factors: the last is {last.name!r}")
    factors = (*terms, _reputation_factor(reputation))
    return _scored(found.user_id, found.job_id, skills_score(found.skills), found.skills, factors)
