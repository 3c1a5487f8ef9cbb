"""A client's journey (Bea, from the demo), clicked and typed through the web pages; Grace applies."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.journey import OpenJourney
from tests.e2e.market_steps import apply_to_job, post_job

BEA = "bea@demo.microcareer.dev"
GRACE = "grace@demo.microcareer.dev"


def test_a_client_hires_for_a_micro_job_pays_and_reviews(open_journey: OpenJourney) -> None:
    bea = open_journey("bea")
    bea.sign_in(BEA)
    title = "Tests for a Django shop's checkout"
    post_job(
        bea,
        title=title,
        brief="Write automated tests in Python for the checkout of a Django web shop; fix what they find.",
        amount="600.00",
        hours="12",
    )

    grace = open_journey("grace")
    grace.sign_in(GRACE)
    grace.nav("Jobs", "job board")
    grace.page.get_by_role("link", name=title).click()
    grace.check("the job")
    apply_to_job(grace, price="600", hours="12", weekly="6", message="I test Django shops for a living.")
    grace.check("applied")

    # Shortlist, then accept with two milestones.
    page = bea.page
    page.reload()
    bea.check("an application")
    application = page.locator("article.application").filter(has_text="Grace Hopper")
    application.get_by_role("button", name="Shortlist").click()
    page.wait_for_load_state("load")
    expect(page.locator("article.application").filter(has_text="Grace Hopper")).to_contain_text("shortlisted")
    bea.check("shortlisted")
    accept = page.locator("article.application").filter(has_text="Grace Hopper").locator("form.accept")
    today = date.today()
    for row, (name, amount, days) in enumerate((("Tests", "400", 10), ("Fixes", "200", 20))):
        accept.get_by_label("Title").nth(row).fill(name)
        accept.get_by_label("Amount").nth(row).fill(amount)
        accept.get_by_label("Due").nth(row).fill((today + timedelta(days=days)).isoformat())
    accept.get_by_role("button", name="Accept").click()
    page.wait_for_url(re.compile(r"/contracts/\d+$"))
    bea.check("contract with milestones")
    contract = page.url

    # Fund both; Grace submits them; Bea approves and releases.
    for _ in range(2):
        page.get_by_role("button", name="Fund").first.click()
        page.wait_for_load_state("load")
        bea.check("milestone funded")
    grace.page.goto(contract)  # the contract's link, as Bea would send it
    grace.check("the contract")
    for _ in range(2):
        grace.page.get_by_role("button", name="Submit the work").first.click()
        grace.page.wait_for_load_state("load")
        grace.check("work submitted")
    page.reload()
    bea.check("work to approve")
    for _ in range(2):
        page.get_by_role("button", name="Approve and release").first.click()
        page.wait_for_load_state("load")
        bea.check("approved and released")
    expect(page.locator("#escrow")).to_have_text("EUR 0.00")

    # Complete, then review with the keyboard alone.
    page.locator("#end").get_by_role("button", name="Complete").click()
    page.wait_for_load_state("load")
    bea.check("completed")
    review = page.locator("#review")
    bea.tab_to(review.get_by_label("Rating"))
    page.keyboard.press("ArrowDown")  # from 5 to 4
    page.keyboard.press("Tab")
    page.keyboard.type("Careful tests; found two real bugs.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#review")).to_contain_text("You reviewed this contract.")
    bea.check("reviewed with the keyboard")

    # Grace's profile is for her organisation only, so Bea's page names her without a link to it; Grace
    # finds the review, as rated and typed with the keyboard, on her profile.
    expect(page.locator("main").get_by_role("link", name="Grace Hopper")).to_have_count(0)
    grace.nav("My profile", "her profile with the review")
    expect(grace.page.locator("blockquote.review").filter(has_text="Careful tests")).to_contain_text(
        "4/5 · Careful tests; found two real bugs."
    )
