"""JSON-LD, OpenGraph and Twitter cards on every release page, read back as a crawler would."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.text import strip_control_all
from generator.outputs.html_links import absolute_links
from generator.outputs.json_ld import dumps, json_ld_script
from tests.support.vnu import format_errors, validate_html, vnu_available

BASE = "https://presse.example.org/"
CONFERENCE = "meldung/2019-04-29-eine-konferenz-fuer-die-sicherheit-in-gelsenkirchen/"
WITH_IMAGE = "meldung/2025-03-11-verkehrsunfallbilanz-2024/"
URL_KEYS = {"url", "@id", "sameAs", "image", "og:url", "og:image", "twitter:image", "article:author"}


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.blocks: list[str] = []
        self._in_ld = False
        self.article_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("property") or values.get("name")):
            key = values.get("property") or values.get("name") or ""
            self.meta.append((key, values.get("content") or ""))
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in_ld = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.blocks[-1] += data


def read(output: Path, path: str) -> Head:
    head = Head()
    head.feed((output / path / "index.html").read_text(encoding="utf-8"))
    return head


def release_paths(output: Path) -> list[str]:
    pages = (output / "meldung").glob("*/index.html")
    return sorted(p.parent.relative_to(output).as_posix() + "/" for p in pages
                  if "data-pagefind-body" in p.read_text(encoding="utf-8"))


def things(head: Head) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for block in head.blocks:
        data = json.loads(block)
        found.extend(data if isinstance(data, list) else [data])
    return found


def urls_in(value: Any, key: str = "") -> list[str]:
    if isinstance(value, dict):
        return [u for k, v in value.items() for u in urls_in(v, k)]
    if isinstance(value, list):
        return [u for v in value for u in urls_in(v, key)]
    return [value] if key in URL_KEYS and isinstance(value, str) else []


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def test_every_published_release_has_a_complete_news_article(demo_output: Path) -> None:
    paths = release_paths(demo_output)
    assert len(paths) == 8
    for path in paths:
        head = read(demo_output, path)
        articles = [t for t in things(head) if t["@type"] == "NewsArticle"]
        assert len(articles) == 1, path
        article = articles[0]
        for key in ("headline", "datePublished", "dateModified", "author", "publisher", "inLanguage", "url",
                    "mainEntityOfPage"):
            assert article.get(key), (path, key)
        assert article["@context"] == "https://schema.org"
        assert article["url"] == BASE + path
        assert article["mainEntityOfPage"]["@id"] == BASE + path
        for who in (article["author"], article["publisher"]):
            assert who["@type"] == "GovernmentOrganization" and who["name"] and is_absolute(who["url"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", article["datePublished"])
        assert article["inLanguage"] == "de"
        found = urls_in(things(head)) + [c for k, c in head.meta if k in URL_KEYS]
        assert found and all(is_absolute(u) for u in found), (path, found)


def test_a_conference_report_describes_its_event(demo_output: Path) -> None:
    events = [t for t in things(read(demo_output, CONFERENCE)) if t["@type"] == "Event"]
    assert len(events) == 1
    event = events[0]
    assert event["name"] == "1. Gelsenkirchener Sicherheitskonferenz"
    assert event["startDate"] == "2019-04-29T10:00:00+02:00"
    assert event["endDate"]
    assert event["location"]["@type"] == "Place"
    assert event["location"]["name"] == "Polizeipräsidium Gelsenkirchen"
    assert event["organizer"]["@type"] == "GovernmentOrganization"
    other = read(demo_output, WITH_IMAGE)
    assert not [t for t in things(other) if t["@type"] == "Event"]


def test_opengraph_and_twitter_cards(demo_output: Path) -> None:
    meta = dict(read(demo_output, WITH_IMAGE).meta)
    assert meta["og:type"] == "article"
    assert meta["og:title"].startswith("POL-GE: Verkehrsunfallbilanz 2024")
    assert meta["og:url"] == BASE + WITH_IMAGE
    assert re.fullmatch(re.escape(BASE) + r"media/streifenwagen-verkehrskontrolle-[0-9a-f]{8}-1600\.jpg",
                        meta["og:image"])
    assert meta["og:image:alt"]
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    article = next(t for t in things(read(demo_output, WITH_IMAGE)) if t["@type"] == "NewsArticle")
    assert article["image"] == [meta["og:image"]]


def test_withdrawn_notices_carry_no_structured_data(demo_output: Path) -> None:
    notice = (demo_output / "meldung" / "2024-03-12-festnahme-nach-einbruch-in-horst" / "index.html")
    text = notice.read_text(encoding="utf-8")
    assert "application/ld+json" not in text and "og:title" not in text


@pytest.mark.parametrize("hostile", ["</script><script>alert(1)</script>", "a & b <!-- c", "\u2028"])
def test_json_ld_cannot_break_out_of_its_script_element(hostile: str) -> None:
    script = str(json_ld_script({"headline": hostile}))
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"headline": hostile}


def test_links_in_bodies_become_absolute() -> None:
    fragment = ('<p><a href="/meldungen/">a</a> <a href="../x?a=1&amp;b=2">b</a> '
                '<a href="mailto:x@y.de">c</a></p>')
    made = absolute_links(fragment, BASE + "meldung/eins/")
    assert 'href="https://presse.example.org/meldungen/"' in made
    assert 'href="https://presse.example.org/meldung/x?a=1&amp;b=2"' in made
    assert 'href="mailto:x@y.de"' in made


@pytest.mark.skipif(not vnu_available(), reason="needs java and vnu.jar")
def test_pages_with_meta_tags_and_the_search_page_are_valid_html(demo_output: Path) -> None:
    files = [demo_output / CONFERENCE / "index.html", demo_output / WITH_IMAGE / "index.html",
             demo_output / "suche" / "index.html"]
    errors = validate_html(files)
    assert errors == [], format_errors(errors)


_TEXT = st.text(st.sampled_from(["a", "ä", "\\", "u", "r", "\n", "\t", "\r", "\x00", "\x08", "\x0c", "\x1f",
                                 "\x7f", "\x85", "\u2028", "\ufffe", "\uffff", '"', "€", "\U0001F600"]))
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | _TEXT,
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
                     max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_json_is_written_without_control_characters_whatever_the_strings(data: object) -> None:
    text = dumps(data)
    assert text == json.dumps(strip_control_all(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert json.loads(text) == strip_control_all(data)
