"""The CV import page on the mini ESCO, on each database: upload, proposal, confirm, walls, escaping."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.services import profiles
from tests.integration.taxonomy_helpers import HASKELL, PYTHON, OrgSetup, make_organisation
from tests.integration.web.test_profiles_web import publish, sign_in, stored, today, uid

CVS = Path(__file__).resolve().parents[2] / "data" / "cvs"
CV = (CVS / "backend-developer.md").read_bytes()


@pytest.fixture
def org(taxonomy_platform: Platform) -> OrgSetup:
    return make_organisation(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def upload(client: TestClient, user_id: int, csrf: str, content: bytes, name: str = "cv.md") -> str:
    response = client.post(
        f"/profiles/{user_id}/import-cv", data={"csrf_token": csrf}, files={"file": (name, content)}
    )
    assert response.status_code == 200, response.text
    return response.text


def proposal_of(page: str) -> str:
    found = re.search(r'name="proposal" value="([^"]*)"', page)
    assert found is not None
    return html.unescape(found.group(1))


def skill_uris(platform: Platform, user_id: int) -> dict[str, int]:
    with platform.uow() as uow:
        return {s.uri: s.proficiency for s in uow.profiles.skills(user_id)}


def test_an_upload_shows_the_proposal_and_saves_nothing(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    me = uid(org.outsider)
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    assert f'href="/profiles/{me}/import-cv"' in client.get(f"/profiles/{me}").text
    assert 'type="file"' in client.get(f"/profiles/{me}/import-cv").text
    page = upload(client, me, csrf, CV)
    assert "Senior Backend Developer" in page
    assert "Typed Haskell parser for tariff files" in page
    assert f'name="skill" value="{PYTHON}"' in page
    assert 'name="experience" value="e1"' in page
    proposal = json.loads(proposal_of(page))
    assert [e["ref"] for e in proposal["experiences"]] == ["e1", "e2", "e3"]
    assert stored(taxonomy_platform, org.outsider).experiences == ()
    assert skill_uris(taxonomy_platform, me) == {}


def test_confirm_saves_only_what_was_ticked(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    me = uid(org.outsider)
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    proposal = proposal_of(upload(client, me, csrf, CV))
    form = {
        "csrf_token": csrf,
        "proposal": proposal,
        "experience": ["e1", "e3"],
        "skill": [PYTHON, HASKELL],
        f"level:{PYTHON}": "5",
    }
    response = client.post(f"/profiles/{me}/import-cv/confirm", data=form)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/profiles/{me}#experiences"
    titles = [e.title for e in stored(taxonomy_platform, org.outsider).experiences]
    assert titles == ["Senior Backend Developer", "Typed Haskell parser for tariff files"]
    held = skill_uris(taxonomy_platform, me)
    assert held == {PYTHON: 5, HASKELL: 3}
    view = profiles.get_profile(
        taxonomy_platform.uow(), actor=org.outsider, user_id=me, today=today(taxonomy_platform)
    )
    python = next(s for s in view.skills if s.uri == PYTHON)
    assert {e.kind for e in python.evidence} == {EvidenceKind.CV_EXTRACTION}


def test_an_empty_selection_or_a_bad_proposal_is_refused_with_a_message(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    me = uid(org.outsider)
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    proposal = proposal_of(upload(client, me, csrf, CV))
    empty = client.post(f"/profiles/{me}/import-cv/confirm", data={"csrf_token": csrf, "proposal": proposal})
    assert empty.status_code == 422
    assert "tick at least one experience or skill" in empty.text
    assert 'name="proposal"' in empty.text  # the proposal is shown again to tick
    forged = json.loads(proposal)
    forged["skills"][0]["uri"] = "http://example.org/not-a-skill"
    bad_uri = client.post(
        f"/profiles/{me}/import-cv/confirm",
        data={"csrf_token": csrf, "proposal": json.dumps(forged), "skill": "http://example.org/not-a-skill"},
    )
    assert bad_uri.status_code == 422
    assert "is not a skill of the taxonomy" in bad_uri.text
    garbled = client.post(
        f"/profiles/{me}/import-cv/confirm",
        data={"csrf_token": csrf, "proposal": "{not json", "skill": PYTHON},
    )
    assert garbled.status_code == 400
    assert "could not be read" in garbled.text
    no_csrf = client.post(f"/profiles/{me}/import-cv/confirm", data={"proposal": proposal, "skill": PYTHON})
    assert no_csrf.status_code == 403
    assert skill_uris(taxonomy_platform, me) == {}
    assert stored(taxonomy_platform, org.outsider).experiences == ()


def test_an_unreadable_file_is_refused_with_a_message(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    me = uid(org.outsider)
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    response = client.post(
        f"/profiles/{me}/import-cv",
        data={"csrf_token": csrf},
        files={"file": ("cv.pdf", b"not a pdf at all")},
    )
    assert 400 <= response.status_code < 500
    assert "cv.pdf" in response.text
    missing = client.post(f"/profiles/{me}/import-cv", data={"csrf_token": csrf})
    assert missing.status_code == 422
    assert "choose a CV" in missing.text


def test_no_one_imports_into_someone_elses_profile(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    owner = uid(org.admin)
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    hidden = client.post(
        f"/profiles/{owner}/import-cv", data={"csrf_token": csrf}, files={"file": ("cv.md", CV)}
    )
    assert hidden.status_code == 404  # the admin's profile is private: not even its existence shows
    publish(taxonomy_platform, org.admin, headline="Public now")
    assert client.get(f"/profiles/{owner}/import-cv").status_code == 403
    refused = client.post(
        f"/profiles/{owner}/import-cv", data={"csrf_token": csrf}, files={"file": ("cv.md", CV)}
    )
    assert refused.status_code == 403
    proposal = json.dumps({"source": "x", "experiences": [], "skills": [{"uri": PYTHON}]})
    confirm = client.post(
        f"/profiles/{owner}/import-cv/confirm",
        data={"csrf_token": csrf, "proposal": proposal, "skill": PYTHON},
    )
    assert confirm.status_code == 403
    assert skill_uris(taxonomy_platform, owner) == {}
    assert f'href="/profiles/{owner}/import-cv"' not in client.get(f"/profiles/{owner}").text


def test_cv_text_is_escaped_on_the_page(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    me = uid(org.outsider)
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    cv = CV.replace(b"Senior Backend Developer", b"<script>alert(1)</script> Developer")
    page = upload(client, me, csrf, cv)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" in proposal_of(page)  # kept as text in the hidden field
