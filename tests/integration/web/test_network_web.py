"""The network's pages on each database: how you know each person, the portfolio page a stranger reads
(its JSON-LD escaped, no e-mail), and refusals as pages with their status."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.profile import Profile, Visibility
from tests.integration.store.marketplace_helpers import NOW, Market, make_market
from tests.integration.web.sessions import sign_in_on


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    taxonomy_platform.clock = lambda: NOW
    return make_market(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, platform: Platform, actor: Actor) -> str:
    return sign_in_on(client, platform, actor, "/network")


def test_connect_from_a_proposal_and_see_how(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    csrf = sign_in(client, taxonomy_platform, market.professional)
    page = BeautifulSoup(client.get("/network").text, "html.parser")
    proposal = page.select_one(f"#proposal-{market.client.user_id}")
    assert proposal is not None
    assert "worked together on the contract" in proposal.text
    sent = client.post("/network/connect", data={"csrf_token": csrf, "user_id": str(market.client.user_id)})
    assert sent.status_code == 303
    forged = client.post(
        "/network/connect", data={"csrf_token": "x", "user_id": str(market.stranger.user_id)}
    )
    assert forged.status_code == 403
    clara_csrf = sign_in(client, taxonomy_platform, market.client)
    page = BeautifulSoup(client.get("/network").text, "html.parser")
    form = page.select_one(f"#incoming-{market.professional.user_id} form")
    assert form is not None
    accepted = client.post(str(form["action"]), data={"csrf_token": clara_csrf})
    assert accepted.status_code == 303
    page = BeautifulSoup(client.get("/network").text, "html.parser")
    shown = page.select_one(f"#connection-{market.professional.user_id}")
    assert shown is not None
    assert "worked together on the contract" in shown.text
    nobody = client.post("/network/connect", data={"csrf_token": clara_csrf, "user_id": "999999"})
    assert nobody.status_code == 404
    assert "no user 999999" in nobody.text


def test_a_signed_out_stranger_reads_the_portfolio(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    assert market.professional.user_id is not None
    with taxonomy_platform.uow() as uow:
        uow.profiles.save(
            market.professional.user_id, Profile(visibility=Visibility.PUBLIC), resume_extras={}, at=NOW
        )
        uow.commit()
    csrf = sign_in(client, taxonomy_platform, market.professional)
    narrative = "I build APIs.</script><script>alert(1)</script>"
    settings = {
        "csrf_token": csrf,
        "handle": "pete",
        "headline": "Backend",
        "narrative": narrative,
        "published": "on",
        "show_skills": "on",
    }
    assert client.post("/portfolio/settings", data=settings).status_code == 303
    item = {
        "csrf_token": csrf,
        "title": "Booking API",
        "link": "https://example.org",
        "skills": "python",
        "contract_id": str(market.fixed_id),
    }
    assert client.post("/portfolio/items", data=item).status_code == 303
    bad = client.post("/portfolio/items", data=item | {"link": "javascript:alert(1)"})
    assert bad.status_code == 422
    assert "link" in bad.text
    client.cookies.clear()
    page = client.get("/p/pete")
    assert page.status_code == 200, page.text
    soup = BeautifulSoup(page.text, "html.parser")
    scripts = soup.select('script[type="application/ld+json"]')
    assert len(scripts) == 1  # the narrative did not close it and open another
    data = json.loads(scripts[0].string or "")
    assert data["@type"] == "Person"
    assert data["description"] == narrative
    assert "</script><script>" not in page.text
    assert "on microcareer" in soup.select_one("#work").text  # type: ignore[union-attr]
    assert "pete@pro.test" not in page.text
    assert soup.select_one('link[href="/static/portfolio.css"]') is not None
    resume = client.get("/p/pete/resume.json")
    assert resume.status_code == 200
    assert resume.json()["projects"][0]["name"] == "Booking API"
    assert client.get("/p/nobody-here").status_code == 404
    with taxonomy_platform.uow() as uow:
        uow.profiles.save(
            market.professional.user_id, Profile(visibility=Visibility.PRIVATE), resume_extras={}, at=NOW
        )
        uow.commit()
    hidden = client.get("/p/pete")
    assert hidden.status_code == 404
    assert "no portfolio 'pete'" in BeautifulSoup(hidden.text, "html.parser").text


def test_out_of_range_numbers_are_refused_not_failed(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    csrf = sign_in(client, taxonomy_platform, market.professional)
    for path in ("/mentoring/99999999999999999999", "/mentoring/0"):
        assert client.get(path, headers={"accept": "text/html"}).status_code in (404, 422)
    huge = client.post("/network/connections/99999999999999999999/accept", data={"csrf_token": csrf})
    assert huge.status_code in (404, 422)
    missing = client.post("/mentoring/12345/complete", data={"csrf_token": csrf})
    assert missing.status_code == 404
    assert (
        client.post("/network/refer", data={"csrf_token": csrf, "job_id": "x", "user_id": "1"}).status_code
        == 422
    )


def _public(platform: Platform, *actors: Actor) -> None:
    with platform.uow() as uow:
        for actor in actors:
            assert actor.user_id is not None
            uow.profiles.save(actor.user_id, Profile(visibility=Visibility.PUBLIC), resume_extras={}, at=NOW)
        uow.commit()


def _connect_box(client: TestClient, user_id: int | None) -> Tag | None:
    page = client.get(f"/profiles/{user_id}")
    assert page.status_code == 200, page.text
    return BeautifulSoup(page.text, "html.parser").select_one("#connect")


def test_connect_from_a_profile_page(client: TestClient, taxonomy_platform: Platform, market: Market) -> None:
    _public(taxonomy_platform, market.client, market.professional, market.stranger)
    pete, clara = market.professional.user_id, market.client.user_id
    csrf = sign_in(client, taxonomy_platform, market.professional)
    assert _connect_box(client, pete) is None  # not on one's own page
    box = _connect_box(client, clara)
    assert box is not None
    assert box.select_one("#connect-form") is not None
    sent = client.post(
        "/network/connect",
        data={"csrf_token": csrf, "user_id": str(clara), "message": "Thanks for the gig", "back": "profile"},
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/profiles/{clara}#connect"
    box = _connect_box(client, clara)
    assert box is not None
    assert box.select_one("#connect-form") is None
    assert "pending" in box.text
    assert "waiting for clara's answer" in box.text
    again = client.post(
        "/network/connect", data={"csrf_token": csrf, "user_id": str(clara), "back": "profile"}
    )
    assert again.status_code == 409

    clara_csrf = sign_in(client, taxonomy_platform, market.client)
    box = _connect_box(client, pete)
    assert box is not None
    assert "pete asked to connect with you" in box.text
    assert "they wrote: “Thanks for the gig”" in box.text
    form = box.select_one("form")
    assert form is not None
    assert client.post(str(form["action"]), data={"csrf_token": clara_csrf}).status_code == 303
    box = _connect_box(client, pete)
    assert box is not None
    assert "connected" in box.text
    assert "worked together on the contract" in box.text
    assert box.select_one("form") is None


def test_a_blocked_pair_sees_no_connect_button(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    _public(taxonomy_platform, market.client, market.stranger)
    clara, sam = market.client.user_id, market.stranger.user_id
    clara_csrf = sign_in(client, taxonomy_platform, market.client)
    assert _connect_box(client, sam) is not None
    assert (
        client.post("/network/block", data={"csrf_token": clara_csrf, "user_id": str(sam)}).status_code == 303
    )
    assert _connect_box(client, sam) is None  # the blocker sees none either
    sam_csrf = sign_in(client, taxonomy_platform, market.stranger)
    assert _connect_box(client, clara) is None
    forged = client.post(
        "/network/connect", data={"csrf_token": sam_csrf, "user_id": str(clara), "back": "profile"}
    )
    nobody = client.post("/network/connect", data={"csrf_token": sam_csrf, "user_id": "999999"})
    assert forged.status_code == nobody.status_code == 404
    said = BeautifulSoup(forged.text, "html.parser").select_one("main")
    assert said is not None
    assert f"no user {clara} to connect with" in said.text
    assert "block" not in said.text.casefold()


def test_the_job_page_shows_its_referrals_to_whoever_manages_it(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    assert market.professional.user_id is not None
    assert market.stranger.user_id is not None
    with taxonomy_platform.uow() as uow:
        contract = uow.marketplace.get_contract(market.fixed_id)
        assert contract is not None
        job_id = contract.job_id
        uow.network.add_referral(
            job_id, market.professional.user_id, market.stranger.user_id, "Sam ships fast", at=NOW
        )
        uow.commit()
    sign_in(client, taxonomy_platform, market.client)  # the poster
    page = BeautifulSoup(client.get(f"/jobs/{job_id}").text, "html.parser")
    shown = page.select_one("#job-referrals")
    assert shown is not None
    assert "pete referred sam: “Sam ships fast”" in shown.text
    for other in (market.professional, market.stranger):
        sign_in(client, taxonomy_platform, other)
        answer = client.get(f"/jobs/{job_id}")
        assert answer.status_code in (200, 404)
        assert "Sam ships fast" not in answer.text
        assert "job-referrals" not in answer.text
    sign_in(client, taxonomy_platform, market.admin)
    page = BeautifulSoup(client.get(f"/jobs/{job_id}").text, "html.parser")
    assert "Sam ships fast" in page.select_one("#job-referrals").text  # type: ignore[union-attr]


def test_a_portfolio_item_is_edited_in_place(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    csrf = sign_in(client, taxonomy_platform, market.professional)
    item = {
        "csrf_token": csrf,
        "title": "Booking API",
        "skills": "python",
        "contract_id": str(market.fixed_id),
    }
    assert client.post("/portfolio/items", data=item).status_code == 303
    page = BeautifulSoup(client.get("/portfolio").text, "html.parser")
    form = page.select_one("form[id^=edit-item-]")
    assert form is not None
    assert form.select_one("input[name=title]")["value"] == "Booking API"  # type: ignore[index]
    skills = form.select_one("input[name=skills]")["value"]  # type: ignore[index]
    assert skills == "Python (computer programming)"
    chosen = form.select_one("select[name=contract_id] option[selected]")
    assert chosen is not None
    assert chosen["value"] == str(market.fixed_id)
    action = str(form["action"])
    changed = item | {
        "title": "Booking API v2",
        "description": "Now with waiting lists",
        "skills": str(skills),  # the label the form shows resolves to the same skill
        "contract_id": "",
    }
    saved = client.post(action, data=changed)
    assert saved.status_code == 303
    page = BeautifulSoup(client.get("/portfolio").text, "html.parser")
    items = page.select_one("#items ul")
    assert items is not None
    assert "Booking API v2" in items.text
    assert "on microcareer" not in items.text  # no contract behind it now
    form = page.select_one("form[id^=edit-item-]")
    assert form is not None
    assert form.select_one("input[name=skills]")["value"] == skills  # type: ignore[index]
    assert form.select_one("textarea[name=description]").text == "Now with waiting lists"  # type: ignore[union-attr]
    bad = client.post(action, data=changed | {"link": "javascript:alert(1)"})
    assert bad.status_code == 422
    assert "link" in bad.text
    sam_csrf = sign_in(client, taxonomy_platform, market.stranger)
    theirs = client.post(action, data=changed | {"csrf_token": sam_csrf, "title": "Mine now"})
    assert theirs.status_code == 404
    sign_in(client, taxonomy_platform, market.professional)
    assert "Mine now" not in client.get("/portfolio").text
