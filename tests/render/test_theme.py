"""The theme as readers meet it, in the HTML of a real build: the appeal box and its tel: links,
the notices that lead onward, the wire's order, authority and home pages, one language per text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html

from generator.core.phone import tel_uri
from tests.conftest import run_pressroom
from tests.support.sites import write_release

NOW = "2026-03-01T12:00:00+01:00"
SITE = """title = "Pressroom Test"
base_url = "https://press.example.org/"
timezone = "Europe/Berlin"
language = "en"
content_language = "de"
per_page = 10
"""
AUTHORITIES = """polizei-test:
  name: Polizei Teststadt
  code: POL-TS
  city: Teststadt
  type: police
  website: https://polizei.example.org
  contact:
    name: Erika Muster
    phone: 01234 / 567-0
    email: presse@polizei.example.org
  tips:
    - text: Notruf
      phone: "110"
    - text: Kriminalwache
      phone: (01234) 567-8240
      url: https://polizei.example.org/hinweise
stadt-test:
  name: Stadt Teststadt
  code: STADT-TS
  city: Teststadt
  contact:
    email: presse@stadt.example.org
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("theme") / "site"
    (site / "content" / "releases").mkdir(parents=True)
    (site / "site.toml").write_text(SITE, encoding="utf-8")
    (site / "content" / "authorities.yaml").write_text(AUTHORITIES, encoding="utf-8")
    police = "authority: polizei-test\nlocation: Teststadt"
    write_release(site, "2026-02-20-vermisst", f"title: Vermisste Frau\ndate: 2026-02-20T14:30\n{police}\n"
                  "kind: appeal\nexpires: 2026-04-15T18:00", "Die Polizei sucht eine Frau.\n\nZweiter Absatz.\n")
    write_release(site, "2026-01-05-gesucht", f"title: Zeugen gesucht\ndate: 2026-01-05T10:00\n{police}\n"
                  "kind: appeal\nexpires: 2026-02-01T00:00", "Eine alte Fahndung.\n")
    write_release(site, "2026-01-10-falsch", f"title: Falsche Meldung\ndate: 2026-01-10T10:00\n{police}\n"
                  "withdrawn:\n  date: 2026-01-11T09:00\n  reason: Irrtum", "Das war falsch.\n")
    for day in range(1, 9):
        write_release(site, f"2026-02-0{day}-meldung-{day}", f"title: Meldung {day}\ndate: 2026-02-0{day}T08:15\n"
                      f"{police}", f"Text der Meldung {day}.\n")
    write_release(site, "2026-02-10-englisch", f"title: Road closed\ndate: 2026-02-10T09:00\n{police}\nlang: en",
                  "An English text.\n")
    write_release(site, "2026-02-11-liste", "title: Mit Liste\ndate: 2026-02-11T09:00\nauthority: stadt-test\n"
                  "location: Teststadt", "- eins\n- zwei\n")
    result = run_pressroom("build", site, "-o", site / "output", "--now", NOW, "--quiet")
    assert result.returncode == 0, result.stderr
    return site / "output"


def _tree(out: Path, path: str) -> html.HtmlElement:
    return html.fromstring((out / path / "index.html").read_bytes())


