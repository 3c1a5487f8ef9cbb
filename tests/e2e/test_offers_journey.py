"""Service offers, clicked and typed through the pages (issue 22): Ada publishes an offer with two
packages, Bea finds it by searching, opens Ada's storefront and orders a package with her requirements;
Ada delivers, Bea asks for a revision, Ada delivers again and Bea accepts; both see Ada paid through
the ledger, less the platform fee."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journey import OpenJourney

ADA = "ada@demo.microcareer.dev"
BEA = "bea@demo.microcareer.dev"
TITLE = "Tidy CSV exports with a tested Python script"


def test_a_professional_sells_a_package_and_is_paid_through_the_ledger(open_journey: OpenJourney) -> None:
    ada = open_journey("ada")
    ada.sign_in(ADA)
    ada.nav("Services", "services")
    ada.page.get_by_role("link", name="Publish an offer").click()
    ada.check("new offer form")
    form = ada.page.locator("#offer-form")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("Description").fill(
        "I clean, merge and check your CSV exports with a Python script and tests."
    )
    form.get_by_label("Skills (commas between)").fill("Python")
    basic = form.locator("#package-0")
    basic.get_by_label("Name").fill("Basic")
    basic.get_by_label("Price").fill("80.00")
    basic.get_by_label("Delivery days").fill("3")
    basic.get_by_label("Revisions").fill("1")
    standard = form.locator("#package-1")
    standard.get_by_label("Name").fill("Standard")
    standard.get_by_label("Price").fill("150.00")
    standard.get_by_label("Delivery days").fill("5")
    standard.get_by_label("Revisions").fill("2")
    form.get_by_label(re.compile("^Gallery")).fill("https://example.org/before-and-after.png")
    form.get_by_role("button", name="Publish the offer").click()
    ada.page.wait_for_url(re.compile(r"/offers/\d+$"))
    expect(ada.page.locator("#packages")).to_contain_text("Standard · EUR 150.00")
    offer_url = ada.page.url
    ada.check("offer published")

    bea = open_journey("bea")
    bea.sign_in(BEA)
    bea.nav("Services", "services")
    # searched with the keyboard alone: Tab to the words, type, Enter
    bea.tab_to(bea.page.get_by_label("Words"))
    bea.page.keyboard.type("csv python")
    bea.page.keyboard.press("Enter")
    bea.page.wait_for_url(re.compile(r"/offers\?q=csv"))
    card = bea.page.locator(".offer-card").filter(has_text=TITLE)
    expect(card).to_be_visible()
    bea.check("search found the offer")
    card.get_by_role("link", name="Ada Lovelace").click()
    bea.page.wait_for_url(re.compile(r"/store/[a-z0-9-]+$"))
    expect(bea.page.locator("h1")).to_contain_text("Ada Lovelace's services")
    bea.check("storefront")
    # Ada's portfolio page (not published: hers alone) leads to her storefront
    handle = bea.page.url.rsplit("/", 1)[1]
    ada.page.goto(f"/p/{handle}")
    expect(ada.page.locator("#storefront-link")).to_be_visible()
    ada.check("her portfolio page")
    ada.page.get_by_role("link", name="Services for sale (1)").click()
    ada.page.wait_for_url(re.compile(rf"/store/{handle}$"))
    expect(ada.page.locator("h1")).to_contain_text("Ada Lovelace's services")
    ada.check("storefront from the portfolio")
    bea.page.locator(".offer-card").filter(has_text=TITLE).get_by_role("link", name=TITLE).click()
    bea.page.wait_for_url(offer_url)
    bea.check("offer page")
    package = bea.page.locator("#package-1")
    package.get_by_label("Your requirements for Standard").fill(
        "Merge the three monthly exports into one file."
    )
    package.get_by_role("button", name="Order Standard for EUR 150.00").click()
    bea.page.wait_for_url(re.compile(r"/offers/orders/\d+$"))
    order_url = bea.page.url
    expect(bea.page.locator("#order-state")).to_contain_text("funded")
    expect(bea.page.locator("#payment-result")).to_contain_text("In escrow: EUR 150.00")
    bea.check("ordered, in escrow")

    ada.goto("/offers/orders", "orders sold")
    ada.page.locator("#orders").get_by_role("link", name=TITLE).click()
    ada.page.wait_for_url(order_url)
    expect(ada.page.locator("#requirements")).to_contain_text("three monthly exports")
    ada.check("order to deliver")
    ada.page.get_by_label("Delivery note").fill("The script and its tests are attached.")
    ada.page.get_by_role("button", name="Deliver").click()
    ada.page.wait_for_url(order_url)
    expect(ada.page.locator("#order-state")).to_contain_text("submitted")
    ada.check("delivered")

    bea.page.reload()
    bea.check("delivery to review")
    bea.page.get_by_label("What to change").fill("Please keep the header row.")
    bea.page.get_by_role("button", name="Ask for a revision").click()
    bea.page.wait_for_url(order_url)
    expect(bea.page.locator("#order-state")).to_contain_text("revisions left: 1 of 2")
    bea.check("revision asked")

    ada.page.reload()
    ada.check("revision to deliver")
    ada.page.get_by_label("Delivery note").fill("Header row kept.")
    ada.page.get_by_role("button", name="Deliver").click()
    ada.page.wait_for_url(order_url)
    ada.check("delivered again")

    bea.page.reload()
    bea.check("second delivery")
    bea.page.get_by_role("button", name="Accept the delivery and pay Ada Lovelace").click()
    bea.page.wait_for_url(order_url)
    expect(bea.page.locator("#payment-result")).to_contain_text(
        "Paid: EUR 135.00 released to Ada Lovelace through the ledger (platform fee EUR 15.00)"
    )
    bea.check("accepted and paid")
    bea.page.get_by_role("link", name="The contract and its ledger").click()
    expect(bea.page.locator("table.ledger")).to_contain_text("EUR 150.00")
    bea.check("contract ledger")

    ada.page.reload()
    expect(ada.page.locator("#payment-result")).to_contain_text("Paid: EUR 135.00")
    ada.check("seller paid")
    ada.page.get_by_role("link", name="The contract and its ledger").click()
    expect(ada.page.locator("#ledger + p")).to_contain_text("released EUR 135.00")
    ada.check("seller sees the ledger")

    # Ada edits the offer, then pauses it: Bea no longer finds it; resumed, it is back
    ada.goto("/offers/orders", "orders and offers")
    ada.page.locator("#my-offers").get_by_role("link", name=TITLE).click()
    ada.page.wait_for_url(offer_url)
    ada.check("own offer")
    ada.page.get_by_role("link", name="Edit").click()
    ada.check("edit form")
    ada.page.locator("#package-0").get_by_label("Price").fill("90.00")
    ada.page.get_by_role("button", name="Save the offer").click()
    ada.page.wait_for_url(offer_url)
    expect(ada.page.locator("#packages")).to_contain_text("Basic · EUR 90.00")
    ada.check("offer edited")
    ada.page.get_by_role("button", name="Pause the offer").click()
    ada.page.wait_for_url(offer_url)
    expect(ada.page.locator("#offer-state")).to_have_text("paused")
    ada.check("offer paused")

    bea.goto("/offers?q=csv+python", "search after the pause")
    expect(bea.page.locator("#offers")).to_contain_text("No offers match.")

    ada.page.get_by_role("button", name="Resume the offer").click()
    ada.page.wait_for_url(offer_url)
    expect(ada.page.locator("#offer-state")).to_have_count(0)
    ada.check("offer resumed")
