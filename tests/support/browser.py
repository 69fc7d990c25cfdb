"""Browser helpers for the Pressroom test suite: a local static server, Debian's
Chromium through Playwright, axe-core checks, layout and keyboard checks.

Playwright never downloads its own browser here; we drive the distribution
Chromium at /usr/bin/chromium so tests work offline and as root in CI.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import pytest

if TYPE_CHECKING:  # Playwright is a test extra; importing this module must not require it.
    from playwright.sync_api import Browser, Page, Playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_PATH = Path("/usr/bin/chromium")
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS_DIR = REPO_ROOT / "tests" / "artifacts"

# --no-sandbox because CI runs as root; the rest keep Chromium from phoning home
# (the network only reaches package registries) and from slowing start-up.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

WCAG_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


# --------------------------------------------------------------------------- server


# Feeds, calendars and modern images must arrive with the types browsers expect.
_EXTENSIONS_MAP: dict[str, str] = {
    **SimpleHTTPRequestHandler.extensions_map,
    ".atom": "application/atom+xml",
    ".avif": "image/avif",
    ".ics": "text/calendar",
    ".json": "application/json",
    ".rss": "application/rss+xml",
    ".webmanifest": "application/manifest+json",
    ".webp": "image/webp",
    ".xml": "application/xml",
}


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static file handler that logs nothing and serves the site's own 404 page."""

    # A connection the browser opened speculatively but never used must not keep
    # a handler thread alive forever.
    timeout = 10

    extensions_map = _EXTENSIONS_MAP
    extra_headers: tuple[tuple[str, str], ...] = ()  # sent with every answer, as a web server would

    def end_headers(self) -> None:
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page_404 = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page_404.is_file():
            super().send_error(code, message, explain)
            return
        body = page_404.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # Browsers drop connections mid-response (navigation, page close) and leave
        # idle ones to time out; tracebacks for those are noise. Real bugs still print.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve_directory(path: Path | str, headers: Sequence[tuple[str, str]] = ()) -> Iterator[str]:
    """Serve ``path`` on 127.0.0.1 at a free port; yield the base URL (ending in '/').

    ``headers`` go with every answer (the site's server configuration, say)."""
    root = Path(path).resolve()
    if not root.is_dir():
        raise NotADirectoryError(root)
    handler_class = type("_Handler", (_QuietHandler,), {"extra_headers": tuple(headers)}) if headers else _QuietHandler
    handler = functools.partial(handler_class, directory=str(root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    # A short poll interval keeps shutdown() (which waits for the next poll) fast.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"serve:{root.name}", daemon=True
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --------------------------------------------------------------------------- browser


def chromium_available() -> bool:
    """True when Debian's Chromium, Playwright and axe-core are all installed."""
    return CHROMIUM_PATH.exists() and AXE_JS.is_file() and importlib.util.find_spec("playwright") is not None


# A browser test module's marks: `pytestmark = NEEDS_CHROMIUM`.
NEEDS_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason="needs /usr/bin/chromium, Playwright and axe-core"),
]


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch headless system Chromium; the caller closes it."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM_PATH),
        headless=True,
        args=list(CHROMIUM_ARGS),
    )


@contextmanager
def chromium_browser() -> Iterator[Browser]:
    """Start Playwright and Chromium together, for a session-scoped pytest fixture."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


# --------------------------------------------------------------------------- axe


class AxeNode(TypedDict):
    target: list[Any]  # CSS selectors; nested lists when the node is inside a shadow root or iframe
    html: str
    failure_summary: str


class AxeViolation(TypedDict):
    id: str
    impact: str | None
    help: str
    help_url: str
    nodes: list[AxeNode]


_AXE_RUN_JS = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    help_url: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, failure_summary: n.failureSummary || ''})),
  }));
}
"""


