"""The checks every journey relies on, shown to fail when they should: a journey that cannot fail on an
error page, a console error, an htmx error or an accessibility violation would prove nothing."""

from __future__ import annotations

import pytest

from tests.e2e.journey import Journey, JourneyError


def test_public_pages_pass_every_check(journey: Journey) -> None:
    journey.goto("/", "home")
    journey.page.get_by_role("link", name="Verify").first.click()
    journey.check("verify")
    journey.page.get_by_role("link", name="Sign in").click()
    journey.check("sign in")


def test_an_error_response_fails_the_check(journey: Journey) -> None:
    with pytest.raises(JourneyError, match=r"HTTP 404 on GET .*/no-such-page"):
        journey.goto("/no-such-page", "missing page")


def test_a_console_error_fails_the_check(journey: Journey) -> None:
    journey.goto("/", "home")
    journey.page.evaluate("() => console.error('something broke')")
    with pytest.raises(JourneyError, match="console error: something broke"):
        journey.check("after a console error")


def test_an_htmx_error_event_fails_the_check(journey: Journey) -> None:
    journey.goto("/", "home")
    journey.page.evaluate("() => { htmx.ajax('GET', '/', {target: '#no-such-target'}).catch(() => null); }")
    with pytest.raises(JourneyError, match="htmx:targetError"):
        journey.check("after an htmx error")


def test_a_refused_htmx_request_shows_the_answer_and_fails_the_check(journey: Journey) -> None:
    """A 4xx answer replaces the page's main part (base.html's htmx-config), and still fails the check."""
    journey.goto("/", "home")
    journey.page.evaluate("() => htmx.ajax('GET', '/no-such-fragment', {target: 'main'})")
    journey.page.wait_for_function("() => !document.querySelector('.htmx-request')")
    with pytest.raises(JourneyError, match=r"HTTP 404 on GET .*/no-such-fragment"):
        journey.check("after a refused htmx request")


def test_a_serious_accessibility_violation_fails_the_check(journey: Journey) -> None:
    journey.goto("/", "home")
    journey.page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=\"text\">')"
    )
    with pytest.raises(JourneyError, match=r"axe critical label"):
        journey.check("an input without a label")


def test_a_page_left_unchecked_fails_the_next_check(journey: Journey) -> None:
    journey.page.goto(journey.url("/verify"))
    journey.page.goto(journey.url("/"))
    with pytest.raises(JourneyError, match=r"never checked .*/verify"):
        journey.check("home")


def test_an_expected_refusal_must_come(journey: Journey) -> None:
    journey.goto("/login", "sign-in page")
    journey.page.get_by_label("Email").fill("ada@demo.microcareer.dev")
    journey.page.get_by_label("Password").fill("not her password")
    with journey.expecting_error(400, "/login"):
        journey.page.get_by_role("button", name="Sign in").click()
    journey.check("wrong password")
    with pytest.raises(JourneyError, match="expected an HTTP 400"), journey.expecting_error(400, "/login"):
        journey.page.get_by_role("link", name="Verify").first.click()
    journey.check("verify")
