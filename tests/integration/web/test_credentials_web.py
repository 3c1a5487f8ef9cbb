"""The credential pages on each database: verify pages, /verify, the wallet, and the issuers' forms."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient

from microcareer.api.admission import Gate, GateLimits
from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.credentials.baking import unbake
from microcareer.domain.credentials.issue_rows import IssueRequest
from microcareer.domain.credentials.open_badges import AchievementDefinition, Recipient, SkillAlignment
from microcareer.domain.credentials.verification_model import VerificationReport
from microcareer.errors import Busy
from microcareer.services import achievements, credential_issuers, credential_issuing, issuer_standing, wallet
from microcareer.web.routes.credentials import IssuerShown, issuer_shown
from tests.integration.store.test_credential_services import LEA, World, _issue, _world
from tests.integration.store.test_wallet_services import OFFLINE
from tests.integration.taxonomy_helpers import PYTHON, PYTHON_KEY
from tests.integration.web.test_profiles_web import sign_in
from tests.unit.domain.verification_helpers import Signer, entry
from tests.unit.domain.verification_helpers import credential as unsigned_credential

SCRIPT = "<script>alert(1)</script>"
T = TypeVar("T")


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


@pytest.fixture
def world(taxonomy_platform: Platform) -> World:
    return _world(taxonomy_platform)


def checks(page: str) -> dict[str, str]:
    """Each check's name and mark, as the report table shows them."""
    body = page.split('id="checks"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr class="check (\w+)"><td class="mark"[^>]*>(\S+) .*?</td><td>([^<]+)</td>', body)
    return {name: f"{outcome} {mark}" for outcome, mark, name in rows}


def verdict(page: str) -> str:
    found = re.search(r'id="verdict"[^>]*>([^<]+)<', page)
    assert found is not None, page
    return found.group(1)


def issued_count(world: World) -> int:
    _, total = credential_issuing.issued_by(
        world.platform.uow(), actor=world.issuer_actor, issuer_slug=world.slug, limit=1, offset=0
    )
    return total


def lea_entry(world: World) -> int:
    assert world.learner.user_id is not None
    items = wallet.wallet(world.platform.uow(), actor=world.learner, user_id=world.learner.user_id)
    return items[0].entry.id


def test_the_public_page_of_a_credential_shows_valid_and_each_check(client: TestClient, world: World) -> None:
    (record,) = _issue(world, LEA)
    response = client.get(f"/credentials/{record.id}")  # signed out
    assert response.status_code == 200, response.text
    page = response.text
    assert verdict(page) == "VALID"
    found = checks(page)
    for name in ("format", "contexts", "terms", "proof", "dates", "status", "schema"):
        assert found[name] == "pass ✓", found
    assert "Python for data work" in page
    assert "Code School" in page
    facts = page.split('id="facts"', 1)[1].split("</dl>", 1)[0]
    assert "hashed e-mail" in facts
    assert "lea@x.test" not in page
    assert f'href="/skills/{PYTHON_KEY}"' in page
    assert "Passed a proctored 3-hour practical." in page
    assert f"/credentials/{record.id}/badge.json" in page
    assert client.get(f"/credentials/{record.id.upper()}x").status_code == 404
    assert client.get("/credentials/not-a-uuid").status_code == 404


