"""``microcareer users|tokens|orgs`` on each database: passwords never echoed, tokens printed once."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from microcareer.cli.main import app
from microcareer.domain.access_tokens import token_hash
from microcareer.store.unit_of_work import SqlAlchemyUnitOfWork

PASSWORD = "correct horse battery"


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("MICROCAREER_ARGON2_MEMORY_KIB", "8")
    return CliRunner()


def create(runner: CliRunner, email: str, *args: str) -> str:
    result = runner.invoke(
        app, ["users", "create", email, "--name", "Ada", "--password-stdin", *args], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_users_create_reads_the_password_from_stdin_and_never_prints_it(runner: CliRunner) -> None:
    output = create(runner, "Ada@Example.org", "--role", "client", "--role", "issuer")
    assert "ada@example.org" in output
    assert "client, issuer" in output
    assert PASSWORD not in output
    listed = runner.invoke(app, ["users", "list", "--json"])
    assert listed.exit_code == 0
    assert '"email": "ada@example.org"' in listed.output
    assert "hash" not in listed.output


def test_users_create_prompts_twice_without_echo(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["users", "create", "bob@example.org", "--name", "Bob"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output


def test_bad_input_is_one_line_and_exit_1(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["users", "create", "not-an-email", "--name", "X", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 1
    assert "is not an email address" in result.output
    assert "Traceback" not in result.output
    short = runner.invoke(
        app, ["users", "create", "x@example.org", "--name", "X", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1
    assert "at least 10 characters" in short.output
    listed = runner.invoke(app, ["users", "list", "--json"])
    assert '"total": 0' in listed.output
    create(runner, "ada@example.org")
    again = runner.invoke(
        app, ["users", "create", "ada@example.org", "--name", "X", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert again.exit_code == 1
    assert "exists already" in again.output


def test_tokens_create_prints_the_token_once_and_revoke_stops_it(
    runner: CliRunner, database_url: str
) -> None:
    create(runner, "ada@example.org")
    made = runner.invoke(
        app, ["tokens", "create", "--user", "ada@example.org", "--name", "ci", "--expires-days", "7"]
    )
    assert made.exit_code == 0, made.output
    token = next(line for line in made.output.splitlines() if line.startswith("mcp_"))
    listed = runner.invoke(app, ["tokens", "list", "--user", "ada@example.org", "--json"])
    assert f'"prefix": "{token[:12]}"' in listed.output
    assert token not in listed.output

    from microcareer.bootstrap import bootstrap
    from microcareer.config import Settings

    platform = bootstrap(Settings(database_url=database_url))
    try:
        with platform.uow() as uow:
            assert isinstance(uow, SqlAlchemyUnitOfWork)
            stored = uow.accounts.token_by_hash(token_hash(token))
            assert stored is not None
    finally:
        platform.dispose()
    revoked = runner.invoke(app, ["tokens", "revoke", str(stored.id)])
    assert revoked.exit_code == 0
    assert "revoked" in revoked.output
    missing = runner.invoke(app, ["tokens", "revoke", "9999"])
    assert missing.exit_code == 1
    assert "no token with id 9999" in missing.output


def test_orgs_create_and_members(runner: CliRunner) -> None:
    create(runner, "ada@example.org")
    create(runner, "bob@example.org")
    made = runner.invoke(app, ["orgs", "create", "acme", "--name", "Acme", "--admin", "ada@example.org"])
    assert made.exit_code == 0, made.output
    added = runner.invoke(app, ["orgs", "add-member", "acme", "bob@example.org", "--role", "member"])
    assert added.exit_code == 0, added.output
    members = runner.invoke(app, ["orgs", "members", "acme"])
    assert "ada@example.org" in members.output
    assert "bob@example.org" in members.output
    named = runner.invoke(
        app, ["work", "settings", "--user", "bob@example.org", "--manager", "ada@example.org"]
    )
    assert named.exit_code == 0, named.output
    bob = next(
        line for line in runner.invoke(app, ["orgs", "members", "acme"]).output.splitlines() if "bob@" in line
    )
    assert "ada@example.org" in bob  # his manager
    last = runner.invoke(app, ["orgs", "remove-member", "acme", "ada@example.org"])
    assert last.exit_code == 1
    assert "last admin" in last.output
    nobody = runner.invoke(app, ["orgs", "add-member", "acme", "who@example.org"])
    assert nobody.exit_code == 1
    assert "no user with email who@example.org" in nobody.output
    bad = runner.invoke(app, ["orgs", "create", "A!", "--name", "X", "--admin", "ada@example.org"])
    assert bad.exit_code == 1
    assert "slug" in bad.output


def test_token_id_out_of_range_is_refused_cleanly(runner: CliRunner) -> None:
    result = runner.invoke(app, ["tokens", "revoke", "99999999999"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
