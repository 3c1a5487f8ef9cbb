"""The skill-name resolver through the service: tool names, errors with suggestions, who sees what."""

from __future__ import annotations

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import NotFound
from microcareer.services import skill_names, taxonomy
from microcareer.services.skill_names import UnknownSkillName
from tests.integration.taxonomy_helpers import DEBUGGING_TOOLS, PYTHON, make_organisation, use_tool_names

pytestmark = pytest.mark.storage


def resolve(platform: Platform, text: str, actor: Actor | None = None) -> str:
    return skill_names.resolve_skill(
        platform.uow(), platform.caches, platform.lexicons, actor=actor or Actor.system(), text=text
    ).skill.uri


def test_a_tool_name_resolves_to_its_skill_as_extraction_reads_it(taxonomy_platform: Platform) -> None:
    use_tool_names(taxonomy_platform, {"Docker": DEBUGGING_TOOLS})
    assert resolve(taxonomy_platform, "Docker") == DEBUGGING_TOOLS
    assert resolve(taxonomy_platform, "docker") == DEBUGGING_TOOLS
    found = skill_names.suggest_skills(
        taxonomy_platform.uow(), taxonomy_platform.caches, None, actor=Actor.system(), name="Docker"
    )
    assert found.chosen is not None
    assert (found.chosen.skill.preferred_label, found.chosen.why) == (
        "ICT debugging tools",
        "tool name: Docker",
    )


def test_labels_keys_and_uris_still_resolve(taxonomy_platform: Platform) -> None:
    assert resolve(taxonomy_platform, "python") == PYTHON
    assert resolve(taxonomy_platform, "  Python   ") == PYTHON
    assert resolve(taxonomy_platform, PYTHON) == PYTHON
    assert resolve(taxonomy_platform, PYTHON.rsplit("/", 1)[-1]) == PYTHON


def test_an_unknown_name_says_no_skill_is_named_so_and_suggests(taxonomy_platform: Platform) -> None:
    with pytest.raises(UnknownSkillName) as raised:
        resolve(taxonomy_platform, "pythn")
    assert str(raised.value).startswith(
        "no skill named 'pythn'; did you mean 'Python (computer programming)'"
    )
    assert raised.value.candidates[0].skill.uri == PYTHON
    assert raised.value.extra["candidates"][0]["why"] == "near spelling of: Python"
    with pytest.raises(UnknownSkillName, match=r"^no skill named 'zzqx'$"):
        resolve(taxonomy_platform, "zzqx")


def test_a_uri_that_is_no_skill_is_not_read_as_a_name(taxonomy_platform: Platform) -> None:
    with pytest.raises(NotFound, match="no skill has the URI or key"):
        resolve(taxonomy_platform, "http://example.org/skill/python")


def test_an_organisations_skill_is_named_only_for_its_members(taxonomy_platform: Platform) -> None:
    org = make_organisation(taxonomy_platform)
    skill = taxonomy.add_org_skill(
        taxonomy_platform.uow(),
        actor=org.admin,
        clock=taxonomy_platform.clock,
        organisation_id=org.organisation_id,
        label="Ledger closing",
    )
    assert resolve(taxonomy_platform, "ledger closing", org.admin) == skill.uri
    with pytest.raises(UnknownSkillName):
        resolve(taxonomy_platform, "ledger closing", org.outsider)
