"""The page helper every browser journey drives: one browser context (one person), watched for errors.

From the moment the context opens, it records every HTTP response >= 400 (the page's and its requests'),
every failed request, console error, uncaught script error and htmx error event
(``htmx:responseError``, ``htmx:sendError``, ``htmx:swapError`` ...). ``check(label)`` then, for the page
now shown: waits for htmx to settle, saves a numbered full-page screenshot under
``test-artifacts/e2e/<test>/``, runs axe-core on it, and fails the test naming every error recorded
since the previous check and every serious or critical axe violation. A page loaded but never checked
fails the next check, so every page a journey visits has its screenshot and its accessibility check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Request, Response

from tests.e2e.server import DEMO_PASSWORD, LiveServer

HTMX_ERROR_EVENTS = (
    "htmx:responseError",
    "htmx:sendError",
    "htmx:swapError",
    "htmx:targetError",
    "htmx:onLoadError",
    "htmx:sseError",
)
# axe-core's impact levels that fail a journey; "moderate" and "minor" are saved in the report only.
FAILING_IMPACTS = frozenset({"serious", "critical"})

_REPORT_HTMX_ERRORS = """
(() => {
  for (const name of EVENTS) {
    document.addEventListener(name, (event) => {
      const d = event.detail || {};
      const xhr = d.xhr || {};
      const path = (d.requestConfig && d.requestConfig.path) || (d.pathInfo && d.pathInfo.requestPath) || "";
      window.__e2eReport(name + " " + (xhr.status || "") + " " + path + " " + (d.error || ""));
    });
  }
})();
""".replace("EVENTS", json.dumps(list(HTMX_ERROR_EVENTS)))

_HTMX_SETTLED = "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"


class JourneyError(AssertionError):
    """What a check found wrong on a page (errors, accessibility violations, a page never checked)."""


@dataclass
class Shots:
    """The numbering of one test's screenshots, shared by every person in it."""

    folder: Path
    taken: int = 0
    axe_report: dict[str, Any] = field(default_factory=dict)

    def next_path(self, who: str, label: str) -> Path:
        self.taken += 1
        slug = re.sub(r"[^a-z0-9]+", "-", f"{who} {label}".lower()).strip("-")
        return self.folder / f"{self.taken:02d}-{slug}.png"


@dataclass
class _Allowance:
    status: int
    url_part: str
    seen: int = 0


