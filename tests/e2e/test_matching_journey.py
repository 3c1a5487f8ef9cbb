"""Matching both ways, clicked through: Bea sees candidates with explanations on her job's page; Ada
finds the job "for you", a stretch job with the skill it would add, saves one and dismisses the other
(with the keyboard), and the dismissal is remembered."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journey import Journey, OpenJourney

ADA = "ada@demo.microcareer.dev"
BEA = "bea@demo.microcareer.dev"
# Skills typed by their ESCO keys, as copied from a skill's page (the form takes a label, key or URI)
PYTHON = "ccd0a1d9-afda-43d9-b901-96344886e14d"
SQL = "598de5b0-5b58-4ea7-8058-a4bc4d18c742"
DRUPAL = "1de3942b-99d8-41e8-9ef0-fbc9e9f6307b"  # a sibling of WordPress, which Ada has


def _post(bea: Journey, title: str, required: str, nice: str = "") -> int:
    page = bea.page
    bea.nav("Jobs", "job board")
    page.get_by_role("navigation", name="Marketplace").get_by_role("link", name="Post a job").click()
    bea.check("new job form")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Brief").fill(f"{title}: a short piece of work in Python for our small web shop.")
    page.get_by_label("Required skills, one a line").fill(required)
    page.get_by_label("Nice-to-have skills").fill(nice)
    page.get_by_label("fixed price").check()
    page.get_by_label("Amount").fill("400.00")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Expected hours").fill("10")
    page.get_by_role("checkbox", name="remote").check()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    bea.check("job published")
    found = re.search(r"/jobs/(\d+)$", page.url)
    assert found is not None
    return int(found.group(1))


def test_candidates_for_the_poster_and_jobs_for_the_professional(open_journey: OpenJourney) -> None:
    bea = open_journey("bea")
    bea.sign_in(BEA)
    fit = _post(bea, "Python scripts for the shop's reports", PYTHON, SQL)
    candidates = bea.page.locator("#candidates")
    expect(candidates).to_be_visible()
    ada_card = candidates.locator("article.candidate").filter(has_text="Ada Lovelace")
    expect(ada_card).to_contain_text("Python (computer programming) (required): on the profile")
    bea.check("candidates with explanations")
    stretch = _post(bea, "A Drupal shop with Python exports", f"{PYTHON}\n{DRUPAL}")
    expect(bea.page.locator("#candidates").locator("article.candidate").first).to_contain_text("via")

    ada = open_journey("ada")
    page = ada.page
    ada.sign_in(ADA)
    ada.nav("Jobs", "job board")
    page.get_by_role("navigation", name="Marketplace").get_by_role("link", name="For you").click()
    ada.check("jobs for you")
    fit_item = page.locator(f"#fit-now #job-{fit}")
    expect(fit_item).to_contain_text("Python scripts for the shop's reports")
    stretch_item = page.locator(f"#stretch #job-{stretch}")
    expect(stretch_item.locator(".would-add")).to_contain_text("Drupal")
    expect(stretch_item).to_contain_text("via WordPress")

    fit_item.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/for-you"))
    expect(page.locator(f"#saved-{fit}")).to_be_visible()
    ada.check("a job saved")

    dismiss = page.locator(f"#stretch #job-{stretch}").get_by_role("button", name="Dismiss")
    ada.tab_to(dismiss)
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator(f"#job-{stretch}")).to_have_count(0)
    ada.check("a job dismissed with the keyboard")
    page.reload()
    ada.check("dismissal remembered")
    expect(page.locator(f"#job-{stretch}")).to_have_count(0)
    expect(page.locator(f"#saved-{fit}")).to_be_visible()
