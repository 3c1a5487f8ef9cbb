"""``microcareer profile``, ``gap``, ``closest`` and ``shape`` on the mini ESCO, as the operator runs them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from microcareer.domain.accounts import Role
from tests.integration.taxonomy_helpers import DEVELOPER, HASKELL, PROGRAMMING, PYTHON, PYTHON_KEY

EMAIL = "pat@x.test"


@pytest.fixture
def runner(taxonomy_platform: Platform, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    with taxonomy_platform.uow() as uow:
        uow.accounts.add_user(
            email=EMAIL,
            display_name="Pat",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=taxonomy_platform.clock(),
        )
        uow.commit()
    return CliRunner()


def ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_set_and_show_a_profile(runner: CliRunner) -> None:
    ok(runner, "profile", "set", "--user", EMAIL, "--headline", "Backend developer", "--hours", "16")
    ok(runner, "profile", "set", "--user", EMAIL, "--rate", "65", "--hidden", "--visibility", "organisation")
    shown = json.loads(ok(runner, "profile", "show", "--user", EMAIL, "--json"))
    assert (shown["headline"], shown["hours_per_week"], shown["hourly_rate"]) == (
        "Backend developer",
        16,
        65.0,
    )
    assert (shown["available"], shown["visibility"]) == (False, "organisation")
    text = ok(runner, "profile", "show", "--user", EMAIL)
    assert "Backend developer" in text
    assert "hidden from searches" in text
    assert "65 EUR/h" in text


def test_skills_show_their_confidence_and_why(runner: CliRunner) -> None:
    added = ok(
        runner, "profile", "skill", "add", "Python", "--level", "4", "--evidence", "cv", "--user", EMAIL
    )
    assert "Python (computer programming): level 4/5" in added
    assert "found in CV" in added
    ok(runner, "profile", "skill", "add", HASKELL, "-l", "2", "--last-used", "2015-03", "--user", EMAIL)
    table = ok(runner, "profile", "show", "--user", EMAIL)
    assert "Python (computer programming)" in table
    assert "self-claimed 2015-03" in table
    assert "(stale)" in table
    skills = json.loads(ok(runner, "profile", "show", "--user", EMAIL, "--json"))["skills"]
    assert [s["uri"] for s in skills] == [PYTHON, HASKELL]  # most believable first
    ok(runner, "profile", "skill", "remove", PYTHON_KEY, "--user", EMAIL)
    assert [s["uri"] for s in json.loads(ok(runner, "profile", "show", "-u", EMAIL, "--json"))["skills"]] == [
        HASKELL
    ]


def test_a_skill_is_added_by_the_words_of_its_label_and_a_typo_gets_suggestions(runner: CliRunner) -> None:
    ok(runner, "profile", "skill", "add", "ICT debugging tool", "--level", "2", "--user", EMAIL)
    assert "ICT debugging tools" in ok(runner, "profile", "show", "--user", EMAIL)
    typo = runner.invoke(app, ["profile", "skill", "add", "pythn", "--level", "2", "--user", EMAIL])
    assert typo.exit_code == 1
    assert "no skill named 'pythn'; did you mean 'Python (computer programming)'" in typo.output


def test_user_comes_from_the_environment(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCAREER_USER", EMAIL)
    ok(runner, "profile", "set", "--headline", "From the environment")
    assert json.loads(ok(runner, "profile", "show", "--json"))["headline"] == "From the environment"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["profile", "show", "--user", "nobody@x.test"], "nobody@x.test"),
        (["profile", "set", "--user", EMAIL, "--hours", "500"], "hours_per_week"),
        (["profile", "set", "--user", EMAIL, "--currency", "euro"], "currency"),
        (
            ["profile", "skill", "add", "no such skill at all", "--level", "3", "--user", EMAIL],
            "no such skill",
        ),
        (
            ["profile", "skill", "add", "Python", "--level", "3", "--last-used", "2021-13", "--user", EMAIL],
            "--last-used",
        ),
        (["profile", "skill", "remove", PYTHON_KEY, "--user", EMAIL], "not on the profile"),
        (["gap", "no such occupation", "--user", EMAIL], "no such occupation"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["profile", "set", "--user", EMAIL],  # nothing to set
        ["profile", "skill", "add", "Python", "--level", "6", "--user", EMAIL],
        ["gap", "--user", EMAIL],  # neither an occupation nor --skills
        ["closest", "--limit", "0", "--user", EMAIL],
        ["profile", "show"],  # whose? (no --user, no MICROCAREER_USER)
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output


def test_gap_closest_and_shape(runner: CliRunner) -> None:
    ok(runner, "profile", "skill", "add", "Python", "--level", "4", "--evidence", "cv", "--user", EMAIL)
    table = ok(runner, "gap", "software developer", "--user", EMAIL)
    assert table.startswith("software developer: fit 0.")
    assert "partly covered" in table
    assert "narrower skill" in table  # the partial credit's path is shown
    other_name = ok(runner, "gap", "network security administrator", "--user", EMAIL)
    assert "No occupation is called 'network security administrator': showing 'ICT security" in other_name
    gap = json.loads(ok(runner, "gap", DEVELOPER, "--user", EMAIL, "--json"))
    items = {item["uri"]: item for item in gap["items"]}
    assert items[PYTHON]["status"] == "covered"
    assert items[PROGRAMMING]["status"] == "partial"
    assert "through Python (computer programming)" in items[PROGRAMMING]["explanation"]
    custom = json.loads(ok(runner, "gap", "--skills", f"Python, {HASKELL}", "--user", EMAIL, "--json"))
    assert custom["breakdown"]["covered"] == 1
    assert (
        custom["breakdown"]["covered"] + custom["breakdown"]["partial"] + custom["breakdown"]["missing"] == 2
    )
    closest = json.loads(ok(runner, "closest", "--limit", "3", "--user", EMAIL, "--json"))["items"]
    assert DEVELOPER in [row["uri"] for row in closest]
    assert "software developer" in ok(runner, "closest", "--user", EMAIL)
    shape = ok(runner, "shape", "--user", EMAIL)
    assert "area" in shape
    assert json.loads(ok(runner, "shape", "--user", EMAIL, "--json"))["stale"] == []


def test_half_life_setting_fades_old_evidence(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(runner, "profile", "skill", "add", "Python", "--level", "3", "--last-used", "2020", "--user", EMAIL)
    confidence = {}
    for days in ("100", "36500"):
        monkeypatch.setenv("MICROCAREER_EVIDENCE_HALF_LIFE_DAYS", days)
        confidence[days] = json.loads(ok(runner, "profile", "show", "--user", EMAIL, "--json"))["skills"][0]
    assert confidence["100"]["confidence"] < confidence["36500"]["confidence"]
    assert (confidence["100"]["stale"], confidence["36500"]["stale"]) == (True, False)
