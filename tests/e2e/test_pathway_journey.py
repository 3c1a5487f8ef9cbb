"""A learning pathway made from the gap page (Ada, from the demo): the plan, its timeline, a step marked
done and the rest re-planned, the career shape after the plan, the plan made again preferring breadth;
and a plan refused for a mistake in the form."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.journey import OpenJourney

ADA = "ada@demo.microcareer.dev"


def test_a_professional_plans_the_way_to_an_occupation(open_journey: OpenJourney) -> None:
    ada = open_journey("ada plans")
    page = ada.page
    ada.sign_in(ADA)

    # The gap to software developer, then "Plan the way there".
    ada.nav("My profile", "profile")
    page.get_by_role("navigation", name="Profile").get_by_role("link", name="Gap to an occupation").click()
    ada.check("gap page")
    page.get_by_label("Occupation").fill("software developer")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#fit")).to_contain_text("software developer")
    ada.check("gap to software developer")
    page.get_by_role("link", name="Plan the way there").click()
    page.wait_for_load_state("load")
    form = page.locator("#plan-form")
    expect(form.get_by_label("Occupation")).to_have_value("software developer")
    ada.check("plan form, filled from the gap")

    # A mistake first: hours a week that are no number.
    form.get_by_label("Hours a week").fill("lots")
    with ada.expecting_error(422, "/plans"):
        form.get_by_role("button", name="Make the plan").click()
    expect(page.locator("#plan-error")).to_contain_text("hours")
    ada.check("plan refused: hours")

    # Then with the keyboard alone: Tab to the hours, type them, Enter sends the form.
    form = page.locator("#plan-form")
    form.get_by_label("What matters most").select_option("cheapest")
    hours = form.get_by_label("Hours a week")
    ada.tab_to(hours)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("10")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/plans/" in url)
    expect(page.locator("#plan-title")).to_contain_text("software developer")
    expect(page.locator("svg.timeline-chart")).to_be_visible()
    expect(page.locator("#plan-method")).to_contain_text("exact (SciPy milp, HiGHS)")
    first_title = page.locator("table.plan-steps tbody tr").first.locator("td").nth(3).inner_text()
    ada.check("the plan with its timeline")

    # The first step is done: tick it, re-plan; it is listed as done and the plan goes on without it.
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Mark done and re-plan").click()
    page.wait_for_url(lambda url: "replanned=true" in url)
    expect(page.locator("#revision")).to_contain_text("revision 2")
    expect(page.locator("#done-steps")).to_be_visible()
    ada.check("re-planned after a step done")
    assert first_title.split("\n")[0].split(" ", 1)[-1] in page.locator("#done-steps").inner_text()

    # From the plan to the career shape: what the plan deepens and opens, the shape after it.
    deepened_or_opened = page.locator("#career-shape").inner_text()
    page.get_by_role("link", name="Your career shape, now and after this plan").click()
    page.wait_for_url(lambda url: "/shape?plan=" in url)
    expect(page.locator("#after-plan")).to_contain_text("After the plan")
    expect(page.locator("#after-plan-summary")).to_contain_text("software developer")
    effect = page.locator("table.plan-effect tbody tr")
    expect(effect.first).to_be_visible()
    first_area = effect.first.locator("td").first.inner_text()
    assert first_area in deepened_or_opened  # the same areas the plan page names
    ada.check("career shape after the plan")
    page.locator("#after-plan-summary").get_by_role("link").click()
    page.wait_for_load_state("load")
    expect(page.locator("#revision")).to_contain_text("revision 2")
    ada.check("back on the plan")

    # She prefers to broaden: the plan is made again with that shape.
    choice = page.locator("#shape-choice")
    choice.get_by_label("Plan it again, preferring").select_option("breadth")
    choice.get_by_role("button", name="Make a plan with this shape").click()
    page.wait_for_url(lambda url: "/plans/" in url and "replanned" not in url)
    expect(page.locator("#shape-choice").get_by_label("Plan it again, preferring")).to_have_value("breadth")
    expect(page.locator("#plan-title")).to_contain_text("software developer")
    ada.check("plan made again, broadening")

    # The plan is listed among hers.
    page.get_by_role("link", name="My plans").click()
    page.wait_for_load_state("load")
    expect(page.locator("table.plans")).to_contain_text("software developer")
    ada.check("my plans")
