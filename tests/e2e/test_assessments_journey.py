"""Skill assessments, clicked and typed through the pages (issue 22): Ivy's academy sets a timed Python
question set that earns a microcredential; Ada takes it against the server's clock, passes, finds the
pass dated on her profile and the score in the credential; Bea requires the assessment on a job and,
once Ada applies, sees that she passed. Olga's organisation sets a work sample that Grace reviews: Bea
submits her work and Grace scores it against the rubric."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from playwright.sync_api import expect

from tests.e2e.journey import OpenJourney
from tests.e2e.market_steps import apply_to_job, post_job

ADA = "ada@demo.microcareer.dev"
BEA = "bea@demo.microcareer.dev"
IVY = "ivy@demo.microcareer.dev"
OLGA = "olga@demo.microcareer.dev"
GRACE = "grace@demo.microcareer.dev"
TITLE = "Python basics, timed"
SAMPLE = "Monthly sales in SQL"


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
    apply_to_job(ada, price="200", hours="6", weekly="6", message="I passed your assessment this morning.")
    ada.check("applied")

    bea.page.reload()
    expect(bea.page.locator("#assessment-passes")).to_contain_text("Ada Lovelace")
    expect(bea.page.locator("#assessment-passes")).to_contain_text(f"passed {today} (100%)")
    bea.check("who passed")


def test_a_work_sample_is_scored_by_its_reviewer(open_journey: OpenJourney) -> None:
    olga = open_journey("olga")
    olga.sign_in(OLGA)
    olga.nav("Assessments", "assessments")
    form = olga.page.locator("#assessment-form")
    form.get_by_label("Set by").select_option(label="Northwind Traders")
    form.get_by_label("Title").fill(SAMPLE)
    form.get_by_label("Skills (comma-separated)").fill("SQL")
    form.get_by_label("Kind").select_option(label="work sample")
    form.get_by_label("Pass mark (%)").fill("60")
    form.get_by_label("Minutes allowed").fill("90")
    form.get_by_label("Work sample: the task").fill(
        "Write the SQL for last month's sales per shop; link to it."
    )
    form.get_by_label('Work sample: rubric, one "criterion = points" a line').fill(
        "correct = 6\nreadable = 4"
    )
    form.get_by_label("Work sample: reviewer's e-mail").fill(GRACE)
    form.get_by_role("button", name="Save as a draft").click()
    olga.page.wait_for_url(re.compile(r"/assessments/\d+$"))
    olga.page.get_by_role("button", name="Publish").click()
    expect(olga.page.locator("#assessment-state")).to_have_text("published")
    olga.check("work sample published")

    bea = open_journey("bea")  # a client: proving a skill is open to anyone signed in
    bea.sign_in(BEA)
    bea.nav("Assessments", "catalogue")
    bea.page.get_by_role("link", name=SAMPLE).click()
    bea.check("the work sample")
    bea.page.get_by_role("button", name="Start an attempt").click()
    expect(bea.page.locator("#task")).to_contain_text("last month's sales")
    bea.check("the task, timed")
    bea.page.get_by_label("Your work, or a link to it").fill("https://git.example/bea/sales-sql")
    bea.page.get_by_role("button", name="Submit").click()
    expect(bea.page.locator("#attempt-state")).to_have_text("awaiting review")
    bea.check("waiting for the reviewer")

    grace = open_journey("grace")
    grace.sign_in(GRACE)
    grace.nav("Assessments", "catalogue")
    grace.page.get_by_role("link", name=SAMPLE).click()
    expect(grace.page.locator("#attempts")).to_contain_text("waits for your score")
    grace.check("an attempt to score")
    grace.page.locator("#attempts").get_by_role("link", name="Bea Client").click()
    score = grace.page.locator("#score-form")
    score.get_by_label("correct (0 to 6)").fill("5")
    score.get_by_label("readable (0 to 4)").fill("3")
    # sent with the keyboard: Tab to the comment, type, Tab to the button, Enter
    grace.tab_to(score.get_by_label("Comment"))
    grace.page.keyboard.type("Right totals; name the CTEs.")
    grace.tab_to(score.get_by_role("button", name="Save the score"))
    grace.page.keyboard.press("Enter")
    expect(grace.page.locator("#score")).to_contain_text("8 of 10 points (80%) — passed")
    grace.check("scored")

    bea.page.reload()
    expect(bea.page.locator("#score")).to_contain_text("80%")
    expect(bea.page.locator("#rubric-points")).to_contain_text("correct: 5 of 6")
    bea.check("the reviewer's score")
