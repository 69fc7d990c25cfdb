"""The body sanitizer leaves valid, harmless HTML: allowed addresses only, no empty links, no control characters."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from generator.render.markdown import render_body, sanitize
from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release
from tests.support.vnu import validate_html, vnu_available

REL = 'rel="noopener noreferrer"'


@pytest.mark.parametrize(("fragment", "expected"), [
    # cite follows the scheme allow-list of href/src
    ('<blockquote cite="javascript:alert(1)">x</blockquote>', "<blockquote>x</blockquote>"),
    ('<blockquote cite=" JavaScript:alert(1)">x</blockquote>', "<blockquote>x</blockquote>"),
    ('<q cite="java&#x09;script:alert(1)">x</q>', "<q>x</q>"),
    ('<q cite="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</q>', "<q>x</q>"),
    ('<del cite="vbscript:x">alt</del><ins cite="javascript:x">neu</ins>', "<del>alt</del><ins>neu</ins>"),
    ('<blockquote cite="https://www.example.org/rede">x</blockquote>',
     '<blockquote cite="https://www.example.org/rede">x</blockquote>'),
    ('<q cite="/reden/1">x</q><del cite="#a">y</del>', '<q cite="/reden/1">x</q><del cite="#a">y</del>'),
    # an <a> whose href was refused is its text
    ('<a href="javascript:alert(1)">klick <b>hier</b></a>', "klick <b>hier</b>"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>', "d"),
    ('<a href="JAVASCRIPT:x" title="T" hreflang="de">v</a> und <a href="https://x.example/">ok</a>',
     f'v und <a href="https://x.example/" {REL}>ok</a>'),
    ('<a title="a&gt;b">ohne</a>', "ohne"),
    ("<a>leer</a>", "leer"),
    ('<a href="mailto:presse@example.org">Mail</a>', f'<a href="mailto:presse@example.org" {REL}>Mail</a>'),
    # control characters, noncharacters and lone surrogates, raw or as references
    ("a\x00b\x01c\x08d\x0be\x0cf\x1fg\x7fh\x85i\ufffej\uffffk\ud800l\ufdd0m", "abcdefghijklm"),
    ("Tab\tund\nZeile\r", "Tab\tund\nZeile\n"),  # the HTML parser reads CR as a line break
    ("a&#1;b&#x7f;c&#xFFFE;d", "abcd"),
])
def test_exact_html_of_each_attack(fragment: str, expected: str) -> None:
    assert sanitize(fragment) == expected


@pytest.mark.parametrize(("body", "html"), [
    ("[klick](javascript:alert(1))", "<p>klick</p>"),
    ("[klick](data:text/html,x)", "<p>klick</p>"),
    ('> Zitat\n\n<blockquote cite="javascript:alert(1)">Rede</blockquote>',
     "<blockquote>\n<p>Zitat</p>\n</blockquote>\n<blockquote>Rede</blockquote>"),
    ("Ein\x07 Text mit\x00 Steuer\x1bzeichen\ufffe.", "<p>Ein Text mit Steuerzeichen.</p>"),
    ("[gut](https://www.example.org/)", f'<p><a href="https://www.example.org/" {REL}>gut</a></p>'),
])
def test_bodies(body: str, html: str) -> None:
    assert render_body(body).html == html


def test_text_and_teaser_are_clean_too() -> None:
    body = render_body("Erster\x01 [Satz](javascript:x).\n\nZweiter\x7f.")
    assert body.text == "Erster Satz.\n\nZweiter."
    assert body.first_paragraph == "Erster Satz."


@pytest.fixture(scope="module")
def attack_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose release carries the attacks in its body (and a control character in its title)."""
    tmp_path = tmp_path_factory.mktemp("sanitize")
    site = minimal_site(tmp_path / "site")
    write_release(site, "2026-01-02-angriff",
                  'title: "Ein\x01 Titel"\ndate: 2026-01-02\nauthority: polizei-test',
                  "Text mit [Link](javascript:alert(1)) und Steuer\x07zeichen.\n\n"
                  '<blockquote cite="javascript:alert(2)">Zitat</blockquote>\n\n'
                  '<a href="data:text/html,x">Daten</a> und <a href="https://www.example.org/">gut</a>\n')
    out = tmp_path / "out"
    result = run_pressroom("build", site, "-o", out, "--now", "2026-02-01T00:00:00+01:00", "--quiet")
    if result.returncode != 0:  # control characters in front matter may be refused outright: then only the body
        assert "Traceback" not in result.stderr
        write_release(site, "2026-01-02-angriff", "title: Ein Titel\ndate: 2026-01-02\nauthority: polizei-test",
                      "Text mit [Link](javascript:alert(1)) und Steuer\x07zeichen.\n\n"
                      '<blockquote cite="javascript:alert(2)">Zitat</blockquote>\n\n'
                      '<a href="data:text/html,x">Daten</a> und <a href="https://www.example.org/">gut</a>\n')
        result = run_pressroom("build", site, "-o", out, "--now", "2026-02-01T00:00:00+01:00", "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def test_a_real_build_publishes_clean_pages_and_feeds(attack_output: Path) -> None:
    out = attack_output
    page = (out / "meldung" / "2026-01-02-angriff" / "index.html").read_text(encoding="utf-8")
    body = page[page.index("(ots)</span><span data-pagefind-ignore> – </span>Text mit"):]
    body = body[: body.index("</a></p>") + len("</a></p>")]
    assert body == ("(ots)</span><span data-pagefind-ignore> – </span>"
                    "Text mit Link und Steuerzeichen.</p>\n<blockquote>Zitat</blockquote>\n\n"
                    f'<p>Daten und <a href="https://www.example.org/" {REL}>gut</a></p>')
    for path in out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text), path
        assert "javascript:" not in text and "data:text" not in text, path
    rss = (out / "feeds" / "rss.xml").read_text(encoding="utf-8")
    parsed = feedparser.parse(rss)
    assert not parsed.bozo, parsed.bozo_exception
    (entry,) = parsed.entries
    content = entry.content[0].value if "content" in entry else entry.summary
    assert "javascript:" not in content and "data:text" not in content
    assert "<a>" not in rss and "&lt;a&gt;" not in rss
    assert "<a rel=" not in content


@pytest.mark.skipif(not vnu_available(), reason="needs java and node_modules/vnu-jar")
def test_the_attacked_page_is_valid_html(attack_output: Path) -> None:
    assert validate_html([attack_output / "meldung" / "2026-01-02-angriff" / "index.html"]) == []
