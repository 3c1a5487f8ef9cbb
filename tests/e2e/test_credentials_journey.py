"""An issuer's journey (Ivy, from the demo) and anyone's verification of what she issued, in Chromium.

Ivy defines an achievement aligned to a skill she names by a tool ("Docker"), issues it to one person
and to a CSV class list, suspends and reinstates one credential and revokes another, each through the
confirmation page, and revokes a third from a CSV list (a bad list first, which revokes nothing, then a
good one, confirmed); the revoked one shows revoked in its holder's wallet. Then a signed-out visitor,
given a credential's link, downloads it and its baked PNG and checks them at "Verify": the pasted JSON
and the PNG verify, a tampered copy does not and says why.

Trust (docs/trust.md): Ivy creates a second issuer, which starts unverified; the platform admin approves
it on its page; Ivy issues from it to Bea, whose wallet shows the credential pending until she accepts it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.journey import Journey
from tests.unit.domain.verification_helpers import Signer, credential, entry

IVY = "ivy@demo.microcareer.dev"
ISSUER = "Porto Code Academy"
ACHIEVEMENT = "Containers in practice"
BEA = "bea@demo.microcareer.dev"
CLASS_LIST = f"email,name\nkim.lee@example.org,Kim Lee\n{BEA},Bea Client\n"


def _define_and_issue(ivy: Journey, tmp_path: Path) -> str:
    """Ivy defines the achievement, issues it to Sam, then to a class list; returns Sam's credential page."""
    page = ivy.page
    page.get_by_role("link", name="Issuers", exact=True).click()
    ivy.check("issuers")
    page.get_by_role("link", name=ISSUER).click()
    ivy.check("issuer page")
    form = page.locator("#achievement-form")
    form.get_by_label("Name", exact=True).fill(ACHIEVEMENT)
    form.get_by_label("Type").select_option("MicroCredential")
    form.get_by_label("Description").fill("Builds, runs and ships applications in containers.")
    form.get_by_label("Criteria: what a recipient did to earn it").fill("Containerised a web service.")
    form.get_by_label("Skills, one a line").fill("Docker")
    form.get_by_label("Can be suspended (and reinstated)").check()
    form.get_by_role("button", name="Define").click()
    page.wait_for_url(re.compile(r"/achievements/\d+/page$"))
    ivy.check("achievement defined")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACHIEVEMENT)
    expect(page.locator("#skills")).to_contain_text("virtualisation")  # Docker, by its tool name

    one = page.locator("#issue-form")
    one.get_by_label("Recipient's e-mail or DID").fill("sam.rivera@example.org")
    one.get_by_label("Name (optional)").fill("Sam Rivera")
    one.get_by_label("Evidence", exact=True).fill("Shipped the booking service as three containers.")
    one.get_by_role("button", name="Issue").click()
    page.wait_for_url(re.compile(r"/credentials/[0-9a-f-]{36}$"))
    ivy.check("credential issued")
    expect(page.locator("#verdict")).to_have_text("VALID")
    expect(page.locator("#issuer")).to_contain_text(ISSUER)
    credential_page = page.url

    page.get_by_role("link", name="About this achievement").click()
    ivy.check("achievement again")
    csv = tmp_path / "class-list.csv"
    csv.write_text(CLASS_LIST, encoding="utf-8")
    batch = page.locator("#batch-form")
    batch.get_by_label("CSV file").set_input_files(csv)
    batch.get_by_role("button", name="Issue to everyone").click()
    page.wait_for_url(re.compile(r"/issuers/[a-z0-9-]+\?batch=2"))
    ivy.check("batch issued")
    expect(page.locator("#notice")).to_have_text("2 credentials issued.")
    for name, email in (("Kim Lee", "kim.lee@example.org"), ("Bea Client", BEA)):
        expect(page.locator("#issued-table")).to_contain_text(name)  # recipients as Ivy entered them
        expect(page.locator("#issued-table")).to_contain_text(email)
    return credential_page


