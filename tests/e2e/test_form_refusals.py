"""What a person sees when an htmx button's request is refused: the page's answer, never nothing."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.journey import OpenJourney
from tests.unit.adapters.hostile_documents import empty_paragraphs_docx

BEA = "bea@demo.microcareer.dev"
BRIEF = "Add automated tests in Python to a small Django booking site."


def test_an_expired_job_form_says_so_and_proposes_skills_once_sent_again(open_journey: OpenJourney) -> None:
    bea = open_journey("bea")
    bea.sign_in(BEA)
    bea.nav("Jobs", "job board")
    bea.page.get_by_role("navigation", name="Marketplace").get_by_role("link", name="Post a job").click()
    bea.check("new job form")
    bea.page.get_by_label("Title").fill("Tests for a booking site")
    bea.page.get_by_label("Brief").fill(BRIEF)

    # In another tab she signs out and in again: the form open in the first tab has expired.
    other = open_journey("bea, 2nd tab", same_person_as=bea)
    other.goto("/jobs", "job board")
    other.page.get_by_role("button", name="Sign out").click()
    other.page.wait_for_load_state("load")
    other.check("signed out")
    other.sign_in(BEA)

    with bea.expecting_error(403, "/jobs/new"):
        bea.page.get_by_role("button", name="Propose skills").click()
        expect(bea.page.get_by_role("alert")).to_contain_text("This form expired")
    bea.check("expired form explained")
    expect(bea.page.get_by_label("Brief")).to_have_value(BRIEF)

    bea.page.get_by_role("button", name="Propose skills").click()
    expect(bea.page.locator("#proposed")).to_be_visible()
    bea.check("skills proposed")


def test_a_signed_out_job_form_leads_to_the_sign_in_page(open_journey: OpenJourney) -> None:
    bea = open_journey("bea")
    bea.sign_in(BEA)
    bea.nav("Jobs", "job board")
    bea.page.get_by_role("navigation", name="Marketplace").get_by_role("link", name="Post a job").click()
    bea.check("new job form")
    bea.page.get_by_label("Brief").fill(BRIEF)
    other = open_journey("bea, 2nd tab", same_person_as=bea)
    other.goto("/jobs", "job board")
    other.page.get_by_role("button", name="Sign out").click()
    other.page.wait_for_load_state("load")
    other.check("signed out")

    bea.page.get_by_role("button", name="Propose skills").click()
    bea.page.wait_for_url("**/login?next=/jobs/new")
    bea.check("sent to sign in")
    bea.page.get_by_label("Email").fill(BEA)
    bea.page.get_by_label("Password").fill("microcareer-demo")
    bea.page.get_by_role("button", name="Sign in").click()
    bea.page.wait_for_url("**/jobs/new")
    bea.check("back to the job form")


def test_a_cv_of_millions_of_empty_paragraphs_is_refused_naming_the_limit(
    open_journey: OpenJourney, tmp_path: Path
) -> None:
    """Issue 15: a 150 KB DOCX that once held a server for minutes answers at once, in the form."""
    hostile = tmp_path / "spacing.docx"
    hostile.write_bytes(empty_paragraphs_docx())
    ada = open_journey("ada")
    ada.sign_in("ada@demo.microcareer.dev")
    ada.nav("My profile", "profile")
    ada.page.get_by_role("link", name="Import a CV").click()
    ada.check("import a CV")
    ada.page.get_by_label("CV").set_input_files(hostile)
    with ada.expecting_error(422, "/import-cv"):
        ada.page.get_by_role("button", name="Read the CV").click()
        expect(ada.page.get_by_role("alert")).to_contain_text(
            "spacing.docx: the DOCX has more than the limit of 100,000 paragraphs"
        )
    ada.check("CV refused with its limit")
    expect(ada.page.locator("#proposal-form")).to_have_count(0)
