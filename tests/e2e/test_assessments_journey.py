"""Skill assessments, clicked and typed through the pages (issue 22): Ivy's academy sets a timed Python
question set that earns a microcredential; Ada takes it against the server's clock, passes, finds the
pass dated on her profile and the score in the credential; Bea requires the assessment on a job and,
once Ada applies, sees that she passed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from playwright.sync_api import expect

from tests.e2e.journey import OpenJourney
from tests.e2e.market_steps import post_job

ADA = "ada@demo.microcareer.dev"
BEA = "bea@demo.microcareer.dev"
IVY = "ivy@demo.microcareer.dev"
TITLE = "Python basics, timed"


def test_a_passed_assessment_is_dated_evidence_a_credential_and_a_hiring_signal(
    open_journey: OpenJourney,
) -> None:
    ivy = open_journey("ivy")
    ivy.sign_in(IVY)
    ivy.nav("Assessments", "assessments")
    form = ivy.page.locator("#assessment-form")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("Skills (comma-separated)").fill("Python")
    form.get_by_label("Items per attempt").fill("2")
    form.get_by_label("Pass mark (%)").fill("50")
    form.get_by_label("Minutes allowed").fill("15")
    form.get_by_label("A pass earns").select_option(label="Python basics (assessed)")
    form.get_by_role("button", name="Save as a draft").click()
    ivy.page.wait_for_url(re.compile(r"/assessments/\d+$"))
    ivy.check("draft assessment")
    bank = ivy.page.locator("#item-form")
    bank.get_by_label("Kind").select_option(label="single choice")
    bank.get_by_label("Question", exact=True).fill("Which keyword defines a function?")
    bank.get_by_label("Options, one a line (choice questions)").fill("def\nfun\nfunction")
    bank.get_by_label("Right options (numbers, the first is 1)").fill("1")
    bank.get_by_role("button", name="Add the question").click()
    ivy.page.wait_for_url(re.compile(r"/assessments/\d+#bank$"))
    ivy.check("one question")
    bank.get_by_label("Kind").select_option(label="short text")
    bank.get_by_label("Question", exact=True).fill("What is Python's package installer called?")
    # sent with the keyboard: Tab to the accepted answers, type, Tab to the button, Enter
    accepted = bank.get_by_label("Accepted answers, one a line (short text)")
    ivy.tab_to(accepted)
    ivy.page.keyboard.type("pip")
    ivy.tab_to(bank.get_by_role("button", name="Add the question"))
    ivy.page.keyboard.press("Enter")
    expect(ivy.page.locator("#bank")).to_contain_text("2 items")
    ivy.check("two questions, answers shown to the author")
    ivy.page.get_by_role("button", name="Publish").click()
    expect(ivy.page.locator("#assessment-state")).to_have_text("published")
    ivy.check("published")

    ada = open_journey("ada")
    ada.sign_in(ADA)
    ada.nav("Assessments", "catalogue")
    ada.page.get_by_role("link", name=TITLE).click()
    ada.check("the assessment")
    ada.page.get_by_role("button", name="Start an attempt").click()
    ada.page.wait_for_url(re.compile(r"/assessment-attempts/\d+$"))
    expect(ada.page.locator("#timer")).to_contain_text(re.compile(r"1[45] min \d+ s left"))
    expect(ada.page.locator("#timer")).to_contain_text("UTC")
    assert not re.search(r"\bpip\b", ada.page.content(), re.IGNORECASE)  # no accepted answer in the page
    ada.check("taking the assessment")
    ada.page.locator("fieldset", has_text="defines a function").get_by_label("def", exact=True).check()
    ada.page.locator("fieldset", has_text="package installer").get_by_label("Your answer").fill("PIP")
    ada.page.get_by_role("button", name="Submit").click()
    expect(ada.page.locator("#score")).to_contain_text("2 of 2 points (100%) — passed")
    ada.check("passed")
    today = datetime.now(UTC).date().isoformat()
    ada.page.locator("#credential-link").click()
    expect(ada.page.locator("#results")).to_contain_text("score")
    expect(ada.page.locator("#results")).to_contain_text("100")
    ada.check("the credential carries the score")
    ada.nav("My profile", "profile with the pass")
    expect(ada.page.locator("table.skills")).to_contain_text(f"assessment passed on {today} (100%)")

    bea = open_journey("bea")
    bea.sign_in(BEA)
    job_id = post_job(
        bea,
        title="A Python script for CSV exports",
        brief="Write a small Python script that cleans the shop's monthly CSV exports.",
        amount="200.00",
        hours="6",
    )
    required = bea.page.locator("#require-form")
    required.get_by_label(TITLE).check()
    required.get_by_role("button", name="Save the required assessments").click()
    bea.page.wait_for_url(re.compile(rf"/jobs/{job_id}#assessments$"))
    expect(bea.page.locator("#required-assessments")).to_contain_text(TITLE)
    bea.check("job requires the assessment")

    ada.nav("Jobs", "job board")
    ada.page.get_by_role("link", name="A Python script for CSV exports").click()
    ada.check("the job, with its required assessment")
    expect(ada.page.locator("#required-assessments")).to_contain_text(f"you passed on {today}")
    apply = ada.page.locator("#apply-form")
    apply.get_by_label("Total price").fill("200")
    apply.get_by_label("Hours", exact=True).fill("6")
    apply.get_by_label("Hours a week").fill("6")
    apply.get_by_label("Message").fill("I passed your assessment this morning.")
    apply.get_by_role("button", name="Send the application").click()
    expect(ada.page.locator("#my-application")).to_be_visible()
    ada.check("applied")

    bea.page.reload()
    expect(bea.page.locator("#assessment-passes")).to_contain_text("Ada Lovelace")
    expect(bea.page.locator("#assessment-passes")).to_contain_text(f"passed {today} (100%)")
    bea.check("who passed")
