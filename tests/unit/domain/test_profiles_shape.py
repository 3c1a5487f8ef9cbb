"""Career shape: depth versus breadth over the hierarchy's second level; stale skills."""

from __future__ import annotations

from datetime import date

from microcareer.domain.profiles.evidence import Evidence, EvidenceKind, EvidencePolicy, assess
from microcareer.domain.profiles.holdings import Holding
from microcareer.domain.profiles.shape import (
    PLANNED,
    PlannedSkill,
    Shape,
    areas_of,
    career_shape,
    holdings_after,
    shape_change,
    stale_skills,
)

TODAY = date(2026, 11, 23)
PARENTS = {
    "ict": ["K"],
    "programming": ["ict"],
    "python": ["programming"],
    "java": ["programming"],
    "sql": ["ict"],
    "git": ["ict"],
    "comms": ["S"],
    "presenting": ["comms"],
    "mgmt": ["S"],
    "budgeting": ["mgmt"],
    "care": ["S"],
    "first aid": ["care"],
    "art": ["K"],
    "drawing": ["art"],
}


def holding(uri: str, last_used: date = TODAY) -> Holding:
    return Holding(uri, uri, 5, assess([Evidence(EvidenceKind.CREDENTIAL, last_used)], TODAY))


def test_areas_are_the_second_level() -> None:
    assert areas_of("python", PARENTS) == {"ict"}
    assert areas_of("ict", PARENTS) == {"K"}
    assert areas_of("orphan", PARENTS) == {"orphan"}


def test_deep_in_one_area_and_broad_elsewhere_is_t_shaped() -> None:
    skills = ["python", "java", "sql", "git", "presenting", "budgeting", "first aid"]
    shape = career_shape([holding(s) for s in skills], PARENTS, str.upper)
    assert shape.shape is Shape.T_SHAPED
    assert shape.areas[0].uri == "ict"
    assert shape.areas[0].label == "ICT"
    assert shape.deep == 1
    assert shape.broad == 4
    assert shape.explanation.startswith("T-shaped: deep in ICT")


def test_deep_only_is_i_shaped_and_shallow_everywhere_is_generalist() -> None:
    assert career_shape([holding(s) for s in ["python", "java", "sql"]], PARENTS, str).shape is Shape.I_SHAPED
    spread = ["python", "presenting", "budgeting", "first aid", "drawing"]
    assert career_shape([holding(s) for s in spread], PARENTS, str).shape is Shape.GENERALIST
    assert career_shape([holding("python")], PARENTS, str).shape is Shape.EMERGING


def test_stale_skills_oldest_first() -> None:
    policy = EvidencePolicy(half_life_days=365)

    def aged(uri: str, last_used: date) -> Holding:
        return Holding(uri, uri, 3, assess([Evidence(EvidenceKind.MICRO_JOB, last_used)], TODAY, policy))

    holdings = [aged("sql", date(2024, 6, 1)), aged("python", TODAY), aged("cobol", date(2019, 1, 1))]
    assert [h.uri for h in stale_skills(holdings)] == ["cobol", "sql"]


def test_a_plan_deepens_the_areas_held_and_opens_new_ones() -> None:
    held = [holding(s) for s in ("python", "java", "sql")]
    weak = Holding("git", "git", 1, assess([], TODAY))
    planned = [
        PlannedSkill("git", "git", 3),  # held weakly: raised
        PlannedSkill("python", "python", 2),  # held higher already: kept
        PlannedSkill("presenting", "presenting", 3),
        PlannedSkill("drawing", "drawing", 3),
    ]
    after = holdings_after([*held, weak], planned)
    by_uri = {h.uri: h for h in after}
    assert by_uri["python"].proficiency == 5
    assert by_uri["python"].confidence == held[0].confidence  # held higher: as it was
    assert by_uri["git"].proficiency == 3
    assert by_uri["git"].confidence is PLANNED
    assert by_uri["presenting"].proficiency == 3
    before_shape = career_shape([*held, weak], PARENTS, str)
    after_shape = career_shape(after, PARENTS, str)
    changes = shape_change(before_shape, after_shape)
    assert [(c.uri, c.opened) for c in changes] == [("art", True), ("comms", True), ("ict", False)]
    ict = changes[-1]
    assert ict.before < ict.after
    assert not ict.becomes_deep  # deep already
    assert before_shape.shape is Shape.I_SHAPED
    assert after_shape.broad == before_shape.broad + 2


def test_a_plan_that_adds_nothing_changes_nothing() -> None:
    held = [holding("python")]
    after = holdings_after(held, [PlannedSkill("python", "python", 3)])
    assert after == held
    shape = career_shape(held, PARENTS, str)
    assert shape_change(shape, career_shape(after, PARENTS, str)) == ()


def test_an_area_becomes_deep_through_the_plan() -> None:
    held = [holding("python")]
    planned = [PlannedSkill(uri, uri, 5) for uri in ("java", "sql", "git")]
    before = career_shape(held, PARENTS, str)
    (change,) = shape_change(before, career_shape(holdings_after(held, planned), PARENTS, str))
    assert change.uri == "ict"
    assert change.becomes_deep
    assert not change.opened
