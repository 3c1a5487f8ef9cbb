"""``microcareer init --demo`` and ``serve``: the README's ``make run``, on each database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.cli.main import app


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "MICROCAREER_DATABASE_URL": database_url,
        "MICROCAREER_ARGON2_TIME_COST": "1",
        "MICROCAREER_ARGON2_MEMORY_KIB": "8",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# Generous: a loaded CI machine can take many seconds for the first search (no test asserts on time).
REQUEST_TIMEOUT_S = 120


def _get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_S) as response:  # noqa: S310 - a local test server
        return json.loads(response.read())


def test_init_demo_then_serve_answers_a_skill_search(env: dict[str, str]) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["init", "--demo", "--quiet"])
    assert first.exit_code == 0, first.output
    assert "13,896 skills" in first.output
    assert "123,855 occupation-skill relations" in first.output
    assert "6 users, 1 organisations and 1 organisation skills added" in first.output
    assert "ada@demo.microcareer.dev" in first.output
    assert "demo credentials: 1 issuer(s), 5 achievement(s), 3 signed credential(s)" in first.output
    assert "demo marketplace: 6 micro-job(s), 4 contract(s), 6 payment(s) released" in first.output
    assert "job postings: " in first.output

    again = runner.invoke(app, ["init", "--demo", "--quiet"])
    assert again.exit_code == 0, again.output
    assert (
        "0 users, 0 organisations and 0 organisation skills added (6 users were there already)"
        in again.output
    )
    assert "already there: Porto Code Academy" in again.output
    assert "demo marketplace: there already" in again.output
    assert " 0 added " in again.output.split("job postings: ", 1)[1]
    _demo_postings_show_rising_and_fading_skills(runner)
    board = runner.invoke(app, ["work", "dashboard", "--json", "--user", "ada@demo.microcareer.dev"])
    assert board.exit_code == 0, board.output
    assert json.loads(board.output)["counts"]["active_contracts"] == 1

    org_skill = runner.invoke(app, ["skills", "show", "Northwind release pipeline"])
    assert org_skill.exit_code == 0, org_skill.output
    assert "DevOps" in org_skill.output
    by_label = runner.invoke(app, ["occupations", "show", "software developer"])
    assert by_label.exit_code == 0, by_label.output
    assert "ISCO 2512" in by_label.output

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "microcareer", "serve", "--port", str(port)],
        env={**{k: v for k, v in os.environ.items() if k != "MICROCAREER_PUBLIC_URL"}, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = _get_json(f"{base}/api/v1/health")
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the server did not come up:\n{server.communicate()[0]}") from None
                time.sleep(0.2)
        assert isinstance(health, dict)
        assert health["status"] == "ok"
        found = _get_json(f"{base}/api/v1/skills?q=python&limit=3")
        assert isinstance(found, dict)
        assert found["items"][0]["skill"]["preferred_label"] == "Python (computer programming)"
        status_list = _get_json(f"{base}/status-lists/1")  # the demo credentials' revocation list, signed
        assert isinstance(status_list, dict)
        assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert status_list["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        # no MICROCAREER_PUBLIC_URL: what the server publishes is under the port it was told to use
        assert status_list["id"] == f"{base}/status-lists/1"
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert f"serving on http://127.0.0.1:{port}/" in output
    said = " ".join(output.split())  # rich wraps the lines at the terminal's width
    assert f"verify links are published under http://127.0.0.1:{port}" in said


def _demo_postings_show_rising_and_fading_skills(runner: CliRunner) -> None:
    """The demo postings ``init --demo`` loaded: demand over them, and trends finding some of the skills
    the generator makes rise rising and some it makes fade fading."""
    from microcareer.domain.market.demo_corpus import FADING, RISING

    demand = runner.invoke(app, ["market", "demand", "--json"])
    assert demand.exit_code == 0, demand.output
    assert json.loads(demand.output)["postings"] > 0
    trends = runner.invoke(app, ["market", "trends", "--limit", "200", "--json"])
    assert trends.exit_code == 0, trends.output
    found = json.loads(trends.output)["trends"]
    rising = {t["skill"] for t in found if t["direction"] == "rising"}
    fading = {t["skill"] for t in found if t["direction"] == "fading"}
    assert rising & set(RISING), rising
    assert fading & set(FADING), fading


def test_serve_refuses_a_database_that_init_has_not_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not a storage test: the guard reads the schema revision; an empty file is the fresh machine's case.
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = CliRunner().invoke(app, ["serve", "--port", str(_free_port())])
    assert result.exit_code == 1
    assert "run `microcareer init`" in result.output
    assert "Traceback" not in result.output


def test_demo_is_refused_in_production(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "production")
    monkeypatch.setenv("MICROCAREER_SECRET_KEY", "a-real-secret-key-of-enough-length-for-production-use")
    result = CliRunner().invoke(app, ["init", "--demo", "--quiet"])
    assert result.exit_code != 0
    assert "refused in production" in result.output
    assert "Traceback" not in result.output
