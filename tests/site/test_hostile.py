"""Hostile content never runs in a reader's browser or an aggregator, and paths
in front matter never reach outside the site.

A press office copies text from e-mails, tip-offs and other web pages; one
careless paste must not turn the authority's site into an attack on its readers.
The fixture site puts script payloads into every front-matter string that
reaches a page and into the bodies; every page is then loaded in Chromium with
a dialog listener, and the DOM and the feeds are searched for anything that
could execute.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import feedparser
import pytest
import yaml
from PIL import Image as PILImage
from playwright.sync_api import Error as PlaywrightError

from generator.build.cache import CACHE_DIR
from tests.conftest import DEMO_NOW, run_pressroom
from tests.support.browser import chromium_available, chromium_browser, serve_directory

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Each payload calls alert() with its own number, so a dialog names the hole it came through.
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)></svg>",
    '<a href="javascript:alert(4)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==">data</a>',
    '<iframe src="javascript:alert(6)"></iframe>',
    "<style>body{display:none}</style>",
    "\"'><script>alert(7)</script>",
    "' onmouseover='alert(8)' x='",
    '" onfocus="alert(9)" autofocus="',
    "</title><script>alert(10)</script>",
    "<math><mi xlink:href=\"javascript:alert(11)\">m</mi></math>",
)
EVIL = " ".join(PAYLOADS)


def evil(label: str) -> str:
    """A hostile string that still tells, in the page, which field it came from."""
    return f"{label} {EVIL}"


HOSTILE_BODY = f"""
Ein normaler Absatz zuerst, damit der Teaser etwas hat. {EVIL}

<script>alert(20)</script>
<p onclick="alert(21)" style="background:url(javascript:alert(22))">Absatz mit Handler</p>
<img src="x" onerror="alert(23)">
<svg><script>alert(24)</script></svg>
<iframe srcdoc="<script>alert(25)</script>"></iframe>
<object data="javascript:alert(26)"></object><embed src="javascript:alert(27)">
<form action="javascript:alert(28)"><button formaction="javascript:alert(29)">x</button></form>
<a href="JaVaScRiPt:alert(30)">gemischte Schreibweise</a>
<a href="  javascript:alert(31)">Leerzeichen davor</a>
<a href="java&#x09;script:alert(32)">Tab als Entität</a>
<a href="data:text/html,<script>alert(33)</script>">data-Link</a>
<meta http-equiv="refresh" content="0;url=javascript:alert(34)">
<base href="javascript:alert(35)//">
<details open ontoggle="alert(36)">x</details>
<style>@import 'javascript:alert(37)';</style>
<noscript><p title="</noscript><img src=x onerror=alert(38)>"></noscript>

[Markdown-Link](javascript:alert(40)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg0MSk8L3NjcmlwdD4=)
![Bild](javascript:alert(42)) <http://example.org/"onmouseover="alert(43)>

