"""``microcareer jobs`` and ``gap --job`` on the mini ESCO, acting as the people ``--user`` names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from tests.integration.cli.market_cli import (
    ADMIN,
    BRIEF,
    CLIENT,
    EMPLOYEE,
    MANAGER,
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


def post(runner: CliRunner, *extra: str, user: str = CLIENT) -> dict[str, object]:
    args = ["jobs", "post", "--user", user, "--title", "Port a script", "--brief", BRIEF]
    args += ["--budget", "500", "--hours", "20", "--end", in_days(30), "--json", *extra]
    posted: dict[str, object] = json.loads(run(runner, *args))
    return posted


def test_post_publish_apply_shortlist_accept(runner: CliRunner) -> None:
    draft = post(runner, "--skill", "Python", "--nice", HASKELL)
    assert (draft["state"], draft["required_skills"], draft["nice_skills"]) == ("draft", [PYTHON], [HASKELL])
    assert draft["budget"] == {
        "kind": "fixed",
        "amount_minor": 50000,
        "currency": "EUR",
        "text": "EUR 500.00",
    }
    job = str(draft["id"])
    assert "no job" in run(runner, "jobs", "show", job, "--user", PRO, code=1)  # a draft is the poster's
    assert "is open" in run(runner, "jobs", "publish", job, "--user", CLIENT)
    listed = json.loads(run(runner, "jobs", "list", "--user", PRO, "--skill", PYTHON, "--json"))
    assert [j["id"] for j in listed["items"]] == [draft["id"]]
    searched = json.loads(run(runner, "jobs", "list", "scirpt pyhton", "--remote", "--user", PRO, "--json"))
    assert [j["id"] for j in searched["items"]] == [draft["id"]]
    assert searched["widened"] == {"scirpt": ["script"], "pyhton": ["python"]}
    assert searched["facets"]["remote"] == [{"value": "remote", "count": 1}]
    text = run(runner, "jobs", "list", "pyhton", "--on-site", "--user", PRO)
    assert "read 'pyhton' as python" in text
    assert "0 of 0 jobs" in text
    assert "q: at most 200" in run(runner, "jobs", "list", "x" * 201, code=1)
    shown = run(runner, "jobs", "show", job, "--user", PRO)
    assert "EUR 500.00 fixed" in shown
    assert "Python (computer programming)" in shown

    sent = run(
        runner, "jobs", "apply", job, "-u", PRO, "--rate", "480.50", "--hours", "20", "--per-week", "5",
        "--message", "I have ported a few Haskell tools.",
    )  # fmt: skip
    assert "application" in sent
    assert "already applied" in run(
        runner, "jobs", "apply", job, "-u", PRO, "--rate", "480", "--hours", "20", "--per-week", "5",
        "--message", "again", code=1,
    )  # fmt: skip
    mine = json.loads(run(runner, "jobs", "my-applications", "--user", PRO, "--json"))["items"]
    app_id = str(mine[0]["id"])
    assert mine[0]["rate"]["amount_minor"] == 48050
    run(runner, "jobs", "applications", job, "--user", PRO, code=1)  # only the poster reads them
    assert "shortlisted" in run(runner, "jobs", "shortlist", app_id, "--user", CLIENT)
    table = run(runner, "jobs", "applications", job, "--user", CLIENT)
    assert "EUR 480.50" in table
    assert PRO in table

    bad_sum = run(
        runner, "jobs", "accept", app_id, "-u", CLIENT, "--milestone", f"Draft:300.00:{in_days(10)}", code=1
    )
    assert "add up to EUR 300.00, but the accepted price is EUR 480.50" in bad_sum
    assert "--milestone 1" in run(
        runner, "jobs", "accept", app_id, "-u", CLIENT, "--milestone", "oops", code=1
    )
    made = run(
        runner, "jobs", "accept", app_id, "-u", CLIENT,
        "--milestone", f"Draft: part 1:300.00:{in_days(10)}",
        "--milestone", f"Final:180.50:{in_days(20)}",
    )  # fmt: skip
    assert "contract" in made
    assert "Draft: part 1, EUR 300.00" in made
    assert json.loads(run(runner, "jobs", "show", job, "--json"))["state"] == "in_progress"


def test_skills_proposed_from_the_brief(runner: CliRunner) -> None:
    posted = run(
        runner, "jobs", "post", "-u", CLIENT, "--title", "Data work",
        "--brief", "We need Python and SQL for a data mining job; some statistics helps.",
        "--propose-skills", "--budget", "45.50", "--hourly", "--hours", "10", "--place", "Lyon",
    )  # fmt: skip
    assert "skills proposed from the brief" in posted
    assert PYTHON in posted
    job = posted.strip().splitlines()[-1].split()[1]
    shown = json.loads(run(runner, "jobs", "show", job, "--user", CLIENT, "--json"))
    assert shown["required_skills"]
    assert PYTHON in shown["required_skills"] + shown["nice_skills"]
    assert shown["budget"]["kind"] == "hourly"
    assert (shown["remote"], shown["place"]) == (False, "Lyon")
    mine = json.loads(run(runner, "jobs", "list", "--mine", "--user", CLIENT, "--json"))
    assert [j["id"] for j in mine["items"]] == [int(job)]
    assert json.loads(run(runner, "jobs", "list", "--json"))["total"] == 0  # drafts are not open


def test_internal_job_needs_the_manager_and_stays_hidden(runner: CliRunner) -> None:
    job = str(post(runner, "--skill", PYTHON, "--internal", "acme", "--publish", user=ADMIN)["id"])
    assert f"no job {job}" in run(runner, "jobs", "show", job, "--user", STRANGER, code=1)
    assert json.loads(run(runner, "jobs", "list", "--user", STRANGER, "--json"))["total"] == 0
    assert "no organisation" in run(
        runner, "jobs", "post", "-u", STRANGER, "--title", "x y z", "--brief", BRIEF, "--skill", PYTHON,
        "--budget", "5", "--hours", "1", "--internal", "acme", code=1,
    )  # fmt: skip
    waits = run(
        runner, "jobs", "apply", job, "-u", EMPLOYEE, "--rate", "400", "--hours", "10", "--per-week", "4",
        "--message", "Happy to help the team.",
    )  # fmt: skip
    assert "waits for your manager's approval" in waits
    app_id = str(
        json.loads(run(runner, "jobs", "my-applications", "-u", EMPLOYEE, "--json"))["items"][0]["id"]
    )
    assert "waits for the applicant's manager" in run(runner, "jobs", "accept", app_id, "-u", ADMIN, code=1)
    assert "you cannot approve your own application" in run(
        runner, "jobs", "approve", app_id, "-u", EMPLOYEE, code=1
    )
    assert "approved by its manager" in run(runner, "jobs", "approve", app_id, "-u", MANAGER)
    made = run(runner, "jobs", "accept", app_id, "-u", ADMIN)
    assert "fee 0 %" in made  # internal gigs pay no platform fee


def test_usage_errors_and_bad_amounts(runner: CliRunner) -> None:
    no_user = run(runner, "jobs", "post", "--title", "x", "--brief", BRIEF, "--skill", PYTHON,
                  "--budget", "5", "--hours", "1", code=2)  # fmt: skip
    assert "--user" in no_user
    assert "--skill" in run(runner, "jobs", "post", "-u", CLIENT, "--title", "abc", "--brief", BRIEF,
                            "--budget", "5", "--hours", "1", code=2)  # fmt: skip
    too_precise = run(runner, "jobs", "post", "-u", CLIENT, "--title", "abc", "--brief", BRIEF,
                      "--skill", PYTHON, "--budget", "5.555", "--hours", "1", code=1)  # fmt: skip
    assert "error: --budget: amount: '5.555' has too many decimals for EUR" in too_precise
    assert "--end: 'soon' is not a date" in run(
        runner, "jobs", "post", "-u", CLIENT, "--title", "abc", "--brief", BRIEF, "--skill", PYTHON,
        "--budget", "5", "--hours", "1", "--end", "soon", code=1,
    )  # fmt: skip
    assert "currency" in run(runner, "jobs", "post", "-u", CLIENT, "--title", "abc", "--brief", BRIEF,
                             "--skill", PYTHON, "--budget", "5", "--currency", "XYZ", "--hours", "1",
                             code=1)  # fmt: skip
    assert "you cannot apply to your own job" in run(
        runner, "jobs", "apply", str(post(runner, "--skill", PYTHON, "--publish")["id"]), "-u", CLIENT,
        "--rate", "5", "--hours", "1", "--per-week", "1", "--message", "me", code=1,
    )  # fmt: skip


def test_talent_search_and_gap_to_a_job(runner: CliRunner) -> None:
    run(runner, "profile", "skill", "add", "Python", "--level", "4", "--evidence", "cv", "--user", PRO)
    run(runner, "profile", "set", "--user", PRO, "--visibility", "public")
    found = json.loads(run(runner, "jobs", "talent", PYTHON, HASKELL, "--user", CLIENT, "--json"))["items"]
    assert [p["email"] for p in found] == [PRO]
    assert 0 < found[0]["score"] < 1
    assert "Pia" in run(runner, "jobs", "talent", "Python", "--user", CLIENT)
    searched = json.loads(run(runner, "jobs", "people", "pyhton", "--user", CLIENT, "--json"))
    assert [p["display_name"] for p in searched["items"]] == ["Pia"]
    assert searched["widened"] == {"pyhton": ["python"]}
    assert "Pia" in run(runner, "jobs", "people", "pyhton", "--user", CLIENT)
    assert "hours_min: 0 to 168" in run(
        runner, "jobs", "people", "--hours-min", "200", "--user", CLIENT, code=1
    )

    job = str(post(runner, "--skill", PYTHON, "--nice", HASKELL, "--publish")["id"])
    report = json.loads(run(runner, "gap", "--job", job, "--user", PRO, "--json"))
    assert report["target_label"] == "Port a script"
    statuses = {item["uri"]: item["status"] for item in report["items"]}
    assert statuses[PYTHON] == "covered"
    assert statuses[HASKELL] != "covered"
    text = run(runner, "gap", "--job", job, "--user", PRO)
    assert "Port a script: fit" in text
    assert "one of them" in run(runner, "gap", "--job", job, "--skills", "Python", "--user", PRO, code=2)
    assert "no job 9999" in run(runner, "gap", "--job", "9999", "--user", PRO, code=1)
