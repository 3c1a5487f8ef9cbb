"""The profile, gap, closest-occupations and career-shape pages on the mini ESCO, on each database."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.services import profiles
from microcareer.store.tables.taxonomy import OccupationRow, OccupationSkillRow
from tests.integration.taxonomy_helpers import (
    DEBUGGING_TOOLS,
    DEVELOPER,
    DEVELOPER_KEY,
    PYTHON,
    PYTHON_KEY,
    OrgSetup,
    make_organisation,
    use_tool_names,
)
from tests.integration.web.sessions import sign_in_on


@pytest.fixture
def org(taxonomy_platform: Platform) -> OrgSetup:
    return make_organisation(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def uid(actor: Actor) -> int:
    assert actor.user_id is not None
    return actor.user_id


def sign_in(client: TestClient, platform: Platform, actor: Actor) -> str:
    return sign_in_on(client, platform, actor, f"/profiles/{uid(actor)}")


def today(platform: Platform) -> date:
    return platform.clock().date()


def hold(platform: Platform, actor: Actor, uri: str, evidence: Evidence, level: int = 4) -> None:
    """Puts a skill on the profile as the platform would record verified evidence."""
    profiles.set_skill(
        platform.uow(),
        actor=Actor.system(),
        user_id=uid(actor),
        uri=uri,
        proficiency=level,
        evidence=[evidence],
        now=platform.clock(),
    )


def publish(platform: Platform, actor: Actor, **fields: Any) -> None:
    profile = Profile(visibility=Visibility.PUBLIC, **fields)
    profiles.save_profile(
        platform.uow(), actor=actor, user_id=uid(actor), profile=profile, now=platform.clock()
    )


def stored(platform: Platform, actor: Actor) -> Profile:
    view = profiles.get_profile(platform.uow(), actor=actor, user_id=uid(actor), today=today(platform))
    return view.profile


EDIT = {
    "headline": "Backend developer",
    "summary": "Ten years of Python.",
    "city": "Utrecht",
    "country_code": "NL",
    "languages": "Dutch: native\r\nEnglish: fluent",
    "hourly_rate": "85",
    "currency": "EUR",
    "hours_per_week": "20",
    "visibility": "public",
}


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient, org: OrgSetup) -> None:
    user = uid(org.outsider)
    for path in ("/profiles/me", f"/profiles/{user}", f"/profiles/{user}/gap", f"/profiles/{user}/closest"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"
    response = client.post(f"/profiles/{user}/edit", data=EDIT)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert 'href="/profiles/me"' not in client.get("/").text


def test_the_owner_edits_the_profile_with_the_form(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    me = client.get("/profiles/me")
    assert me.status_code == 303
    assert me.headers["location"] == f"/profiles/{uid(org.outsider)}"
    assert 'href="/profiles/me"' in client.get("/").text
    response = client.post(f"/profiles/{uid(org.outsider)}/edit", data={**EDIT, "csrf_token": csrf})
    assert response.status_code == 303, response.text
    saved = stored(taxonomy_platform, org.outsider)
    assert (saved.headline, saved.location.city, saved.hourly_rate, saved.hours_per_week) == (
        "Backend developer",
        "Utrecht",
        85.0,
        20,
    )
    assert [(lang.language, lang.fluency) for lang in saved.languages] == [
        ("Dutch", "native"),
        ("English", "fluent"),
    ]
    assert saved.visibility is Visibility.PUBLIC
    assert not saved.available  # the "show me in searches" box was not ticked
    page = client.get(f"/profiles/{uid(org.outsider)}").text
    assert "Backend developer" in page
    assert "hidden from searches" in page
    assert 'class="tag visibility public"' in page
    again = client.post(
        f"/profiles/{uid(org.outsider)}/edit", data={**EDIT, "available": "on", "csrf_token": csrf}
    )
    assert again.status_code == 303
    assert stored(taxonomy_platform, org.outsider).available
    assert "20 hours a week" in client.get(f"/profiles/{uid(org.outsider)}").text


def test_a_form_without_its_csrf_token_changes_nothing(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    sign_in(client, taxonomy_platform, org.outsider)
    response = client.post(f"/profiles/{uid(org.outsider)}/edit", data={**EDIT, "csrf_token": "forged"})
    assert response.status_code == 403
    assert "This form expired" in response.text
    assert html.escape("Backend developer") in response.text  # the input is kept to send again
    assert stored(taxonomy_platform, org.outsider).headline == ""


def test_a_nul_byte_in_a_form_field_is_a_page_naming_the_field_and_changes_nothing(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    data = {**EDIT, "headline": "Back\x00end", "csrf_token": csrf}
    response = client.post(f"/profiles/{uid(org.outsider)}/edit", data=data, headers={"accept": "text/html"})
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert "body.headline" in response.text
    assert stored(taxonomy_platform, org.outsider).headline == ""


@pytest.mark.parametrize(
    ("section", "fields", "message", "kept"),
    [
        ("edit", {**EDIT, "hourly_rate": "lots"}, "hourly_rate: &#39;lots&#39; is not a number", "Utrecht"),
        (
            "edit",
            {**EDIT, "visibility": "everyone"},
            "visibility: &#39;everyone&#39; is not one of",
            "Utrecht",
        ),
        ("edit", {**EDIT, "hours_per_week": "200"}, "hours_per_week: must be between 0 and 168", "Utrecht"),
        (
            "experiences",
            {"kind": "job", "title": "Data engineer", "start": "2024-05", "end": "2023"},
            "ends (2023) before it starts (2024-05)",
            "Data engineer",
        ),
        (
            "experiences",
            {"kind": "gig", "title": "Dashboard", "start": "2024-13"},
            "start: &#39;2024-13&#39; is not a real date",
            "Dashboard",
        ),
        ("skills", {"skill": "SQL", "level": "9"}, "level: &#39;9&#39; is not a level from 1 to 5", "SQL"),
    ],
)
def test_a_bad_field_shows_the_form_again_as_filled_with_what_was_wrong(
    client: TestClient,
    taxonomy_platform: Platform,
    org: OrgSetup,
    section: str,
    fields: dict[str, str],
    message: str,
    kept: str,
) -> None:
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    response = client.post(f"/profiles/{uid(org.outsider)}/{section}", data={**fields, "csrf_token": csrf})
    assert response.status_code == 422
    assert message in response.text
    assert f'value="{kept}"' in response.text
    assert stored(taxonomy_platform, org.outsider) == Profile(visibility=Visibility.PRIVATE)


@pytest.mark.parametrize(
    ("section", "fields", "form_id", "error_id", "field"),
    [
        ("edit", {**EDIT, "hourly_rate": "lots"}, "profile", "profile-error", "hourly_rate"),
        (
            "experiences",
            {"kind": "gig", "title": "D", "start": "2024-13"},
            "experience-form",
            "experience-error",
            "start",
        ),
        ("skills", {"skill": "SQL", "level": "9"}, "skill-form", "skill-error", "level"),
        ("skills", {"skill": "pythn", "level": "3"}, "skill-form", "skill-error", "skill"),
    ],
)
def test_an_error_is_shown_in_its_form_next_to_its_field_and_takes_the_focus(
    client: TestClient,
    taxonomy_platform: Platform,
    org: OrgSetup,
    section: str,
    fields: dict[str, str],
    form_id: str,
    error_id: str,
    field: str,
) -> None:
    """After the reload the browser scrolls to the focused message (autofocus), not to the page's top."""
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    page = client.post(f"/profiles/{uid(org.outsider)}/{section}", data={**fields, "csrf_token": csrf}).text
    note = f'<p class="error" role="alert" id="{error_id}" tabindex="-1" autofocus>'
    assert page.count("autofocus") == 1
    form = page.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]
    assert note in form
    assert re.search(rf'name="{field}" aria-invalid="true" aria-describedby="{error_id}"', form)
    assert form.count("aria-invalid") == 1