def test_the_downloads_are_the_credential_as_signed(client: TestClient, world: World) -> None:
    (record,) = _issue(world, LEA)
    plain = client.get(f"/credentials/{record.id}/badge.json")
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("application/json")
    assert plain.text == record.document
    assert client.get(f"/credentials/{record.id}/badge.jwt").status_code == 404
    svg = client.get(f"/credentials/{record.id}/badge.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "default-src 'none'" in svg.headers["content-security-policy"]
    assert unbake(svg.content).payload == record.document
    png = client.get(f"/credentials/{record.id}/badge.png")
    assert png.status_code == 200
    assert png.content.startswith(b"\x89PNG")
    assert unbake(png.content).payload == record.document
    (jwt,) = _issue(world, IssueRequest(Recipient(did="did:example:jay")), proof_format="jwt")
    token = client.get(f"/credentials/{jwt.id}/badge.jwt")
    assert token.status_code == 200
    assert token.text == jwt.document
    assert client.get(f"/credentials/{jwt.id}/badge.json").status_code == 404
    assert verdict(client.get(f"/credentials/{jwt.id}").text) == "VALID"


def test_a_revoked_credential_is_not_valid_and_says_why(client: TestClient, world: World) -> None:
    (record,) = _issue(world, LEA)
    credential_issuing.change_status(
        world.platform.uow(),
        actor=world.issuer_actor,
        credential_id=record.id,
        action="revoke",
        reason="copied the practical",
        now=world.platform.clock(),
    )
    page = client.get(f"/credentials/{record.id}").text
    assert verdict(page) == "NOT VALID"
    assert checks(page)["status"] == "fail ✗"
    status_row = next(row for row in page.split("<tr") if "<td>status</td>" in row)
    assert "revoked" in status_row
    assert "copied the practical" in page


def test_a_revoked_credential_shows_revoked_in_the_holders_wallet_not_valid(
    client: TestClient, world: World
) -> None:
    (record,) = _issue(world, LEA)
    token = sign_in(client, world.platform, world.learner)
    entry_id = lea_entry(world)
    row = client.get("/wallet").text.split(f'id="entry-{entry_id}"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="tag state pending">pending</span>' in row
    assert client.post(f"/wallet/{entry_id}/accept", data={"csrf_token": token}).status_code == 303
    row = client.get("/wallet").text.split(f'id="entry-{entry_id}"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="tag state valid">valid</span> <span class="muted">issued here</span>' in row
    wallet.set_public(world.platform.uow(), actor=world.learner, entry_id=entry_id, public=True)
    credential_issuing.change_status(
        world.platform.uow(),
        actor=world.issuer_actor,
        credential_id=record.id,
        action="revoke",
        reason="copied the practical",
        now=world.platform.clock(),
    )
    row = client.get("/wallet").text.split(f'id="entry-{entry_id}"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="tag credential-status revoked">revoked</span>' in row
    assert "valid" not in row
    assert "issued here" not in row
    entry_page = client.get(f"/wallet/{entry_id}/verify").text
    assert "revoked" in entry_page.split('id="entry-state"', 1)[1].split("</dd>", 1)[0]
    assert verdict(entry_page) == "NOT VALID"
    profile = client.get(f"/profiles/{world.learner.user_id}").text.split('id="credentials"', 1)[1]
    assert '<span class="tag credential-status revoked">revoked</span>' in profile.split("</ul>", 1)[0]


def test_names_are_escaped_in_pages_and_in_the_baked_svg(client: TestClient, world: World) -> None:
    achievement = achievements.define_achievement(
        world.platform.uow(),
        actor=world.issuer_actor,
        issuer_slug=world.slug,
        definition=AchievementDefinition(
            name=SCRIPT,
            description="<b>bold</b> & <img src=x onerror=alert(2)>",
            criteria="<iframe>",
            alignments=(SkillAlignment(PYTHON, ""),),
        ),
        now=world.platform.clock(),
    )
    (record,) = credential_issuing.issue_credentials(
        world.platform.uow(),
        world.platform.key_vault,
        actor=world.issuer_actor,
        achievement_id=achievement.id,
        requests=[IssueRequest(Recipient(email="lea@x.test"))],
        publication=world.platform.publication,
        now=world.platform.clock(),
    )
    sign_in(client, world.platform, world.issuer_actor)
    for path in (
        f"/credentials/{record.id}",
        f"/issuers/{world.slug}",
        f"/achievements/{achievement.id}/page",
    ):
        page = client.get(path).text
        assert SCRIPT not in page, path
        assert "<img src=x" not in page, path
        assert "<iframe>" not in page, path
        assert html.escape(SCRIPT, quote=False) in page or html.escape(SCRIPT) in page, path
    svg = client.get(f"/credentials/{record.id}/badge.svg").text
    drawing = re.sub(r"<openbadges:credential.*?</openbadges:credential>", "", svg, flags=re.S)
    assert "<script" not in drawing
    assert "&lt;script&gt;" in drawing
    assert unbake(svg.encode()).payload == record.document  # the credential itself is kept as signed


def issuer_line(page: str) -> str:
    found = re.search(r'<p id="issuer">(.*?)</p>', page, flags=re.S)
    assert found is not None, page
    return found.group(1)


def test_an_issuer_from_elsewhere_is_named_as_its_credential_names_it(world: World) -> None:
    foreign = {"issuer": {"id": "did:example:uni", "name": "  Example University "}}
    report = VerificationReport(checks=(), format="json", credential=foreign, issuer="did:example:uni")
    assert issuer_shown(world.platform, report) == IssuerShown("Example University", "did:example:uni", None)
    bare = VerificationReport(
        checks=(), format="json", credential={"issuer": "did:example:uni"}, issuer="did:example:uni"
    )
    assert issuer_shown(world.platform, bare) == IssuerShown("", "did:example:uni", None)
    assert issuer_shown(world.platform, VerificationReport((), None, None, None)) is None


def verify_form(client: TestClient) -> str:
    page = client.get("/verify")
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_verify_shows_the_failing_check_of_a_tampered_credential(client: TestClient, world: World) -> None:
    (record,) = _issue(world, LEA)
    token = verify_form(client)
    good = client.post("/verify", data={"csrf_token": token, "credential": record.document})
    assert good.status_code == 200, good.text
    assert verdict(good.text) == "VALID"
    named = issuer_line(good.text)
    assert f'<a href="/issuers/{world.slug}">Code School</a>' in named
    assert "did:key:" in named  # small, after the name
    assert "not verified" not in named
    tampered = json.loads(record.document)
    tampered["name"] = "Python for data work <with honours>"
    text = json.dumps(tampered, indent=2)
    response = client.post("/verify", data={"csrf_token": token, "credential": text})
    assert response.status_code == 200
    assert verdict(response.text) == "NOT VALID"
    assert checks(response.text)["proof"] == "fail ✗"
    assert 'Code School</a></span> <span class="muted">(as the credential claims: not verified)' in (
        issuer_line(response.text)
    )
    kept = re.search(r'<textarea name="credential"[^>]*>(.*?)</textarea>', response.text, flags=re.S)
    assert kept is not None
    assert html.unescape(kept.group(1)) == text  # the input is kept, escaped
    assert "<with honours>" not in response.text
    baked = client.get(f"/credentials/{record.id}/badge.svg").content
    upload = client.post(
        "/verify", data={"csrf_token": token}, files={"file": ("badge.svg", baked, "image/svg+xml")}
    )
    assert verdict(upload.text) == "VALID"
    assert checks(upload.text)["format"] == "pass ✓"
    empty = client.post("/verify", data={"csrf_token": token, "credential": "  "})
    assert empty.status_code == 422
    assert 'role="alert"' in empty.text


def test_verify_refuses_a_form_without_its_token_and_keeps_the_input(
    client: TestClient, world: World
) -> None:
    (record,) = _issue(world, LEA)
    verify_form(client)
    response = client.post("/verify", data={"credential": record.document})
    assert response.status_code == 403
    assert 'id="verdict"' not in response.text
    assert "Python for data work" in response.text  # still in the textarea
    wrong = client.post("/verify", data={"csrf_token": "forged", "credential": record.document})
    assert wrong.status_code == 403


def test_the_wallet_needs_signing_in(client: TestClient, world: World) -> None:
    for method, path in (
        ("GET", "/wallet"),
        ("POST", "/wallet/import"),
        ("POST", "/wallet/1/public"),
        ("GET", "/wallet/clr.json"),
    ):
        response = client.request(method, path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=/wallet")


def test_importing_an_uploaded_credential_verifies_it(client: TestClient, world: World) -> None:
    platform = world.platform
    (mine,) = _issue(world, IssueRequest(Recipient(email="nia@x.test")))
    with platform.uow() as uow:
        nia = uow.accounts.add_user(
            email="nia@x.test",
            display_name="Nia",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=platform.clock(),
        )
        uow.commit()
    token = sign_in(client, platform, Actor(user_id=nia.id, roles=frozenset({Role.PROFESSIONAL})))
    assert "No credentials yet" in client.get("/wallet").text
    tampered = mine.document.replace("Python for data work", "Python for everything")
    refused = client.post(
        "/wallet/import",
        data={"csrf_token": token},
        files={"file": ("bad.json", tampered.encode(), "application/json")},
    )
    assert refused.status_code == 422
    assert "bad.json: not imported" in refused.text
    response = client.post(
        "/wallet/import",
        data={"csrf_token": token},
        files={"file": ("badge.json", mine.document.encode(), "application/json")},
    )
    assert response.status_code == 200, response.text
    assert verdict(response.text) == "VALID"
    table = response.text.split('id="wallet"', 1)[1].split("</table>", 1)[0]
    assert "Python for data work" in table
    assert '<span class="tag state valid">valid</span>' in table
    again = client.post(
        "/wallet/import",
        data={"csrf_token": token},
        files={"file": ("badge.json", mine.document.encode(), "application/json")},
    )
    assert again.status_code == 409
    assert "already in the wallet" in again.text

    # Removing asks first, on a page of its own; only "yes" removes it.
    [item] = wallet.wallet(platform.uow(), actor=Actor.system(), user_id=nia.id)
    path = f"/wallet/{item.entry.id}/remove"
    asked = client.post(path, data={"csrf_token": token})
    assert asked.status_code == 200
    assert "Remove “Python for data work” from your wallet?" in asked.text
    assert 'name="confirm" value="yes" class="button-danger"' in asked.text
    assert len(wallet.wallet(platform.uow(), actor=Actor.system(), user_id=nia.id)) == 1
    removed = client.post(path, data={"csrf_token": token, "confirm": "yes"})
    assert removed.status_code == 303
    assert wallet.wallet(platform.uow(), actor=Actor.system(), user_id=nia.id) == []


def test_the_owner_shows_an_entry_on_the_profile_and_downloads_a_clr(
    client: TestClient, world: World
) -> None:
    _issue(world, LEA)
    token = sign_in(client, world.platform, world.learner)
    entry_id = lea_entry(world)
    page = client.get("/wallet").text
    assert f'action="/wallet/{entry_id}/accept"' in page  # pending: accept or decline, nothing else
    assert f'action="/wallet/{entry_id}/public"' not in page
    assert f'action="/wallet/{entry_id}/remove"' not in page
    assert client.post(f"/wallet/{entry_id}/accept", data={"csrf_token": token}).status_code == 303
    page = client.get("/wallet").text
    assert f'action="/wallet/{entry_id}/public"' in page
    assert f'action="/wallet/{entry_id}/remove"' in page  # a holder can always remove it
    assert client.get("/wallet/clr.json?scope=public").status_code == 422  # nothing shown yet
    response = client.post(f"/wallet/{entry_id}/public", data={"csrf_token": token, "public": "1"})
    assert response.status_code == 303
    assert (
        wallet.public_wallet(world.platform.uow(), user_id=world.learner.user_id or 0)[0].entry.id == entry_id
    )
    profile = client.get(f"/profiles/{world.learner.user_id}").text
    assert 'id="credentials"' in profile
    again = client.get(f"/wallet/{entry_id}/verify")
    assert again.status_code == 200
    assert verdict(again.text) == "VALID"
    clr = client.get("/wallet/clr.json?scope=public")
    assert clr.status_code == 200
    document = clr.json()
    assert "ClrCredential" in document["type"]
    assert "proof" in document
    hidden = client.post(f"/wallet/{entry_id}/public", data={"csrf_token": token, "public": "0"})
    assert hidden.status_code == 303
    assert wallet.public_wallet(world.platform.uow(), user_id=world.learner.user_id or 0) == []
    asked = client.post(f"/wallet/{entry_id}/remove", data={"csrf_token": token})
    assert asked.status_code == 200
    assert "ask its issuer to issue it again" in asked.text
    assert lea_entry(world) == entry_id  # nothing removed before "yes"
    removed = client.post(f"/wallet/{entry_id}/remove", data={"csrf_token": token, "confirm": "yes"})
    assert removed.status_code == 303
    assert wallet.wallet(world.platform.uow(), actor=world.learner, user_id=world.learner.user_id or 0) == []


def test_another_person_cannot_change_an_entry(client: TestClient, world: World) -> None:
    _issue(world, LEA)
    entry_id = lea_entry(world)
    token = sign_in(client, world.platform, world.stranger)
    for action, data in (("public", {"public": "1"}), ("remove", {}), ("accept", {}), ("decline", {})):
        response = client.post(f"/wallet/{entry_id}/{action}", data={"csrf_token": token, **data})
        assert response.status_code == 404, action
    assert client.get(f"/wallet/{entry_id}/verify").status_code == 404
    assert wallet.public_wallet(world.platform.uow(), user_id=world.learner.user_id or 0) == []


def test_forms_without_the_csrf_token_are_refused(client: TestClient, world: World) -> None:
    _issue(world, LEA)
    entry_id = lea_entry(world)
    sign_in(client, world.platform, world.learner)
    response = client.post(f"/wallet/{entry_id}/public", data={"public": "1"})
    assert response.status_code == 403
    assert wallet.public_wallet(world.platform.uow(), user_id=world.learner.user_id or 0) == []
    client.cookies.clear()
    sign_in(client, world.platform, world.issuer_actor)
    before = issued_count(world)
    issue = client.post(
        f"/achievements/{world.achievement_id}/issue",
        data={"recipient": "kim@x.test", "csrf_token": "forged"},
    )
    assert issue.status_code == 403
    assert issued_count(world) == before
    rotate = client.post(f"/issuers/{world.slug}/keys/rotate", data={})
    assert rotate.status_code == 403


def test_issuer_actions_are_refused_to_non_managers(client: TestClient, world: World) -> None:
    (record,) = _issue(world, LEA)
    token = sign_in(client, world.platform, world.stranger)
    page = client.get(f"/issuers/{world.slug}").text
    assert "Code School" in page  # the profile is public
    assert "Python for data work" in page
    for form in ("rotate-form", "issued-table", "achievement-form"):
        assert f'id="{form}"' not in page
    assert 'id="issue-form"' not in client.get(f"/achievements/{world.achievement_id}/page").text
    refused = {
        f"/issuers/{world.slug}/keys/rotate": {},
        f"/issuers/{world.slug}/credentials/status": {"credential": record.id, "action": "revoke"},
        f"/issuers/{world.slug}/achievements": {"name": "X", "description": "d", "criteria": "c"},
        f"/achievements/{world.achievement_id}/issue": {"recipient": "kim@x.test"},
    }
    for path, data in refused.items():
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 403, path
    assert client.get(f"/issuers/{world.slug}/credentials/{record.id}/revoke").status_code == 403
    batch = client.post(
        f"/achievements/{world.achievement_id}/issue-batch",
        data={"csrf_token": token},
        files={"file": ("a.csv", b"email\nkim@x.test\n", "text/csv")},
    )
    assert batch.status_code == 403
    assert credential_issuing.credential_record(world.platform.uow(), record.id).status == "active"
    assert issued_count(world) == 1


def test_a_manager_revokes_from_the_issuer_page_after_confirming(client: TestClient, world: World) -> None:
    (record,) = _issue(world, LEA)
    token = sign_in(client, world.platform, world.issuer_actor)
    page = client.get(f"/issuers/{world.slug}").text
    assert 'id="rotate-form"' in page
    row = page.split(f'id="credential-{record.id}"', 1)[1].split("</tr>", 1)[0]
    confirm_path = f"/issuers/{world.slug}/credentials/{record.id}/revoke"
    assert f'<a href="{confirm_path}" class="danger">Revoke…</a>' in row
    assert "/suspend" not in row  # its achievement is not suspendable
    confirm = client.get(confirm_path)
    assert confirm.status_code == 200
    assert "Revoking is final." in confirm.text
    assert "lea@x.test" in confirm.text.split('id="confirm-facts"', 1)[1].split("</dl>", 1)[0]
    assert 'class="button-danger">Revoke for good</button>' in confirm.text
    assert credential_issuing.credential_record(world.platform.uow(), record.id).status == "active"
    suspend = client.post(
        f"/issuers/{world.slug}/credentials/status",
        data={"csrf_token": token, "credential": record.id, "action": "suspend", "confirm": "yes"},
    )
    assert suspend.status_code == 409
    assert "only be revoked" in suspend.text
    unconfirmed = client.post(
        f"/issuers/{world.slug}/credentials/status",
        data={"csrf_token": token, "credential": record.id, "action": "revoke", "reason": "a mistake"},
    )
    assert unconfirmed.status_code == 303  # to the confirmation step, the reason kept
    assert unconfirmed.headers["location"] == f"{confirm_path}?reason=a+mistake"
    assert 'value="a mistake"' in client.get(unconfirmed.headers["location"]).text
    assert credential_issuing.credential_record(world.platform.uow(), record.id).status == "active"
    response = client.post(
        f"/issuers/{world.slug}/credentials/status",
        data={
            "csrf_token": token,
            "credential": record.id,
            "action": "revoke",
            "reason": "a mistake",
            "confirm": "yes",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/issuers/{world.slug}#credential-{record.id}"
    assert credential_issuing.credential_record(world.platform.uow(), record.id).status == "revoked"
    assert "already revoked" in client.get(confirm_path).text
    assert client.get(f"/issuers/{world.slug}/credentials/{record.id}/delete").status_code == 404
    assert client.get(f"/issuers/{world.slug}/credentials/not-a-uuid/revoke").status_code == 404
    rotated = client.post(f"/issuers/{world.slug}/keys/rotate", data={"csrf_token": token})
    assert rotated.status_code == 303
    keys = client.get(f"/issuers/{world.slug}").text.split('id="key-table"', 1)[1].split("</table>", 1)[0]
    assert ">retired<" in keys
    assert ">active<" in keys


def test_the_issued_list_names_recipients_as_entered_and_the_public_page_does_not(
    client: TestClient, world: World
) -> None:
    (named,) = _issue(world, IssueRequest(Recipient(email=" Kim.Lee@X.test ", name=" Kim Lee ")))
    (by_did,) = _issue(world, IssueRequest(Recipient(did="did:example:jay", name="Jay")))
    sign_in(client, world.platform, world.issuer_actor)
    page = client.get(f"/issuers/{world.slug}").text
    kim = page.split(f'id="credential-{named.id}"', 1)[1].split("</tr>", 1)[0]
    assert "<strong>Kim Lee</strong>" in kim
    assert "Kim.Lee@X.test" in kim
    jay = page.split(f'id="credential-{by_did.id}"', 1)[1].split("</tr>", 1)[0]
    assert "<strong>Jay</strong>" in jay
    assert "did:example:jay" in jay
    client.cookies.clear()
    public = client.get(f"/credentials/{named.id}").text
    assert "Kim" not in public
    assert "hashed e-mail" in public


def test_a_batch_with_a_bad_row_shows_the_rows_and_issues_nothing(client: TestClient, world: World) -> None:
    token = sign_in(client, world.platform, world.issuer_actor)
    csv = b"email,name\nkim@x.test,Kim\nnot-an-address,Bo\nkim@x.test,Kim again\n"
    response = client.post(
        f"/achievements/{world.achievement_id}/issue-batch",
        data={"csrf_token": token, "format": "eddsa-jcs-2022"},
        files={"file": ("class.csv", csv, "text/csv")},
    )
    assert response.status_code == 422, response.text
    table = response.text.split('id="batch-errors"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td class=\"number\">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table)
    assert [(line, column) for line, column, _ in rows] == [("3", "email"), ("4", "email")]
    assert "Nothing was issued" in response.text
    assert issued_count(world) == 0
    good = client.post(
        f"/achievements/{world.achievement_id}/issue-batch",
        data={"csrf_token": token, "format": "eddsa-jcs-2022"},
        files={"file": ("class.csv", b"email\nkim@x.test\nbo@x.test\n", "text/csv")},
    )
    assert good.status_code == 303, good.text
    assert good.headers["location"] == f"/issuers/{world.slug}?batch=2#issued"
    assert issued_count(world) == 2


def test_a_new_issuer_defines_and_issues_an_achievement(client: TestClient, world: World) -> None:
    token = sign_in(client, world.platform, world.stranger)  # has the issuer role
    assert 'id="issuer-form"' in client.get("/issuers").text
    created = client.post("/issuers", data={"csrf_token": token, "name": "Data Guild", "url": "ftp://x"})
    assert created.status_code == 422
    assert 'value="Data Guild"' in created.text  # the form is kept
    created = client.post("/issuers", data={"csrf_token": token, "name": "Data Guild"})
    assert created.status_code == 303
    slug = created.headers["location"].rsplit("/", 1)[1]
    fields = {
        "csrf_token": token,
        "name": "SQL basics",
        "description": "Queries a relational database.",
        "criteria": "Passed the test.",
        "achievement_type": "Badge",
        "skills": "Python (computer programming)\nunderwater basket weaving\n",
        "expiry_days": "30",
    }
    bad = client.post(f"/issuers/{slug}/achievements", data=fields)
    assert bad.status_code in (404, 422)
    assert "skills, line 2" in bad.text
    assert "underwater basket weaving" in bad.text  # kept in the textarea
    defined = client.post(f"/issuers/{slug}/achievements", data={**fields, "skills": PYTHON_KEY})
    assert defined.status_code == 303, defined.text
    page_path = defined.headers["location"]
    achievement_id = page_path.split("/")[2]
    page = client.get(page_path).text
    assert "SQL basics" in page
    assert 'id="issue-form"' in page
    assert (
        client.get(f"/achievements/{achievement_id}").headers["content-type"].startswith("application/json")
    )
    missing = client.post(
        f"/achievements/{achievement_id}/issue", data={"csrf_token": token, "recipient": "x@"}
    )
    assert missing.status_code == 422
    assert 'value="x@"' in missing.text
    issued = client.post(
        f"/achievements/{achievement_id}/issue",
        data={"csrf_token": token, "recipient": "did:example:ana", "evidence_narrative": "Built a schema"},
    )
    assert issued.status_code == 303, issued.text
    credential_page = client.get(issued.headers["location"]).text
    assert verdict(credential_page) == "VALID"
    assert "did:example:ana" in credential_page
    assert "Built a schema" in credential_page


WEB_ACTORS = ("anonymous", "holder", "other_user", "issuer_manager", "platform_admin")


def _web_actor(world: World, who: str) -> Actor | None:
    return {
        "anonymous": None,
        "holder": world.learner,
        "other_user": world.stranger,
        "issuer_manager": world.issuer_actor,
        "platform_admin": _platform_admin(world),
    }[who]


def _platform_admin(world: World) -> Actor:
    with world.platform.uow() as uow:
        admin = uow.accounts.get_user_by_email("root@x.test") or uow.accounts.add_user(
            email="root@x.test",
            display_name="Root",
            password_hash="x",
            roles=[Role.PLATFORM_ADMIN],
            created_at=world.platform.clock(),
        )
        uow.commit()
    return Actor(user_id=admin.id, roles=frozenset({Role.PLATFORM_ADMIN}))


def _as(client: TestClient, world: World, who: str) -> str:
    actor = _web_actor(world, who)
    return "" if actor is None else sign_in(client, world.platform, actor)


@pytest.mark.parametrize(
    ("action", "who", "expected"),
    [
        (action, who, expected)
        for action in ("accept", "decline")
        for who, expected in zip(WEB_ACTORS, (303, 303, 404, 404, 303), strict=True)
    ],
)
def test_accepting_and_declining_in_the_wallet_matrix(
    client: TestClient, world: World, action: str, who: str, expected: int
) -> None:
    """The wallet's own pages act on the signed-in person's wallet: anonymous is sent to sign in,
    another person's entry does not exist; a platform admin may act (as the services allow)."""
    _issue(world, LEA)
    entry_id = lea_entry(world)
    token = _as(client, world, who)
    response = client.post(f"/wallet/{entry_id}/{action}", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == expected, response.text[:300]
    items = wallet.wallet(world.platform.uow(), actor=world.learner, user_id=world.learner.user_id or 0)
    if who in ("holder", "platform_admin"):
        assert [i.pending for i in items] == ([False] if action == "accept" else [])
    else:
        assert [(i.entry.id, i.pending) for i in items] == [(entry_id, True)]
        if who == "anonymous":
            assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("who", WEB_ACTORS)
def test_approving_an_issuer_on_its_page_matrix(client: TestClient, world: World, who: str) -> None:
    issuer_standing.withdraw_approval(
        world.platform.uow(), actor=Actor.system(), slug=world.slug, now=world.platform.clock()
    )
    token = _as(client, world, who)
    page = client.get(f"/issuers/{world.slug}").text
    assert 'class="tag issuer-standing unverified"' in page
    assert ('id="approve-issuer"' in page) is (who == "platform_admin")
    response = client.post(
        f"/issuers/{world.slug}/approval", data={"csrf_token": token, "approve": "1"}, follow_redirects=False
    )
    standing = credential_issuers.find_issuer(world.platform.uow(), world.slug).standing.value
    if who == "platform_admin":
        assert response.status_code == 303
        assert standing == "approved"
        page = client.get(f"/issuers/{world.slug}").text
        assert 'class="tag issuer-standing approved"' in page
        assert 'id="withdraw-approval"' in page
    else:
        assert response.status_code == (303 if who == "anonymous" else 403)
        assert standing == "unverified"


@pytest.mark.parametrize("who", WEB_ACTORS)
def test_proving_a_domain_on_the_issuer_page_matrix(client: TestClient, world: World, who: str) -> None:
    served: dict[str, object] = {}
    world.platform.caches["domain_proof_fetcher"] = served.get
    token = _as(client, world, who)
    allowed = who in ("issuer_manager", "platform_admin")
    assert ('id="domain-form"' in client.get(f"/issuers/{world.slug}").text) is allowed
    started = client.post(
        f"/issuers/{world.slug}/domain",
        data={"csrf_token": token, "domain": "school.example"},
        follow_redirects=False,
    )
    if not allowed:
        assert started.status_code == (303 if who == "anonymous" else 403)
        checked = client.post(f"/issuers/{world.slug}/domain/verify", data={"csrf_token": token})
        assert checked.status_code in ((200, 303) if who == "anonymous" else (403,))
        assert credential_issuers.find_issuer(world.platform.uow(), world.slug).verified_domain is None
        return
    assert started.status_code == 303
    page = client.get(f"/issuers/{world.slug}").text
    assert "https://school.example/.well-known/microcareer-issuer.json" in page
    challenge = issuer_standing.domain_challenge(world.platform.uow(), actor=Actor.system(), slug=world.slug)
    assert challenge is not None
    unserved = client.post(f"/issuers/{world.slug}/domain/verify", data={"csrf_token": token})
    assert unserved.status_code == 422
    assert "could not be fetched" in unserved.text
    served[challenge.url] = challenge.document
    done = client.post(
        f"/issuers/{world.slug}/domain/verify", data={"csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303
    page = client.get(f"/issuers/{world.slug}").text
    assert '<span class="verified-domain muted">school.example</span>' in page


def test_a_status_unknown_import_shows_status_unknown_never_valid(client: TestClient, world: World) -> None:
    platform = world.platform
    platform.caches["verifier_sources"] = OFFLINE  # the other issuer's status list cannot be fetched
    signer = Signer()
    document = signer.sign(
        unsigned_credential(
            signer.did,
            validFrom="2020-01-01T00:00:00Z",
            validUntil=None,
            credentialStatus=entry("revocation", 3),
        )
    )
    with platform.uow() as uow:
        nia = uow.accounts.add_user(
            email="nia@x.test",
            display_name="Nia",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=platform.clock(),
        )
        uow.commit()
    token = sign_in(client, platform, Actor(user_id=nia.id, roles=frozenset({Role.PROFESSIONAL})))
    response = client.post(
        "/wallet/import",
        data={"csrf_token": token},
        files={"file": ("other.json", json.dumps(document).encode(), "application/json")},
    )
    assert response.status_code == 200, response.text
    assert verdict(response.text) == "SIGNATURE VALID, STATUS UNKNOWN"
    assert checks(response.text)["status"] == "unknown ?"
    table = response.text.split('id="wallet"', 1)[1].split("</table>", 1)[0]
    assert "status unknown</span>" in table
    assert '<span class="tag state valid">' not in table


def _expect(page: str) -> str:
    found = re.search(r'name="expect" value="([^"]*)"', page)
    assert found is not None, page
    return found.group(1)


def test_a_manager_revokes_a_csv_list_after_seeing_what_it_revokes(client: TestClient, world: World) -> None:
    lea, bob = _issue(world, LEA, IssueRequest(Recipient(did="did:example:bob", name="Bob")))
    path = f"/issuers/{world.slug}/credentials/revoke-batch"
    stranger_token = sign_in(client, world.platform, world.stranger)
    good = b"email,did,reason\nlea@x.test,,left\n,did:example:bob,\n"
    refused = client.post(
        path, data={"csrf_token": stranger_token}, files={"file": ("r.csv", good, "text/csv")}
    )
    assert refused.status_code == 403
    refused = client.post(
        f"{path}/confirm", data={"csrf_token": stranger_token, "confirm": "yes", "csv": good.decode()}
    )
    assert refused.status_code == 403
    token = sign_in(client, world.platform, world.issuer_actor)
    assert 'id="revoke-batch-form"' in client.get(f"/issuers/{world.slug}").text
    no_token = client.post(path, files={"file": ("r.csv", good, "text/csv")})
    assert no_token.status_code == 403
    bad = f"email,did\nlea@x.test,\nnobody@x.test,\n,{SCRIPT}\n".encode()
    rejected = client.post(path, data={"csrf_token": token}, files={"file": ("r.csv", bad, "text/csv")})
    assert rejected.status_code == 422
    errors = rejected.text.split('id="revoke-batch-errors"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<td class="number">(\d+)</td><td>(\w+)</td>', errors) == [
        ("3", "email"),
        ("4", "did"),
    ]
    assert SCRIPT not in rejected.text
    plan = client.post(path, data={"csrf_token": token}, files={"file": ("r.csv", good, "text/csv")})
    assert plan.status_code == 200
    assert "Revoke 2 credentials?" in plan.text
    listed = plan.text.split('id="revoke-plan"', 1)[1].split("</table>", 1)[0]
    assert "lea@x.test" in listed
    assert "did:example:bob" in listed
    expect = _expect(plan.text)
    assert sorted(expect.split(",")) == sorted([lea.id, bob.id])
    assert {credential_issuing.credential_record(world.platform.uow(), r.id).status for r in (lea, bob)} == {
        "active"
    }
    form = {"csrf_token": token, "csv": good.decode(), "source": "r.csv", "expect": expect}
    unconfirmed = client.post(f"{path}/confirm", data=form)
    assert unconfirmed.status_code == 200
    assert "Revoke 2 credentials?" in unconfirmed.text
    # Lea gets another credential after Ivy saw the list: her confirmation no longer matches it
    (late,) = _issue(world, LEA)
    changed = client.post(f"{path}/confirm", data={**form, "confirm": "yes"})
    assert changed.status_code == 409
    assert "Revoke 3 credentials?" in changed.text
    assert "not the 2 confirmed" in changed.text
    assert credential_issuing.credential_record(world.platform.uow(), lea.id).status == "active"
    done = client.post(f"{path}/confirm", data={**form, "expect": _expect(changed.text), "confirm": "yes"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/issuers/{world.slug}?revoked=3#issued"
    records = (lea, bob, late)
    statuses = {credential_issuing.credential_record(world.platform.uow(), r.id).status for r in records}
    assert statuses == {"revoked"}
    assert "3 credentials revoked." in client.get(done.headers["location"]).text
    again = client.post(f"{path}/confirm", data={**form, "confirm": "yes"})
    assert again.status_code == 422
    assert "Nothing was revoked" in again.text


def test_a_long_confirmed_list_is_revoked_whole(client: TestClient, world: World) -> None:
    first, last = _issue(world, LEA, IssueRequest(Recipient(did="did:example:bob")))
    token = sign_in(client, world.platform, world.issuer_actor)
    text = f"credential_id\n{first.id}\n" + "\n" * 30_000 + f"{last.id}\n"  # blank lines are skipped
    path = f"/issuers/{world.slug}/credentials/revoke-batch"
    plan = client.post(path, data={"csrf_token": token}, files={"file": ("r.csv", text.encode(), "text/csv")})
    assert "Revoke 2 credentials?" in plan.text
    form = {
        "csrf_token": token,
        "csv": text,
        "source": "r.csv",
        "confirm": "yes",
        "expect": _expect(plan.text),
    }
    done = client.post(f"{path}/confirm", data=form)
    assert done.headers["location"] == f"/issuers/{world.slug}?revoked=2#issued"
    statuses = {
        credential_issuing.credential_record(world.platform.uow(), r.id).status for r in (first, last)
    }
    assert statuses == {"revoked"}


class NoSlotGate(Gate):
    """A verification gate with every slot taken and its queue full: it refuses as a full one does."""

    async def run(self, key: str, work: Callable[[], T]) -> T:
        raise Busy("the server is busy with other verifications; try again in 5 s", retry_after=5)


def test_verify_and_a_wallet_check_say_when_to_come_back_if_no_verification_slot_is_free(
    client: TestClient, world: World
) -> None:
    (record,) = _issue(world, LEA)
    entry_id = lea_entry(world)
    token = verify_form(client)
    world.platform.caches["gate:verifications"] = NoSlotGate(
        "verifications", GateLimits(capacity=1, per_key=1, max_waiting=0, per_key_waiting=0, wait_seconds=5)
    )
    refused = client.post("/verify", data={"csrf_token": token, "credential": record.document})
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert "busy with other verifications; try again in 5 s" in html.unescape(refused.text)
    assert record.document[:40] in html.unescape(refused.text)  # what was pasted is kept

    sign_in(client, world.platform, world.learner)
    entry_page = client.get(f"/wallet/{entry_id}/verify")
    assert entry_page.status_code == 503
    assert entry_page.headers["Retry-After"] == "5"
    assert "could not be checked now" in entry_page.text
