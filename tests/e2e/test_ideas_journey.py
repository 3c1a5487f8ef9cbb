"""Intrapreneurship at Northwind (issue 22), clicked and typed through the pages: Grace, a member,
pitches an idea on the organisation's idea board (with the keyboard alone); Olga, her colleague and the
organisation's manager (Northwind has the two of them in the demo), supports it and asks to join, then
sponsors it with a budget of hours and turns it into an internal micro-job, which opens on the job board
as an internal gig; Grace accepts her onto the idea and records the outcome."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journey import Journey, OpenJourney

GRACE = "grace@demo.microcareer.dev"
OLGA = "olga@demo.microcareer.dev"
ORGANISATION = "Northwind Traders"
IDEA = "Release notes written from the merged changes"
GIG = "Draft release notes from merge messages"


def _grace_pitches(grace: Journey) -> None:
    page = grace.page
    page.get_by_role("link", name=ORGANISATION).click()
    grace.check("idea board, empty")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{ORGANISATION}: ideas")
    form = page.locator("#pitch-form")
    form.get_by_label("Title").fill(IDEA)
    form.get_by_label("The problem").fill("Release notes take a day of a lead's time every release.")
    form.get_by_label("Your proposal").fill(
        "Draft them from the merged changes' messages and let a lead edit."
    )
    form.get_by_label("Skills it needs").fill("Docker")
    # the last field typed and the form sent with the keyboard alone
    hours = form.get_by_label("Hours it would take")
    grace.tab_to(hours)
    page.keyboard.type("24")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/organisations/northwind/ideas/\d+$"))
    grace.check("the idea pitched")
    expect(page.get_by_role("heading", level=1)).to_have_text(IDEA)
    expect(page.locator("#budget")).to_have_text("Not sponsored yet.")
    # no supporting or joining one's own idea
    expect(page.get_by_role("button", name="Support")).to_have_count(0)


def _olga_supports_joins_and_sponsors(olga: Journey) -> None:
    page = olga.page
    page.get_by_role("link", name=ORGANISATION).click()
    olga.check("skills inventory")
    page.get_by_role("navigation", name="Organisation").get_by_role("link", name="Ideas").click()
    olga.check("idea board")
    page.get_by_role("link", name=IDEA).click()
    olga.check("Grace's idea")
    page.get_by_role("button", name="Support").click()
    expect(page.locator("#supporters")).to_have_text("1 support: Olga Orgadmin")
    olga.check("supported")
    page.get_by_label("What you would bring").fill("I keep the release pipeline")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.locator("#join-requests")).to_contain_text(
        "Olga Orgadmin asks to join: I keep the release pipeline"
    )
    olga.check("asked to join")

    page.get_by_label("Budget of hours").fill("16")
    page.get_by_role("button", name="Sponsor").click()
    expect(page.locator("#budget")).to_have_text(
        "Sponsored by Olga Orgadmin with 16 h: 0 h in gigs, 16 h left."
    )
    olga.check("sponsored")

    form = page.locator("#job-form")
    form.get_by_label("Title").fill(GIG)
    form.get_by_label("Brief").fill(
        "Write the tool that drafts release notes from the merge messages of a release."
    )
    form.get_by_label("Hours").fill("10")
    form.get_by_label("Pay").fill("35.00")
    form.get_by_role("button", name="Make an internal gig").click()
    page.wait_for_url(re.compile(r"/ideas/\d+#job-\d+$"))
    expect(page.locator("#budget")).to_have_text(
        "Sponsored by Olga Orgadmin with 16 h: 10 h in gigs, 6 h left."
    )
    olga.check("an internal gig made of the idea")
    page.locator("#idea-jobs").get_by_role("link", name=GIG).click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    olga.check("the gig on the job board")
    expect(page.get_by_role("heading", level=1)).to_have_text(GIG)
    expect(page.locator("body")).to_contain_text(ORGANISATION)


def _grace_records_the_outcome(grace: Journey) -> None:
    page = grace.page
    page.get_by_role("link", name=ORGANISATION).click()
    grace.check("idea board, sponsored")
    expect(page.locator("#ideas li").filter(has_text=IDEA)).to_contain_text("sponsored: 16 h")
    page.get_by_role("link", name=IDEA).click()
    grace.check("the idea with its gig")
    expect(page.locator("#idea-jobs")).to_contain_text(GIG)
    page.get_by_role("button", name="Accept Olga Orgadmin").click()
    expect(page.locator("#join-requests")).to_contain_text("Olga Orgadmin is on the idea")
    grace.check("Olga accepted onto the idea")
    page.get_by_role("combobox", name="Outcome").select_option(label="In progress")
    page.get_by_label("What happened").fill("The gig is open; Olga joins the work")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("#outcome")).to_have_text("in progress")
    expect(page.locator("#outcome-note")).to_contain_text("The gig is open; Olga joins the work")
    grace.check("outcome recorded")


def test_a_member_pitches_a_colleague_supports_a_manager_sponsors_it_into_internal_gigs(
    open_journey: OpenJourney,
) -> None:
    grace = open_journey("grace")
    grace.sign_in(GRACE)
    _grace_pitches(grace)
    olga = open_journey("olga")
    olga.sign_in(OLGA)
    _olga_supports_joins_and_sponsors(olga)
    _grace_records_the_outcome(grace)