def run_axe(page: Page, tags: Sequence[str] = WCAG_TAGS) -> list[AxeViolation]:
    """Run axe-core (WCAG 2.1 A/AA rules by default) on the loaded page; return its violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    violations: list[AxeViolation] = page.evaluate(_AXE_RUN_JS, list(tags))
    return violations


def format_violations(violations: Sequence[AxeViolation]) -> str:
    """Readable multi-line summary, for assertion messages."""
    lines: list[str] = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['help_url']})")
        lines.extend(f"    {node['target']}: {node['html'][:160]}" for node in v["nodes"])
    return "\n".join(lines)


# --------------------------------------------------------------------------- layout


def scrolls_sideways(page: Page) -> bool:
    """True when the page is wider than the viewport (horizontal scrolling on phones)."""
    result: bool = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    return result


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG to tests/artifacts/<name>.png for humans to review."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "page"
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS_DIR / f"{safe}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


# --------------------------------------------------------------------------- keyboard


class SkipLinkInfo(TypedDict):
    href: str
    text: str
    target_id: str
    focus_in_main_after_enter: bool
    next_tab_in_main: bool | None  # None when focus already landed in main after Enter


class FocusProblem(TypedDict):
    tag: str
    id: str
    classes: str
    text: str
    html: str


# Describes the focused element and whether its fragment target is (inside) the
# main landmark. Runs in the page.
_ACTIVE_LINK_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const href = el.getAttribute('href') || '';
  const id = href.startsWith('#') ? decodeURIComponent(href.slice(1)) : '';
  const target = id ? document.getElementById(id) : null;
  const main = document.querySelector('main, [role="main"]');
  return {
    tag: el.tagName.toLowerCase(),
    href: href,
    text: (el.textContent || '').trim(),
    target_id: id,
    target_exists: target !== null,
    target_in_main: !!(main && target && main.contains(target)),
    has_main: main !== null,
  };
}
"""

# After activating the skip link: is focus inside main, or (if not) does it
# follow main in document order, i.e. did sequential navigation restart there?
_FOCUS_IN_MAIN_JS = """
() => {
  const main = document.querySelector('main, [role="main"]');
  const el = document.activeElement;
  if (!main || !el || el === document.body) return false;
  return main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}
"""


def check_keyboard(page: Page) -> SkipLinkInfo:
    """Assert that the first Tab on a freshly loaded page reaches a skip link to <main>,
    and that activating it moves keyboard navigation into <main>.

    Leaves focus inside the page; reload before further keyboard checks.
    """
    page.keyboard.press("Tab")
    link: dict[str, Any] | None = page.evaluate(_ACTIVE_LINK_JS)
    assert link is not None, "first Tab focused nothing; expected a skip link"
    assert link["tag"] == "a" and link["target_id"], f"first Tab focused {link}, not a skip link"
    assert link["has_main"], "page has no <main> / role=main landmark"
    assert link["target_exists"], f"skip link {link['href']!r} points to a missing id"
    assert link["target_in_main"], f"skip link {link['href']!r} does not point into the main landmark"

    page.keyboard.press("Enter")
    in_main: bool = page.evaluate(_FOCUS_IN_MAIN_JS)
    next_in_main: bool | None = None
    if not in_main:
        # A non-focusable target only moves the sequential-navigation starting
        # point, so the real proof is where the next Tab lands.
        page.keyboard.press("Tab")
        next_in_main = page.evaluate(_FOCUS_IN_MAIN_JS)
        assert next_in_main, "after the skip link, Tab did not continue inside the main landmark"
    return SkipLinkInfo(
        href=link["href"],
        text=link["text"],
        target_id=link["target_id"],
        focus_in_main_after_enter=in_main,
        next_tab_in_main=next_in_main,
    )


# Marks the focused element as seen (so wrapping around ends the walk) and judges
# its focus indicator. Chromium's default ring is outline-style 'auto', which counts.
_FOCUS_STEP_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {done: true};
  const seen = (window.__pressroomFocusSeen ||= new Set());
  if (seen.has(el)) return {done: true};
  seen.add(el);
  if (el.tagName === 'IFRAME') return {done: false, ok: true};
  const s = getComputedStyle(el);
  const transparent = (c) => c === 'transparent' || /rgba\\([^)]*,\\s*0\\)$/.test(c);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !transparent(s.outlineColor);
  const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
  return {
    done: false,
    ok: outline || shadow,
    problem: {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      classes: el.className && typeof el.className === 'string' ? el.className : '',
      text: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 80),
      html: el.outerHTML.slice(0, 200),
    },
  };
}
"""


def check_focus_indicators(page: Page, max_tabs: int = 200) -> list[FocusProblem]:
    """Tab through the page (at most ``max_tabs`` stops) and return the focusable
    elements that show neither an outline nor a box-shadow while focused."""
    page.evaluate("() => { window.__pressroomFocusSeen = new Set(); }")
    problems: list[FocusProblem] = []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        step: dict[str, Any] = page.evaluate(_FOCUS_STEP_JS)
        if step["done"]:
            break
        if not step["ok"]:
            problems.append(step["problem"])
    return problems
