"""Browsing the job market (issue 19): demand and trends from the demo postings, filtered by occupation;
the platform admin uploads a small CSV of postings on the market page and sees the report and the
demand of the new place (its postings are few beside the demo's 1,200, so the trends others read stay)."""

from __future__ import annotations

from playwright.sync_api import FilePayload, expect

from tests.e2e.journey import OpenJourney

GRACE = "grace@demo.microcareer.dev"
ADMIN = "admin@demo.microcareer.dev"
POSTINGS_CSV = """job_id,title,description,posted,city
rk-1,Haskell developer,"<p>Our compiler team writes <b>Haskell</b> every day.</p>",2026-10-02,Reykjavik
rk-2,Functional programmer,"Build trading systems in Haskell with a small team.",2026-10-09,Reykjavik
rk-3,Data engineer,"Pipelines in Python for plant dashboards, with Haskell services.",soon,Reykjavik
rk-4,Backend developer,"Keep our Haskell payment services fast, tested and easy to read.",2026-11-03,Reykjavik
"""


def test_a_professional_browses_demand_and_trends_by_occupation(open_journey: OpenJourney) -> None:
    grace = open_journey("grace")
    grace.sign_in(GRACE)
    grace.nav("Market", "job market")
    page = grace.page
    expect(page.locator("#demand-table")).to_be_visible()
    expect(page.locator("#ingest-form")).to_have_count(0)  # platform admins only
    expect(page.locator("#rising-table")).to_contain_text("TypeScript")
    options = page.get_by_label("Occupation").locator("option", has_text="software developer")
    page.get_by_label("Occupation").select_option(options.first.get_attribute("value") or "")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/market?**")
    expect(page.locator("#demand")).to_contain_text("for software developer")
    expect(page.locator("#fading-table")).to_contain_text("AJAX")
    grace.check("software developers' market")


def test_a_professional_weighs_a_credential_and_its_issuer(open_journey: OpenJourney) -> None:
    grace = open_journey("grace")
    grace.sign_in(GRACE)
    grace.nav("Issuers", "issuers")
    page = grace.page
    page.get_by_role("link", name="Porto Code Academy").click()
    expect(page.locator("#quality-signal")).to_contain_text("ESCO alignment")
    expect(page.locator("#quality-signal")).to_contain_text("holders")
    grace.check("the issuer's checkable parts")
    page.get_by_role("link", name="Automated testing in Python").click()
    expect(page.locator("#credential-value")).to_contain_text("postings")
    expect(page.locator("#value-table")).to_contain_text("Python")
    grace.check("demand for the credential's skills")


def test_the_platform_admin_uploads_postings_and_sees_demand_change(open_journey: OpenJourney) -> None:
    admin = open_journey("admin")
    admin.sign_in(ADMIN)
    admin.nav("Market", "job market, as the platform admin")
    page = admin.page
    expect(page.get_by_label("Place").locator("option", has_text="Reykjavik")).to_have_count(0)
    page.get_by_text("Ingest job postings").click()
    upload: FilePayload = {"name": "reykjavik.csv", "mimeType": "text/csv", "buffer": POSTINGS_CSV.encode()}
    page.get_by_label("File", exact=True).set_input_files(files=[upload])
    page.get_by_label("Columns").fill("id=job_id,text=description,date=posted,place=city")
    page.get_by_label("Source").fill("e2e-board")
    admin.check("upload form filled")
    admin.tab_to(page.get_by_role("button", name="Ingest"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/market/postings")
    expect(page.locator("#ingest-report")).to_contain_text("3 postings added")
    expect(page.locator("#ingest-report")).to_contain_text("1 bad rows skipped")
    expect(page.locator("#bad-rows")).to_contain_text("4")
    expect(page.locator("#bad-rows")).to_contain_text("date")
    admin.check("ingest report")
    page.get_by_label("Place").select_option(label="Reykjavik (3)")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/market?**")
    expect(page.locator("#demand")).to_contain_text("Demand over 3 postings")
    expect(page.locator("#demand-table")).to_contain_text("Haskell")
    admin.check("demand in the new place")


BACKGROUND_CSV = """ref,title,description,posted,city
tr-1,Rust developer,"<p>Our embedded team writes <b>Rust</b> for ship sensors.</p>",2026-10-05,Tromso
tr-2,Systems programmer,"Build port logistics software in Rust and C with a small team.",2026-10-12,Tromso
tr-3,Firmware engineer,"Rust firmware for buoys, tested on real hardware.",someday,Tromso
tr-4,Backend developer,"Keep our Rust fishing-quota services fast and easy to read.",2026-11-04,Tromso
"""


def test_the_platform_admin_ingests_postings_in_the_background_and_sees_the_report(
    open_journey: OpenJourney,
) -> None:
    admin = open_journey("admin")
    admin.sign_in(ADMIN)
    admin.nav("Market", "job market, before a background ingest")
    page = admin.page
    page.get_by_text("Ingest job postings").click()
    upload: FilePayload = {"name": "tromso.csv", "mimeType": "text/csv", "buffer": BACKGROUND_CSV.encode()}
    page.get_by_label("File", exact=True).set_input_files(files=[upload])
    page.get_by_label("Columns").fill("id=ref,text=description,date=posted,place=city")
    page.get_by_label("Source").fill("e2e-background")
    page.get_by_label("In the background").check()
    admin.check("background upload form filled")
    page.get_by_role("button", name="Ingest").click()
    page.wait_for_url("**/market/ingests/*")
    admin.check("the job's page, just started")
    # the page refreshes itself (htmx) while the job runs; a person may also follow "Refresh"
    refresh = page.get_by_role("link", name="Refresh")
    if refresh.count():
        refresh.click()
        page.wait_for_url("**/market/ingests/*")
        admin.check("the job's page, refreshed")
    expect(page.locator("#ingest-job")).to_have_attribute("data-state", "done", timeout=60_000)
    expect(page.locator("#job-report")).to_contain_text("3 postings added")
    expect(page.locator("#job-report")).to_contain_text("1 bad rows skipped")
    expect(page.locator("#bad-rows")).to_contain_text("posted")  # the file's column at fault
    admin.check("the background ingest's report")
    page.get_by_role("link", name="Job market").click()
    page.wait_for_url("**/market")
    expect(page.locator("#ingest-jobs")).to_contain_text("tromso.csv")
    admin.check("the job listed on the market page")
