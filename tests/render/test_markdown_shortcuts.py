"""The shortcuts of body rendering give exactly what the long way gives: a body's HTML is that of
Python-Markdown with the same extensions, and white space is collapsed as `\\s+` would."""

from __future__ import annotations

import re

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.render.markdown import _Renderer, collapse_spaces
from generator.render.phones import PhoneLinkExtension

# Pieces that each inline pattern reacts to, so that random bodies hit code spans, escapes,
# links, references, images, raw HTML and their near misses.
_PIECES = ["`", "``", "\\", "\\\\", "[", "]", "![", "](", "(", ")", "<", ">", "*", "_", "&amp;", "\n", "\n\n",
           "  \n", " ", "a", "Text", "http://example.org", "[x]: /ziel", "<code>", "</code>", "Notruf 110",
           "0209 365-2020"]


def _plain() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists", PhoneLinkExtension()], output_format="html")


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_a_body_renders_as_python_markdown_renders_it(source: str) -> None:
    plain, fast = _plain(), _Renderer()
    assert fast(source) == plain.convert(source)


def test_every_inline_pattern_finds_its_matches() -> None:
    source = "`code` \\* [Link](https://example.org) ![Bild](b.png) [ref] und [ref][] \\\\`x`\n\n[ref]: /ziel"
    html = _Renderer()(source)
    assert html == _plain().convert(source)
    assert html.count("<code>") == 2 and html.count('href="/ziel"') == 2 and "<img" in html


@given(st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000ab"), max_size=30))
def test_spaces_collapse_as_the_regular_expression_collapses_them(text: str) -> None:
    assert collapse_spaces(text) == re.sub(r"\s+", " ", text)
