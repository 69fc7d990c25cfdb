"""The demo's police logo in Chromium: it loads on the authority's page and on the home page, takes
exactly the room its width and height promise (nothing moves as it loads), on a phone and at 2x
picks the sharp file, and nothing scrolls sideways at 390 px. Screenshots land in tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import DEMO_NOW, REPO, run_pressroom
from tests.support.browser import (
    NEEDS_CHROMIUM,
    chromium_browser,
    format_violations,
    run_axe,
    screenshot,
    scrolls_sideways,
    serve_directory,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = NEEDS_CHROMIUM

AUTHORITY = "behoerden/polizei-gelsenkirchen/"
PHONE = {"width": 390, "height": 844}
# (page, where the logo is, its size in CSS pixels)
LOGOS = [(AUTHORITY, ".authority-head img", (80, 80)), ("", ".by-authority a.with-logo img", (32, 32))]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("logos-browser") / "output"
    result = run_pressroom("build", REPO, "-o", out, "--now", DEMO_NOW, "--quiet", "--no-search")
    assert result.returncode == 0, result.stderr
    with serve_directory(out) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_browser() as launched:
        yield launched


@pytest.mark.parametrize(("path", "selector", "size"), LOGOS)
@pytest.mark.parametrize("scale", [1, 2])
def test_the_logo_loads_in_its_room(browser: Browser, base_url: str, path: str, selector: str,
                                    size: tuple[int, int], scale: int) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=scale)
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    try:
        page.goto(base_url + path, wait_until="load")
        (found,) = page.locator(selector).all()
        state = found.evaluate("""(img) => ({complete: img.complete, natural: img.naturalWidth,
            naturalHeight: img.naturalHeight, current: img.currentSrc, alt: img.getAttribute('alt'),
            box: [img.getBoundingClientRect().width, img.getBoundingClientRect().height]})""")
        assert state["complete"] and state["natural"] > 0, state
        assert state["alt"] == ""  # the authority's name is right beside it
        assert state["box"] == list(size)
        # WebP for Chromium, and the file made for this screen's density.
        assert state["current"].endswith(f"-logo-{size[0] * scale}.webp"), state["current"]
        # Its density-corrected size is the size shown: the srcset's "2x" is true of the file.
        assert (state["natural"], state["naturalHeight"]) == size
        assert not failed
        assert not scrolls_sideways(page)
        violations = run_axe(page)
        assert not violations, format_violations(violations)
        if scale == 1:
            screenshot(page, f"logo-{'authority' if path else 'home'}-390")
    finally:
        context.close()


def test_the_logo_stays_on_a_narrow_phone_and_beside_its_heading(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        page.goto(base_url + AUTHORITY, wait_until="load")
        boxes = page.evaluate("""() => {
            const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
            return {logo: box(document.querySelector('.authority-head img')),
                    heading: box(document.querySelector('.authority-head h1'))}; }""")
        logo, heading = boxes["logo"], boxes["heading"]
        assert logo[0] >= 0 and logo[2] <= 320 and heading[2] <= 320
        assert logo[3] <= heading[1] + 1 or logo[2] <= heading[0] + 1  # above or beside, never over it
        assert not scrolls_sideways(page)
    finally:
        context.close()
