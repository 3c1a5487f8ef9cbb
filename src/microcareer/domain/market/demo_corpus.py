"""A seeded generator of job postings over two years with known trends, for the demo and the benchmarks.

Each posting belongs to one of a few occupations; each occupation names skills with a probability that
moves linearly from ``start`` to ``end`` over the period, so some skills rise (TypeScript, deep
learning, social media marketing), some fade (AJAX, Hadoop, shorthand) and the rest stay steady. The
text is written from sentence templates around the skills' labels, as employers write them; a few
postings carry HTML, a few are re-posted (another id, a word changed, days later) and pay is given for
most. The same seed gives the same corpus.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class SkillDrift:
    phrase: str  # as written in the text
    start: float  # probability a posting names it in the first month
    end: float  # ... in the last month
    pay_premium: float = 0.0  # relative pay of postings naming it


@dataclass(frozen=True, slots=True)
class Occupation:
    titles: tuple[str, ...]
    weight: float
    base_pay: float
    skills: tuple[SkillDrift, ...]


OCCUPATIONS: tuple[Occupation, ...] = (
    Occupation(
        ("Software developer", "Senior software developer", "Software developer (m/f/d)"),
        0.3,
        58_000,
        (
            SkillDrift("Python", 0.45, 0.5),
            SkillDrift("JavaScript", 0.45, 0.4),
            SkillDrift("TypeScript", 0.08, 0.5, 0.06),
            SkillDrift("AJAX", 0.35, 0.04, -0.05),
            SkillDrift("Objective-C", 0.2, 0.03),
            SkillDrift("SQL", 0.35, 0.35),
            SkillDrift("Java", 0.3, 0.28),
            SkillDrift("project management", 0.1, 0.1),
        ),
    ),
    Occupation(
        ("Data scientist", "Junior data scientist", "Data scientist - machine learning"),
        0.2,
        64_000,
        (
            SkillDrift("machine learning", 0.6, 0.65, 0.04),
            SkillDrift("deep learning", 0.12, 0.55, 0.1),
            SkillDrift("natural language processing", 0.08, 0.4, 0.08),
            SkillDrift("Hadoop", 0.4, 0.06, -0.04),
            SkillDrift("statistics", 0.6, 0.6),
            SkillDrift("Python", 0.7, 0.72),
            SkillDrift("SQL", 0.4, 0.4),
        ),
    ),
    Occupation(
        ("Accountant", "Assistant accountant", "Accountant (part-time)"),
        0.2,
        46_000,
        (
            SkillDrift("accounting", 0.9, 0.9),
            SkillDrift("Microsoft Office", 0.5, 0.45),
            SkillDrift("shorthand", 0.3, 0.02, -0.05),
            SkillDrift("English", 0.3, 0.3),
            SkillDrift("statistics", 0.15, 0.2),
            SkillDrift("project management", 0.12, 0.15),
        ),
    ),
    Occupation(
        ("Customer service representative", "Customer service agent", "Customer service representative"),
        0.2,
        31_000,
        (
            SkillDrift("customer service", 0.9, 0.9),
            SkillDrift("communicate with customers", 0.5, 0.5),
            SkillDrift("Spanish", 0.25, 0.25, 0.05),
            SkillDrift("English", 0.5, 0.5),
            SkillDrift("social media marketing", 0.04, 0.35, 0.04),
        ),
    ),
    Occupation(
        ("Marketing manager", "Digital marketing manager"),
        0.1,
        52_000,
        (
            SkillDrift("search engine optimisation", 0.5, 0.5),
            SkillDrift("social media marketing", 0.2, 0.6, 0.03),
            SkillDrift("project management", 0.35, 0.35),
            SkillDrift("statistics", 0.15, 0.15),
        ),
    ),
)
RISING = ("TypeScript", "deep learning", "natural language processing", "social media marketing")
FADING = ("AJAX", "Objective-C", "Hadoop", "shorthand")

COMPANIES = (
    "Northwind Analytics",
    "Blue Harbour Logistics",
    "Kestrel Health",
    "Lumen Retail Group",
    "Alder & Finch Accountants",
    "Orbit Software",
    "Greenway Energy",
    "Cobalt Insurance",
    "Harbourside Hotels",
    "Meridian Bank",
)
PLACES = ("Berlin", "Amsterdam", "Lisbon", "Dublin", "Vienna", "Remote")
OPENINGS = (
    "{company} is growing and looks for a {title} to join our team in {place}.",
    "Join {company} in {place} as a {title}.",
    "We at {company} are hiring a {title} ({place}).",
    "Are you an experienced {title}? {company} wants to meet you.",
)
SKILL_LINES = (
    "You have solid experience with {skill}.",
    "Knowledge of {skill} is required.",
    "Good command of {skill} is expected.",
    "You will use {skill} every day.",
    "Experience in {skill} is a plus.",
)
DUTIES = (
    "You work closely with colleagues across the business and take ownership of your results.",
    "You organise your own work, report on progress and help newer colleagues find their feet.",
    "You keep our standards high and suggest how we can work better.",
    "You handle day-to-day requests from colleagues and clients reliably.",
    "You join a team of {team} people and report to the head of department.",
    "The role starts as soon as possible; the first {weeks} weeks are an induction.",
    "You travel to our other offices about {days} days a quarter.",
    "Our team of {team} supports {clients} clients across Europe.",
)
CLOSINGS = (
    "We offer flexible hours, 28 days of holiday and a training budget.",
    "Apply with your CV and a short note on why this role suits you.",
    "We welcome applications from everyone and adjust the interview to your needs.",
)
REPOST_SHARE = 0.04


def _month_start(day: date, back: int) -> date:
    year, month = day.year, day.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def generate(
    postings: int, *, seed: int = 19, end: date | None = None, months: int = 24, html_share: float = 0.2
) -> Iterator[dict[str, object]]:
    """``postings`` records (plus re-posts) as a file would hold them: id, title, text, date, place,
    organisation, pay, source. Months run up to ``end``'s month (default: 2026-12); volume grows 50%
    from the first month to the last."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo, not a secret
    last = end or date(2026, 12, 1)
    weights = [1.0 + 0.5 * i / max(1, months - 1) for i in range(months)]
    scale = postings / sum(weights)
    made = 0
    for index in range(months):
        start = _month_start(last, months - 1 - index)
        following = (
            _month_start(last, months - 2 - index) if index < months - 1 else start + timedelta(days=28)
        )
        days = max(1, (following - start).days)
        count = round(scale * sum(weights[: index + 1])) - made
        progress = index / max(1, months - 1)
        for _ in range(count):
            made += 1
            occupation = rng.choices(OCCUPATIONS, weights=[o.weight for o in OCCUPATIONS])[0]
            record = _posting(rng, made, occupation, start + timedelta(days=rng.randrange(days)), progress)
            if html_share and rng.random() < html_share:
                record["text"] = _as_html(str(record["text"]))
            yield record
            if rng.random() < REPOST_SHARE:
                yield _repost(rng, record, made)


