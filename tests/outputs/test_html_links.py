"""Links of sanitised bodies made absolute, one function for the feeds and the API."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.outputs.html_links import absolute_links
from generator.render.markdown import render_body

PAGE = "https://presse.example.org/meldung/eins/"


def test_links_are_made_absolute_in_tags_only() -> None:
    base = "https://presse.example.org/meldung/eins/"
    fragment = ('<p>Siehe href="/x" im Text. <a href="../zwei/" rel="noopener noreferrer">zwei</a> '
                '<q cite="/quelle?a=1&amp;b=2">Zitat</q> <a title="a &gt; b" href="mailto:x@y.de">Post</a></p>'
                '<blockquote cite="https://other.example/">z</blockquote><a title="a > b" href="/y">y</a>')
    assert absolute_links(fragment, base) == (
        '<p>Siehe href="/x" im Text. <a href="https://presse.example.org/meldung/zwei/" rel="noopener noreferrer">'
        'zwei</a> <q cite="https://presse.example.org/quelle?a=1&amp;b=2">Zitat</q> '
        '<a title="a &gt; b" href="mailto:x@y.de">Post</a></p><blockquote cite="https://other.example/">z</blockquote>'
        '<a title="a > b" href="https://presse.example.org/y">y</a>')


# The two expressions the feeds and the API used before. For every body the sanitiser makes, the
# one function gives what the feeds' gave, and what the API's gave unless the text itself reads
# like an attribute (`href="…"` in a code span), which the API's rewrote by mistake.
_FEEDS_BEFORE = re.compile(r'(<(?:a|q|blockquote)\s[^>]*?\b(?:href|cite)=")([^"]*)"')
_API_BEFORE = re.compile(r'\b(href|src|cite)="([^"]*)"')


def _feeds_before(fragment: str) -> str:
    return _FEEDS_BEFORE.sub(lambda m: m[1] + html.escape(urljoin(PAGE, html.unescape(m[2]))) + '"', fragment)


def _api_before(fragment: str) -> str:
    return _API_BEFORE.sub(lambda m: f'{m[1]}="{html.escape(urljoin(PAGE, html.unescape(m[2])), quote=True)}"',
                           fragment)


TARGETS = st.sampled_from(["/meldungen/", "../zwei/", "x?a=1&b=2", "https://other.example/p", "mailto:a@b.de",
                           "#oben", "tel:+49201", "seite 2", "ä/ö"])
WORDS = st.text(alphabet="abc äß<>&*_`", min_size=1, max_size=8)
PIECES = st.one_of(
    WORDS,
    st.builds(lambda w, t: f"[{w}]({t})", WORDS, TARGETS),
    st.builds(lambda t: f"<{t}>", st.sampled_from(["https://presse.example.org/a", "https://x.example/"])),
    st.builds(lambda w, t: f'<q cite="{t}">{w}</q>', WORDS, TARGETS),
    st.builds(lambda w, t: f'<blockquote cite="{t}">{w}</blockquote>', WORDS, TARGETS),
    st.builds(lambda w, t: f'<a title="{w}" href="{t}">{w}</a>', WORDS, TARGETS),
    st.just("\n\n"), st.just("> "), st.just("- "),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=12).map(" ".join))
def test_bodies_get_the_links_they_got_before(markdown: str) -> None:
    body = render_body(markdown).html
    made = absolute_links(body, PAGE)
    assert made == _feeds_before(body)
    text_only = re.sub(r"<[^>]*>", "", body)
    if '="' not in text_only:
        assert made == _api_before(body)
