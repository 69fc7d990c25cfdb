"""Telephone numbers in a body become `tel:` links; nothing else does, and the text stays the same."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.render.markdown import render_body
from generator.render.phones import PhoneLinkExtension
from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

_LINK = re.compile(r'<a href="(tel:[^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def tel_links(body: str) -> list[tuple[str, str]]:
    """(text, target) of every tel: link in the rendered body, in order."""
    return [(html.unescape(text), uri) for uri, text in _LINK.findall(render_body(body).html)]


@pytest.mark.parametrize(("body", "links"), [
    ("Hinweise unter 0209 365-8112.", [("0209 365-8112", "tel:+492093658112")]),
    ("Telefon 0209 365-2020", [("0209 365-2020", "tel:+492093652020")]),
    ("Telefon 0209/365-2020", [("0209/365-2020", "tel:+492093652020")]),
    ("Telefon 0209 / 365 2020", [("0209 / 365 2020", "tel:+492093652020")]),
    ("Telefon (0209) 3652020", [("(0209) 3652020", "tel:+492093652020")]),
    ("Telefon +49 (0)209 365 2020", [("+49 (0)209 365 2020", "tel:+492093652020")]),
    ("Telefon +49 209 365 2020", [("+49 209 365 2020", "tel:+492093652020")]),
    ("Tel.-Nr. 02365 123", [("02365 123", "tel:+492365123")]),
    ("Telefon 0209 365 2020, 8 bis 16 Uhr", [("0209 365 2020", "tel:+492093652020")]),
    ("Telefon 0209 365 2020 08:00 bis 16:00 Uhr", [("0209 365 2020", "tel:+492093652020")]),
    ("Hinweise nimmt die Polizei unter der 110 entgegen.", [("110", "tel:110")]),
    ("Hinweise unter dem Notruf 110 oder jede Dienststelle", [("110", "tel:110")]),
    ("Sofort den Notruf 112 wählen.", [("112", "tel:112")]),
    ("Notrufnummer: 112", [("112", "tel:112")]),
    ("über den Polizeinotruf 110", [("110", "tel:110")]),
    ("Notruf 110 oder 112", [("110", "tel:110"), ("112", "tel:112")]),
    ("Bitte die 110 wählen.", [("110", "tel:110")]),
    ("Im Notfall wählen Sie die 112.", [("112", "tel:112")]),
    ("Rufen Sie die 110!", [("110", "tel:110")]),
    ("**Notruf** 110", [("110", "tel:110")]),
    ("Hinweise unter 0209 365-8112, unter der 110 oder +49 209 365 2020.",
     [("0209 365-8112", "tel:+492093658112"), ("110", "tel:110"), ("+49 209 365 2020", "tel:+492093652020")]),
    ("Telefon 0209 365 2020, Fax 0209 365 2099", [("0209 365 2020", "tel:+492093652020")]),
    ("## Hinweise: 0209 365 2020", [("0209 365 2020", "tel:+492093652020")]),
    ("| Stelle | Telefon |\n|---|---|\n| Wache | 0209 365 2020 |", [("0209 365 2020", "tel:+492093652020")]),
    ("- Kriminalwache: 0209 / 365 8240\n- Notruf 110",
     [("0209 / 365 8240", "tel:+492093658240"), ("110", "tel:110")]),
])
def test_exactly_these_numbers_become_links(body: str, links: list[tuple[str, str]]) -> None:
    assert tel_links(body) == links


@pytest.mark.parametrize("body", [
    "am 01.12.2026",
    "um 14:30 Uhr",
    "um 08:30 Uhr",
    "Aktenzeichen 2026/123456",
    "Aktenzeichen 0815/123456",
    "Az.: 0209 365 2020",
    "45879 Gelsenkirchen",
    "01067 Dresden",
    "Hausnummer 12",
    "Bochumer Straße 110",
    "1.500 Euro",
    "0,50 Euro",
    "im Jahr 2026",
    "2019 bis 2026",
    "einer der 110 Teilnehmer",
    "über die 110 Einsätze",
    "wählen Sie die 110 Besten",
    "unter der 110 km langen Strecke",
    "Tempo 110",
    "110 Einsatzkräfte",
    "112",
    "B 224",
    "02093652020",  # digits alone: no separator, no certainty
    "0209.365.2020",  # dots separate dates, not numbers in running text
    "01/12/2026",
    "0209 365",  # too short to be a number with its area code
    "Notruf 110 000 Mal gewählt",
    "Fax 0209 365 2099",
    "Telefax: 0209 365 2099",
    "IBAN: DE89 3704 0044 0532 0130 00",
    "Spendenkonto IBAN DE12 0209 3652 0200 0000 00",
])
def test_nothing_else_becomes_a_link(body: str) -> None:
    assert tel_links(body) == []


@pytest.mark.parametrize(("body", "expected"), [
    ("[0209 365 2020](https://www.example.org/)",
     '<p><a href="https://www.example.org/" rel="noopener noreferrer">0209 365 2020</a></p>'),
    ("[Notruf 110](tel:110)", '<p><a href="tel:110" rel="noopener noreferrer">Notruf 110</a></p>'),
    ("`0209 365 2020`", "<p><code>0209 365 2020</code></p>"),
    ("    0209 365 2020", "<pre><code>0209 365 2020\n</code></pre>"),
    ('<a href="https://www.example.org/">0209 365 2020</a>',
     '<p><a href="https://www.example.org/" rel="noopener noreferrer">0209 365 2020</a></p>'),
    ("<code>Notruf 110</code>", "<p><code>Notruf 110</code></p>"),
    ("<https://www.example.org/0209-365-2020>",
     '<p><a href="https://www.example.org/0209-365-2020" rel="noopener noreferrer">'
     "https://www.example.org/0209-365-2020</a></p>"),
])
def test_numbers_in_links_and_code_stay_as_they_are(body: str, expected: str) -> None:
    assert render_body(body).html == expected


def test_plain_text_renditions_do_not_change() -> None:
    body = render_body("Hinweise unter 0209 365-8112 oder unter der 110.")
    assert body.text == body.first_paragraph == "Hinweise unter 0209 365-8112 oder unter der 110."


# --------------------------------------------------------------------------- the text never changes

def _plain() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def _linking() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists", PhoneLinkExtension()], output_format="html")


_OURS = re.compile(r'<a href="tel:[^"]*">(.*?)</a>', re.DOTALL)
_PIECES = st.sampled_from([
    "0209 365-2020", "0209/365-2020", "(0209) 3652020", "+49 (0)209 365 2020", "110", "112", "Notruf ",
    "unter der ", "die ", " wählen", "01.12.2026", "14:30", "Aktenzeichen ", "45879", "1.500", "2026", " ",
    "\n", "\n\n", "- ", "1. ", "> ", "**", "*", "_", "`", "[", "](https://x.example/)", "<a href=\"/x\">", "</a>",
    "<code>", "</code>", "<b>", "</b>", "    ", "# ", "|", "|---|", "\\", "&", "<", "/", "-", ":", ",", "0", "9",
    "ä", "+",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_links_only_wrap_text_never_change_it(source: str) -> None:
    plain, linking = _plain().convert(source), _linking().convert(source)
    assert _OURS.sub(r"\1", linking) == plain
    # … and the whole body as published: same text, same teaser, no link inside a link
    body = render_body(source)
    assert "<a" not in "".join(re.findall(r"<a\b[^>]*>((?:(?!</a>).)*)</a>", body.html, re.DOTALL))


# --------------------------------------------------------------------------- a real build

def test_a_built_release_links_its_numbers_in_html_only(tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site")
    write_release(site, "2026/2026-11-20-zeugen", """\
