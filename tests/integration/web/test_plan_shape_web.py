"""The career-shape page with a saved plan's effect, and the plan page's choice of shape, on each
database: the person sees what the plan deepens and opens; someone who may read the profile but not the
plans sees the shape alone; a plan named in the address that is not theirs is not found."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.services import gap_analysis, pathways
from microcareer.services.pathways import PlanOptions
from tests.integration.store.test_credential_services import _world
from tests.integration.store.test_pathways import CATALOGUE, _import
from tests.integration.taxonomy_helpers import HASKELL, PYTHON, OrgSetup, make_organisation
from tests.integration.web.test_profiles_web import publish, sign_in, uid


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def test_the_shape_page_shows_the_plans_effect_to_its_owner_alone(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    platform = taxonomy_platform
    org: OrgSetup = make_organisation(platform)
    _import(platform, CATALOGUE)
    owner = uid(org.outsider)
    publish(platform, org.outsider)
    stored = pathways.create_plan(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=org.outsider,
        user_id=owner,
        target_kind="skills",
        target=f"{PYTHON},{HASKELL}",
        options=PlanOptions(hours_per_week=10.0),
        now=platform.clock(),
    )
    opened = [a["label"] for a in stored.plan["career_shape"]["opened"]]
    assert opened

    sign_in(client, platform, org.outsider)
    page = client.get(f"/profiles/{owner}/shape")
    assert page.status_code == 200
    assert 'id="after-plan"' in page.text
    assert f'href="/plans/{stored.id}"' in page.text
    effect = page.text.split('<table class="plan-effect">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(opens|deepens)", effect)
    assert sorted(label for label, _ in rows) == sorted(opened)
    assert {kind for _, kind in rows} == {"opens"}  # nothing on the profile yet
    assert client.get(f"/profiles/{owner}/shape?plan={stored.id}").text.count('id="after-plan"') == 1
    assert client.get(f"/profiles/{owner}/shape?plan=abc").status_code == 404
    assert client.get(f"/profiles/{owner}/shape?plan=99999").status_code == 404

    # the plan page links to it and offers the plan again with the other shape
    plan_page = client.get(f"/plans/{stored.id}").text
    assert f'href="/profiles/{owner}/shape?plan={stored.id}"' in plan_page
    assert 'id="shape-choice"' not in plan_page  # a plan to a list of skills: the web form plans occupations

    # the organisation admin may read the public profile, not the plans
    sign_in(client, platform, org.admin)
    other = client.get(f"/profiles/{owner}/shape")
    assert other.status_code == 200
    assert 'id="after-plan"' not in other.text
    assert client.get(f"/profiles/{owner}/shape?plan={stored.id}").status_code == 404


def test_a_platform_microcredential_step_says_what_was_assumed_and_its_criteria(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    platform = taxonomy_platform
    world = _world(platform)  # an approved issuer's achievement aligned to Python and Haskell
    learner = uid(world.learner)
    stored = pathways.create_plan(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=world.learner,
        user_id=learner,
        target_kind="skills",
        target=f"{PYTHON},{HASKELL}",
        options=PlanOptions(hours_per_week=10.0),
        now=platform.clock(),
    )
    assert [s["id"] for s in stored.plan["steps"]] == [f"achievement:{world.achievement_id}"]
    sign_in(client, platform, world.learner)
    page = client.get(f"/plans/{stored.id}").text
    assert (
        '<span class="muted step-assumed">hours and price not stated by the issuer: 10 hours and free' in page
    )
    assert "Criteria: Passed a proctored 3-hour practical." in page
