"""An organisation's journey (Northwind, from the demo) in Chromium: its admin Olga and its employee Grace.

Olga reaches the skills inventory and the gap to a target role from the navigation, names herself
Grace's manager (with the keyboard alone), posts an internal gig, and as Grace's manager approves
Grace's application to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.journey import Journey
from tests.e2e.market_steps import apply_to_job

OLGA = "olga@demo.microcareer.dev"
GRACE = "grace@demo.microcareer.dev"
ORGANISATION = "Northwind Traders"
GIG = "Move the release pipeline's tests to containers"


def _skills_pages(olga: Journey) -> None:
    page = olga.page
    page.get_by_role("link", name=ORGANISATION).click()
    olga.check("skills inventory")
    expect(page.get_by_role("heading", level=1)).to_contain_text("skills inventory")
    # Olga has no skills on a profile; Grace's profile is for the organisation: one member is shown.
    expect(page.locator("#member-count")).to_have_text(
        "1 of 2 members shown; 1 has no skills on a profile yet."
    )
    expect(page.locator("#inventory")).to_contain_text("Grace Hopper")
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Gap to target roles"
    ).click()
    olga.check("role gap form")
    page.get_by_label("Target role").fill("software developer")
    page.get_by_role("button", name="Rank the members").click()
    page.wait_for_url(re.compile(r"/gap\?role="))
    olga.check("members ranked for software developer")
    expect(page.locator("section.role")).to_contain_text("Grace Hopper")


def _name_manager(olga: Journey) -> None:
    page = olga.page
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Members and managers"
    ).click()
    olga.check("members and managers")
    grace = page.locator("#members tbody tr", has=page.get_by_role("link", name="Grace Hopper"))
    expect(grace.locator("option:checked")).to_have_text("none: the admins approve")
    # With the keyboard alone: Tab to Grace's manager, choose Olga, Tab to Save, Enter.
    choice = grace.get_by_label("Manager of Grace Hopper")
    olga.tab_to(choice)
    choice.select_option(label="Olga Orgadmin")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/members#member-\d+$"))
    olga.check("Grace's manager named")
    expect(grace.get_by_label("Manager of Grace Hopper")).to_have_value(re.compile(r"^\d+$"))
    expect(grace.locator("option:checked")).to_have_text("Olga Orgadmin")


def _post_internal_gig(olga: Journey) -> None:
    page = olga.page
    page.get_by_role("link", name="Jobs", exact=True).first.click()
    olga.check("job board")
    page.get_by_role("navigation", name="Marketplace").get_by_role("link", name="Post a job").click()
    olga.check("new job form")
    page.get_by_label("Title").fill(GIG)
    page.get_by_label("Brief").fill("Run the release pipeline's integration tests in Docker containers.")
    page.get_by_label("Required skills, one a line").fill("Docker")
    page.get_by_label("fixed price").check()
    page.get_by_label("Amount").fill("400.00")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Expected hours").fill("12")
    page.get_by_label("remote", exact=True).check()
    page.get_by_label("internal, for the members of").check()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    olga.check("internal gig published")
    expect(page.get_by_role("heading", level=1)).to_have_text(GIG)


def _grace_applies(grace: Journey) -> None:
    page = grace.page
    page.get_by_role("link", name="Jobs", exact=True).first.click()
    grace.check("job board")
    page.get_by_role("link", name=GIG).click()
    grace.check("the internal gig")
    apply_to_job(
        grace,
        price="400",
        hours="12",
        weekly="4",
        message="I wrote half of that pipeline; two afternoons a week suit me.",
    )
    grace.check("applied, waiting for approval")


def _olga_approves(olga: Journey) -> None:
    page = olga.page
    page.get_by_role("navigation", name="Marketplace").get_by_role("link", name="Approvals").click()
    olga.check("approvals")
    row = page.locator("#approvals tbody tr", has_text=GIG)
    expect(row).to_contain_text("Grace Hopper")
    row.get_by_role("button", name="Approve").click()
    page.wait_for_load_state("load")
    olga.check("approved")
    expect(page.locator("#approvals tbody tr", has_text=GIG)).to_have_count(0)
    page.get_by_role("link", name="Jobs", exact=True).first.click()
    olga.check("job board again")
    page.get_by_role("link", name=GIG).click()
    olga.check("the gig with an approved application")
    expect(page.locator("body")).to_contain_text("manager's approval: approved")


def test_an_organisation_admin_sees_its_skills_names_a_manager_who_approves_an_internal_gig(
    open_journey: Callable[[str], Journey],
) -> None:
    olga = open_journey("olga")
    olga.sign_in(OLGA)
    _skills_pages(olga)
    _name_manager(olga)
    _post_internal_gig(olga)
    grace = open_journey("grace")
    grace.sign_in(GRACE)
    _grace_applies(grace)
    _olga_approves(olga)
