"""Marketplace steps more than one journey takes, by clicking and typing: a client posts a job, a
professional applies to one."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journey import Journey


def post_job(
    client: Journey,
    *,
    title: str,
    brief: str,
    amount: str,
    hours: str,
    hourly: bool = False,
    propose: bool = True,
) -> int:
    """The client opens "Post a job" from the marketplace tabs, fills the form (skills proposed from the
    brief when ``propose``), publishes, and lands on the job's page; returns the job's id."""
    page = client.page
    client.nav("Jobs", "job board")
    page.get_by_role("navigation", name="Marketplace").get_by_role("link", name="Post a job").click()
    client.check("new job form")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Brief").fill(brief)
    if propose:
        page.get_by_role("button", name="Propose skills").click()
        expect(page.locator("#proposed")).to_be_visible()
        client.check("skills proposed from the brief")
        expect(page.get_by_label("Required skills, one a line")).not_to_have_value("")
    page.get_by_label("per hour" if hourly else "fixed price").check()
    page.get_by_label("Amount").fill(amount)
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Expected hours").fill(hours)
    page.get_by_role("checkbox", name="remote").check()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    client.check("job published")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    found = re.search(r"/jobs/(\d+)$", page.url)
    assert found is not None
    return int(found.group(1))


def apply_to_job(
    professional: Journey, *, price: str, hours: str, weekly: str, message: str, hourly: bool = False
) -> None:
    """On a job's page, the professional fills the application form (the total price, or the rate per
    hour for an hourly job; hours; hours a week; a message) and sends it; their application shows."""
    form = professional.page.locator("#apply-form")
    form.get_by_label("Rate per hour" if hourly else "Total price").fill(price)
    form.get_by_label("Hours", exact=True).fill(hours)
    form.get_by_label("Hours a week").fill(weekly)
    form.get_by_label("Message").fill(message)
    form.get_by_role("button", name="Send the application").click()
    expect(professional.page.locator("#my-application")).to_be_visible()
