"""The matching model: partial credit as the gap analysis gives it, terms as factors, explanations."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from microcareer.domain.matching.facts import JobFacts, PersonFacts
from microcareer.domain.matching.lists import ListKind, classify, three_lists
from microcareer.domain.matching.scoring import How, match, reputation_value, with_reputation
from microcareer.domain.profiles.evidence import SkillConfidence
from microcareer.domain.profiles.gap import TargetSkill, analyse_gap
from microcareer.domain.profiles.holdings import Holding
from microcareer.domain.profiles.skill_graph import Link
from tests.unit.domain.matching.graph_helpers import (
    DJANGO,
    HASKELL,
    JAVA,
    LABELS,
    PROGRAMMING,
    PYTHON,
    SQL,
    WELDING,
    graph,
)


def person(strengths: dict[str, float], **terms: object) -> PersonFacts:
    return PersonFacts(1, "Pia", strengths, LABELS, **terms)  # type: ignore[arg-type]


def job(required: tuple[str, ...], nice: tuple[str, ...] = (), **terms: object) -> JobFacts:
    return JobFacts(7, "A job", required, nice, LABELS, **terms)  # type: ignore[arg-type]


def test_exact_and_related_credit_with_explanations() -> None:
    found = match(person({PYTHON: 0.9}), job((PYTHON, HASKELL), (WELDING,)), graph())
    python, haskell, welding = found.skills
    assert python.how is How.EXACT
    assert python.coverage == pytest.approx(0.9)
    assert haskell.how is How.RELATED
    assert haskell.link is Link.SIBLING
    assert haskell.coverage == pytest.approx(0.35 * 0.9)
    assert haskell.source == "Python"
    assert haskell.through == "programming"
    assert "via Python (sibling skill under programming)" in haskell.line
    assert welding.how is How.MISSING
    assert not welding.required
    assert welding.line == "welding (nice-to-have): missing"
    # required weigh 1, nice-to-have 0.5
    assert found.skills_score == pytest.approx((0.9 + 0.315 + 0) / 2.5, abs=1e-4)
    assert [s.label for s in found.missing_required] == ["Haskell"]


def test_same_credit_as_the_gap_analysis() -> None:
    """For every skill the matching's coverage equals the gap's (one credit rule)."""
    holding = Holding(DJANGO, "Django", 4, SkillConfidence(0.8, "x", None, 1.0))
    targets = (PROGRAMMING, PYTHON, HASKELL, SQL, DJANGO)
    gap = analyse_gap("t", [TargetSkill(t, LABELS[t]) for t in targets], [holding], graph())
    found = match(person({DJANGO: holding.strength()}), job(targets), graph())
    by_uri = {s.uri: s.coverage for s in found.skills}
    for item in gap.items:
        assert by_uri[item.skill.uri] == pytest.approx(item.coverage, abs=1e-4)


def test_terms_are_factors_and_unknown_terms_are_neutral() -> None:
    wanted = job((PYTHON,), hourly_budget=40.0, hours_per_week=10.0, remote=False, place="Berlin, DE")
    plain = match(person({PYTHON: 1.0}), wanted, graph())
    assert plain.score == pytest.approx(0.8)  # only the unknown place costs (0.8)
    there = match(person({PYTHON: 1.0}, city="Berlin"), wanted, graph())
    assert there.score == pytest.approx(1.0)
    elsewhere = match(person({PYTHON: 1.0}, city="Lyon", country="FR"), wanted, graph())
    assert elsewhere.score == pytest.approx(0.6)
    dear = match(person({PYTHON: 1.0}, city="Berlin", hourly_rate=80.0), wanted, graph())
    assert dear.score == pytest.approx(0.5)
    other_currency = match(
        person({PYTHON: 1.0}, city="Berlin", hourly_rate=80.0, currency="USD"), wanted, graph()
    )
    assert other_currency.score == pytest.approx(1.0)
    busy = match(person({PYTHON: 1.0}, city="Berlin", hours_per_week=7), wanted, graph())
    assert busy.score == pytest.approx(0.7)
    speaking = job((PYTHON,), languages=frozenset({"german", "english"}))
    assert match(
        person({PYTHON: 1.0}, languages=frozenset({"english"})), speaking, graph()
    ).score == pytest.approx(0.75)
    assert any("rate: 80.00 EUR/h above 40.00/h" in line for line in dear.explanation)


def test_three_lists() -> None:
    pro = person({PYTHON: 0.9})
    fit = classify(job((PYTHON,)), match(pro, job((PYTHON,)), graph()))
    stretch_job = job((PYTHON, HASKELL))
    stretch = classify(stretch_job, match(pro, stretch_job, graph()))
    far_job = job((WELDING,))
    far = classify(far_job, match(pro, far_job, graph()))
    internal_job = JobFacts(8, "Internal", (PYTHON,), (), LABELS, internal=True, organisation_id=3)
    internal = classify(internal_job, match(pro, internal_job, graph()))
    assert fit is not None
    assert fit.kind is ListKind.FIT_NOW
    assert fit.would_add == ()
    assert stretch is not None
    assert stretch.kind is ListKind.STRETCH
    assert stretch.would_add == ("Haskell",)
    assert far is None  # welding is not within reach of Python
    assert internal is not None
    assert internal.kind is ListKind.INTERNAL
    lists = three_lists([fit, stretch, internal], limit=5)
    assert [p.job.job_id for p in lists[ListKind.FIT_NOW]] == [7]
    assert [p.job.job_id for p in lists[ListKind.INTERNAL]] == [8]


def test_with_reputation_is_the_match_with_that_reputation_to_the_bit() -> None:
    """The candidate walk matches a person once without reputation (to drop a zero score) and then
    applies theirs: the same skills, factors and score, float for float, as matching them with it."""
    rng = random.Random(18)
    skills = [PROGRAMMING, PYTHON, HASKELL, JAVA, DJANGO, SQL, WELDING]
    seen = set()
    for _ in range(400):
        held = {
            uri: rng.choice([0.05, 0.2, 1 / 3, 0.5, 0.77, 1.0])
            for uri in rng.sample(skills, rng.randint(0, 4))
        }
        someone = person(
            held,
            hourly_rate=rng.choice([None, 15.0, 55.5, 120.0]),
            hours_per_week=rng.choice([None, 3, 40]),
            city=rng.choice(["", "Berlin", "Lyon"]),
            languages=frozenset(rng.sample(["english", "german"], rng.randint(0, 2))),
        )
        wanted = job(
            tuple(rng.sample(skills, rng.randint(1, 3))),
            tuple(rng.sample(skills, rng.randint(0, 2))),
            hourly_budget=rng.choice([None, 30.0, 47.3]),
            hours_per_week=rng.choice([None, 12.5]),
            remote=rng.random() < 0.5,
            place="Berlin, DE",
            languages=frozenset(rng.sample(["english", "german"], rng.randint(0, 2))),
        )
        plain = match(someone, wanted, graph())
        for score in (None, 0, 37, 80, 93, 100):
            expected = match(replace(someone, reputation=score), wanted, graph())
            assert with_reputation(plain, score) == expected
            seen.add(expected.score > 0)
        assert with_reputation(plain, None) == plain
    assert seen == {True, False}  # zero scores and others were both tried
    with pytest.raises(ValueError, match="not a match"):
        with_reputation(replace(plain, factors=plain.factors[:-1]), 90)


def test_the_reputation_value_is_the_factors() -> None:
    person = PersonFacts(user_id=1, name="", strengths={})
    for score in (None, 0, 50, 80, 100):
        found = match(replace(person, reputation=score), JobFacts(1, "j", ()), graph())
        assert reputation_value(score) == found.factors[-1].value
    assert reputation_value(None) == 1.0