class Journey:
    """One person's browser tab. ``page`` is Playwright's; journeys click and type through it only."""

    def __init__(
        self,
        context: BrowserContext,
        server: LiveServer,
        shots: Shots,
        axe: str,
        who: str,
        *,
        new_context: bool = True,
    ):
        """``new_context=False``: another tab of a context a journey already watches (same cookies)."""
        self.context = context
        self.server = server
        self.shots = shots
        self.who = who
        self._axe = axe
        self._errors: list[str] = []
        self._allowances: list[_Allowance] = []
        self._unchecked: list[str] = []  # pages loaded since the last check, in order
        self.page = context.new_page()
        if new_context:
            context.expose_function("__e2eReport", self._report)
            context.add_init_script(_REPORT_HTMX_ERRORS)
        else:  # the context's binding reports to the first journey; this tab's own page reports here
            self.page.expose_function("__e2eTabReport", self._report)
            self.page.add_init_script(_REPORT_HTMX_ERRORS.replace("__e2eReport", "__e2eTabReport"))
        self.page.on("response", self._on_response)
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self._errors.append(f"script error: {error}"))
        self.page.on("load", lambda page: self._unchecked.append(page.url))

    # -- what is recorded ------------------------------------------------------------------------------
    def _report(self, text: str) -> None:
        self._errors.append(text)

    def _on_response(self, response: Response) -> None:
        if response.status < 400:
            return
        for allowance in self._allowances:
            if response.status == allowance.status and allowance.url_part in response.url:
                allowance.seen += 1
                return
        method = response.request.method
        self._errors.append(f"HTTP {response.status} on {method} {response.url}")

    def _on_request_failed(self, request: Request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:  # a navigation or a newer htmx request replaced it: not an error
            return
        self._errors.append(f"request failed ({failure}): {request.method} {request.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = message.text
        # Chromium repeats every >= 400 response as a console error; the response is judged above.
        if "Failed to load resource: the server responded with a status of" in text:
            return
        self._errors.append(f"console error: {text} ({message.location.get('url', '')})")

    # -- the checks ------------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"{self.server.url}{path}"

    def goto(self, path: str, label: str) -> None:
        """Opens a page by its address (as typing it in the address bar would) and checks it."""
        self.page.goto(self.url(path))
        self.check(label)

    def nav(self, name: str, label: str | None = None) -> None:
        """Follows a link of the site's header (its banner landmark) and checks the page it opens."""
        self.page.get_by_role("banner").get_by_role("link", name=name, exact=True).click()
        self.page.wait_for_load_state("load")
        self.check(label or name)

    def check(self, label: str) -> Path:
        """Screenshot, axe-core and every error recorded so far, for the page now shown."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_function(_HTMX_SETTLED)
        current = self.page.url
        skipped = [url for url in self._unchecked if url != current]
        self._unchecked.clear()
        path = self.shots.next_path(self.who, label)
        self.page.screenshot(path=str(path), full_page=True)
        problems = [f"page loaded but never checked (screenshot, axe): {url}" for url in skipped]
        problems += self.take_errors()
        problems += self._axe_violations(path.stem)
        if problems:
            raise JourneyError(f"{self.who} at {current} ({path.name}):\n  " + "\n  ".join(problems))
        return path

    def take_errors(self) -> list[str]:
        errors, self._errors[:] = list(self._errors), []
        return errors

    def _axe_violations(self, key: str) -> list[str]:
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # evaluated through the DevTools protocol, not as an inline <script>: the site's
            # Content-Security-Policy (script-src 'self') stays enforced for everything else
            self.page.evaluate(self._axe + "\n;undefined")
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = result["violations"]
        self.shots.axe_report[key] = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in violations
        ]
        return [
            f"axe {v['impact']} {v['id']}: {v['help']} at "
            + ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
            for v in violations
            if v["impact"] in FAILING_IMPACTS
        ]

    @contextmanager
    def expecting_error(self, status: int, url_part: str) -> Iterator[None]:
        """For a step that should be refused (a form sent with a mistake): allows responses with this
        status on addresses containing ``url_part``, and fails unless at least one came."""
        allowance = _Allowance(status, url_part)
        self._allowances.append(allowance)
        try:
            yield
            self.page.wait_for_load_state("load")
        finally:
            self._allowances.remove(allowance)
        if allowance.seen == 0:
            raise JourneyError(f"expected an HTTP {status} on an address with {url_part!r}; none came")

    # -- keyboard --------------------------------------------------------------------------------------
    def tab_to(self, target: Locator, *, most: int = 400) -> None:
        """Presses Tab (from wherever the focus is) until ``target`` has the focus: proves the control
        is reachable from the keyboard, in the page's tab order."""
        handle = target.element_handle()
        for _ in range(most):
            if self.page.evaluate("(el) => document.activeElement === el", handle):
                return
            self.page.keyboard.press("Tab")
        raise JourneyError(f"{most} presses of Tab never reached {target}")

    # -- people ----------------------------------------------------------------------------------------
    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        """Signs in through the sign-in page, as a person types it."""
        self.goto("/login", "sign-in page")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(lambda url: "/login" not in url)
        self.check("signed in")

    def finish(self) -> list[str]:
        """What is left unreported when the test ends: errors after the last check, unchecked pages."""
        problems = self.take_errors()
        problems += [f"page loaded but never checked (screenshot, axe): {url}" for url in self._unchecked]
        return problems


class OpenJourney(Protocol):
    """The ``open_journey`` fixture: a tab for a person (or another tab of a person already there)."""

    def __call__(self, who: str, same_person_as: Journey | None = None) -> Journey: ...
