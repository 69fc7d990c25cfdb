"""The static search: which pages Pagefind indexes, and what a reader finds with it in Chromium."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import DEMO_NOW, REPO, run_pressroom
from tests.support.browser import (
    chromium_available,
    chromium_browser,
    format_violations,
    run_axe,
    serve_directory,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CONFERENCE = "meldung/2019-04-29-eine-konferenz-fuer-die-sicherheit-in-gelsenkirchen/"
WITHDRAWN = "meldung/2024-03-12-festnahme-nach-einbruch-in-horst/"
DRAFT = "meldung/2026-08-20-tag-der-offenen-tuer-an-der-feuer-und-rettungswache-altstadt/"


def indexed(output: Path) -> set[str]:
    return {p.parent.relative_to(output).as_posix() + "/" for p in output.rglob("*.html")
            if "data-pagefind-body" in p.read_text(encoding="utf-8")}


def part_names(output: Path) -> list[str]:
    listing = json.loads((output / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    return [part["name"] for part in listing["parts"]]


def indexed_count(output: Path) -> int:
    """Pages in the index, over all its parts (one per year)."""
    parts = part_names(output)
    assert parts == sorted(parts, reverse=True)  # newest first
    return sum(json.loads((output / "pagefind" / part / "part.json").read_text(encoding="utf-8"))["count"]
               for part in parts)


def test_only_published_release_pages_are_marked_for_the_index(demo_output: Path) -> None:
    marked = indexed(demo_output)
    assert CONFERENCE in marked
    assert len(marked) == 8  # the demo's published releases
    assert all(path.startswith("meldung/") for path in marked)
    assert WITHDRAWN not in marked
    assert indexed_count(demo_output) == 8


def test_release_pages_carry_the_four_filters(demo_output: Path) -> None:
    page = (demo_output / CONFERENCE / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="year:2019"' in page
    for name in ("authority", "topic", "place"):
        assert f'data-pagefind-filter="{name}"' in page


def test_drafts_are_rendered_but_never_indexed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_pressroom("build", REPO, "-o", out, "--now", DEMO_NOW, "--drafts", "--quiet")
    assert result.returncode == 0, result.stderr
    assert (out / DRAFT / "index.html").is_file()
    assert DRAFT not in indexed(out)
    assert indexed_count(out) == 8  # the published releases, not the draft


def test_an_unchanged_index_is_kept_and_no_search_makes_none(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_pressroom("build", REPO, "-o", out, "--now", DEMO_NOW)
    assert first.returncode == 0, first.stderr
    assert "search: 8 releases indexed" in first.stdout
    entry = out / "pagefind" / "2019" / "part.json"
    before = entry.read_bytes()
    second = run_pressroom("build", REPO, "-o", out, "--now", DEMO_NOW)
    assert "search: 8 releases unchanged, kept" in second.stdout
    assert entry.read_bytes() == before  # byte-identical output for the same input
    skipped = run_pressroom("build", REPO, "-o", out, "--now", DEMO_NOW, "--no-search")
    assert skipped.returncode == 0, skipped.stderr
    assert not (out / "pagefind").exists()
    assert (out / "suche" / "index.html").is_file()


def test_search_page_works_without_javascript_and_loads_nothing_from_elsewhere(demo_output: Path) -> None:
    page = (demo_output / "suche" / "index.html").read_text(encoding="utf-8")
    fallback = page.split('id="search-fallback"', 1)[1].split("</div>", 1)[0]
    for listing in ("meldungen/", "behoerden/", "themen/", "orte/", "jahre/"):
        assert f'href="/{listing}"' in fallback
    assert '<form id="search-form"' in page and " hidden" in page.split('<form id="search-form"', 1)[1][:300]
    assert not re.search(r"""src="(https?:)?//""", page)
    assert not re.search(r"""rel="stylesheet" href="(https?:)?//""", page)
    script = (demo_output / "static" / "search.js").read_text(encoding="utf-8")
    assert "http" not in script


# --------------------------------------------------------------------------- in Chromium

browser_only = pytest.mark.skipif(not chromium_available(), reason="needs Chromium, Playwright and axe-core")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_browser() as running:
        yield running


@pytest.fixture(scope="module")
def site_url(demo_output: Path) -> Iterator[str]:
    with serve_directory(demo_output) as url:
        yield url


@pytest.fixture()
def search_page(browser: Browser, site_url: str) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(site_url) else None)
    page.goto(site_url + "suche/")
    page.wait_for_selector("#search-form:not([hidden])")
    yield page
    context.close()
    assert outside == []  # no third-party requests


# The search page's module (loaded once per page) has loaded every part of the index.
QUERY_JS = """
async ([query, filters]) => {
  const search = await import("/static/search.js");
  const found = await search.search(query, filters);
  return found.shown.map((hit) => hit.url);
}
"""


def query(page: Page, text: str | None, filters: dict[str, Any] | None = None) -> list[str]:
    urls: list[str] = page.evaluate(QUERY_JS, [text, filters or {}])
    return urls


