"""Fairness properties of the matching: no protected attributes, no burying of new people, diversity."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from microcareer.domain.matching.diversity import diversify
from microcareer.domain.matching.exposure import exposure_by_age
from microcareer.domain.matching.facts import JobFacts, PersonFacts
from microcareer.domain.matching.scoring import match
from microcareer.domain.profiles.evidence import DEFAULT_WEIGHTS, EvidenceKind
from tests.unit.domain.matching.graph_helpers import LABELS, PYTHON, SQL, graph

PROTECTED = {"gender", "sex", "birth", "nationality", "ethnicity", "religion", "disability", "photo"}


def test_no_protected_attribute_is_a_fact() -> None:
    names = {f.name for f in dataclasses.fields(PersonFacts)} | {f.name for f in dataclasses.fields(JobFacts)}
    words = {word for name in names for word in name.split("_")}
    assert not {w for w in words if w in PROTECTED or w == "age" or any(p in w for p in PROTECTED)}


def test_account_age_and_name_do_not_change_the_score() -> None:
    wanted = JobFacts(1, "j", (PYTHON,), (SQL,), LABELS)
    old = PersonFacts(1, "Old Timer", {PYTHON: 0.8}, joined=date(2015, 1, 1))
    new = PersonFacts(2, "Newcomer", {PYTHON: 0.8}, joined=date(2026, 11, 1))
    assert match(old, wanted, graph()).score == match(new, wanted, graph()).score


def test_a_new_professional_with_verified_evidence_is_not_buried() -> None:
    """No reputation is neutral (as a score of 80, completed unrated work), never a penalty: a verified
    newcomer ranks above a long-standing self-claimer with a perfect score, ties with an equal person
    of ordinary good record, and ranks above one of a poor record."""
    wanted = JobFacts(1, "j", (PYTHON,), (), LABELS)
    level = 1.0
    verified = level * (0.5 + 0.5 * DEFAULT_WEIGHTS[EvidenceKind.CREDENTIAL])
    claimed = level * (0.5 + 0.5 * DEFAULT_WEIGHTS[EvidenceKind.SELF_CLAIM])
    newcomer = PersonFacts(1, "New", {PYTHON: verified}, reputation=None)
    veteran = PersonFacts(2, "Vet", {PYTHON: claimed}, reputation=100)
    assert match(newcomer, wanted, graph()).score > match(veteran, wanted, graph()).score
    neutral = PersonFacts(3, "Mid", {PYTHON: verified}, reputation=80)
    assert match(newcomer, wanted, graph()).score == match(neutral, wanted, graph()).score
    poor = PersonFacts(4, "Poor", {PYTHON: verified}, reputation=40)
    assert match(poor, wanted, graph()).score < match(newcomer, wanted, graph()).score


def test_near_duplicates_are_moved_down_not_dropped() -> None:
    ranked = ["a1", "a2", "a3", "a4", "b1"]
    signature = {"a1": "a", "a2": "a", "a3": "a", "a4": "a", "b1": "b"}
    out = diversify(ranked, lambda x: frozenset({signature[x]}), max_alike=2)
    assert out == ["a1", "a2", "b1", "a3", "a4"]


def test_exposure_by_age() -> None:
    ages = {1: 10, 2: 10, 3: 2000, 4: 2000}
    groups = {g.group: g for g in exposure_by_age([[1, 3], [3, 1]], ages)}
    assert groups["under 90 days"].exposure_share == pytest.approx(0.5)
    assert groups["under 90 days"].ratio == pytest.approx(1.0)
    assert groups["1 to 3 years"].people == 0
