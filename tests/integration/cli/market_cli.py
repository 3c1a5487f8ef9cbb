"""People for the ``jobs`` and ``contracts`` CLI tests, and how the tests run the command.

Emails are lower case, as the CLI looks them up. The CLI reads today from the real clock, so dates are
placed relative to today.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from microcareer.domain.accounts import OrgRole, Role
from microcareer.domain.marketplace.records import WorkSettings

CLIENT = "clara@x.test"  # posts on the open market
PRO = "pia@x.test"  # a professional of no organisation
ADMIN = "ada@x.test"  # admin of acme
EMPLOYEE = "emil@x.test"  # member of acme
MANAGER = "max@x.test"  # member of acme, the employee's manager
STRANGER = "stan@x.test"  # member of globex, a client and professional
BRIEF = "Port a small Haskell tool to Python, with tests and a short README for the team."


def make_people(platform: Platform) -> None:
    now = platform.clock()
    with platform.uow() as uow:
        acme = uow.accounts.add_organisation(slug="acme", name="Acme", created_at=now).id
        globex = uow.accounts.add_organisation(slug="globex", name="Globex", created_at=now).id
        ids: dict[str, int] = {}
        for email, roles, orgs in (
            (CLIENT, [Role.CLIENT], {}),
            (PRO, [Role.PROFESSIONAL], {}),
            (ADMIN, [], {acme: OrgRole.ADMIN}),
            (EMPLOYEE, [Role.PROFESSIONAL], {acme: OrgRole.MEMBER}),
            (MANAGER, [], {acme: OrgRole.MEMBER}),
            (STRANGER, [Role.PROFESSIONAL, Role.CLIENT], {globex: OrgRole.MEMBER}),
        ):
            name = email.split("@")[0].title()
            user = uow.accounts.add_user(
                email=email, display_name=name, password_hash="x", roles=roles, created_at=now
            )
            ids[email] = user.id
            for org, role in orgs.items():
                uow.accounts.set_membership(org, user.id, role, created_at=now)
        uow.marketplace.save_work_settings(
            WorkSettings(user_id=ids[EMPLOYEE], manager_user_id=ids[MANAGER]), at=now
        )
        uow.commit()


def cli_runner(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("MICROCAREER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    monkeypatch.delenv("MICROCAREER_MARKETPLACE_FEE_BASIS_POINTS", raising=False)
    return CliRunner()


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    """Run the command; it exits with ``code`` and never shows a traceback."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def in_days(days: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()
