"""``microcareer orgs skills`` and ``orgs gap`` on the mini ESCO: the inventory, who could grow into what."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from microcareer.domain.accounts import Actor, OrgRole
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.services import profiles
from tests.integration.taxonomy_helpers import DEVELOPER_KEY, PYTHON, make_organisation


@pytest.fixture
def runner(taxonomy_platform: Platform, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "200")
    org = make_organisation(taxonomy_platform, "acme")
    make_organisation(taxonomy_platform, "globex")
    now = taxonomy_platform.clock()
    otto = org.outsider.user_id  # a professional of no organisation yet; made a member of acme here
    assert otto is not None
    with taxonomy_platform.uow() as uow:
        uow.accounts.set_membership(org.organisation_id, otto, OrgRole.MEMBER, created_at=now)
        uow.commit()
    profiles.save_profile(
        taxonomy_platform.uow(),
        actor=Actor.system(),
        user_id=otto,
        profile=Profile(visibility=Visibility.ORGANISATION),
        now=now,
    )
    profiles.set_skill(
        taxonomy_platform.uow(),
        actor=Actor.system(),
        user_id=otto,
        uri=PYTHON,
        proficiency=4,
        evidence=[Evidence(EvidenceKind.MICRO_JOB, date(2026, 6, 1), "contract", rating=5)],
        now=now,
    )
    return CliRunner()


def test_orgs_skills_lists_the_members_skills(runner: CliRunner) -> None:
    result = runner.invoke(app, ["orgs", "skills", "acme"])
    assert result.exit_code == 0, result.output
    assert "Python (computer programming)" in result.output
    assert "Otto (4)" in result.output
    empty = runner.invoke(app, ["orgs", "skills", "globex"])  # Otto is not a member there
    assert empty.exit_code == 0, empty.output
    assert "Otto" not in empty.output
    assert "0 skills held" in empty.output


def test_orgs_gap_ranks_members_for_each_role(runner: CliRunner) -> None:
    result = runner.invoke(app, ["orgs", "gap", "acme", "--role", DEVELOPER_KEY])
    assert result.exit_code == 0, result.output
    assert "software developer" in result.output
    assert "Otto" in result.output
    missing = runner.invoke(app, ["orgs", "gap", "acme", "--role", "astronaut"])
    assert missing.exit_code == 1
    assert "astronaut" in missing.output
    assert "Traceback" not in missing.output
    unknown = runner.invoke(app, ["orgs", "skills", "no-such-org"])
    assert unknown.exit_code == 1
    assert "no organisation 'no-such-org'" in unknown.output
