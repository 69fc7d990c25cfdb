"""Markdown bodies into safe HTML, plain text and a teaser."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "ins", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "ol": {"start"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
TEASER_LENGTH = 240

_HEADING = re.compile(r"<(/?)h([1-6])\b")
_WHITESPACE = re.compile(r"\s+")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


@dataclass(frozen=True)
class Body:
    html: str
    text: str  # paragraphs separated by blank lines, for the plain-text rendition
    first_paragraph: str


class _Renderer:
    """One Markdown instance, reused: building one costs more than converting a release."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")

    def __call__(self, source: str) -> str:
        self._md.reset()
        return self._md.convert(source)


_render = _Renderer()


def render_body(source: str) -> Body:
    """Markdown → HTML, sanitized against the allow-list; headings start at h2 below the page's h1."""
    raw = _render(source)
    # Lift the body's top heading level to h2 – whether the author wrote "#" or "##" – without
    # leaving a gap in the outline (a skipped level is an HTML conformance and WCAG 1.3.1 problem).
    levels = [int(m[2]) for m in _HEADING.finditer(raw)]
    lift = max(0, 2 - min(levels)) if levels else 0
    shifted = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + lift, 6)}", raw)
    safe = sanitize(shifted)
    text = html_to_text(safe)
    paragraph = _FIRST_PARAGRAPH.search(safe)
    first = html_to_text(paragraph[1]) if paragraph else ""
    return Body(html=safe, text=text, first_paragraph=_WHITESPACE.sub(" ", first).strip())


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def teaser(summary: str | None, first_paragraph: str, limit: int = TEASER_LENGTH) -> str:
    """The summary, or the start of the first paragraph cut at a word boundary."""
    text = _WHITESPACE.sub(" ", summary or first_paragraph).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-")
    return cut + " …"


class _TextMaker(HTMLParser):
    _BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "dl", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._href: str | None = None
        self._list_depth = 0
        self._cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n\n")
        if tag in ("ul", "ol"):
            self._list_depth += 1
        elif tag == "li":
            self.parts.append("\n" + "  " * (self._list_depth - 1) + "- ")
        elif tag == "br" or tag == "tr":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self._list_depth -= 1
        if tag in self._BLOCKS:
            self.parts.append("\n\n")
        if tag == "a" and self._href:
            if self._href.startswith(("http://", "https://")):
                self.parts.append(f" ({self._href})")
            self._href = None

    def handle_data(self, data: str) -> None:
        self.parts.append(data if "pre" in self.parts[-1:] else _WHITESPACE.sub(" ", data))


def html_to_text(fragment: str) -> str:
    maker = _TextMaker()
    maker.feed(fragment)
    maker.close()
    text = "".join(maker.parts)
    paragraphs = [_strip_lines(p) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _strip_lines(paragraph: str) -> str:
    return "\n".join(line.strip() if not line.lstrip().startswith("- ") else line.rstrip()
                     for line in paragraph.strip("\n").splitlines() if line.strip())


def escape(text: str) -> str:
    return html.escape(text, quote=True)
