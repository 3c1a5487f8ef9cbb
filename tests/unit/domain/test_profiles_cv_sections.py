"""The CV section heuristic on realistic CVs of common layouts, and on odd input (it never raises)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcareer.domain.profiles.cv_proposal import CvProposal
from microcareer.domain.profiles.cv_sections import (
    cv_entries,
    heading_kind,
    partial_date,
    title_and_organisation,
)
from microcareer.domain.profiles.profile import ExperienceKind
from microcareer.errors import InvalidInput

DATA = Path(__file__).resolve().parents[2] / "data"


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_a_plain_text_cv_with_dashes_and_dates_on_the_right() -> None:
    entries = cv_entries(_read("documents/cv-project-manager.txt"))
    assert [(e.kind, e.title, e.organisation, e.start, e.end) for e in entries] == [
        (ExperienceKind.JOB, "Senior Project Manager", "Transvia Logistics", "2020-03", None),
        (ExperienceKind.JOB, "Project Manager", "MedNet Systems", "2016-09", "2020-02"),
        (ExperienceKind.JOB, "Project Coordinator", "Bright Events Sp. z o.o.", "2014-06", "2016-08"),
        (ExperienceKind.GIG, "Freelance translator (German/English > Polish)", "self-employed", "2012", None),
        (ExperienceKind.VOLUNTEERING, "Volunteer coordinator", "Food Bank Dolny Śląsk", "2018", None),
    ]
    first = entries[0]
    assert len(first.highlights) == 6
    assert first.highlights[0].endswith("on time and 3% under a €3.8M budget")  # a wrapped bullet joined
    assert first.section == "EXPERIENCE"


def test_markdown_company_first_and_two_line_headers() -> None:
    text = _read("cvs/backend-developer.md")
    entries = cv_entries(text)
    assert [(e.kind, e.title, e.organisation, e.start, e.end) for e in entries] == [
        (ExperienceKind.JOB, "Senior Backend Developer", "Northwind Freight GmbH", "2021-01", None),
        (ExperienceKind.JOB, "Backend Developer", "Kiosk24 AG", "2017-03", "2020-12"),
        (ExperienceKind.PROJECT, "Typed Haskell parser for tariff files", "", "2019", "2019"),
    ]
    northwind = entries[0]
    assert northwind.description.startswith("Routing and billing services")
    begin, end = northwind.span
    assert "event queue" in text[begin:end]
    assert "Kiosk24" not in text[begin:end]
    assert "Universität Hamburg" not in " ".join(e.description for e in entries)  # education is no job


def test_title_company_in_parentheses_pipes_and_inline_headings() -> None:
    entries = cv_entries(_read("cvs/data-analyst.txt"))
    assert [(e.kind, e.title, e.organisation, e.start, e.end) for e in entries] == [
        (ExperienceKind.JOB, "Data Analyst", "Brightwell Retail Ltd", "2019", "2023"),
        (ExperienceKind.JOB, "Junior Analyst", "Halden Insurance Group", "2017-03", "2018-12"),
        (ExperienceKind.VOLUNTEERING, "Treasurer", "Levenshulme Running Club", "2016", None),
    ]
    assert entries[2].description.startswith("Keeps the club's accounts")  # "Interests:" ends the section


def test_text_without_history_gives_no_entries() -> None:
    assert cv_entries(_read("cvs/bare-notes.txt")) == []
    assert cv_entries("") == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Software developer, Acme (2019–2023)", ("Software developer", "Acme")),
        ("Acme Ltd — Backend Engineer, Jan 2020 – present", ("Backend Engineer", "Acme Ltd")),
        ("Data engineer at Beta Labs, 2021 - 2022", ("Data engineer", "Beta Labs")),
        ("Mentor | Code Club | 2019 – 2020", ("Mentor", "Code Club")),
        ("Route planner (2022)", ("Route planner", "")),
    ],
)
def test_title_and_organisation(header: str, expected: tuple[str, str]) -> None:
    assert title_and_organisation(header) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", "2020"),
        ("Jan 2020", "2020-01"),
        ("03/2020", "2020-03"),
        ("2020-3", "2020-03"),
        ("13/2020", None),
    ],
)
def test_partial_dates(text: str, expected: str | None) -> None:
    assert partial_date(text) == expected


@given(
    st.text(alphabet=st.sampled_from(list("EXPERIENCE Projects\n-–—|,()#*2019 present Jan/0a")), max_size=300)
)
def test_odd_input_never_raises(text: str) -> None:
    for entry in cv_entries("EXPERIENCE\n" + text):
        assert entry.title or entry.organisation
        assert 0 <= entry.span[0] <= entry.span[1]


def test_a_returned_proposal_is_read_again_and_errors_name_the_path() -> None:
    good = {
        "source": "cv.txt",
        "experiences": [{"ref": "e1", "kind": "job", "title": "Dev", "start": "2020", "end": "2021"}],
        "skills": [{"uri": "http://x/s", "proficiency": 4, "experiences": ["e1"]}],
    }
    proposal = CvProposal.from_json(good)
    assert CvProposal.from_json(proposal.to_json()) == proposal
    bad_cases = [
        (
            {**good, "experiences": [{"ref": "e1", "kind": "job", "title": "Dev", "start": "2020-13"}]},
            "experiences[0].start",
        ),
        ({**good, "experiences": [{"ref": "e1", "kind": "war", "title": "Dev"}]}, "experiences[0].kind"),
        ({**good, "skills": [{"uri": "http://x/s", "proficiency": 9}]}, "skills[0].proficiency"),
        ({**good, "skills": [{"uri": 7}]}, "skills[0].uri"),
        ({**good, "skills": [{"uri": "a"}, {"uri": "a"}]}, "skills[1].uri"),
    ]
    for data, field in bad_cases:
        with pytest.raises(InvalidInput) as info:
            CvProposal.from_json(data)
        assert info.value.extra["field"] == field, (data, info.value)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("EDUCATION AND CERTIFICATES", None),
        ("Skills, languages", None),
        ("Experience & projects", ExperienceKind.JOB),
        ("Education and my favourite recipes", "not a heading"),
    ],
)
def test_headings_joined_by_and(line: str, kind: ExperienceKind | str | None) -> None:
    is_heading, found = heading_kind(line)
    if kind == "not a heading":
        assert not is_heading
    else:
        assert is_heading
        assert found == kind
