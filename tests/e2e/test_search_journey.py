"""Searching the job board, clicked through: Bea posts two Zeppelin jobs (one fixed, one hourly); Ada
types a misspelt search with the keyboard, is shown what it was read as and both jobs, then narrows
them to the hourly one by its facet link."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journey import OpenJourney
from tests.e2e.market_steps import post_job

ADA = "ada@demo.microcareer.dev"
BEA = "bea@demo.microcareer.dev"


def test_a_misspelt_search_and_a_facet(open_journey: OpenJourney) -> None:
    bea = open_journey("bea")
    bea.sign_in(BEA)
    brief = "Clean the telemetry of our Zeppelin fleet with Python and chart it."
    fixed = post_job(bea, title="Zeppelin telemetry cleanup", brief=brief, amount="300.00", hours="8")
    hourly = post_job(
        bea, title="Zeppelin telemetry pipeline", brief=brief, amount="40.00", hours="12", hourly=True
    )

    ada = open_journey("ada")
    page = ada.page
    ada.sign_in(ADA)
    ada.nav("Jobs", "job board")
    box = page.locator("#job-search").get_by_label("Search", exact=True)
    ada.tab_to(box)
    page.keyboard.type("zepelin telemetr")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/jobs\?q=zepelin"))
    ada.check("a misspelt search")
    expect(page.locator("#jobs-widened")).to_contain_text("zeppelin")
    expect(page.locator(f"#job-{fixed}")).to_be_visible()
    expect(page.locator(f"#job-{hourly}")).to_be_visible()
    expect(page.locator("#jobs tbody tr[id]")).to_have_count(2)

    refine = page.get_by_role("navigation", name="Refine the search")
    refine.get_by_role("link", name=re.compile(r"^hourly\b")).click()
    page.wait_for_url(re.compile(r"budget_kind=hourly"))
    ada.check("narrowed to hourly jobs")
    expect(page.locator("#jobs tbody tr[id]")).to_have_count(1)
    expect(page.locator(f"#job-{hourly}")).to_contain_text("Zeppelin telemetry pipeline")
    expect(page.locator("#job-search").get_by_label("Budget")).to_have_value("hourly")
