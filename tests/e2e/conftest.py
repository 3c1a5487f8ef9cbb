"""Fixtures of the browser journeys: Debian's Chromium, one live server for all journeys, one watched tab per
person. See tests/e2e/README.md for how to write a journey."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.e2e.journey import Journey, OpenJourney, Shots
from tests.e2e.server import LiveServer, live_server

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("MICROCAREER_E2E_CHROMIUM", "/usr/bin/chromium"))
HTMX = REPO / "src" / "microcareer" / "web" / "static" / "vendor" / "htmx.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"


# Default Playwright waits (5 s for expect) are tight on a loaded 2-core machine; these only bound a hang.
ACTION_TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 60_000


def _missing(what: str) -> NoReturn:
    """Locally a missing browser or package skips the journeys with the reason; in CI it fails them."""
    if IN_CI:
        pytest.fail(f"{what} (CI=true: the browser journeys may not be skipped)", pytrace=False)
    pytest.skip(what)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        _missing(f"axe-core is not installed ({AXE_SCRIPT}): run `make web-assets`")
    return AXE_SCRIPT.read_text(encoding="utf-8")


# Package scope: Playwright's sync API keeps an event loop running in this thread while it is open,
# so it must stop before the other tests (asyncio.run in them would fail); the journeys all live here.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        _missing(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (make test does it as root)")
    if not HTMX.is_file():
        _missing(f"htmx is not installed ({HTMX}): run `make web-assets`")
    with sync_playwright() as playwright:
        # Debian's Chromium by its path: never a browser downloaded by Playwright.
        # CI containers give /dev/shm 64 MB, too little for Chromium's shared memory: /tmp instead.
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[LiveServer]:
    """One server for all the journeys: journeys sign in as different demo people and make their own jobs."""
    folder = tmp_path_factory.mktemp("e2e-server")
    with live_server(folder, ARTIFACTS / "server.log") as running:
        yield running


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Iterator[Shots]:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    folder = ARTIFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken = Shots(folder)
    yield taken
    (folder / "axe.json").write_text(json.dumps(taken.axe_report, indent=1), encoding="utf-8")


@pytest.fixture
def open_journey(
    browser: Browser, server: LiveServer, shots: Shots, axe_source: str
) -> Iterator[OpenJourney]:
    """``open_journey("ada")``: a new tab in its own browser context (its own cookies) for one person;
    ``open_journey("ada, 2nd tab", same_person_as=ada)``: another tab of hers."""
    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    opened: list[Journey] = []

    def open_one(who: str, same_person_as: Journey | None = None) -> Journey:
        if same_person_as is not None:  # another tab of the same browser: the same cookies
            journey = Journey(same_person_as.context, server, shots, axe_source, who, new_context=False)
            opened.append(journey)
            return journey
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        journey = Journey(context, server, shots, axe_source, who)
        opened.append(journey)
        return journey

    yield open_one
    problems = [f"{j.who}: {problem}" for j in opened for problem in j.finish()]
    for context in {id(j.context): j.context for j in opened}.values():
        context.close()
    if problems:
        pytest.fail("left unreported at the end of the journey:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def journey(open_journey: OpenJourney) -> Journey:
    """A tab for a journey with one person in it."""
    return open_journey("visitor")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks the journeys ``e2e`` so `pytest -m "not e2e"` leaves the browser out, and puts them in one
    xdist group so that, under `pytest -n N --dist loadgroup`, one worker runs them all against one server."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))
