"""The shortcuts of body rendering give exactly what the long way gives: a body's HTML is that of
Python-Markdown with the same extensions, its text what Python's HTML parser reads, and white space
is collapsed as `\\s+` would."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.render.markdown import _Renderer, _TextMaker, collapse_spaces, sanitize
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


def test_every_shortened_pattern_finds_its_matches() -> None:
    source = ("# Titel\n\n`code` \\* [Link](https://example.org) ![Bild](b.png) [ref] und [ref][] \\\\`x`\n\n"
              "> Zitat\n\n- - -\n\n[ref]: /ziel")
    html = _Renderer()(source)
    assert html == _plain().convert(source)
    assert html.count("<code>") == 2 and html.count('href="/ziel"') == 2 and "<img" in html
    assert "<h1>Titel</h1>" in html and "<blockquote>" in html and "<hr>" in html


@given(st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000ab"), max_size=30))
def test_spaces_collapse_as_the_regular_expression_collapses_them(text: str) -> None:
    assert collapse_spaces(text) == re.sub(r"\s+", " ", text)


class _ReadByHtmlParser(HTMLParser):
    """The long way: Python's HTML parser telling the same text maker what it reads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.maker = _TextMaker()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.maker.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.maker.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        self.maker.handle_data(data)


def _parts_by_html_parser(html: str) -> list[str]:
    parser = _ReadByHtmlParser()
    parser.feed(html)
    parser.close()
    return parser.maker.parts


# Markdown and raw HTML of every kind the sanitizer lets through or takes apart.
_HTML_PIECES = [*_PIECES, "<p>", "</p>", "<b>", "</b>", "<br>", "<br/>", "<pre>", "</pre>", "pre", "<ul><li>",
                "</li></ul>", "<table><tr><td>", "</td></tr></table>", '<a href="https://x.org/?a=1&amp;b=2">',
                '<a title="a>b" href="http://y.org">', "<a href='mailto:x@y.org'>", "</a>", "<!-- c -->", "&lt;",
                "&#x26;", "&nbsp;", "&", "\xa0", "<script>x</script>", "<h1>", "</h1>", "- Punkt\n", "> Zitat\n"]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.sampled_from(_HTML_PIECES), max_size=40).map("".join))
def test_the_text_of_a_body_is_what_the_html_parser_reads(source: str) -> None:
    html = sanitize(_Renderer()(source))
    maker = _TextMaker()
    maker.feed(html)
    assert maker.parts == _parts_by_html_parser(html)