def test_skills_are_added_with_a_self_claim_and_removed(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    base = f"/profiles/{uid(org.outsider)}"
    typo = client.post(
        f"{base}/skills", data={"skill": "pythn", "level": "4", "claim": "on", "csrf_token": csrf}
    )
    assert typo.status_code == 404
    assert "no skill named &#39;pythn&#39;; did you mean" in typo.text
    assert f'name="skill" value="{PYTHON}"' in typo.text  # a suggestion to pick
    assert "near spelling of: Python" in typo.text  # and why
    added = client.post(
        f"{base}/skills", data={"skill": PYTHON, "level": "4", "claim": "on", "csrf_token": csrf}
    )
    assert added.status_code == 303, added.text
    page = client.get(base).text
    assert f'href="/skills/{PYTHON_KEY}">Python (computer programming)</a>' in page
    assert f"self-claimed {today(taxonomy_platform):%Y-%m}, last used this month" in page
    assert '<svg class="bar' in page
    [held] = profiles.get_profile(
        taxonomy_platform.uow(), actor=org.outsider, user_id=uid(org.outsider), today=today(taxonomy_platform)
    ).skills
    assert (held.proficiency, [e.kind for e in held.evidence]) == (4, [EvidenceKind.SELF_CLAIM])
    assert 'class="link button-danger" aria-label="Remove Python (computer programming)"' in page
    asked = client.post(f"{base}/skills-remove", data={"uri": PYTHON, "csrf_token": csrf})
    assert asked.status_code == 200  # a page says what removing does; nothing removed yet
    assert "<h1>Remove Python (computer programming)?</h1>" in asked.text
    assert f'<input type="hidden" name="uri" value="{PYTHON}">' in asked.text
    assert '<button type="submit" name="confirm" value="yes" class="button-danger">' in asked.text
    assert "No skills yet." not in client.get(base).text
    removed = client.post(f"{base}/skills-remove", data={"uri": PYTHON, "csrf_token": csrf, "confirm": "yes"})
    assert removed.status_code == 303
    assert "No skills yet." in client.get(base).text


def test_a_skill_is_added_by_a_tool_name_as_extraction_reads_it(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    use_tool_names(taxonomy_platform, {"Docker": DEBUGGING_TOOLS})
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    base = f"/profiles/{uid(org.outsider)}"
    added = client.post(f"{base}/skills", data={"skill": "Docker", "level": "3", "csrf_token": csrf})
    assert added.status_code == 303, added.text
    [held] = profiles.get_profile(
        taxonomy_platform.uow(), actor=org.outsider, user_id=uid(org.outsider), today=today(taxonomy_platform)
    ).skills
    assert held.uri == DEBUGGING_TOOLS


def test_experiences_are_added_with_their_skills_and_removed(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    hold(taxonomy_platform, org.outsider, PYTHON, Evidence(EvidenceKind.SELF_CLAIM, today(taxonomy_platform)))
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    base = f"/profiles/{uid(org.outsider)}"
    fields = {"kind": "project", "title": "Price scraper", "organisation": "Acme", "start": "2023-02"}
    response = client.post(f"{base}/experiences", data={**fields, "skills": [PYTHON], "csrf_token": csrf})
    assert response.status_code == 303, response.text
    [experience] = stored(taxonomy_platform, org.outsider).experiences
    assert (experience.title, experience.skills, experience.end) == ("Price scraper", (PYTHON,), None)
    page = client.get(base).text
    assert '<a class="chip" href="/skills/' + PYTHON_KEY + '">Python (computer programming)</a>' in page
    assert "2023-02 – now" in page
    remove = {"index": "0", "csrf_token": csrf, "confirm": "yes"}
    stale = client.post(f"{base}/experiences-remove", data={**remove, "title": "Other"})
    assert stale.status_code == 422
    asked = client.post(
        f"{base}/experiences-remove", data={**remove, "confirm": "", "title": "Price scraper"}
    )
    assert "<h1>Remove Price scraper?</h1>" in asked.text
    removed = client.post(f"{base}/experiences-remove", data={**remove, "title": fields["title"]})
    assert removed.status_code == 303
    assert stored(taxonomy_platform, org.outsider).experiences == ()


def test_outsiders_get_not_found_for_a_hidden_profile_and_no_forms_on_a_public_one(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    owner = uid(org.outsider)
    profiles.save_profile(
        taxonomy_platform.uow(),
        actor=org.outsider,
        user_id=owner,
        profile=Profile(headline="Secret", visibility=Visibility.PRIVATE),
        now=taxonomy_platform.clock(),
    )
    csrf = sign_in(client, taxonomy_platform, org.admin)  # an organisation admin, not the owner's
    for path in ("", "/gap?occupation=software+developer", "/closest", "/shape"):
        response = client.get(f"/profiles/{owner}{path}")
        assert response.status_code == 404, path
        assert "Secret" not in response.text
    assert client.get("/profiles/999999").status_code == 404
    assert client.get("/profiles/not-a-number").status_code == 404
    edit = client.post(f"/profiles/{owner}/edit", data={**EDIT, "csrf_token": csrf})
    assert edit.status_code == 404
    assert stored(taxonomy_platform, org.outsider).headline == "Secret"
    publish(taxonomy_platform, org.outsider, headline="Open to work")
    page = client.get(f"/profiles/{owner}")
    assert page.status_code == 200
    assert "Open to work" in page.text
    assert f'action="/profiles/{owner}/edit"' not in page.text
    refused = client.post(f"/profiles/{owner}/edit", data={**EDIT, "csrf_token": csrf})
    assert refused.status_code == 403
    assert stored(taxonomy_platform, org.outsider).headline == "Open to work"


def test_user_written_fields_are_escaped(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    attack = '<script>alert("x")</script>'
    csrf = sign_in(client, taxonomy_platform, org.outsider)
    base = f"/profiles/{uid(org.outsider)}"
    fields = {**EDIT, "headline": attack, "summary": attack, "city": attack}
    assert client.post(f"{base}/edit", data={**fields, "csrf_token": csrf}).status_code == 303
    experience = {"kind": "job", "title": attack, "organisation": attack, "description": attack}
    assert client.post(f"{base}/experiences", data={**experience, "csrf_token": csrf}).status_code == 303
    for path in ("", "/gap", "/closest", "/shape"):
        page = client.get(base + path).text
        assert "<script>" not in page, path
    page = client.get(base).text
    assert page.count("&lt;script&gt;alert(") >= 5  # headline, summary, city, title, organisation, ...


def test_the_gap_page_shows_the_fit_chart_and_explains_partial_credit(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    job = Evidence(EvidenceKind.MICRO_JOB, today(taxonomy_platform), "contract 7", rating=5)
    hold(taxonomy_platform, org.outsider, PYTHON, job)
    sign_in(client, taxonomy_platform, org.outsider)
    base = f"/profiles/{uid(org.outsider)}/gap"
    assert 'name="occupation"' in client.get(base).text
    response = client.get(base, params={"occupation": "software developer"})
    assert response.status_code == 200, response.text
    page = response.text
    assert f'href="/occupations/{DEVELOPER_KEY}">software developer</a>' in page
    assert '<svg class="fit-chart"' in page
    assert re.search(r'<rect class="covered" x="0.0" y="0" width="[1-9]', page)
    assert re.search(r'<rect class="partial" x="[0-9.]+" y="0" width="[1-9]', page)
    rows = re.findall(r'<tr class="(covered|partial|missing)">(.*?)</tr>', page, re.S)
    statuses = [status for status, _ in rows]
    assert statuses.index("covered") > statuses.index("partial")  # the gap first, what is covered last
    partial = [html.unescape(row) for status, row in rows if status == "partial"]
    assert any("partly, through Python (computer programming): narrower skill" in row for row in partial)
    assert any("essential" in row for row in partial)
    by_key = client.get(base, params={"occupation": DEVELOPER_KEY}).text
    assert '<svg class="fit-chart"' in by_key


def test_an_occupation_named_by_another_label_says_what_was_matched_and_offers_the_others(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    sign_in(client, taxonomy_platform, org.outsider)
    base = f"/profiles/{uid(org.outsider)}/gap"
    page = client.get(base, params={"occupation": "network security administrator"}).text
    notice = html.unescape(page.split('id="gap-matched"', 1)[1].split("</div>", 1)[0])
    assert (
        "No occupation is called 'network security administrator': showing 'ICT security administrator', "
        "which the taxonomy also calls 'network security administrator'." in notice
    )
    assert "ICT security administrator</a>: fit" in page
    by_name = client.get(base, params={"occupation": "software developer"}).text
    assert 'id="gap-matched"' not in by_name  # its own name: nothing to say


def test_an_unknown_occupation_offers_close_labels_and_a_bare_one_says_it_has_no_skills(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    sign_in(client, taxonomy_platform, org.outsider)
    base = f"/profiles/{uid(org.outsider)}/gap"
    unknown = client.get(base, params={"occupation": "software develper"})
    assert unknown.status_code == 404
    assert "no occupation has the URI, key or label" in unknown.text
    assert f'href="{base}?occupation={DEVELOPER_KEY}">software developer</a>' in unknown.text
    assert 'value="software develper"' in unknown.text
    assert taxonomy_platform.engine is not None
    with taxonomy_platform.engine.begin() as connection:  # as in a taxonomy that lacks this relation file
        developer = select(OccupationRow.id).where(OccupationRow.uri == DEVELOPER).scalar_subquery()
        connection.execute(delete(OccupationSkillRow).where(OccupationSkillRow.occupation_id == developer))
    bare = client.get(base, params={"occupation": DEVELOPER_KEY})
    assert bare.status_code == 200
    assert "The taxonomy lists no skills for software developer" in bare.text
    assert "fit-chart" not in bare.text


def test_closest_occupations_link_to_their_gap(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    sign_in(client, taxonomy_platform, org.outsider)
    base = f"/profiles/{uid(org.outsider)}"
    assert "No occupation shares a skill" in client.get(f"{base}/closest").text
    hold(taxonomy_platform, org.outsider, PYTHON, Evidence(EvidenceKind.MICRO_JOB, today(taxonomy_platform)))
    page = client.get(f"{base}/closest").text
    links = re.findall(r'<a href="/profiles/\d+/gap\?occupation=([^"]+)">([^<]+)</a>', page)
    assert (DEVELOPER_KEY, "software developer") in links
    assert "Python (computer programming)" in page
    assert re.search(r"<td class=\"number\">\d+/\d+</td>", page)


def test_the_shape_page_charts_depth_with_its_thresholds_and_lists_stale_skills(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    old = today(taxonomy_platform) - timedelta(days=5 * 365)
    hold(taxonomy_platform, org.outsider, PYTHON, Evidence(EvidenceKind.CREDENTIAL, old))
    sign_in(client, taxonomy_platform, org.outsider)
    page = client.get(f"/profiles/{uid(org.outsider)}/shape").text
    assert '<svg class="depth-chart"' in page
    assert '<line class="threshold deep"' in page
    assert '<line class="threshold broad"' in page
    assert re.search(r'<g class="area (deep|broad|thin)">', page)
    assert "Going stale (1)" in page
    assert f'href="/skills/{PYTHON_KEY}">Python (computer programming)</a>' in page


def test_the_pages_fade_evidence_with_the_platforms_half_life(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    old = today(taxonomy_platform) - timedelta(days=5 * 365)
    hold(taxonomy_platform, org.outsider, PYTHON, Evidence(EvidenceKind.CREDENTIAL, old))
    sign_in(client, taxonomy_platform, org.outsider)
    stale = {}
    for days in (365.0, 36_500.0):
        taxonomy_platform.settings.evidence_half_life_days = days
        page = client.get(f"/profiles/{uid(org.outsider)}/shape").text
        stale[days] = "Going stale (1)" in page
    assert stale == {365.0: True, 36_500.0: False}


def test_the_profile_downloads_as_json_resume_for_those_who_may_read_it(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    owner = uid(org.outsider)
    publish(taxonomy_platform, org.outsider, headline="Backend developer")
    path = f"/profiles/{owner}/json-resume"
    assert client.get(path).headers["location"] == f"/login?next={path}"
    sign_in(client, taxonomy_platform, org.outsider)
    assert f'href="{path}"' in client.get(f"/profiles/{owner}").text
    download = client.get(path)
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.json()["basics"]["label"] == "Backend developer"
    profiles.save_profile(
        taxonomy_platform.uow(),
        actor=org.outsider,
        user_id=owner,
        profile=Profile(headline="Secret", visibility=Visibility.PRIVATE),
        now=taxonomy_platform.clock(),
    )
    sign_in(client, taxonomy_platform, org.admin)
    hidden = client.get(path)
    assert hidden.status_code == 404
    assert "Secret" not in hidden.text
