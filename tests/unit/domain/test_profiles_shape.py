"""Career shape: depth versus breadth over the hierarchy's second level; stale skills."""

from __future__ import annotations

from datetime import date

from microcareer.domain.profiles.evidence import Evidence, EvidenceKind, EvidencePolicy, assess
from microcareer.domain.profiles.holdings import Holding
from microcareer.domain.profiles.shape import Shape, areas_of, career_shape, stale_skills

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