def _suspend_reinstate_and_revoke(ivy: Journey) -> None:
    page = ivy.page
    kim = page.locator("#issued-table tbody tr", has_text="Kim Lee")
    kim.get_by_role("link", name="Suspend…").click()
    ivy.check("confirm suspension")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suspend this credential?")
    page.get_by_label("Reason").fill("certificate under review")
    page.get_by_role("button", name="Suspend").click()
    page.wait_for_url(re.compile(r"/issuers/[a-z0-9-]+#credential-"))
    ivy.check("suspended")
    expect(kim).to_contain_text("suspended")
    kim.get_by_role("button", name="Reinstate").click()
    page.wait_for_load_state("load")
    ivy.check("reinstated")
    expect(kim).to_contain_text("active")

    bea = page.locator("#issued-table tbody tr", has_text="Bea Client")
    bea.get_by_role("link", name="Revoke…").click()
    ivy.check("confirm revocation")
    expect(page.locator("#consequence")).to_contain_text("Revoking is final.")
    expect(page.locator("#confirm-facts")).to_contain_text(BEA)
    # The confirmation, with the keyboard alone: Tab to the reason, type it, Enter sends the form.
    reason = page.get_by_label("Reason")
    ivy.tab_to(reason)
    page.keyboard.type("issued to the wrong class")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/issuers/[a-z0-9-]+#credential-"))
    ivy.check("revoked")
    expect(bea).to_contain_text("revoked")
    expect(bea).to_contain_text("issued to the wrong class")
    expect(bea.get_by_role("link", name="Revoke…")).to_have_count(0)  # final


def _revoke_from_a_list(ivy: Journey, tmp_path: Path) -> None:
    """Ivy revokes from a CSV: a list with a bad row revokes nothing and shows the row; a good one shows
    what it revokes, and only her confirmation revokes it."""
    page = ivy.page
    bad = tmp_path / "revoke-bad.csv"
    bad.write_text(
        "email,reason\nkim.lee@example.org,course cancelled\nnobody@example.org,\n", encoding="utf-8"
    )
    form = page.locator("#revoke-batch-form")
    form.get_by_label("CSV file").set_input_files(bad)
    with ivy.expecting_error(422, "/credentials/revoke-batch"):
        form.get_by_role("button", name="Check the list").click()
        page.wait_for_load_state("load")
        ivy.check("revoke list with a bad row")
    errors = page.locator("#revoke-batch-errors")
    expect(errors).to_contain_text("nobody@example.org")
    expect(errors.locator("tbody tr")).to_have_count(1)
    kim = page.locator("#issued-table tbody tr", has_text="Kim Lee")
    expect(kim).to_contain_text("active")

    good = tmp_path / "revoke.csv"
    good.write_text("email,reason\nkim.lee@example.org,course cancelled\n", encoding="utf-8")
    form = page.locator("#revoke-batch-form")
    form.get_by_label("CSV file").set_input_files(good)
    form.get_by_role("button", name="Check the list").click()
    page.wait_for_load_state("load")
    ivy.check("confirm revoking a list")
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke 1 credential?")
    expect(page.locator("#revoke-plan")).to_contain_text("kim.lee@example.org")
    expect(page.locator("#consequence")).to_contain_text("Revoking is final.")
    page.get_by_role("button", name="Revoke 1 for good").click()
    page.wait_for_url(re.compile(r"/issuers/[a-z0-9-]+\?revoked=1"))
    ivy.check("list revoked")
    expect(page.locator("#notice")).to_have_text("1 credential revoked.")
    kim = page.locator("#issued-table tbody tr", has_text="Kim Lee")
    expect(kim).to_contain_text("revoked")
    expect(kim).to_contain_text("course cancelled")


def _revoked_in_the_wallet(holder: Journey) -> None:
    """Bea had an account: the credential went into her wallet (pending), where it now shows revoked."""
    page = holder.page
    holder.sign_in(BEA)
    page.get_by_role("link", name="Wallet").click()
    holder.check("wallet with a revoked credential")
    row = page.locator("#wallet tbody tr", has_text=ACHIEVEMENT)
    expect(row).to_contain_text("revoked by its issuer")
    expect(row).not_to_contain_text("issued here")
    expect(row.get_by_role("button", name=f"Accept {ACHIEVEMENT}")).to_have_count(0)  # only decline it
    expect(row.get_by_role("button", name=f"Decline {ACHIEVEMENT}")).to_be_visible()
    row.get_by_role("link", name="verify").click()
    holder.check("the revoked credential checked again")
    expect(page.locator("#verdict")).to_have_text("NOT VALID")


# The check table fits: inside the screen, and not scrolling in a box of its own either.
_CHECKS_FIT = """() => {
  const table = document.querySelector('#checks');
  return table.getBoundingClientRect().right <= document.documentElement.clientWidth
    && table.scrollWidth <= table.clientWidth + 1
    && document.documentElement.scrollWidth <= document.documentElement.clientWidth;
}"""


