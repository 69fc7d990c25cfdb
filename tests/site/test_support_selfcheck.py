"""Self-checks for tests/support: prove the browser, axe and vnu helpers catch what
they claim to catch, on tiny pages, before the real suite relies on them."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.browser import (
    check_focus_indicators,
    check_keyboard,
    chromium_available,
    chromium_browser,
    format_violations,
    run_axe,
    screenshot,
    scrolls_sideways,
    serve_directory,
)
from tests.support.vnu import format_errors, validate_html, vnu_available

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

PHONE: ViewportSize = {"width": 360, "height": 640}

STYLE = """
body { margin: 0; font: 16px/1.5 sans-serif; color: #111; background: #fff; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; }
a:focus-visible, main:focus-visible { outline: 3px solid #1a4fd0; outline-offset: 2px; }
"""


def html_page(body: str, style: str = STYLE, main_attrs: str = ' id="main" tabindex="-1"') -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Self-check</title>
<style>{style}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Main"><a href="/">Home</a></nav></header>
<main{main_attrs}>
<h1>Press release</h1>
{body}
</main>
</body>
</html>
"""


GOOD_BODY = '<p>Read the <a href="/about.html">background</a>.</p>'


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not chromium_available():
        pytest.skip("needs /usr/bin/chromium, Playwright and node_modules/axe-core (run `make test-deps`)")
    with chromium_browser() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def needs_vnu() -> None:
    if not vnu_available():
        pytest.skip("needs java and node_modules/vnu-jar (run `make test-deps`)")


# ------------------------------------------------------------------ server


def test_server_serves_files_and_custom_404(tmp_path: Path) -> None:
    write(tmp_path, "index.html", html_page(GOOD_BODY))
    write(tmp_path, "404.html", "<!doctype html><title>Not found</title><p>Gone")
    with serve_directory(tmp_path) as base_url:
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/")
        host_port = base_url.removeprefix("http://").rstrip("/")
        for path, status, needle in (("/", 200, b"Press release"), ("/missing/", 404, b"Gone")):
            conn = http.client.HTTPConnection(host_port, timeout=5)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                assert response.status == status
                assert needle in response.read()
            finally:
                conn.close()


# ------------------------------------------------------------------ browser


@pytest.mark.browser
@pytest.mark.parametrize("main_attrs", [' id="main" tabindex="-1"', ' id="main"'], ids=["focusable", "plain"])
def test_accessible_page_passes_browser_checks(tmp_path: Path, page: Page, main_attrs: str) -> None:
    write(tmp_path, "index.html", html_page(GOOD_BODY, main_attrs=main_attrs))
    with serve_directory(tmp_path) as base_url:
        page.goto(base_url)
        violations = run_axe(page)
        assert violations == [], format_violations(violations)
        assert not scrolls_sideways(page)
        info = check_keyboard(page)
        assert info["target_id"] == "main"
        # A focusable <main> takes focus itself; a plain one is proven by the next Tab.
        assert info["focus_in_main_after_enter"] == ("tabindex" in main_attrs)
        assert info["text"] == "Skip to content"
        page.reload()
        assert check_focus_indicators(page) == []


@pytest.mark.browser
def test_img_without_alt_is_an_axe_violation(tmp_path: Path, page: Page) -> None:
    write(tmp_path, "index.html", html_page('<p><img src="data:," width="10" height="10"></p>'))
    with serve_directory(tmp_path) as base_url:
        page.goto(base_url)
        ids = {v["id"] for v in run_axe(page)}
    assert "image-alt" in ids


@pytest.mark.browser
def test_wide_page_scrolls_sideways_on_a_phone(tmp_path: Path, page: Page) -> None:
    write(tmp_path, "index.html", html_page('<div style="width: 500px">Too wide</div>'))
    with serve_directory(tmp_path) as base_url:
        page.goto(base_url)
        assert scrolls_sideways(page)
        shot = screenshot(page, "selfcheck/wide page")
    assert shot.name == "selfcheck_wide_page.png" and shot.stat().st_size > 0
    shot.unlink()


@pytest.mark.browser
def test_missing_skip_link_and_focus_ring_are_reported(tmp_path: Path, page: Page) -> None:
    no_ring = STYLE + "a:focus, a:focus-visible { outline: none; }"
    write(tmp_path, "index.html", html_page(GOOD_BODY, style=no_ring).replace('href="#main"', 'href="/"'))
    with serve_directory(tmp_path) as base_url:
        page.goto(base_url)
        with pytest.raises(AssertionError, match="skip link"):
            check_keyboard(page)
        page.reload()
        problems = check_focus_indicators(page)
    assert [p["text"] for p in problems] == ["Skip to content", "Home", "background"]


# ------------------------------------------------------------------ vnu


@pytest.mark.usefixtures("needs_vnu")
def test_vnu_passes_valid_and_flags_invalid_files_in_one_run(tmp_path: Path) -> None:
    good = write(tmp_path, "good.html", html_page(GOOD_BODY))
    bad = write(tmp_path, "bad file.html", html_page("<p>Unclosed <div><span></p>"))
    errors = validate_html([good, bad])  # one Java start for both files
    assert errors, "vnu reported no errors for invalid markup"
    assert {e["file"] for e in errors} == {bad}, format_errors(errors)
    assert all(isinstance(e["line"], int) and e["message"] for e in errors)
