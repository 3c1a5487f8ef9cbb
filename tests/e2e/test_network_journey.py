"""The network, clicked and typed through the pages (issue 21): Ada asks Bea to connect and Bea accepts,
both see how they know each other; Grace mentors Ada from request to completion; Ada builds her
portfolio, uploads an item's image, and a signed-out stranger reads it with the image shown."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import FilePayload, expect

from tests.e2e.journey import OpenJourney
from tests.e2e.market_steps import post_job

ADA = "ada@demo.microcareer.dev"


def _png() -> bytes:
    """A 240 x 160 picture, made here: the page must show what the site re-encoded from it."""
    out = io.BytesIO()
    Image.new("RGB", (240, 160), "steelblue").save(out, "PNG")
    return out.getvalue()


BEA = "bea@demo.microcareer.dev"
GRACE = "grace@demo.microcareer.dev"


def test_a_connection_shows_how_the_two_know_each_other(open_journey: OpenJourney) -> None:
    ada = open_journey("ada")
    ada.sign_in(ADA)
    ada.nav("Network", "network")
    proposal = ada.page.locator("#proposals li").filter(has_text="Bea Client")
    expect(proposal).to_contain_text("worked together on the contract")
    # typed and sent with the keyboard: Tab to the message, type, Enter
    message = proposal.get_by_label("Message to Bea Client")
    ada.tab_to(message)
    ada.page.keyboard.type("We built the booking API together")
    ada.page.keyboard.press("Enter")
    ada.page.wait_for_url(re.compile(r"/network$"))
    expect(ada.page.locator("#connections")).to_contain_text("Waiting for an answer")
    ada.check("request sent")

    bea = open_journey("bea")
    bea.sign_in(BEA)
    bea.nav("Network", "network with a request")
    asking = bea.page.locator("#incoming li").filter(has_text="Ada Lovelace")
    expect(asking).to_contain_text("they wrote: “We built the booking API together”")
    asking.get_by_role("button", name="Accept Ada Lovelace").click()
    bea.page.wait_for_url(re.compile(r"/network$"))
    connection = bea.page.locator("#connections li").filter(has_text="Ada Lovelace")
    expect(connection).to_contain_text("How you know them:")
    expect(connection).to_contain_text("worked together on the contract")
    bea.check("connected, with how")

    ada.nav("Network", "network, connected")
    expect(ada.page.locator("#connections li").filter(has_text="Bea Client")).to_contain_text(
        "you wrote: “We built the booking API together”"
    )
    # who sees Ada's connections: only her
    ada.page.get_by_label("Only me").check()
    ada.page.get_by_role("button", name="Save who sees them").click()
    ada.page.wait_for_url(re.compile(r"/network$"))
    expect(ada.page.get_by_label("Only me")).to_be_checked()
    ada.check("connections private")


def test_mentoring_from_request_to_completion(open_journey: OpenJourney) -> None:
    grace = open_journey("grace")
    grace.sign_in(GRACE)
    grace.nav("Network", "network")
    grace.page.get_by_role("navigation", name="Network").get_by_role("link", name="Mentoring").click()
    grace.check("mentoring")
    offer = grace.page.locator("#offer-form")
    offer.get_by_label("Skills you mentor on (commas between)").fill("SQL")
    offer.get_by_label("Hours a month").fill("4")
    offer.get_by_role("button", name="Save my offer").click()
    grace.page.wait_for_url(re.compile(r"/mentoring$"))
    expect(
        grace.page.locator("#offer-form").get_by_label("Skills you mentor on (commas between)")
    ).to_have_value("SQL")
    grace.check("offer saved")

    ada = open_journey("ada")
    ada.sign_in(ADA)
    ada.goto("/mentoring", "mentoring")
    ada.page.get_by_label("Skills to learn").fill("SQL")
    ada.page.get_by_role("button", name="Find mentors").click()
    mentor = ada.page.locator("#mentors li").filter(has_text="Grace Hopper")
    expect(mentor).to_be_visible()
    ada.check("mentors found")
    mentor.get_by_label("Message to Grace Hopper").fill("Help me with queries")
    mentor.get_by_role("button", name="Ask Grace Hopper to mentor me").click()
    ada.page.wait_for_url(re.compile(r"/mentoring/\d+$"))
    expect(ada.page.locator("#mentorship-state")).to_have_text("requested")
    ada.check("asked")
    mentorship_url = ada.page.url

    grace.goto("/mentoring", "mentoring with a request")
    grace.page.get_by_role("link", name="You mentor Ada Lovelace").first.click()
    grace.page.get_by_role("button", name="Accept the request").click()
    grace.page.wait_for_url(re.compile(r"/mentoring/\d+$"))
    expect(grace.page.locator("#mentorship-state")).to_have_text("active")
    session = grace.page.locator("#session-form")
    session.get_by_label("Minutes").fill("90")
    session.get_by_label("Notes").fill("Joins and indexes")
    session.get_by_role("button", name="Record the session").click()
    grace.page.wait_for_url(re.compile(r"/mentoring/\d+$"))
    expect(grace.page.locator("#sessions")).to_contain_text("Joins and indexes")
    grace.page.get_by_role("button", name="Confirm the mentorship complete").click()
    grace.page.wait_for_url(re.compile(r"/mentoring/\d+$"))
    expect(grace.page.locator("#waiting")).to_be_visible()
    grace.check("session recorded, confirmed")

    ada.page.goto(mentorship_url)
    ada.page.get_by_role("button", name="Confirm the mentorship complete").click()
    ada.page.wait_for_url(re.compile(r"/mentoring/\d+$"))
    expect(ada.page.locator("#completed")).to_be_visible()
    expect(ada.page.locator("#mentorship-state")).to_have_text("completed")
    ada.check("mentorship completed")
    ada.nav("My profile", "profile with mentorship evidence")
    expect(ada.page.locator("table.skills")).to_contain_text("completed mentorship")


def test_a_stranger_reads_a_published_portfolio(open_journey: OpenJourney) -> None:
    ada = open_journey("ada")
    ada.sign_in(ADA)
    ada.goto("/portfolio", "portfolio editor")
    settings = ada.page.locator("#portfolio-settings")
    settings.get_by_label("Handle").fill("ada-lovelace")
    settings.get_by_label("Headline").fill("Backend developer who ships")
    settings.get_by_label("Career narrative").fill("Five gigs, one thread: reliable booking systems.")
    settings.get_by_label("Publish the page").check()
    settings.get_by_role("button", name="Save the page").click()
    ada.page.wait_for_url(re.compile(r"/portfolio$"))
    expect(ada.page.locator("#page-link")).to_contain_text("/p/ada-lovelace")
    item = ada.page.locator("#item-form")
    item.get_by_label("Title").fill("Dance school booking API")
    item.get_by_label("Link").fill("https://example.org/booking")
    item.get_by_label("Skills (commas between)").fill("Python")
    contracts = item.get_by_label("Contract behind it")
    booking = contracts.locator("option", has_text="Booking API for a dance school").first.get_attribute(
        "value"
    )
    assert booking is not None
    contracts.select_option(value=booking)
    item.get_by_role("button", name="Add the item").click()
    ada.page.wait_for_url(re.compile(r"/portfolio$"))
    expect(ada.page.locator("#items")).to_contain_text("Dance school booking API")
    ada.check("item added")
    # an image uploaded from the computer, served by the site (its CSP loads images from itself only)
    image_form = ada.page.locator("form[id^=image-form-]").filter(has_text="Dance school booking API")
    image_form.get_by_label(re.compile("^Image of Dance school booking API")).set_input_files(
        files=FilePayload(name="booking.png", mimeType="image/png", buffer=_png())
    )
    image_form.get_by_label("Words for who cannot see it").fill("The booking screen")
    image_form.get_by_role("button", name="Upload the image of Dance school booking API").click()
    ada.page.wait_for_url(re.compile(r"/portfolio#item-\d+$"))
    expect(ada.page.get_by_role("img", name="The booking screen")).to_be_visible()
    ada.check("image uploaded")

    stranger = open_journey("stranger")  # never signs in
    stranger.goto("/p/ada-lovelace", "public portfolio")
    page = stranger.page
    expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()
    expect(page.locator("#portfolio-headline")).to_have_text("Backend developer who ships")
    work = page.locator("#work")
    expect(work).to_contain_text("Dance school booking API")
    expect(work).to_contain_text("Checked by microcareer: contract “Booking API")
    picture = work.get_by_role("img", name="The booking screen")
    picture.scroll_into_view_if_needed()
    expect(picture).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    assert picture.evaluate("img => img.naturalWidth") == 240
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    stranger.check("portfolio read by a stranger")


def test_a_referral_the_poster_sees(open_journey: OpenJourney) -> None:
    olga = open_journey("olga")
    olga.sign_in("olga@demo.microcareer.dev")
    olga.nav("Network", "network")
    colleague = olga.page.locator("#proposals li").filter(has_text="Grace Hopper")
    expect(colleague).to_contain_text("both members of Northwind Traders")
    colleague.get_by_role("button", name="Connect with Grace Hopper").click()
    olga.page.wait_for_url(re.compile(r"/network$"))
    olga.check("asked Grace")

    grace = open_journey("grace")
    grace.sign_in(GRACE)
    grace.nav("Network", "network")
    grace.page.locator("#incoming li").filter(has_text="Olga Orgadmin").get_by_role(
        "button", name="Accept Olga Orgadmin"
    ).click()
    grace.page.wait_for_url(re.compile(r"/network$"))
    grace.check("connected with Olga")

    bea = open_journey("bea")
    bea.sign_in(BEA)
    job_id = post_job(
        bea,
        title="Tune slow SQL reports",
        brief="Find why three PostgreSQL reports are slow and fix their queries and indexes.",
        amount="300",
        hours="6",
    )

    olga.nav("Network", "network again")
    refer = olga.page.locator("#refer-form")
    refer.get_by_label("Job number").fill(str(job_id))
    refer.get_by_label("Connection to recommend").select_option(label="Grace Hopper")
    refer.get_by_label("Why them").fill("She tuned ours")
    refer.get_by_role("button", name="Refer").click()
    olga.page.wait_for_url(re.compile(r"/network#referrals$"))
    expect(olga.page.locator("#referrals-made")).to_contain_text(
        "Grace Hopper for Tune slow SQL reports: open"
    )
    olga.check("referred Grace")

    bea.nav("Network", "network with referrals")
    expect(bea.page.locator("#referrals-received")).to_contain_text(
        "Olga Orgadmin referred Grace Hopper for Tune slow SQL reports: “She tuned ours”"
    )
    bea.check("who referred whom")
    # the job's own page lists its referrals for its poster
    bea.page.locator("#referrals-received").get_by_role("link", name="Tune slow SQL reports").click()
    bea.page.wait_for_url(re.compile(r"/jobs/\d+$"))
    expect(bea.page.locator("#job-referrals")).to_contain_text(
        "Olga Orgadmin referred Grace Hopper: “She tuned ours”"
    )
    bea.check("referrals on the job page")
    # nobody else sees them there
    olga.page.locator("#referrals-made").get_by_role("link", name="Tune slow SQL reports").click()
    olga.page.wait_for_url(re.compile(r"/jobs/\d+$"))
    expect(olga.page.get_by_role("heading", name="Tune slow SQL reports", level=1)).to_be_visible()
    expect(olga.page.locator("#job-referrals")).to_have_count(0)
    olga.check("job page, no referrals for a referrer")


def test_connect_from_a_profile_page(open_journey: OpenJourney) -> None:
    olga = open_journey("olga")
    olga.sign_in("olga@demo.microcareer.dev")
    olga.goto("/talent", "find people")
    olga.page.get_by_label("Skill").first.fill("Python")
    olga.page.get_by_role("button", name="Search").click()
    olga.page.wait_for_url(re.compile(r"/talent\?"))
    olga.check("people with Python")
    olga.page.locator("#candidates").get_by_role("link", name="Ada Lovelace").click()
    olga.page.wait_for_url(re.compile(r"/profiles/\d+$"))
    olga.check("Ada's profile")
    profile_url = olga.page.url
    box = olga.page.locator("#connect")
    message = box.get_by_label("Message to Ada Lovelace (optional)")
    olga.tab_to(message)
    olga.page.keyboard.type("Your booking API talk was great")
    olga.page.keyboard.press("Enter")
    olga.page.wait_for_url(re.compile(r"/profiles/\d+#connect$"))
    expect(olga.page.locator("#connect-state")).to_contain_text("pending")
    expect(olga.page.get_by_role("button", name="Connect with Ada Lovelace")).to_have_count(0)
    olga.check("request pending on the profile")

    ada = open_journey("ada")
    ada.sign_in(ADA)
    ada.nav("Network", "network with Olga's request")
    asking = ada.page.locator("#incoming li").filter(has_text="Olga Orgadmin")
    expect(asking).to_contain_text("they wrote: “Your booking API talk was great”")
    asking.get_by_role("button", name="Accept Olga Orgadmin").click()
    ada.page.wait_for_url(re.compile(r"/network$"))
    expect(ada.page.locator("#connections li").filter(has_text="Olga Orgadmin")).to_be_visible()
    ada.check("connected with Olga")

    olga.page.goto(profile_url)
    expect(olga.page.locator("#connect-state")).to_contain_text("connected")
    expect(olga.page.locator("#connect")).to_contain_text("you wrote: “Your booking API talk was great”")
    olga.check("connected, on the profile")


def test_a_portfolio_item_edited_in_place(open_journey: OpenJourney) -> None:
    grace = open_journey("grace")
    grace.sign_in(GRACE)
    grace.nav("Network", "network")
    grace.page.get_by_role("navigation", name="Network").get_by_role("link", name="Portfolio").click()
    grace.check("portfolio editor")
    item = grace.page.locator("#item-form")
    item.get_by_label("Title").fill("COBOL compiler notes")
    item.get_by_label("Description").fill("Draft")
    item.get_by_role("button", name="Add the item").click()
    grace.page.wait_for_url(re.compile(r"/portfolio$"))
    grace.check("item added")
    row = grace.page.locator("#items li").filter(has_text="COBOL compiler notes")
    row.get_by_text("Edit COBOL compiler notes").click()
    edit = row.locator("form[id^=edit-item-]")
    expect(edit.get_by_label("Title")).to_have_value("COBOL compiler notes")
    edit.get_by_label("Title").fill("FLOW-MATIC compiler notes")
    edit.get_by_label("Description").fill("The first English-like data processing language")
    edit.get_by_label("Link").fill("https://example.org/flow-matic")
    edit.get_by_role("button", name="Save COBOL compiler notes").click()
    grace.page.wait_for_url(re.compile(r"/portfolio#item-\d+$"))
    items = grace.page.locator("#items")
    expect(items).to_contain_text("FLOW-MATIC compiler notes")
    expect(items).not_to_contain_text("COBOL compiler notes")
    row = items.locator("li").filter(has_text="FLOW-MATIC compiler notes")
    row.get_by_text("Edit FLOW-MATIC compiler notes").click()
    expect(row.get_by_label("Link")).to_have_value("https://example.org/flow-matic")
    grace.check("item edited")
