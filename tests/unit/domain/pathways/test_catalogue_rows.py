"""Catalogue import: CSV and JSON, every bad row named by its line and column, nothing kept on error."""

from __future__ import annotations

import pytest

from microcareer.domain.credentials.issue_rows import BatchRejected
from microcareer.domain.pathways.catalogue_rows import parse_catalogue
from microcareer.domain.pathways.steps import StepKind
from microcareer.errors import InvalidInput

SKILLS = {"python": "https://e.org/s/python", "sql": "https://e.org/s/sql"}


def resolve(ref: str) -> tuple[str, str] | None:
    uri = SKILLS.get(ref.lower()) or (ref if ref in SKILLS.values() else None)
    return None if uri is None else (uri, ref)


GOOD = """id,kind,title,provider,url,skills,hours,cost,currency,income,prerequisites,quality
py1,course,Python basics,Open U,https://u.example/py,Python=3,20,49.00,EUR,,,0.8
sql1,microcredential,SQL badge,Guild,,SQL=4; Python=2,12,0,EUR,,Python=2,
gig,micro_job,Clean a dataset,,,SQL,8,0,EUR,240.00,step:sql1,
"""


def test_a_good_csv_gives_every_step() -> None:
    rows = parse_catalogue(GOOD, source="c.csv", resolve=resolve)
    assert [r.line for r in rows] == [2, 3, 4]
    py, sql, gig = (r.step for r in rows)
    assert py.teaches == {SKILLS["python"]: 3}
    assert py.cost.amount == 4900
    assert py.quality == 0.8
    assert sql.teaches == {SKILLS["sql"]: 4, SKILLS["python"]: 2}
    assert sql.needs_skills[0].uri == SKILLS["python"]
    assert sql.needs_skills[0].level == 2
    assert gig.kind is StepKind.MICRO_JOB
    assert gig.income.amount == 24000
    assert gig.needs_steps == ("sql1",)
    assert gig.teaches == {SKILLS["sql"]: 3}


def test_every_bad_row_is_named_and_nothing_is_kept() -> None:
    text = """id,kind,title,skills,hours,cost,income
a,course,A,Cobol=3,10,5,
b,lecture,B,Python,10,5,
c,course,C,Python=9,-1,5.555,
d,course,D,Python,4,0,20
a,course,A again,Python,4,0,
"""
    with pytest.raises(BatchRejected) as caught:
        parse_catalogue(text, source="c.csv", resolve=resolve)
    rows = caught.value.extra["rows"]
    where = {(r["line"], r["column"]) for r in rows}
    assert (2, "skills") in where
    assert (3, "kind") in where
    assert {(4, "skills"), (4, "hours"), (4, "cost")} <= where
    assert (5, "income") in where
    assert (6, "id") in where
    assert "line 2" in str(caught.value)
    assert "nothing was imported" in str(caught.value)


def test_a_header_without_a_required_column_is_refused() -> None:
    with pytest.raises(InvalidInput, match="lacks the column 'hours'"):
        parse_catalogue("id,kind,title,skills,cost\n", source="c.csv", resolve=resolve)


def test_an_unknown_column_is_refused_not_dropped() -> None:
    with pytest.raises(BatchRejected, match="hourz"):
        parse_catalogue(
            "id,kind,title,skills,hours,cost,hourz\nx,course,X,SQL,1,0,3\n", source="c", resolve=resolve
        )


def test_json_rows_carry_the_line_they_start_on() -> None:
    text = """[
  {"id": "py", "kind": "course", "title": "Py", "skills": {"Python": 3}, "hours": 10, "cost": "0"},
  {"id": "bad", "kind": "course", "title": "Bad",
   "skills": {"Python": 3}, "hours": "lots", "cost": "0"},
  {"id": "pre", "kind": "assessment", "title": "Test", "skills": ["SQL=2"], "hours": 1, "cost": 10,
   "prerequisites": ["step:missing"]}
]"""
    with pytest.raises(BatchRejected) as caught:
        parse_catalogue(text, source="c.json", resolve=resolve)
    where = {(r["line"], r["column"]) for r in caught.value.extra["rows"]}
    assert where == {(3, "hours"), (5, "prerequisites")}
    good = text.replace('"lots"', "2").replace('["step:missing"]', '["step:py"]')
    rows = parse_catalogue(good, source="c.json", resolve=resolve)
    assert [r.line for r in rows] == [2, 3, 5]
    assert rows[2].step.needs_steps == ("py",)
