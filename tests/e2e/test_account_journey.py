"""A newcomer signs up (a common password refused, the same answer for an address that has an account),
makes an API token that expires, and a stranger guessing her password is told to wait (issue 15)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.journey import OpenJourney

EVE = "eve.newcomer@example.org"
EVE_PASSWORD = "violet kettle harbour"
ACCEPTED = "Sign-up received"


def test_a_newcomer_signs_up_makes_a_token_and_a_guesser_is_slowed(open_journey: OpenJourney) -> None:
    eve = open_journey("eve")
    eve.goto("/login", "sign-in page")
    eve.page.get_by_role("link", name="Sign up").click()
    eve.page.wait_for_url("**/signup")
    eve.check("sign-up form")
    eve.page.get_by_label("Email").fill(EVE)
    eve.page.get_by_label("Your name").fill("Eve Newcomer")
    eve.page.get_by_label("Password").fill("qwertyuiop")
    eve.page.get_by_label("a client").check()
    with eve.expecting_error(422, "/signup"):
        eve.page.get_by_role("button", name="Sign up").click()
        expect(eve.page.get_by_role("alert")).to_contain_text("most common passwords")
    eve.check("common password refused")
    expect(eve.page.get_by_label("Email")).to_have_value(EVE)

    # the keyboard alone: a better password, then Enter on the button
    eve.page.get_by_label("Password").fill(EVE_PASSWORD)
    eve.tab_to(eve.page.get_by_role("button", name="Sign up"))
    eve.page.keyboard.press("Enter")
    expect(eve.page.locator("#signup-done")).to_contain_text(ACCEPTED)
    eve.check("signed up")
    first_answer = eve.page.locator("#signup-done").inner_text()

    # someone signing up with her address again is told exactly the same, and her account is untouched
    mallory = open_journey("mallory")
    mallory.goto("/signup", "sign-up form")
    mallory.page.get_by_label("Email").fill(EVE)
    mallory.page.get_by_label("Your name").fill("Mallory")
    mallory.page.get_by_label("Password").fill("mallory's own passphrase")
    mallory.page.get_by_role("button", name="Sign up").click()
    expect(mallory.page.locator("#signup-done")).to_contain_text(ACCEPTED)
    mallory.check("the same answer for a taken address")
    assert mallory.page.locator("#signup-done").inner_text() == first_answer

    # Eve signs in and makes an API token: it expires in 90 days unless she says otherwise
    eve.page.get_by_role("main").get_by_role("link", name="Sign in").click()
    eve.page.wait_for_url("**/login")
    eve.check("sign-in page")
    eve.page.get_by_label("Email").fill(EVE)
    eve.page.get_by_label("Password").fill(EVE_PASSWORD)
    eve.page.get_by_role("button", name="Sign in").click()
    eve.page.wait_for_url(lambda url: "/login" not in url)
    eve.check("signed in")
    eve.nav("API tokens", "tokens page")
    eve.page.get_by_label("What it is for").fill("my script")
    eve.page.get_by_role("button", name="Make token").click()
    expect(eve.page.locator("#new-token")).to_contain_text("It expires on")
    eve.check("token made")
    expect(eve.page.get_by_label("Your new token")).to_have_value(re.compile(r"^mcp_\S{40,}$"))
    expect(eve.page.locator("#tokens")).to_contain_text("my script")
    eve.page.get_by_role("button", name="Revoke my script").click()
    eve.page.wait_for_load_state("load")
    expect(eve.page.locator("#tokens")).to_contain_text("revoked")
    eve.check("token revoked")

    # a stranger guessing her password: told it is wrong four times, then to wait
    for attempt in range(4):
        mallory.goto("/login", "sign-in page")
        mallory.page.get_by_label("Email").fill(EVE)
        mallory.page.get_by_label("Password").fill(f"guess number {attempt}")
        with mallory.expecting_error(400, "/login"):
            mallory.page.get_by_role("button", name="Sign in").click()
            expect(mallory.page.get_by_role("alert")).to_contain_text("The email or password is wrong")
        mallory.check(f"wrong guess {attempt + 1}")
    mallory.goto("/login", "sign-in page")
    mallory.page.get_by_label("Email").fill(EVE)
    mallory.page.get_by_label("Password").fill("guess number 5")
    with mallory.expecting_error(429, "/login"):
        mallory.page.get_by_role("button", name="Sign in").click()
        expect(mallory.page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
    mallory.check("told to wait")
    expect(mallory.page.get_by_role("alert")).to_contain_text("try again in 30 seconds")