@pytest.mark.browser
@browser_only
@pytest.mark.parametrize("word", ["Konferenz", "Sicherheitskonferenzen", "konferenzen"])
def test_a_german_word_form_finds_the_conference_report(search_page: Page, word: str) -> None:
    assert "/" + CONFERENCE in query(search_page, word)


@pytest.mark.browser
@browser_only
@pytest.mark.parametrize("word", ["Zivilfahnder", "Ladenlokal"])
def test_a_withdrawn_releases_words_find_nothing(search_page: Page, word: str) -> None:
    assert query(search_page, word) == []


@pytest.mark.browser
@browser_only
def test_a_withdrawn_release_is_never_among_the_results(search_page: Page) -> None:
    for words in ("Festnahme Einbruch Horst", "Geschäftsräume", "Essener Straße", "Tablets"):
        assert "/" + WITHDRAWN not in query(search_page, words)


@pytest.mark.browser
@browser_only
def test_the_search_page_merges_every_years_part(search_page: Page, demo_output: Path) -> None:
    parts = part_names(demo_output)
    assert len(parts) > 3
    years = search_page.locator("#search-year option").evaluate_all("options => options.map(o => o.value)")
    assert [y for y in years if y] == parts  # the filter values of every part, newest first
    search_page.fill("#search-q", "Gelsenkirchen")
    search_page.keyboard.press("Enter")
    search_page.locator("#search-results a").first.wait_for()
    found = search_page.locator("#search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/" + CONFERENCE in found and any(url.startswith("/meldung/2026-") for url in found)


@pytest.mark.browser
@browser_only
def test_filters_narrow_the_results(search_page: Page) -> None:
    fire = query(search_page, None, {"authority": "Feuerwehr Gelsenkirchen"})
    assert fire and "/" + CONFERENCE not in fire
    assert query(search_page, None, {"year": "2019"}) == ["/" + CONFERENCE]
    assert "/" + CONFERENCE in query(search_page, None, {"topic": "Sicherheitskonferenz"})
    assert "/" + CONFERENCE in query(search_page, None, {"place": "Hafen Graf Bismarck"})


@pytest.mark.browser
@browser_only
def test_the_search_form_is_usable_by_keyboard_and_announces_results(search_page: Page) -> None:
    search_page.keyboard.press("Tab")  # skip link
    for _ in range(12):
        search_page.keyboard.press("Tab")
        if search_page.evaluate("document.activeElement.id") == "search-q":
            break
    assert search_page.evaluate("document.activeElement.id") == "search-q"
    search_page.keyboard.type("Sicherheitskonferenz")
    search_page.keyboard.press("Enter")
    status = search_page.locator("#search-status")
    status.filter(has_text=re.compile(r"\d")).wait_for()
    assert status.get_attribute("role") == "status"
    first = search_page.locator("#search-results a").first
    assert first.get_attribute("href") == "/" + CONFERENCE
    assert "Konferenz" in first.inner_text()
    assert "q=Sicherheitskonferenz" in search_page.url  # the search can be bookmarked
    assert search_page.locator("#search-results .item-meta").first.inner_text() \
        == "29. April 2019, 16:05 Uhr"
    violations = run_axe(search_page)
    assert violations == [], format_violations(violations)


@pytest.mark.browser
@browser_only
def test_a_bookmarked_search_with_a_filter_runs_on_load(browser: Browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(site_url + "suche/?q=Gelsenkirchen&year=2019")
    page.locator("#search-results a").first.wait_for()
    assert page.locator("#search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))") \
        == ["/" + CONFERENCE]
    assert page.locator("#search-year").input_value() == "2019"
    page.close()


def test_fresh_builds_give_the_same_search_files(demo_output: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    result = run_pressroom("build", REPO, "-o", out, "--now", DEMO_NOW, "--quiet")
    assert result.returncode == 0, result.stderr

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "pagefind").rglob("*") if p.is_file()}

    assert files(demo_output) == files(out)
    # The demo's parts are small: each keeps its terms in one file, not hundreds of tiny ones.
    years = {path.split("/")[1] for path in files(out) if path.count("/") > 1}
    assert set(files(out)) == {"pagefind/parts.json", *(
        f"pagefind/{year}/{name}" for year in years for name in (
            "part.json", "filters.json", "pressroom-fingerprint.txt", "docs/0.json", "terms/all.json"))}
    assert len(years) == 7


def test_an_expired_appeal_leaves_the_index_at_the_next_build(tmp_path: Path) -> None:
    appeal = "meldung/2025-06-12-vermisste-81-jaehrige-aus-hassel/"
    out = tmp_path / "out"
    before = run_pressroom("build", REPO, "-o", out, "--now", "2025-07-01T12:00:00+02:00")
    assert before.returncode == 0, before.stderr
    assert appeal in indexed(out)
    kept_part = (out / "pagefind" / "2019" / "part.json").stat()
    after = run_pressroom("build", REPO, "-o", out, "--now", DEMO_NOW)
    assert "search: 8 releases indexed (" in after.stdout  # its year's part made anew, not kept
    assert appeal not in indexed(out)
    assert indexed_count(out) == 8
    # Only the parts whose pages changed were made again: 2019's was carried over as it was.
    assert (out / "pagefind" / "2019" / "part.json").stat().st_ino == kept_part.st_ino
