"""Gap analysis: covered, partly covered through the graph (with the path), missing; fit and ranking."""

from __future__ import annotations

from datetime import date

import pytest

from microcareer.domain.profiles.closest import OccupationIndex
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind, assess
from microcareer.domain.profiles.gap import GapStatus, TargetSkill, analyse_gap
from microcareer.domain.profiles.holdings import Holding
from microcareer.domain.profiles.skill_graph import Link, SkillGraph

TODAY = date(2026, 11, 23)

# programming ─┬─ python
#              ├─ java
#              └─ sql ── (related, essential) ── databases
# testing (its own branch)
GRAPH = SkillGraph(
    broader=[("python", "programming"), ("java", "programming"), ("sql", "programming")],
    related=[("sql", "databases", True)],
)
LABELS = {"programming": "computer programming", "python": "Python", "java": "Java", "sql": "SQL"}


def holding(uri: str, level: int = 4, kind: EvidenceKind = EvidenceKind.CREDENTIAL) -> Holding:
    return Holding(uri, LABELS.get(uri, uri), level, assess([Evidence(kind, TODAY)], TODAY))


def test_each_target_skill_is_covered_partial_or_missing_with_its_path() -> None:
    gap = analyse_gap(
        "software developer",
        [
            TargetSkill("python", "Python"),
            TargetSkill("programming", "computer programming"),
            TargetSkill("java", "Java"),
            TargetSkill("databases", "databases", importance=0.5),
            TargetSkill("testing", "software testing"),
        ],
        [holding("python")],
        GRAPH,
        labels=LABELS,
    )
    by_uri = {item.skill.uri: item for item in gap.items}
    assert by_uri["python"].status is GapStatus.COVERED
    assert by_uri["programming"].status is GapStatus.PARTIAL
    assert by_uri["programming"].credit is not None
    assert by_uri["programming"].credit.link is Link.NARROWER
    assert "through Python: narrower skill" in by_uri["programming"].explanation
    assert by_uri["java"].status is GapStatus.PARTIAL
    assert "sibling skill via computer programming" in by_uri["java"].explanation
    assert by_uri["databases"].status is GapStatus.MISSING
    assert by_uri["testing"].status is GapStatus.MISSING
    assert gap.breakdown.covered == 1
    assert gap.breakdown.partial == 2
    assert gap.breakdown.missing == 2
    assert 0 < gap.fit < 1
    # the covered skill comes last; among the rest, the essential missing one comes first
    assert gap.items[-1].skill.uri == "python"
    assert gap.items[0].skill.uri == "testing"


def test_a_broader_skill_counts_less_than_a_narrower_one() -> None:
    up = analyse_gap("t", [TargetSkill("programming", "p")], [holding("python")], GRAPH)
    down = analyse_gap("t", [TargetSkill("python", "py")], [holding("programming")], GRAPH)
    assert up.items[0].coverage > down.items[0].coverage > 0


def test_market_demand_reorders_the_gap() -> None:
    skills = [TargetSkill("testing", "testing", demand=0.1), TargetSkill("devops", "devops", demand=0.9)]
    gap = analyse_gap("t", skills, [], GRAPH)
    assert [item.skill.uri for item in gap.items] == ["devops", "testing"]
    assert gap.fit == 0


def test_a_weak_self_claim_is_only_partly_covered_and_says_why() -> None:
    gap = analyse_gap(
        "t", [TargetSkill("python", "Python")], [holding("python", 2, EvidenceKind.SELF_CLAIM)], GRAPH
    )
    item = gap.items[0]
    assert item.status is GapStatus.PARTIAL
    assert "weakly" in item.explanation
    assert "self-claimed" in item.explanation


def test_fit_is_one_when_everything_is_held_well() -> None:
    gap = analyse_gap("t", [TargetSkill("python", "Python")], [holding("python", 5)], GRAPH)
    assert gap.fit == pytest.approx(0.95)  # level met, confidence 0.9 → belief 0.95
    assert gap.to_close == ()


def test_a_skill_listed_twice_keeps_its_highest_importance() -> None:
    gap = analyse_gap(
        "t",
        [TargetSkill("java", "Java", importance=0.5), TargetSkill("java", "Java", importance=1.0)],
        [],
        GRAPH,
    )
    assert len(gap.items) == 1
    assert gap.breakdown.total_weight == 1.0


def test_closest_occupations_rank_real_overlap_above_a_tiny_list() -> None:
    index = OccupationIndex(
        [
            ("developer", "python", True),
            ("developer", "java", True),
            ("developer", "sql", True),
            ("developer", "testing", False),
            ("chef", "cooking", True),
            ("one-skill job", "sql", True),
        ]
    )
    assert len(index) == 3
    assert "chef" in index
    ranked = index.rank([holding("python", 5), holding("sql", 5), holding("java", 5)], GRAPH)
    assert [fit.uri for fit in ranked] == ["developer", "one-skill job"]
    developer = ranked[0]
    assert developer.essential_covered == 3
    assert developer.essential_total == 3
    assert developer.raw_fit == pytest.approx(3 * 0.95 / 3.25, abs=1e-4)  # optional counts 0.25
    assert set(developer.matched) == {"python", "java", "sql"}
