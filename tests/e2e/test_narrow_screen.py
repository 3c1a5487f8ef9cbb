"""A 500 px wide screen: the header's links wrap, wide tables scroll in their own box, and no page
scrolls sideways (CSS only, no JavaScript needed)."""

from __future__ import annotations

from tests.e2e.journey import Journey

PAGES = ["/", "/jobs", "/profiles/me", "/dashboard", "/contracts", "/wallet", "/talent?skill=python"]
PAGES += ["/verify", "/search?q=python"]
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_no_page_scrolls_sideways_at_500_px(journey: Journey) -> None:
    journey.page.set_viewport_size({"width": 500, "height": 900})
    journey.sign_in("ada@demo.microcareer.dev")
    wider: dict[str, int] = {}
    for path in PAGES:
        journey.goto(path, f"500 px {path}")
        overflow = journey.page.evaluate(OVERFLOW)
        if overflow > 0:
            wider[path] = overflow
    journey.goto("/profiles/me", "500 px the profile again")
    journey.page.get_by_role("link", name="Gap to an occupation").click()
    journey.check("500 px the gap page")
    journey.page.get_by_label("Occupation").fill("data engineer")
    journey.page.get_by_role("button", name="Compare").click()
    journey.check("500 px the gap to an occupation named by another label")
    notice = journey.page.locator("#gap-matched")
    assert "No occupation is called 'data engineer': showing 'data scientist'" in notice.inner_text()
    if journey.page.evaluate(OVERFLOW) > 0:
        wider["the gap"] = journey.page.evaluate(OVERFLOW)
    journey.page.get_by_role("link", name="Contracts").first.click()
    journey.check("500 px the contracts")
    journey.page.locator("table#contracts a[href^='/contracts/']").first.click()
    journey.check("500 px a contract")
    if journey.page.evaluate(OVERFLOW) > 0:
        wider["a contract"] = journey.page.evaluate(OVERFLOW)
    assert wider == {}, f"pages wider than the screen (px too wide): {wider}"
    box = journey.page.get_by_role("button", name="Sign out").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 500  # the header's last control is on the screen
