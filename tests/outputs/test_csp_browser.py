"""The pages keep working under the Content-Security-Policy the server configurations send.

The demo site is served with the headers of `generator.outputs.servers.SECURITY_HEADERS` on every
answer, as nginx, Apache or Netlify would send them; Chromium visits every page type, the search
with a query typed and its results shown, and must report no violation of the policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.outputs.servers import CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from tests.support.browser import NEEDS_CHROMIUM, chromium_browser, serve_directory

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = NEEDS_CHROMIUM

CONFERENCE = "meldung/2019-04-29-eine-konferenz-fuer-die-sicherheit-in-gelsenkirchen/"
PAGES = {
    "home": "",
    "release-conference-report": CONFERENCE,  # JSON-LD with an Event, a calendar link
    "release-image-attachment": "meldung/2025-03-11-verkehrsunfallbilanz-2024/",
    "listing-all": "meldungen/",
    "listing-authority": "behoerden/polizei-gelsenkirchen/",
    "index-authorities": "behoerden/",
    "withdrawn-notice": "meldung/2024-03-12-festnahme-nach-einbruch-in-horst/",
    "page-impressum": "impressum/",
    "not-found": "diese-seite-gibt-es-nicht/",
    "search": "suche/",
}

# Violations are events on the document; the init script runs before any of the page's own.
_LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(
  `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`));
"""


@pytest.fixture(scope="module")
def site_url(demo_output: Path) -> Iterator[str]:
    with serve_directory(demo_output, headers=SECURITY_HEADERS) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_browser() as launched:
        yield launched


class Visit:
    """A tab that records every policy violation and every script error."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context()
        self.context.add_init_script(_LISTEN)
        self.page: Page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda message: self.console.append(message.text)
                     if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("() => window.__violations")
        return found + [text for text in self.console if "Content Security Policy" in text]


@pytest.fixture()
def visit(browser: Browser) -> Iterator[Visit]:
    opened = Visit(browser)
    yield opened
    opened.context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_type_loads_without_a_violation(visit: Visit, site_url: str, name: str) -> None:
    response = visit.page.goto(site_url + PAGES[name], wait_until="networkidle")
    assert response is not None
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    if name == "search":
        visit.page.wait_for_selector("#search-form:not([hidden])", timeout=15_000)
    assert visit.violations() == []
    assert [text for text in visit.console if not text.startswith("Failed to load resource")] == []


def test_a_search_finds_and_shows_results_under_the_policy(visit: Visit, site_url: str) -> None:
    visit.page.goto(site_url + "suche/")
    visit.page.wait_for_selector("#search-form:not([hidden])", timeout=15_000)  # pagefind.js and its WebAssembly ran
    visit.page.fill("#search-q", "Konferenz")
    visit.page.keyboard.press("Enter")
    visit.page.locator("#search-results a").first.wait_for()
    found = visit.page.locator("#search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/" + CONFERENCE in found
    assert visit.page.locator("#search-results mark").count() > 0  # the hits are marked in the excerpts
    visit.page.wait_for_load_state("networkidle")
    assert visit.violations() == []
    assert visit.console == []


def test_the_policy_is_enforced_and_its_violations_are_seen(visit: Visit, site_url: str) -> None:
    """Without this, a listener that never fires would let every test above pass."""
    visit.page.goto(site_url)
    ran = visit.page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.__inline = true";
      document.body.append(script);
      return window.__inline === true;
    }""")
    assert ran is False
    visit.page.wait_for_function("() => window.__violations.length > 0")
    assert [v.split(" ")[0] for v in visit.page.evaluate("() => window.__violations")] == ["script-src-elem"]