id: pol-ts-2026-1120-1
title: Zeugen gesucht
date: 2026-11-20T10:00:00+01:00
authority: polizei-test
""", "Zeugen melden sich bitte unter 0209 365-8112 oder unter der 110. Aktenzeichen 2026/123456.\n")
    out = tmp_path / "out"
    result = run_pressroom("build", site, "-o", out, "--now", "2026-11-26T12:00:00+01:00", "--quiet")
    assert result.returncode == 0, result.stderr
    page = (out / "meldung" / "2026-11-20-zeugen" / "index.html").read_text(encoding="utf-8")
    body = page[page.index('<div class="body"'):]
    body = body[: body.index("</div>")]
    assert set(_LINK.findall(body)) == {("tel:+492093658112", "0209 365-8112"), ("tel:110", "110")}
    assert "2026/123456" in page and 'href="tel:2026' not in page
    wire = (out / "meldung" / "2026-11-20-zeugen" / "meldung.txt").read_text(encoding="utf-8")
    assert "unter 0209 365-8112 oder unter der 110." in wire and "tel:" not in wire
    feed = json.loads((out / "feeds" / "feed.json").read_text(encoding="utf-8"))
    content = feed["items"][0]["content_html"]
    # Feed readers drop tel: links (feedparser leaves href=""): in feeds the numbers stay text.
    assert _LINK.findall(content) == [] and "unter 0209 365-8112 oder unter der 110." in content
