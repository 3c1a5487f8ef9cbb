"""Searching, clicked through: Bea posts two Zeppelin jobs (one fixed, one hourly); Ada types a
misspelt search on the job board with the keyboard, is shown what it was read as and both jobs, then
narrows them to the hourly one by its facet link. Bea finds Ada among people by a misspelt search and
narrows it to Porto."""

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


def test_people_found_by_a_misspelt_search_and_a_place(open_journey: OpenJourney) -> None:
    bea = open_journey("bea")
    page = bea.page
    bea.sign_in(BEA)
    bea.nav("Jobs", "job board")
    page.get_by_role("navigation", name="Marketplace").get_by_role("link", name="Find people").click()
    bea.check("find people")
    page.get_by_label("Search people", exact=True).fill("pyhton develper")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(re.compile(r"/talent\?q=pyhton"))
    bea.check("people by a misspelt search")
    expect(page.locator("#people-widened")).to_contain_text("python")
    ada = page.locator("#people tbody tr").filter(has_text="Ada Lovelace")
    expect(ada).to_be_visible()
    refine = page.get_by_role("navigation", name="Refine the people search")
    refine.get_by_role("link", name=re.compile(r"^Porto\b")).click()
    page.wait_for_url(re.compile(r"place=Porto"))
    bea.check("people in Porto")
    expect(page.locator("#people tbody tr").filter(has_text="Ada Lovelace")).to_be_visible()
    expect(page.locator("#people tbody tr[id]").filter(has_not_text="Porto")).to_have_count(0)
