"""What a citizen finds with the search, in Chromium, on a corpus with planted German words."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.build import search_german as german
from generator.build.search import shard_of as german_shard
from tests.build.search_fixture import ALL, SECRET_WORDS, A, B, C, D, E, F, build, make_site, open_search, titles
from tests.conftest import REPO
from tests.support.browser import NEEDS_CHROMIUM, chromium_browser, serve_directory
from tests.support.sites import minimal_site, write_release

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("search-browser")
    with serve_directory(build(make_site(root / "site"), root / "out")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_browser() as running:
        yield running


@pytest.fixture()
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    outside: list[str] = []
    opened.on("request", lambda request: outside.append(request.url)
              if not request.url.startswith(site_url) else None)
    yield opened
    context.close()
    assert outside == []  # no third-party requests


@pytest.fixture()
def search_page(page: Page, site_url: str) -> Page:
    return open_search(page, site_url + "suche/")


@pytest.fixture(scope="module")
def query_page(browser: Browser, site_url: str) -> Iterator[Page]:
    """One loaded search page for the tests that only ask the page's own search module (`titles`):
    a query changes nothing on the page, so they need not load it each."""
    context = browser.new_context()
    opened = context.new_page()
    outside: list[str] = []
    opened.on("request", lambda request: outside.append(request.url)
              if not request.url.startswith(site_url) else None)
    yield open_search(opened, site_url + "suche/")
    context.close()
    assert outside == []  # no third-party requests


# ------------------------------------------------------------------ relevance: exact result sets

@pytest.mark.parametrize(("words", "expected"), [
    # inflected forms and compounds; the title hit first, then the compound in the text
    ("Einbruch", [A, B]),
    ("Einbrüche", [A, B]),
    ("einbruchs", [A, B]),
    ("Wohnungseinbruch", [B]),
    # the exact word before the compound part ("Sicherheitskonferenz" in D's title)
    ("Konferenz", [E, D]),
    ("Konferenzen", [E, D]),
    ("Sicherheitskonferenz", [D]),
    # a word and the compound it begins
    ("Einsatz", [F, C]),
    ("Bahnhof", [D, C]),
    # the last part of a compound whose first part is a word of the same year
    ("Vorplatz", [C]),
    ("Platz", []),
    ("hofsvorplatz", []),
    # a word in no published release: nothing, not its fragments ("ein", "eine", "Eingang")
    ("Einbrecher", []),
    ("Banküberfall", []),
    ("ferenz", []),
    # stop words never make a hit on their own, and do not narrow a search either
    ("und", []),
    ("der die das", []),
    ("eine", []),
    ("!!! ?", []),
    ("der Einbruch", [A, B]),
    # every word must match
    ("Einbruch Markt", [B]),
    ("Einbruch Rathaus", []),
])
def test_a_word_finds_exactly_the_releases_a_citizen_expects(query_page: Page, words: str,
                                                              expected: list[str]) -> None:
    assert titles(query_page, words) == expected


@pytest.mark.parametrize("word", SECRET_WORDS)
def test_withdrawn_draft_and_scheduled_releases_are_never_found(query_page: Page, word: str) -> None:
    assert titles(query_page, word) == []


def test_the_browser_stems_every_word_as_the_build_does(query_page: Page) -> None:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md")))
    vocabulary = sorted(set(german.words(text + " Einbrüche Wohnungseinbrüchen Sicherheitskonferenzen ÄÖÜß")))
    assert len(vocabulary) > 1000
    in_browser = query_page.evaluate("""async (words) => {
      const s = await import("/static/search.js");
      return [words.map(s.stem), words.map(s.heads), s.words("Straße, Äpfel; ÖL-Preis 2024!")];
    }""", vocabulary)
    assert in_browser[0] == [german.stem(w) for w in vocabulary]
    assert in_browser[1] == [list(german.heads(w)) for w in vocabulary]
    assert in_browser[2] == german.words("Straße, Äpfel; ÖL-Preis 2024!") == ["strasse", "apfel", "ol", "preis", "2024"]


# ------------------------------------------------------------------ filters and shareable URLs

def test_filters_narrow_the_results(query_page: Page) -> None:
    assert set(titles(query_page, None, {"authority": "Feuerwehr Teststadt"})) == {C, E, F}
    assert titles(query_page, None, {"year": "2024"}) == [C, D]  # newest first
    assert titles(query_page, None, {"topic": "Sicherheit"}) == [D]
    assert titles(query_page, None, {"place": "Altstadt"}) == [A, B]
    assert titles(query_page, "Einbruch", {"year": "2024"}) == []
    assert titles(query_page, "Einbruch", {"place": "Altstadt", "authority": "Polizei Teststadt"}) == [A, B]
    assert set(titles(query_page, None, {})) <= ALL


def test_a_shared_url_with_a_filter_runs_on_load_and_shows_the_filter(page: Page, site_url: str) -> None:
    open_search(page, site_url + "suche/?q=Einbruch&place=Altstadt")
    page.locator("#search-status").filter(has_text="2 Meldungen gefunden.").wait_for()
    assert page.locator("#search-place").input_value() == "Altstadt"
    assert page.locator("#search-filters-active").inner_text() == "(Ort: Altstadt)"


# ------------------------------------------------------------------ as you type, by keyboard

def test_results_appear_while_typing_without_enter(search_page: Page) -> None:
    search_page.locator("#search-q").press_sequentially("Einbr", delay=60)
    status = search_page.locator("#search-status")
    status.filter(has_text="2 Meldungen gefunden.").wait_for()
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    assert "q=Einbr" in search_page.url  # the last query stays in the URL
    links = search_page.locator("#search-results h2 a")
    assert [t.split(": ", 1)[1] for t in links.all_inner_texts()] == [A, B]
    search_page.locator("#search-q").press_sequentially("echer", delay=60)  # "Einbrecher": in no release
    status.filter(has_text="Keine Meldung gefunden").wait_for()
    assert search_page.locator("#search-results li").count() == 0
    assert "q=Einbrecher" in search_page.url


def test_enter_and_the_keyboard_alone_work(search_page: Page) -> None:
    for _ in range(20):
        search_page.keyboard.press("Tab")
        if search_page.evaluate("document.activeElement.id") == "search-q":
            break
    assert search_page.evaluate("document.activeElement.id") == "search-q"
    search_page.keyboard.type("Konferenz")
    search_page.keyboard.press("Enter")
    search_page.locator("#search-status").filter(has_text="2 Meldungen gefunden.").wait_for()
    # Tab goes on to the filters (unfolded where there is room) and on to the results.
    search_page.keyboard.press("Tab")
    search_page.keyboard.press("Tab")
    assert search_page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert search_page.locator("#search-filters").get_attribute("open") is not None
    search_page.keyboard.press("Tab")
    assert search_page.evaluate("document.activeElement.id") == "search-authority"
    search_page.keyboard.press("ArrowDown")  # a filter chosen by keyboard narrows at once
    search_page.locator("#search-status").filter(has_text="1 Meldung gefunden.").wait_for()
    for _ in range(4):
        search_page.keyboard.press("Tab")
    assert search_page.evaluate("document.activeElement.closest('#search-results') !== null")
    search_page.keyboard.press("Shift+Tab")
    search_page.keyboard.press("Shift+Tab")
    search_page.keyboard.press("Shift+Tab")
    search_page.keyboard.press("Shift+Tab")
    assert search_page.evaluate("document.activeElement.id") == "search-authority"
    search_page.keyboard.press("Shift+Tab")
    search_page.keyboard.press("Enter")  # the summary folds the filters away
    assert search_page.locator("#search-filters").get_attribute("open") is None


def test_each_result_shows_title_and_date_once_and_an_excerpt_of_the_text(search_page: Page) -> None:
    search_page.fill("#search-q", "Einbruch")
    search_page.keyboard.press("Enter")
    search_page.locator("#search-status").filter(has_text="2 Meldungen gefunden.").wait_for()
    first, second = search_page.locator("#search-results li").all()
    assert first.locator("h2").inner_text() == "POL-TS: " + A
    assert first.locator(".item-meta").inner_text() == "20. November 2025, 10:00 Uhr"
    teaser = first.locator(".item-teaser")
    assert teaser.inner_text().startswith("In der Nacht zum Montag wurden der Polizei mehrere Einbrüche")
    assert teaser.locator("mark").all_inner_texts() == ["Einbrüche"]
    assert second.locator(".item-teaser mark").all_inner_texts() == ["Wohnungseinbruch"]
    for item in (first, second):
        text = item.inner_text()
        assert "(ots)" not in text and text.count("2025") == 1  # the date once, no dateline


# ------------------------------------------------------------------ from every page, on a phone

def test_the_header_form_of_another_page_leads_to_the_results(page: Page, site_url: str) -> None:
    page.goto(site_url + "meldungen/")
    page.fill("#site-search-q", "Konferenz")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/suche/\?q=Konferenz$"))
    page.locator("#search-status").filter(has_text="2 Meldungen gefunden.").wait_for()
    assert [t.split(": ", 1)[1] for t in page.locator("#search-results h2 a").all_inner_texts()] == [E, D]


def test_without_javascript_the_header_form_leads_to_the_lists(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "meldungen/")
    page.fill("#site-search-q", "Konferenz")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/suche/\?q=Konferenz$"))
    assert page.locator("#search-fallback").is_visible()
    assert page.locator("#search-fallback a").count() == 5  # all releases, authorities, topics, places, years
    context.close()


def test_on_a_phone_the_first_result_is_visible_without_scrolling(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = open_search(context.new_page(), site_url + "suche/?q=Einbruch&authority=Polizei+Teststadt")
    page.locator("#search-status").filter(has_text="2 Meldungen gefunden.").wait_for()
    assert page.evaluate("window.scrollY") == 0
    box = page.locator("#search-results li").first.bounding_box()
    assert box is not None and box["y"] + min(box["height"], 120) <= 844
    assert page.locator("#search-filters").get_attribute("open") is None  # folded away …
    assert page.locator("#search-filters summary").inner_text() == "Eingrenzen (Behörde: Polizei Teststadt)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sideways
    context.close()


def test_more_than_fifty_results_come_on_request(browser: Browser, tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site")
    for n in range(55):
        write_release(site, f"2025/r{n:02d}", f"title: Meldung {n:02d}\ndate: 2025-01-01T10:{n:02d}:00+01:00\n"
                      "authority: polizei-test", f"Ein Einsatz am Tag {n}.\n")
    with serve_directory(build(site, tmp_path / "out")) as url:
        page = open_search(browser.new_page(), url + "suche/?q=Einsatz")
        page.locator("#search-status").filter(has_text="55 Meldungen gefunden.").wait_for()
        items = page.locator("#search-results li")
        assert items.count() == 50
        assert items.first.locator("h2").inner_text() == "POL-TS: Meldung 54"  # the newest first
        page.locator("#search-more").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelectorAll('#search-results li').length === 55")
        assert page.locator("#search-more").is_hidden()
        assert page.evaluate("document.activeElement.textContent") == "POL-TS: Meldung 04"  # read on there
        page.close()


def _words(rng: random.Random, first: str | None, count: int, seen: set[str]) -> list[str]:
    """Made-up words of four syllables whose stems are not in `seen`, all beginning with `first`
    if given."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    found: list[str] = []
    while len(found) < count:
        word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(4))
        word = (first + word[1:]) if first else word
        if german.stem(word) not in seen:
            seen.add(german.stem(word))
            found.append(word)
    return found


