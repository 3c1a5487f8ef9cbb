"""A professional's journey (Ada, from the demo), clicked and typed through the web pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.journey import OpenJourney
from tests.e2e.market_steps import apply_to_job, post_job

CV = Path(__file__).resolve().parents[1] / "data" / "cvs" / "backend-developer.md"
ADA = "ada@demo.microcareer.dev"
BEA = "bea@demo.microcareer.dev"


def test_a_professional_builds_a_profile_and_works(
    open_journey: OpenJourney,
) -> None:
    ada = open_journey("ada")
    page = ada.page
    ada.sign_in(ADA)

    # The profile, edited with the keyboard alone: Tab to the headline, type, Tab on, Enter to save.
    ada.nav("My profile", "profile")
    headline = page.get_by_label("Headline")
    ada.tab_to(headline)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Backend developer: Python, PostgreSQL and containers")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#headline")).to_have_text("Backend developer: Python, PostgreSQL and containers")
    ada.check("headline saved with the keyboard")

    # A skill named by a tool: Docker is not an ESCO label, but the resolver knows its tool names.
    skill_form = page.locator("#skill-form")
    skill_form.get_by_label("Skill", exact=True).fill("Docker")
    skill_form.get_by_label("Level").select_option("4")
    skill_form.get_by_role("button", name="Add").click()
    page.wait_for_load_state("load")
    ada.check("skill named Docker")
    expect(page.locator("table.skills")).to_contain_text("ICT virtualisation")

    # A CV read, its proposal checked and saved.
    page.get_by_role("link", name="Import a CV").click()
    ada.check("import a CV")
    page.get_by_label("CV").set_input_files(CV)
    page.get_by_role("button", name="Read the CV").click()
    expect(page.locator("#proposal-form")).to_be_visible()
    ada.check("CV proposal")
    page.get_by_role("button", name="Save what I ticked").click()
    page.wait_for_load_state("load")
    ada.check("CV saved")
    expect(page.locator("article.experience").filter(has_text="Northwind Freight")).to_have_count(1)

    # Her gap to an occupation.
    page.get_by_role("navigation", name="Profile").get_by_role("link", name="Gap to an occupation").click()
    ada.check("gap page")
    page.get_by_label("Occupation").fill("software developer")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#fit")).to_contain_text("software developer")
    ada.check("gap to software developer")

    # Availability: off (hidden from searches), then on again.
    ada.nav("My profile", "profile again")
    edit = page.locator("#profile")
    edit.get_by_label("Show me in searches").uncheck()
    edit.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    expect(page.locator("dl.facts")).to_contain_text("not available")
    ada.check("not available")
    page.locator("#profile").get_by_label("Show me in searches").check()
    page.locator("#profile").get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    expect(page.locator("dl.facts")).not_to_contain_text("not available")
    ada.check("available again")

    # A client posts an hourly job; Ada finds it, looks at her gap to it and applies.
    bea = open_journey("bea")
    bea.sign_in(BEA)
    title = "Weekly fixes to a booking API"
    job_id = post_job(
        bea,
        title=title,
        brief="Fix bugs in a Python and PostgreSQL booking API, a few hours a week, with tests.",
        amount="60.00",
        hours="16",
        hourly=True,
    )
    ada.nav("Jobs", "job board")
    page.get_by_role("link", name=title).click()
    ada.check("the job")
    page.get_by_role("link", name="Your gap to this job").click()
    ada.check("gap to the job")
    page.go_back()
    ada.check("the job again")
    apply_to_job(
        ada,
        price="60",
        hours="16",
        weekly="4",
        message="I built two booking systems; happy to start this week.",
        hourly=True,
    )
    ada.check("applied")
    page.get_by_role("navigation", name="Marketplace").get_by_role("link", name="My applications").click()
    expect(page.locator("main")).to_contain_text(title)
    ada.check("my applications")

    # The client accepts; Ada logs time on the contract.
    bea.page.reload()
    bea.check("job with an application")
    bea.page.get_by_role("button", name="Accept").click()
    bea.page.wait_for_url(re.compile(r"/contracts/\d+"))
    bea.check("contract started")
    contract_url = bea.page.url
    ada.nav("Contracts", "contracts")
    page.get_by_role("link", name=title).first.click()
    ada.check("the contract")
    assert page.url == contract_url
    log = page.locator("#log-time")
    log.get_by_label("or minutes").fill("90")
    log.get_by_label("Note").fill("reproduced the double-booking bug")
    log.get_by_role("button", name="Log").click()
    expect(page.locator("#time")).to_be_visible()
    expect(page.locator("body")).to_contain_text("reproduced the double-booking bug")
    ada.check("time logged")
    del job_id

    # A milestone of the demo's running contract, submitted.
    ada.nav("Contracts", "contracts again")
    page.get_by_role("link", name="Admin screens for a shop").first.click()
    ada.check("fixed-price contract")
    submit = page.locator("form", has=page.get_by_role("button", name="Submit the work"))
    submit.get_by_placeholder("note (optional)").fill("Stock screens and the handover document are in.")
    submit.get_by_role("button", name="Submit the work").click()
    page.wait_for_load_state("load")
    expect(page.locator("#milestones ~ table").first).to_contain_text("submitted")
    ada.check("milestone submitted")

    # The dashboard.
    ada.nav("Dashboard")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    settings = page.locator("#settings")
    settings.get_by_label("Workload limit (hours a week)").fill("32")
    settings.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    expect(page.locator("#settings")).to_contain_text("Saved.")
    expect(page.locator("#settings").get_by_label("Workload limit (hours a week)")).to_have_value("32")
    ada.check("dashboard settings saved")

    # The wallet: a credential shown on the profile, then hidden again.
    ada.nav("Wallet", "wallet")
    first = page.locator("#wallet tbody tr").first
    expect(first).to_contain_text("hidden")
    first.get_by_role("button", name="show").click()
    page.wait_for_load_state("load")
    expect(page.locator("#wallet tbody tr").first).to_contain_text("shown")
    ada.check("credential shown")
    page.locator("#wallet tbody tr").first.get_by_role("button", name="hide").click()
    page.wait_for_load_state("load")
    expect(page.locator("#wallet tbody tr").first).to_contain_text("hidden")
    ada.check("credential hidden")

    # Her profile as a JSON Resume file.
    ada.nav("My profile", "profile for export")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as JSON Resume").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["basics"]["name"] == "Ada Lovelace"
    assert exported["basics"]["label"] == "Backend developer: Python, PostgreSQL and containers"
    assert any(work.get("name") == "Northwind Freight GmbH" for work in exported.get("work", []))