def _fits_500_px(visitor: Journey, label: str) -> None:
    """On a 500 px wide screen the check table wraps its long DIDs and URLs instead of scrolling."""
    page = visitor.page
    page.set_viewport_size({"width": 500, "height": 900})
    assert page.evaluate(_CHECKS_FIT), f"the check table does not fit the 500 px screen on {page.url}"
    visitor.check(f"{label} at 500 px")
    page.set_viewport_size({"width": 1280, "height": 900})


def _verify(visitor: Journey, credential_page: str, tmp_path: Path) -> None:
    page = visitor.page
    page.goto(credential_page)  # the link the recipient was sent
    visitor.check("a credential's public page")
    expect(page.locator("#verdict")).to_have_text("VALID")
    expect(page.locator("#checks")).not_to_contain_text("warn")  # the platform's own: every term defined
    expect(page.locator("#facts")).not_to_contain_text("Sam")  # the recipient stays private
    _fits_500_px(visitor, "public page")
    with page.expect_download() as download:
        page.get_by_role("link", name="The credential (JSON)").click()
    document = Path(download.value.path()).read_text(encoding="utf-8")
    with page.expect_download() as download:
        page.get_by_role("link", name="Baked PNG badge").click()
    png = tmp_path / "badge.png"
    download.value.save_as(png)

    page.get_by_role("link", name="Verify", exact=True).first.click()
    visitor.check("verify form")
    page.get_by_label("Paste the credential").fill(document)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("load")
    visitor.check("pasted credential verified")
    expect(page.locator("#verdict")).to_have_text("VALID")
    expect(page.locator("#issuer")).to_contain_text(ISSUER)

    page.get_by_label("Paste the credential").fill("")
    page.get_by_label("or choose a file").set_input_files(png)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("load")
    visitor.check("baked PNG verified")
    expect(page.locator("#verdict")).to_have_text("VALID")
    expect(page.get_by_role("heading", level=2, name="badge.png")).to_be_visible()

    tampered = json.loads(document)
    tampered["credentialSubject"]["achievement"]["name"] = "Containers in practice, with distinction"
    page.get_by_label("Paste the credential").fill(json.dumps(tampered, indent=2))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("load")
    visitor.check("tampered copy refused")
    expect(page.locator("#verdict")).to_have_text("NOT VALID")
    proof = page.locator("#checks tr", has=page.get_by_role("cell", name="proof", exact=True))
    expect(proof).to_contain_text("fail")
    expect(page.locator("#issuer")).to_contain_text("not verified")
    _fits_500_px(visitor, "tampered copy")

    # Another issuer's badge whose status list cannot be reached: signed, but never shown as valid.
    other = Signer()
    unreachable = other.sign(
        credential(
            other.did,
            validFrom="2020-01-01T00:00:00Z",
            validUntil=None,
            credentialStatus=entry("revocation", 3),
        )
    )
    page.get_by_label("Paste the credential").fill(json.dumps(unreachable, indent=2))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("load")
    visitor.check("status unknown")
    expect(page.locator("#verdict")).to_have_text("SIGNATURE VALID, STATUS UNKNOWN")
    expect(page.locator("#verdict-note")).to_contain_text("could not be checked")
    status = page.locator("#checks tr", has=page.get_by_role("cell", name="status", exact=True))
    expect(status).to_contain_text("unknown")
    proof = page.locator("#checks tr", has=page.get_by_role("cell", name="proof", exact=True))
    expect(proof).to_contain_text("pass")

    # An urn:uuid issuer signed by an unrelated did:key: refused, unless the visitor ticks the policy.
    key_only = other.sign(
        credential(
            "urn:uuid:6a1b4f6e-2f0d-4d2c-8f51-0d7f5c1f9e01", validFrom="2020-01-01T00:00:00Z", validUntil=None
        )
    )
    page.get_by_label("Paste the credential").fill(json.dumps(key_only, indent=2))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("load")
    visitor.check("key-only issuer refused")
    expect(page.locator("#verdict")).to_have_text("NOT VALID")
    key = page.locator("#checks tr", has=page.get_by_role("cell", name="key", exact=True))
    expect(key).to_contain_text("key-only issuer policy")
    page.get_by_label("Accept an issuer identified only by its key").check()
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("load")
    visitor.check("key-only issuer accepted")
    expect(page.locator("#verdict")).to_have_text("VALID")
    expect(key).to_contain_text("warn")
    expect(key).to_contain_text("accepted by the key-only issuer policy")
    expect(page.get_by_label("Accept an issuer identified only by its key")).to_be_checked()


