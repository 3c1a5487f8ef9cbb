"""Browsing the job market (issue 19): demand and trends from the demo postings, filtered by occupation."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.journey import OpenJourney

GRACE = "grace@demo.microcareer.dev"


def test_a_professional_browses_demand_and_trends_by_occupation(open_journey: OpenJourney) -> None:
    grace = open_journey("grace")
    grace.sign_in(GRACE)
    grace.nav("Market", "job market")
    page = grace.page
    expect(page.locator("#demand-table")).to_be_visible()
    expect(page.locator("#rising-table")).to_contain_text("TypeScript")
    options = page.get_by_label("Occupation").locator("option", has_text="software developer")
    page.get_by_label("Occupation").select_option(options.first.get_attribute("value") or "")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/market?**")
    expect(page.locator("#demand")).to_contain_text("for software developer")
    expect(page.locator("#fading-table")).to_contain_text("AJAX")
    grace.check("software developers' market")