def _posting(
    rng: random.Random, number: int, occupation: Occupation, day: date, progress: float
) -> dict[str, object]:
    title = rng.choice(occupation.titles)
    company = rng.choice(COMPANIES)
    place = rng.choice(PLACES)
    named = [s for s in occupation.skills if rng.random() < s.start + (s.end - s.start) * progress]
    lines = [rng.choice(OPENINGS).format(company=company, title=title.lower(), place=place)]
    lines += [
        duty.format(
            team=rng.randrange(3, 40),
            weeks=rng.randrange(2, 9),
            days=rng.randrange(1, 12),
            clients=rng.randrange(20, 900),
        )
        for duty in rng.sample(DUTIES, 3)
    ]
    skill_lines = [rng.choice(SKILL_LINES).format(skill=s.phrase) for s in named]
    rng.shuffle(skill_lines)
    lines += skill_lines
    lines.append(rng.choice(CLOSINGS))
    premium = 1.0 + sum(s.pay_premium for s in named)
    pay: object = ""
    if rng.random() < 0.8:
        pay = round(occupation.base_pay * premium * rng.uniform(0.85, 1.15), -2)
    return {
        "id": f"demo-{number:07d}",
        "title": title,
        "text": " ".join(lines),
        "date": day.isoformat(),
        "place": place,
        "organisation": company,
        "pay": pay,
        "source": "demo",
    }


def _repost(rng: random.Random, record: dict[str, object], number: int) -> dict[str, object]:
    day = date.fromisoformat(str(record["date"])) + timedelta(days=rng.randrange(3, 20))
    text = str(record["text"]).replace("Apply with", "Send us")
    return {**record, "id": f"demo-{number:07d}-r", "text": text, "date": day.isoformat()}


def _as_html(text: str) -> str:
    parts = text.split(". ")
    return "<div><p>" + "</p>\n<p>".join(parts) + "</p><ul><li>Hybrid &amp; remote</li></ul></div>"