def test_an_issuer_issues_and_revokes_and_anyone_verifies(
    open_journey: Callable[[str], Journey], tmp_path: Path
) -> None:
    ivy = open_journey("ivy")
    ivy.sign_in(IVY)
    credential_page = _define_and_issue(ivy, tmp_path)
    _suspend_reinstate_and_revoke(ivy)
    _revoke_from_a_list(ivy, tmp_path)
    _revoked_in_the_wallet(open_journey("bea"))
    _verify(open_journey("visitor"), credential_page, tmp_path)


NEW_ISSUER = "Porto Data School"
ADMIN = "admin@demo.microcareer.dev"


def _new_issuer(ivy: Journey) -> None:
    page = ivy.page
    ivy.nav("Issuers", "issuers before the new one")
    form = page.locator("#issuer-form")
    form.get_by_label("Name").fill(NEW_ISSUER)
    form.get_by_label("Web site").fill("https://data-school.example")
    form.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"/issuers/porto-data-school$"))
    ivy.check("new issuer, unverified")
    expect(page.locator("h1 .issuer-standing")).to_have_text("unverified issuer")
    expect(page.locator("#standing-text")).to_contain_text("reaches no one's wallet")
    expect(page.locator("#approve-issuer")).to_have_count(0)  # Ivy cannot approve her own issuer


def _admin_approves(admin: Journey) -> None:
    page = admin.page
    admin.sign_in(ADMIN)
    admin.nav("Issuers", "issuers, as the platform admin")
    row = page.locator("#issuers tbody tr", has_text=NEW_ISSUER)
    expect(row.locator(".issuer-standing")).to_have_text("unverified issuer")
    row.get_by_role("link", name=NEW_ISSUER).click()
    admin.check("the new issuer's page, as the platform admin")
    page.get_by_role("button", name="Approve this issuer").click()
    page.wait_for_url(re.compile(r"/issuers/porto-data-school#trust$"))
    admin.check("issuer approved")
    expect(page.locator("h1 .issuer-standing")).to_have_text("approved issuer")
    expect(page.get_by_role("button", name="Withdraw approval")).to_be_visible()


def _issue_to_bea(ivy: Journey) -> None:
    page = ivy.page
    ivy.goto("/issuers/porto-data-school", "the approved issuer, as Ivy")
    form = page.locator("#achievement-form")
    form.get_by_label("Name", exact=True).fill("SQL reporting")
    form.get_by_label("Description").fill("Writes reporting queries over a warehouse.")
    form.get_by_label("Criteria: what a recipient did to earn it").fill("Built a monthly sales report.")
    form.get_by_label("Skills, one a line").fill("SQL")
    form.get_by_role("button", name="Define").click()
    page.wait_for_url(re.compile(r"/achievements/\d+/page$"))
    ivy.check("achievement of the approved issuer")
    one = page.locator("#issue-form")
    one.get_by_label("Recipient's e-mail or DID").fill(BEA)
    one.get_by_role("button", name="Issue").click()
    page.wait_for_url(re.compile(r"/credentials/[0-9a-f-]{36}$"))
    ivy.check("credential issued to Bea")
    expect(page.locator("#issuer .issuer-standing")).to_have_text("approved issuer")


def _bea_accepts(bea: Journey) -> None:
    page = bea.page
    bea.sign_in(BEA)
    page.get_by_role("link", name="Wallet").click()
    bea.check("wallet with a pending credential")
    row = page.locator("#wallet tbody tr", has_text="SQL reporting")
    expect(row).to_contain_text("pending")
    expect(row.locator(".issuer-standing")).to_have_text("approved issuer")
    expect(row.get_by_role("button", name="show")).to_have_count(0)  # not shown before it is accepted
    row.get_by_role("button", name="Accept SQL reporting").click()
    page.wait_for_url(re.compile(r"/wallet#entry-\d+$"))
    bea.check("credential accepted")
    row = page.locator("#wallet tbody tr", has_text="SQL reporting")
    expect(row).to_contain_text("valid")
    expect(row).not_to_contain_text("pending")
    expect(row.get_by_role("button", name="show")).to_be_visible()


def test_an_admin_approves_an_issuer_and_a_holder_accepts_its_credential(
    open_journey: Callable[[str], Journey],
) -> None:
    ivy = open_journey("ivy")
    ivy.sign_in(IVY)
    _new_issuer(ivy)
    _admin_approves(open_journey("admin"))
    _issue_to_bea(ivy)
    _bea_accepts(open_journey("bea"))
