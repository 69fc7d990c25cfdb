"""The search index as files: byte-identical from two fresh builds, only published releases,
the index in parts, and a search field on every page that works without JavaScript."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.build.search_fixture import SECRET_WORDS, build, make_site


@pytest.fixture(scope="module")
def fixture_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search-index")
    return build(make_site(root / "site"), root / "out")


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_fresh_builds_give_the_same_search_files_byte_for_byte(fixture_output: Path, tmp_path: Path) -> None:
    # A fresh site folder and output elsewhere, with two workers: nothing may depend on either.
    again = build(make_site(tmp_path / "site"), tmp_path / "out", "--jobs", "2")
    first, second = tree(fixture_output), tree(again)
    assert first == second  # the whole tree, search files included, no exception
    search_files = [path for path in first if path.startswith("pagefind/")]
    assert {"pagefind/parts.json", "pagefind/2025/part.json", "pagefind/2024/part.json",
            "pagefind/2025/filters.json", "pagefind/2025/docs/0.json"} <= set(search_files)
    assert any(path.startswith("pagefind/2025/terms/") for path in search_files)


def test_the_index_is_in_parts_by_year_newest_first(fixture_output: Path) -> None:
    listing = json.loads((fixture_output / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    assert [part["name"] for part in listing["parts"]] == ["2025", "2024"]
    counts = {part["name"]: json.loads((fixture_output / "pagefind" / part["name"] / "part.json")
                                       .read_text(encoding="utf-8"))["count"] for part in listing["parts"]}
    assert counts == {"2025": 4, "2024": 2}  # the six published releases
    assert "und" in listing["stop"] and "fur" in listing["stop"]  # normalized, as the page compares them


def test_withdrawn_draft_and_scheduled_words_are_in_no_search_file(fixture_output: Path) -> None:
    everything = b"".join(p.read_bytes() for p in (fixture_output / "pagefind").rglob("*") if p.is_file())
    for word in SECRET_WORDS:
        assert word.encode() not in everything
        assert word.lower().encode() not in everything  # nor as a stem or compound part
    assert b"Wohnungseinbruch" in everything  # the published text is there


def test_excerpt_text_has_no_header_lines(fixture_output: Path) -> None:
    docs = json.loads((fixture_output / "pagefind" / "2025" / "docs" / "0.json").read_text(encoding="utf-8"))
    url, title, date, text = docs[0]
    assert url == "/meldung/a/"  # the newest release first
    assert title == "POL-TS: Einbrüche in Kellerräume" and date == "20. November 2025, 10:00 Uhr"
    assert text.startswith("In der Nacht zum Montag")  # not the dateline "Teststadt (ots)", not the date
    assert "(ots)" not in text and "Uhr" not in text and "Rückfragen" not in text


def test_every_page_has_a_plain_search_form_in_its_header(fixture_output: Path) -> None:
    pages = sorted(fixture_output.rglob("*.html"))
    assert len(pages) > 20
    form = re.compile(r'<header class="site-header">.*<form class="site-search" role="search" action="/suche/" '
                      r'method="get">.*<input type="search" id="site-search-q" name="q".*</header>', re.S)
    without = [p.relative_to(fixture_output).as_posix() for p in pages
               if "site-header" in p.read_text(encoding="utf-8") and not form.search(p.read_text(encoding="utf-8"))]
    assert without == ["index.html", "suche/index.html"]  # the home and search pages have their own field
    home = (fixture_output / "index.html").read_text(encoding="utf-8")
    assert '<form class="home-search" role="search" action="/suche/" method="get">' in home
    search_page = (fixture_output / "suche" / "index.html").read_text(encoding="utf-8")
    assert '<input type="search" id="search-q" name="q"' in search_page
    assert "<script" not in search_page.replace('<script type="module" src="/static/search.js"></script>', "").replace(
        '<script src="/static/print.js" defer></script>', "")  # the date of printing, on every page


def test_a_rebuild_after_an_edit_remakes_one_part_and_equals_a_cold_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    out = build(site, tmp_path / "out")
    kept = (out / "pagefind" / "2024" / "part.json").stat().st_ino
    release = site / "content" / "releases" / "2025" / "a.md"
    release.write_text(release.read_text(encoding="utf-8").replace("Kellerräume gemeldet", "Keller gemeldet"),
                       encoding="utf-8")
    build(site, out)
    assert (out / "pagefind" / "2024" / "part.json").stat().st_ino == kept  # carried over as it was
    cold = build(site, tmp_path / "cold")
    search = {k: v for k, v in tree(out).items() if k.startswith("pagefind/")}
    assert search == {k: v for k, v in tree(cold).items() if k.startswith("pagefind/")}
    assert b"Keller gemeldet" in (out / "pagefind" / "2025" / "docs" / "0.json").read_bytes()