| Spalte {EVIL} |
|---|
| <img src=x onerror=alert(44)> |
"""


def _front_matter(data: dict[str, Any], body: str) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body


def make_hostile_site(site: Path) -> None:
    (site / "content" / "releases").mkdir(parents=True)
    (site / "content" / "pages").mkdir(parents=True)
    media = site / "content" / "media"
    media.mkdir(parents=True)
    PILImage.new("RGB", (120, 80), (0, 75, 135)).save(media / "bild.png")
    (media / "anhang.pdf").write_bytes(b"%PDF-1.4\n% hostile fixture\n%%EOF\n")
    (site / "site.toml").write_text(
        'title = "Presse <script>alert(50)</script> \\" onload=\\"alert(51)"\n'
        'base_url = "https://presse.example.org/"\n'
        'description = "Beschreibung <img src=x onerror=alert(52)>"\n', encoding="utf-8")
    authorities = {
        "polizei-x": {
            "name": evil("Behördenname"), "code": "POL-X", "city": evil("Stadt"),
            "website": "https://polizei.example.org/",
            "contact": {"name": evil("Kontaktname"), "phone": "0209 / 123 456",
                        "email": "presse@polizei.example.org", "url": "https://polizei.example.org/?a=1&b=2"},
            "tips": [{"text": evil("Hinweistelefon"), "phone": "0209 / 365 8240",
                      "url": "https://polizei.example.org/hinweise?a=1&b=2"}],
            "description": evil("Behördenbeschreibung"),
        },
    }
    (site / "content" / "authorities.yaml").write_text(
        yaml.safe_dump(authorities, allow_unicode=True), encoding="utf-8")
    common = {"authority": "polizei-x", "tags": [evil("Thema"), "Normales Thema"],
              "places": [evil("Ort"), "Gelsenkirchen"], "location": evil("Datumszeile"),
              "summary": evil("Teaser")}
    releases = {
        "2026-01-10-konferenz": {
            "id": "hostile-1", "title": evil("Titel"), "date": "2026-11-10T10:00:00+01:00",
            "kind": "conference-report", **common,
            "contact": {"name": evil("Ansprechpartner"), "phone": "0209 / 99 99 99"},
            "images": [{"src": "bild.png", "alt": evil("Alt"), "caption": evil("Bildunterschrift"),
                        "credit": evil("Bildnachweis")}],
            "attachments": [{"src": "anhang.pdf", "title": evil("Anhangtitel")}],
            "event": {"name": evil("Veranstaltung"), "start": "2026-11-10T09:00:00+01:00",
                      "end": "2026-11-10T12:00:00+01:00", "venue": evil("Ort der Veranstaltung"),
                      "participants": [evil("Teilnehmer")], "agenda": [evil("Tagesordnungspunkt")]},
            "updates": [{"date": "2026-11-11T10:00:00+01:00", "note": evil("Änderungsnotiz")},
                        {"date": "2026-11-12T10:00:00+01:00", "note": evil("Kleine Notiz"), "major": False}],
            "aliases": ["/alt/konferenz/"],
            "extra": {"x": evil("Extra")},
        },
        "2026-01-11-fahndung": {
            "id": "hostile-2", "title": evil("Fahndung"), "date": "2026-11-11T10:00:00+01:00",
            "kind": "appeal", "expires": "2026-12-31", "follows": "hostile-1", **common,
        },
        "2026-01-12-zurueckgezogen": {
            "id": "hostile-3", "title": evil("Zurückgezogen"), "date": "2026-11-12T10:00:00+01:00",
            "withdrawn": {"date": "2026-11-13T10:00:00+01:00", "reason": evil("Rückzugsgrund")}, **common,
        },
    }
    for name, data in releases.items():
        (site / "content" / "releases" / f"{name}.md").write_text(_front_matter(data, HOSTILE_BODY),
                                                                  encoding="utf-8")
    (site / "content" / "pages" / "impressum.md").write_text(
        _front_matter({"title": evil("Seitentitel"), "description": evil("Seitenbeschreibung")},
                      HOSTILE_BODY),
        encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("hostile") / "site"
    make_hostile_site(site)
    out = site / "output"
    result = run_pressroom("build", site, "-o", out, "--now", DEMO_NOW, "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_the_hostile_site_builds_and_shows_the_payloads_as_text(hostile_output: Path) -> None:
    release = (hostile_output / "meldung" / "2026-01-10-konferenz" / "index.html").read_text(encoding="utf-8")
    # The words survive, escaped: the reader sees what was written, nothing runs.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in release
    for label in ("Titel", "Teaser", "Datumszeile", "Ansprechpartner", "Alt",
                  "Bildunterschrift", "Bildnachweis", "Anhangtitel", "Veranstaltung", "Teilnehmer",
                  "Tagesordnungspunkt", "Änderungsnotiz", "Thema", "Ort"):
        assert label in release, label
    appeal = (hostile_output / "meldung" / "2026-01-11-fahndung" / "index.html").read_text(encoding="utf-8")
    for label in ("Fahndung", "Kontaktname", "Behördenname"):
        assert label in appeal, label
    notice_file = hostile_output / "meldung" / "2026-01-12-zurueckgezogen" / "index.html"
    notice = notice_file.read_text(encoding="utf-8")
    assert "Rückzugsgrund" in notice
    assert len(html_pages(hostile_output)) >= 10


class _Danger(HTMLParser):
    """Everything in static HTML that a browser could execute."""

    DATA_TYPES: ClassVar[set[str]] = {"application/ld+json", "application/json"}
    EXECUTABLE: ClassVar[set[str]] = {
        "iframe", "frame", "object", "embed", "base", "applet"}
    URL_ATTRIBUTES: ClassVar[set[str]] = {
        "href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "poster", "background", "cite",
        "ping"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._open_tag = ""
        self._data_block = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open_tag = tag
        self._data_block = tag == "script" and dict(attrs).get("type") in self.DATA_TYPES
        if tag in self.EXECUTABLE:
            self.found.append(f"<{tag}>")
        if tag == "script" and not self._theme_script(attrs):
            self.found.append(f"<script src={dict(attrs).get('src')!r}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in self.URL_ATTRIBUTES and value is not None:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.found.append(f"<{tag} {name}={value[:40]!r}>")
        if tag == "meta" and "http-equiv" in dict(attrs):
            # Only the theme's own redirect of an alias, to a path on this site.
            content = (dict(attrs).get("content") or "").replace(" ", "")
            if not re.fullmatch(r"0;url=/[^:]*", content):
                self.found.append(f"<meta http-equiv content={content[:40]!r}>")

    @staticmethod
    def _theme_script(attrs: list[tuple[str, str | None]]) -> bool:
        """A script the theme may bring (e.g. for the search): inline, or a file on this site.
        Whether its text came from content is judged in handle_data."""
        src = dict(attrs).get("src")
        return src is None or (src.startswith("/") and not src.startswith("//"))

    def handle_data(self, data: str) -> None:
        if self._data_block:
            # JSON-LD is data, not code, but a raw "<" in it could close the element ("</script>").
            if "<" in data:
                self.found.append(f"<script type=ld+json> with a raw '<': {data[:60]!r}")
        # Every payload calls alert(); inside a script or style element that text would run.
        elif self._open_tag in ("script", "style") and ("alert" in data or "javascript" in data.lower()):
            self.found.append(f"<{self._open_tag}> {data[:60]!r}")

    def handle_endtag(self, tag: str) -> None:
        self._open_tag = ""
        self._data_block = False


def dangers(html: str) -> list[str]:
    parser = _Danger()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_checker_finds_what_it_looks_for() -> None:
    found = dangers('<p onclick="x">a</p><a href=" JavaScript:x">b</a><script>alert(1)</script>'
                    '<img src="data:image/png;base64,AA"><script src="https://evil.example/x.js"></script>'
                    "<style>@import 'javascript:x'</style><iframe></iframe>")
    assert len(found) == 7, found
    assert not dangers('<script src="/pagefind/pagefind-ui.js"></script><script>new PagefindUI({})</script>'
                       '<form role="search" action="/suche/"><input name="q"></form>'
                       '<script type="application/ld+json">{"name": "\\u003cscript\\u003ealert(1)"}</script>')
    assert dangers('<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>')


def test_no_page_carries_anything_executable(hostile_output: Path) -> None:
    problems = []
    for page in html_pages(hostile_output):
        found = dangers(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(hostile_output)}: {d}" for d in found]
    assert not problems, "\n".join(problems)


# In the live DOM after load: handlers, script text and URLs as the browser resolved them.
_DOM_DANGERS_JS = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) found.push(`<${el.localName} ${attr.name}>`);
    }
    const tag = el.localName;
    if (['iframe', 'frame', 'object', 'embed', 'base'].includes(tag)) found.push(`<${tag}>`);
    const data = tag === 'script' && ['application/ld+json', 'application/json'].includes(el.type);
    if (data && el.textContent.includes('<')) found.push(`<script type=${el.type}> with a raw '<'`);
    if (!data && (tag === 'style' || tag === 'script') && /alert|javascript/i.test(el.textContent)) {
      found.push(`<${tag}> ${el.outerHTML.slice(0, 80)}`);
    }
    if (tag === 'script' && el.src && !el.src.startsWith(location.origin)) {
      found.push(`<script src=${el.src}>`);
    }
    for (const name of ['href', 'src', 'action', 'formaction', 'xlink:href']) {
      const value = el.getAttribute(name);
      if (value === null) continue;
      let protocol = '';
      try { protocol = new URL(value, location.href).protocol; } catch (e) { continue; }
      if (['javascript:', 'data:', 'vbscript:'].includes(protocol)) {
        found.push(`<${el.localName} ${name}=${value.slice(0, 40)}>`);
      }
    }
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not chromium_available():
        pytest.skip("needs /usr/bin/chromium, Playwright and axe-core")
    with chromium_browser() as launched:
        yield launched


def _hover_and_focus_everything(page: Page) -> None:
    """So that onmouseover/onfocus payloads would fire too."""
    page.evaluate("() => document.querySelectorAll('a, p, li, img, dd, h1').forEach((el) => {"
                  " el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); el.focus(); })")


def _inspect(page: Page) -> list[str]:
    for _attempt in range(3):
        try:
            _hover_and_focus_everything(page)
            found: list[str] = page.evaluate(_DOM_DANGERS_JS)
            return found
        except PlaywrightError:  # an alias page redirected meanwhile; check where it went
            page.wait_for_load_state("load")
    raise AssertionError(f"{page.url} never settled")


@pytest.mark.browser
def test_no_page_runs_a_script_in_chromium(hostile_output: Path, browser: Browser) -> None:
    dialogs: list[str] = []
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    try:
        # The listener works: a payload that does run is caught.
        page.set_content("<img src=x onerror=alert(99)>")
        page.wait_for_function("() => document.images[0].complete")
        assert dialogs and dialogs.pop().endswith(": 99")
        with serve_directory(hostile_output) as base:
            for file in html_pages(hostile_output):
                path = file.relative_to(hostile_output).as_posix()
                page.goto(base + path.removesuffix("index.html"), wait_until="load")
                found = _inspect(page)
                problems += [f"{path}: {d}" for d in found]
    finally:
        page.close()
    assert not dialogs, "scripts from content ran:\n" + "\n".join(dialogs)
    assert not problems, "\n".join(problems)


def _feed_files(out: Path) -> list[Path]:
    files = [p for p in sorted(out.rglob("*.xml")) if p.name != "sitemap.xml"]
    return files + sorted(out.rglob("feed.json"))


def test_the_feed_check_finds_script_in_a_feed() -> None:
    rss = ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
           "<channel><title>t</title><link>https://x.example/</link><description>d</description><item>"
           "<title>i</title><content:encoded><![CDATA[<p onclick='x'>a</p><script>alert(1)</script>]]>"
           "</content:encoded></item></channel></rss>")
    parsed = feedparser.parse(rss, sanitize_html=False)
    assert len(dangers(parsed.entries[0].content[0].value)) == 2


def test_every_feed_is_free_of_script(hostile_output: Path) -> None:
    """Aggregators render the feed HTML: no script, handler or javascript: URL in it.

    Iterates over whatever feeds the build writes; feedparser is told not to
    sanitize, so that we see the HTML exactly as the feed carries it."""
    problems: list[str] = []
    feeds = _feed_files(hostile_output)
    for feed in feeds:
        where = feed.relative_to(hostile_output)
        if feed.suffix == ".json":
            data = json.loads(feed.read_text(encoding="utf-8"))
            items = data.get("items", [])
            # JSON Feed 1.1: content_html is HTML; summary and title are plain text.
            html_parts = [str(item.get("content_html", "")) for item in items]
        else:
            parsed = feedparser.parse(feed.read_bytes(), sanitize_html=False)
            assert not parsed.bozo, f"{where}: {parsed.get('bozo_exception')}"
            items = parsed.entries
            html_parts = [c.value for e in items for c in e.get("content", [])]
            html_parts += [e.get("summary", "") for e in items]
        problems += [f"{where}: {d}" for part in html_parts for d in dangers(part)]
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- paths


def _snapshot(root: Path, skip: Path) -> dict[str, bytes]:
    """Every file under root (outside `skip` and the build cache, which the build may keep
    even when it fails, so the next one reads only what changed) with its bytes."""
    found: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if d != CACHE_DIR
                       and not (here / d).resolve().is_relative_to(skip.resolve())]
        for name in filenames:
            path = here / name
            if not path.is_symlink():
                found[str(path.relative_to(root))] = path.read_bytes()
    return found


def _minimal_site(site: Path) -> None:
    (site / "content" / "releases").mkdir(parents=True)
    (site / "content" / "media").mkdir(parents=True)
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://presse.example.org/"\n',
                                    encoding="utf-8")
    (site / "content" / "authorities.yaml").write_text(
        "pol:\n  name: Polizei\n  code: POL\n  city: Stadt\n  contact:\n    phone: '0209 365 2010'\n",
        encoding="utf-8")


SECRET = "geheim: dieser Inhalt darf nie in der Ausgabe landen"


@pytest.mark.parametrize(("case", "front_matter"), [
    ("image-dotdot", "images:\n  - src: ../../../../../../../../secret.txt\n    alt: x"),
    ("image-absolute", "images:\n  - src: {secret}\n    alt: x"),
    ("attachment-dotdot", "attachments:\n  - src: ../../../../../../../../secret.txt"),
    ("attachment-absolute", "attachments:\n  - src: {secret}"),
    ("attachment-etc-passwd", "attachments:\n  - src: /etc/passwd"),
    ("attachment-url", "attachments:\n  - src: file:///etc/passwd"),
    ("symlink-file", "attachments:\n  - src: link.txt"),
    ("symlink-folder", "attachments:\n  - src: outside/secret.txt"),
    ("alias-dotdot", "aliases: [/../../escaped/]"),
    ("alias-inner-dotdot", "aliases: [/a/../../../escaped/]"),
    ("alias-relative", "aliases: [../../escaped/]"),
    ("alias-host", "aliases: ['//evil.example.org/x/']"),
])
def test_a_path_never_leaves_the_site(tmp_path: Path, case: str, front_matter: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    # Deep enough that "../" chains cannot run out of parents before leaving tmp_path.
    site = tmp_path / "a" / "b" / "site"
    _minimal_site(site)
    (site / "content" / "media" / "link.txt").symlink_to(secret)
    (site / "content" / "media" / "outside").symlink_to(outside, target_is_directory=True)
    release = site / "content" / "releases" / "2026-01-01-test.md"
    release.write_text("---\ntitle: Test\ndate: 2026-01-01\nauthority: pol\n"
                       + front_matter.format(secret=secret) + "\n---\n\nText.\n", encoding="utf-8")
    before = _snapshot(tmp_path, site / "output")

    result = run_pressroom("build", site, "--now", DEMO_NOW, "--quiet")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"^content/releases/2026-01-01-test\.md:\d+: error: ", result.stderr, re.MULTILINE), \
        result.stderr
    assert not (site / "output").exists(), "a failed build wrote output"
    assert _snapshot(tmp_path, site / "output") == before, "files outside the output changed"
    assert not list(tmp_path.rglob("escaped"))