def test_parts_of_every_size_find_their_words(browser: Browser, tmp_path: Path) -> None:
    """A small part keeps its terms in one file, a middle one by first letter, a big one by
    two: the browser looks each word up where the build put it."""
    rng = random.Random(7)
    site = minimal_site(tmp_path / "site")
    seen: set[str] = set()
    years = {"2023": _words(rng, "k", 2400, seen), "2024": _words(rng, None, 2400, seen),
             "2025": _words(rng, None, 20, seen)}
    planted: dict[str, str] = {}
    for year, words in years.items():
        for n in range(0, len(words), 20):
            # A word of letters no made-up word has, so it is no beginning of another.
            probe = "qy" + "".join("qxyj"[(len(planted) >> shift) & 3] for shift in (0, 2, 4, 6))
            title = planted[probe] = f"Meldung {year} {n:04d}"
            write_release(site, f"{year}/r{year}-{n:04d}", f"title: {title}\ndate: {year}-03-01T10:{n % 60:02d}"
                          ":00+01:00\nauthority: polizei-test", " ".join([probe, *words[n:n + 20]]) + ".\n")
    out = build(site, tmp_path / "out")
    depths = {year: json.loads((out / "pagefind" / year / "part.json").read_text())["depth"] for year in years}
    assert depths == {"2023": 2, "2024": 1, "2025": 0}
    assert [p.name for p in (out / "pagefind" / "2025" / "terms").iterdir()] == ["all.json"]
    with serve_directory(out) as url:
        page = open_search(browser.new_page(), url + "suche/")
        for word, title in sorted(planted.items()):
            assert titles(page, word) == [title], word
        terms = ["kabu", "ä", "ßa", "9x", "\U0001F600b", "e"]
        shards = page.evaluate("async (terms) => { const s = await import('/static/search.js');"
                               " return [0, 1, 2].map((d) => terms.map((t) => s.shardOf(t, d))); }", terms)
        assert shards == [[german_shard(term, depth) for term in terms] for depth in (0, 1, 2)]
        page.close()
