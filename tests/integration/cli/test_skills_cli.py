"""``microcareer skills`` and ``microcareer occupations`` on the mini ESCO taxonomy, as a user runs them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from microcareer.store.tables.taxonomy import OccupationRow
from tests.integration.taxonomy_helpers import DEVELOPER_KEY, HASKELL, PYTHON, PYTHON_KEY, make_organisation


@pytest.fixture
def runner(taxonomy_platform: Platform, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


def test_skills_search_lists_python_computer_programming_first(runner: CliRunner) -> None:
    result = runner.invoke(app, ["skills", "search", "python", "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)["items"]
    assert items[0]["concept"]["preferred_label"] == "Python (computer programming)"
    table = runner.invoke(app, ["skills", "search", "pyhton"])
    assert table.exit_code == 0, table.output
    assert "Python (computer programming)" in table.output
    assert "fuzzy" in table.output


def test_skills_resolve_says_what_a_name_stands_for_and_why(runner: CliRunner) -> None:
    named = runner.invoke(app, ["skills", "resolve", "python", "--json"])
    assert named.exit_code == 0, named.output
    body = json.loads(named.output)
    assert body["chosen"]["skill"]["uri"] == PYTHON
    assert body["chosen"]["why"] == "alternative label: Python"
    typo = runner.invoke(app, ["skills", "resolve", "pythn"])
    assert typo.exit_code == 0, typo.output
    assert "no skill named 'pythn'; did you mean 'Python (computer programming)'?" in typo.output
    assert "near spelling of: Python" in typo.output


def test_skills_search_names_first_what_a_label_search_misses(runner: CliRunner) -> None:
    plural = runner.invoke(app, ["skills", "search", "ICT debugging tool"])
    assert plural.exit_code == 0, plural.output
    assert plural.output.startswith(
        "'ICT debugging tool' names ICT debugging tools (same words as the label: ICT debugging tools)"
    )


def test_an_occupation_shown_by_another_label_says_so(runner: CliRunner) -> None:
    result = runner.invoke(app, ["occupations", "show", "network security administrator"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("No occupation is called 'network security administrator': showing")


def test_skills_show_prints_chains_related_and_occupation_counts(runner: CliRunner) -> None:
    result = runner.invoke(app, ["skills", "show", PYTHON_KEY])
    assert result.exit_code == 0, result.output
    assert "information and communication technologies (icts) > software and applications" in result.output
    assert "needed by 0 occupations as essential, 1 as optional" in result.output
    assert "computer programming" in result.output
    as_json = runner.invoke(app, ["skills", "show", PYTHON, "--json"])
    assert json.loads(as_json.output)["skill"]["uri"] == PYTHON


def test_occupations_search_and_show(runner: CliRunner) -> None:
    found = runner.invoke(app, ["occupations", "search", "software developer"])
    assert found.exit_code == 0, found.output
    assert DEVELOPER_KEY in found.output
    shown = runner.invoke(app, ["occupations", "show", DEVELOPER_KEY])
    assert shown.exit_code == 0, shown.output
    assert "ISCO 2512" in shown.output
    assert "essential skills (5)" in shown.output
    assert "optional skills (3)" in shown.output


def test_an_occupation_without_skills_says_so(runner: CliRunner, taxonomy_platform: Platform) -> None:
    assert taxonomy_platform.engine is not None
    with taxonomy_platform.engine.begin() as conn:
        conn.execute(
            insert(OccupationRow).values(
                uri="http://example.org/occupation/lonely", preferred_label="lonely job"
            )
        )
    result = runner.invoke(app, ["occupations", "show", "lonely"])
    assert result.exit_code == 0, result.output
    assert "ESCO lists no essential or optional skills for this occupation." in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["skills", "show", "no-such-key"], "no skill named 'no-such-key'"),
        (["occupations", "show", "no-such-key"], "no occupation has the URI, key or label"),
        (["skills", "search", "  "], "the search query is empty"),
        (["skills", "add", "X", "--org", "nobody"], "no organisation has the slug 'nobody'"),
    ],
)
def test_errors_are_one_line_and_exit_1(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_skills_add_links_an_org_skill_and_refuses_unknown_targets(
    runner: CliRunner, taxonomy_platform: Platform
) -> None:
    make_organisation(taxonomy_platform, "acme")
    bad = runner.invoke(app, ["skills", "add", "Acme style", "--org", "acme", "--related", PYTHON + "-gone"])
    assert bad.exit_code == 1
    assert PYTHON + "-gone" in bad.output
    added = runner.invoke(
        app,
        [
            "skills",
            "add",
            "Acme style",
            "--org",
            "acme",
            "--narrower",
            PYTHON,
            "--related",
            HASKELL,
            "--alt",
            "house style",
        ],
    )
    assert added.exit_code == 0, added.output
    assert "urn:microcareer:org:" in added.output
    found = runner.invoke(app, ["skills", "search", "house style", "--json"])
    assert json.loads(found.output)["items"][0]["concept"]["preferred_label"] == "Acme style"
