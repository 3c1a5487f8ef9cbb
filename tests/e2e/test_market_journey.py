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