def _text(element: html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


APPEAL = "meldung/2026-02-20-vermisst"


def test_an_active_appeal_says_whom_to_call_and_until_when(out: Path) -> None:
    page = _tree(out, APPEAL)
    (box,) = page.cssselect("aside.appeal-box")
    links = {(a.get("href"), _text(a)) for a in box.cssselect("a")}
    assert links == {("tel:110", "110"), ("tel:+4912345678240", "(01234) 567-8240"),
                     ("https://polizei.example.org/hinweise", "Online form")}
    assert "The appeal runs until 15 April 2026, 18:00." in _text(box)
    # Near the top: before the text of the release, right after its header.
    article = page.cssselect("article.release")[0]
    order = [child.get("class") for child in article]
    assert order.index("appeal-box") < order.index("body")


def test_appeals_on_the_home_page_show_their_tip_lines(out: Path) -> None:
    page = _tree(out, "")
    (appeals,) = page.cssselect("section.appeals")
    (line,) = appeals.cssselect(".appeal-line")
    assert [a.get("href") for a in line.cssselect("a")] == ["tel:110", "tel:+4912345678240"]
    assert "until 15 April 2026, 18:00" in _text(line)
    newest = page.cssselect("section[aria-labelledby=newest-heading]")[0]
    assert not newest.cssselect(".appeal-line")  # compact: the box once, among the appeals


def test_every_phone_number_on_every_page_is_a_tel_link(out: Path) -> None:
    found: set[tuple[str, str]] = set()
    for path in out.rglob("*.html"):
        page = html.fromstring(path.read_bytes())
        for a in page.cssselect('a[href^="tel:"]'):
            assert a.get("href") == tel_uri(_text(a)), path
            found.add((a.get("href"), _text(a)))
        for address in page.cssselect("address"):
            # No number in a contact block stands outside its link.
            loose = "".join(address.xpath(".//text()[not(ancestor::a)]"))
            assert not re.search(r"\d{3}", loose), path
    assert found == {("tel:110", "110"), ("tel:+4912345678240", "(01234) 567-8240"),
                     ("tel:+4912345670", "01234 / 567-0")}


def test_an_expired_appeal_says_the_search_has_ended_and_leads_onward(out: Path) -> None:
    page = _tree(out, "meldung/2026-01-05-gesucht")
    notice = page.cssselect("article.notice")[0]
    assert _text(notice.cssselect("h1")[0]) == "Search ended"
    assert "ended on 1 February 2026" in _text(notice)
    assert "withdrawn" not in _text(notice).lower()
    (onward,) = notice.cssselect("p.onward a")
    assert (onward.get("href"), _text(onward)) == ("/behoerden/polizei-test/",
                                                   "Current releases from Polizei Teststadt")


def test_a_withdrawn_notice_leads_onward_too(out: Path) -> None:
    notice = _tree(out, "meldung/2026-01-10-falsch").cssselect("article.notice")[0]
    assert _text(notice.cssselect("h1")[0]) == "Release withdrawn"
    assert "withdrawn on 11 January 2026" in _text(notice)
    assert [a.get("href") for a in notice.cssselect("p.onward a")] == ["/behoerden/polizei-test/"]


def test_the_dateline_runs_into_the_first_paragraph(out: Path) -> None:
    body = _tree(out, APPEAL).cssselect("div.body")[0]
    first = body.cssselect("p")[0]
    assert _text(first) == "Teststadt (ots) – Die Polizei sucht eine Frau."
    assert [_text(s) for s in first.cssselect("span.dateline")] == ["Teststadt (ots)"]
    # A body that opens with a list keeps the dateline as a paragraph of its own before it.
    listed = _tree(out, "meldung/2026-02-11-liste").cssselect("div.body")[0]
    assert [child.tag for child in listed][:2] == ["p", "ul"]
    assert _text(listed[0]) == "Teststadt (ots)"


def test_more_from_the_authority_is_a_short_list_of_titles_and_dates(out: Path) -> None:
    related = _tree(out, APPEAL).cssselect("section.related")[0]
    entries = related.cssselect("ul.short-list > li")
    assert len(entries) == 5
    assert not related.cssselect(".item-teaser")
    assert all(len(li.cssselect("a")) == 1 and len(li.cssselect("time")) == 1 for li in entries)


def test_an_authority_page_shows_how_to_reach_it(out: Path) -> None:
    page = _tree(out, "behoerden/polizei-test")
    info = page.cssselect(".authority-info")[0]
    assert [a.get("href") for a in info.cssselect(".tip-lines a")] == [
        "tel:110", "tel:+4912345678240", "https://polizei.example.org/hinweise"]
    contact = info.cssselect("section.contact")[0]
    assert _text(contact.cssselect("h2")[0]) == "Press office"
    assert "Erika Muster" not in _text(contact)  # the office, not a person
    assert [a.get("href") for a in contact.cssselect("a")] == ["tel:+4912345670", "mailto:presse@polizei.example.org"]
    assert [a.get("href") for a in info.cssselect("p.website a")] == ["https://polizei.example.org"]
    feeds = {a.get("href") for a in page.cssselect("p.subscribe a")}
    assert feeds == {"/behoerden/polizei-test/rss.xml", "/behoerden/polizei-test/atom.xml"}
    # An authority without tip lines or website shows what it has.
    city = _tree(out, "behoerden/stadt-test")
    assert not city.cssselect(".tip-lines") and not city.cssselect("p.website")
    assert city.cssselect(".authority-info section.contact a")[0].get("href") == "mailto:presse@stadt.example.org"


def test_the_home_page_names_the_site_once_and_has_the_search_and_the_authorities(out: Path) -> None:
    page = _tree(out, "")
    assert [_text(h) for h in page.cssselect("h1")] == ["Pressroom Test"]
    assert _text(page.cssselect("body")[0]).count("Pressroom Test") == 1
    forms = page.cssselect('form[role="search"]')
    assert [(f.get("class"), f.get("action")) for f in forms] == [("home-search", "/suche/")]
    assert forms[0].getparent().tag == "div"  # in the page's main column, not the header
    links = {(a.get("href"), _text(a)) for a in page.cssselect("section.by-authority a")}
    assert links == {("/behoerden/polizei-test/", "Polizei Teststadt"), ("/behoerden/stadt-test/", "Stadt Teststadt")}
    # Every other page has the header form.
    assert len(_tree(out, APPEAL).cssselect("form.site-search")) == 1


def test_an_english_site_marks_german_releases_as_german(out: Path) -> None:
    page = _tree(out, APPEAL)
    assert page.get("lang") == "en"
    marked = {(e.tag, e.get("class")) for e in page.cssselect("article.release [lang=de]")}
    assert marked == {("h1", None), ("div", "body")}
    # A release in the interface's language needs no mark of its own.
    english = _tree(out, "meldung/2026-02-10-englisch")
    assert english.get("lang") == "en" and not english.cssselect("article.release [lang]")
    # Teasers in lists carry their release's language.
    listing = _tree(out, "meldungen")
    items = {_text(a.cssselect(".item-title")[0]): a.get("lang") for a in listing.cssselect("li.item > article")}
    assert items["POL-TS: Road closed"] is None
    assert items["POL-TS: Vermisste Frau"] == "de"
    assert {li.get("lang") for li in page.cssselect("ul.short-list > li")} == {"de", None}


def test_english_dates_have_one_style(out: Path) -> None:
    texts = set()
    for path in ("", "meldungen", APPEAL, "meldung/2026-01-10-falsch"):
        texts |= {_text(t) for t in _tree(out, path).cssselect("time")}
    texts |= {m for m in re.findall(r"\d{1,2} \w+ \d{4}(?:, \d\d:\d\d)?",
                                    _text(_tree(out, "meldung/2026-01-10-falsch")))}
    assert texts and all(re.fullmatch(r"\d{1,2} (January|February|March|April) 2026(, \d\d:\d\d)?", t)
                         for t in texts), texts
    assert "20 February 2026, 14:30" in texts


def test_every_page_has_the_favicon(out: Path) -> None:
    assert (out / "static" / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (out / "static" / "favicon.svg").read_text(encoding="utf-8").startswith("<svg")
    for path in ("", APPEAL, "behoerden", "meldung/2026-01-10-falsch"):
        icons = {(link.get("href"), link.get("type")) for link in _tree(out, path).cssselect("link[rel=icon]")}
        assert icons == {("/static/favicon.ico", None), ("/static/favicon.svg", "image/svg+xml")}, path


def test_a_site_replaces_the_favicon_with_its_own(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "releases").mkdir(parents=True)
    (site / "site.toml").write_text(SITE, encoding="utf-8")
    (site / "content" / "authorities.yaml").write_text(AUTHORITIES, encoding="utf-8")
    (site / "templates" / "static").mkdir(parents=True)
    (site / "templates" / "static" / "favicon.svg").write_text("<svg id='own'/>", encoding="utf-8")
    result = run_pressroom("build", site, "-o", site / "output", "--now", NOW, "--quiet")
    assert result.returncode == 0, result.stderr
    assert (site / "output" / "static" / "favicon.svg").read_text(encoding="utf-8") == "<svg id='own'/>"
