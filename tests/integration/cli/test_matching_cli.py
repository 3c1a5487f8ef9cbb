"""``microcareer match people/jobs/save/dismiss/forget`` on the mini ESCO, acting as ``--user``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from tests.integration.cli.market_cli import (
    BRIEF,
    CLIENT,
    PRO,
    STRANGER,
    cli_runner,
    in_days,
    make_people,
    run,
)
from tests.integration.taxonomy_helpers import HASKELL, PYTHON


@pytest.fixture
def runner(
    taxonomy_platform: Platform, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> CliRunner:
    make_people(taxonomy_platform)
    return cli_runner(database_url, tmp_path, monkeypatch)


def _job(runner: CliRunner, title: str, *skills: str) -> str:
    args = ["jobs", "post", "--user", CLIENT, "--title", title, "--brief", BRIEF, "--budget", "500"]
    args += ["--hours", "20", "--end", in_days(30), "--json", "--publish"]
    for skill in skills:
        args += ["--skill", skill]
    return str(json.loads(run(runner, *args))["id"])


def test_match_people_and_jobs_with_save_and_dismiss(runner: CliRunner) -> None:
    run(runner, "profile", "skill", "add", "Python", "--level", "4", "--evidence", "cv", "--user", PRO)
    run(runner, "profile", "set", "--user", PRO, "--visibility", "public")
    fit = _job(runner, "Port a script", PYTHON)
    stretch = _job(runner, "Port to Haskell", PYTHON, HASKELL)

    found = json.loads(run(runner, "match", "people", fit, "--user", CLIENT, "--json"))
    assert [p["display_name"] for p in found["items"]] == ["Pia"]
    assert found["items"][0]["skills"][0]["how"] == "exact"
    assert "Pia" in run(runner, "match", "people", fit, "--user", CLIENT)
    assert "may not" in run(runner, "match", "people", fit, "--user", STRANGER, code=1)

    lists = json.loads(run(runner, "match", "jobs", "--user", PRO, "--json"))
    assert [j["job_id"] for j in lists["fit_now"]] == [int(fit)]
    assert [j["job_id"] for j in lists["stretch"]] == [int(stretch)]
    assert lists["stretch"][0]["would_add"] == ["Haskell"]
    assert "would add" in run(runner, "match", "jobs", "--user", PRO)
    assert "saved job" in run(runner, "match", "save", fit, "--user", PRO)
    assert "dismissed job" in run(runner, "match", "dismiss", stretch, "--user", PRO)
    again = json.loads(run(runner, "match", "jobs", "--for", PRO, "--json"))  # the local operator
    assert again["saved"] == [int(fit)]
    assert again["stretch"] == []
    assert again["dismissed"] == 1
    run(runner, "match", "forget", stretch, "--user", PRO)
    assert json.loads(run(runner, "match", "jobs", "--user", PRO, "--json"))["stretch"]
    assert "may not" in run(runner, "match", "jobs", "--for", PRO, "--user", CLIENT, code=1)
    assert "--for" in run(runner, "match", "jobs", code=2)
