"""Every page type of the demo site in a real browser: WCAG 2.0/2.1 A and AA
(axe-core), keyboard use, no sideways scrolling from 320 px up, no request to
another host, a print stylesheet. Screenshots of what fails land in tests/artifacts/
(of every page with PRESSROOM_TEST_SCREENSHOTS=1).

The demo is built with per_page = 3 so that every listing kind also has a
second page; everything else is the demo as it ships.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pytest

from tests.conftest import DEMO_NOW, REPO, run_pressroom
from tests.support.browser import (
    NEEDS_CHROMIUM,
    check_focus_indicators,
    check_keyboard,
    chromium_browser,
    format_violations,
    run_axe,
    screenshot,
    scrolls_sideways,
    serve_directory,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = NEEDS_CHROMIUM

# One page of every type; a failure names the type.
PAGES: dict[str, str] = {
    "home": "",
    "listing-all": "meldungen/",
    "listing-all-page-2": "meldungen/seite/2/",
    "listing-authority": "behoerden/polizei-gelsenkirchen/",
    "listing-authority-oldest-page": "behoerden/polizei-gelsenkirchen/seite/1/",
    "listing-topic": "themen/verkehrsunfallflucht/",
    "listing-place": "orte/gelsenkirchen/",
    "listing-year": "jahre/2022/",
    "index-authorities": "behoerden/",
    "index-topics": "themen/",
    "index-places": "orte/",
    "index-years": "jahre/",
    "release-press-release":
        "meldung/2020-02-14-wohnungsbrand-in-buer-zwei-personen-ueber-drehleiter-gerettet/",
    "release-conference-report": "meldung/2019-04-29-eine-konferenz-fuer-die-sicherheit-in-gelsenkirchen/",
    "release-appeal": "meldung/2026-11-20-vermisster-14-jaehriger-aus-erle/",
    "release-image-attachment": "meldung/2025-03-11-verkehrsunfallbilanz-2024/",
    "release-updates": "meldung/2021-06-07-cranger-strasse-in-erle-wird-abschnittsweise-voll-gesperrt/",
    "release-followed-up":
        "meldung/2022-09-16-radfahrer-bei-verkehrsunfallflucht-in-ueckendorf-schwer-verletzt/",
    "release-follow-up":
        "meldung/2022-09-21-nachtrag-verkehrsunfallflucht-ueckendorf-unfallfahrer-ermittelt/",
    "withdrawn-notice": "meldung/2024-03-12-festnahme-nach-einbruch-in-horst/",
    "search": "suche/",
    "not-found": "diese-seite-gibt-es-nicht/",
    "page-impressum": "impressum/",
    "page-datenschutz": "datenschutz/",
    "page-barrierefreiheit": "barrierefreiheit/",
    "page-leichte-sprache": "leichte-sprache/",
}
WIDTHS = (360, 1280)
# A full-page screenshot costs about as much as the axe run: taken when a check fails, or of
# every page type at both widths with PRESSROOM_TEST_SCREENSHOTS=1.
SCREENSHOTS = os.environ.get("PRESSROOM_TEST_SCREENSHOTS") == "1"
SCRIPTED = {"search"}  # pages whose controls appear only after their script has run

FOCUSABLE = "a[href], area[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"

# Focusable, visible elements the Tab walk of check_focus_indicators never reached.
_UNREACHED_JS = f"""
() => {{
  const seen = window.__pressroomFocusSeen || new Set();
  return [...document.querySelectorAll("{FOCUSABLE}")]
    .filter((el) => !el.disabled && el.getClientRects().length > 0 && !seen.has(el))
    .map((el) => el.outerHTML.slice(0, 160));
}}
"""


@pytest.fixture(scope="module")
def site_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("browser") / "site"
    shutil.copytree(REPO / "content", site / "content")
    toml = (REPO / "site.toml").read_text(encoding="utf-8")
    (site / "site.toml").write_text(re.sub(r"(?m)^per_page\s*=.*$", "per_page = 3", toml), encoding="utf-8")
    out = site / "output"
    result = run_pressroom("build", site, "-o", out, "--now", DEMO_NOW, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def base_url(site_output: Path) -> Iterator[str]:
    with serve_directory(site_output) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_browser() as launched:
        yield launched


def test_every_page_type_exists(site_output: Path) -> None:
    missing = [name for name, path in PAGES.items()
               if name != "not-found" and not (site_output / path / "index.html").is_file()]
    assert not missing, f"page types missing from the demo output: {missing}"
    assert (site_output / "404.html").is_file()


class Tab:
    """One browser tab per viewport width, reused by every test (a new tab costs more than a load)."""

    def __init__(self, browser: Browser, base_url: str, width: int) -> None:
        self.base_url = base_url
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.foreign: list[str] = []
        own = urlparse(base_url).netloc
        self.page.on("request", lambda request: self._watch(request.url, own))

    def _watch(self, url: str, own: str) -> None:
        host = urlparse(url).netloc
        if host and host != own:
            self.foreign.append(url)

    def open(self, name: str) -> Page:
        self.foreign.clear()
        response = self.page.goto(self.base_url + PAGES[name], wait_until="load")
        assert response is not None
        expected = 404 if name == "not-found" else 200
        assert response.status == expected, f"{name}: HTTP {response.status}"
        if name in SCRIPTED:
            # Its script loads an index and then shows the form; check the page people then use.
            self.page.wait_for_load_state("networkidle")
        return self.page


@pytest.fixture(scope="module")
def tabs(browser: Browser, base_url: str) -> Iterator[dict[int, Tab]]:
    opened = {width: Tab(browser, base_url, width) for width in WIDTHS}
    yield opened
    for tab in opened.values():
        tab.page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_and_fits(tabs: dict[int, Tab], name: str, width: int) -> None:
    tab = tabs[width]
    page = tab.open(name)
    if SCREENSHOTS:
        screenshot(page, f"{name}-{width}")
    try:
        violations = run_axe(page)
        assert not violations, f"{name} at {width}px:\n{format_violations(violations)}"
        assert not scrolls_sideways(page), f"{name} scrolls sideways at {width}px"
        assert not tab.foreign, f"{name} requests other hosts: {tab.foreign}"
    except AssertionError:
        screenshot(page, f"{name}-{width}")  # what failed, for a human to look at
        raise
    if width == min(WIDTHS):
        # The smallest phones still in use: 320 CSS pixels.
        page.set_viewport_size({"width": 320, "height": 900})
        sideways = scrolls_sideways(page)
        if sideways:
            screenshot(page, f"{name}-320")
        page.set_viewport_size({"width": width, "height": 900})  # as the next test expects
        assert not sideways, f"{name} scrolls sideways at 320px"


@pytest.mark.parametrize("name", list(PAGES))
def test_keyboard_reaches_everything_with_visible_focus(tabs: dict[int, Tab], name: str) -> None:
    tab = tabs[max(WIDTHS)]
    page = tab.open(name)
    skip = check_keyboard(page)
    assert skip["target_id"] == "main"
    # A fresh load without the #main fragment the skip link left in the address.
    page = tab.open(name)
    problems = check_focus_indicators(page)
    assert not problems, f"{name}: focus not visible on {problems}"
    unreached: list[str] = page.evaluate(_UNREACHED_JS)
    assert not unreached, f"{name}: Tab never reaches {unreached}"


def _open(browser: Browser, base_url: str, path: str, width: int) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base_url + path, wait_until="load")
    return page


def test_the_skip_link_is_hidden_until_focused(browser: Browser, base_url: str) -> None:
    page = _open(browser, base_url, "", 1280)
    try:
        hidden = page.evaluate("() => document.querySelector('.skip-link').getBoundingClientRect().bottom")
        assert hidden <= 0, "the skip link shows before it is focused"
        page.keyboard.press("Tab")
        shown = page.evaluate("() => document.querySelector('.skip-link').getBoundingClientRect().top")
        assert shown >= 0, "the focused skip link is off screen"
    finally:
        page.close()


def test_print_leaves_out_navigation_and_keeps_the_release(browser: Browser, base_url: str) -> None:
    page = _open(browser, base_url, PAGES["release-conference-report"], 1280)
    try:
        page.emulate_media(media="print")
        shown = page.evaluate("""() => Object.fromEntries(
            ['.site-header nav', '.site-footer', '.skip-link', '.dateline', '.contact', '.originator']
              .map((s) => [s, getComputedStyle(document.querySelector(s)).display !== 'none']))""")
        assert shown == {".site-header nav": False, ".site-footer": False, ".skip-link": False,
                         ".dateline": True, ".contact": True, ".originator": True}
    finally:
        page.close()


def test_pages_work_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + PAGES["release-conference-report"])
        assert page.locator("h1").inner_text().startswith("POL-GE: ")
        assert "Gelsenkirchen (ots)" in page.locator(".dateline").inner_text()
        page.goto(base_url + PAGES["listing-all-page-2"])
        assert page.locator("a[rel=prev]").count() >= 1
    finally:
        context.close()
