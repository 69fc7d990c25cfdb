"""Markdown bodies into safe HTML, plain text and a teaser."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html import unescape
from typing import Any, Protocol, cast, runtime_checkable

import markdown
import nh3
from markdown.treeprocessors import InlineProcessor
from markdown.util import Registry

from generator.core.errors import Message, Problem
from generator.render.phones import PhoneLinkExtension

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
    "del": {"cite"},
    "ins": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Attributes holding an address that the sanitizer itself does not check against URL_SCHEMES
# (it does for href and src).
_URL_ATTRIBUTES = frozenset({"cite"})
TEASER_LENGTH = 240
# Changes whenever the same Markdown would render differently (allow-list, limits): part of the
# cache key of rendered bodies, so that a build never reuses a body made under other rules.
BODY_RULES = "3"

_HEADING = re.compile(r"<(/?)h([1-6])\b")
# What a browser ignores in an address before reading its scheme (WHATWG URL: leading C0 controls
# and spaces, tab and newline anywhere), so "java\tscript:" is read as "javascript:".
_URL_IGNORED = re.compile(r"[\x00-\x20]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# An <a> as the sanitizer writes it (attributes in double quotes) that has no href left.
_LINK_WITHOUT_HREF = re.compile(r'<a((?:\s+(?!href=)[a-z-]+="[^"]*")*)\s*>(.*?)</a>', re.DOTALL)
# Control characters (C0 but tab, newline and CR; DEL; C1), the noncharacters of the first plane and
# lone surrogates: invisible, invalid in HTML and XML, and a way to hide text from a reviewer. (The
# other planes' noncharacters are left: they would make this search, run over every page, ten times dearer.)
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


@dataclass(frozen=True)
class Body:
    html: str
    text: str  # paragraphs separated by blank lines, for the plain-text rendition
    first_paragraph: str


# Limits on what a body may ask of the Markdown parser, found by fuzzing Python-Markdown
# (tests/render/test_markdown_limits.py measures them). Each is far above any real release
# and keeps the worst body within about a second:
# - container nesting (quotes, list items, indentation) recurses and is super-linear in depth;
# - list items and quote lines cost more the more of them a body has;
# - every "[" is matched by scanning the rest of its block: (brackets × block length); an
#   emphasis or code marker ("*", "_", "`") the same way, but about fifty times cheaper;
# - every unclosed "<tag", "<!" or "<?" is re-parsed over the rest of the body: (tags × body length),
#   declarations and CDATA about twelve times as dear as a tag.
MAX_CHARACTERS = 50_000  # about 15 printed pages; even plain text costs about 10 µs a character
MAX_DEPTH = 20
MAX_CONTAINER_LINES = 500
MAX_BRACKET_WORK = 4_000_000
MAX_TAG_WORK = 10_000_000
_DECLARATION_WEIGHT = 12
_MARKERS_PER_BRACKET = 50

_CONTAINER = re.compile(r"[ \t]*(?:(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])[ \t]*)*")
_MARKER = re.compile(r">|[-*+]|\d{1,9}[.)]")
_TAG = re.compile(r"<[A-Za-z/]")
_DECLARATION = re.compile(r"<[!?]")


class BodyTooComplex(ValueError):
    """A body the Markdown parser would take too long over, or could not nest so deep."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line  # in the Markdown source, 1 = its first line
        self.message = message

    def problem(self, path: str, file_text: str | None, body: str) -> Problem:
        """The finding at its line in the file, when the body is the file text's tail."""
        offset = 0
        if file_text is not None and file_text.endswith(body):
            offset = file_text[: len(file_text) - len(body)].count("\n")
        return Problem(path, offset + self.line, self.message)


def check_complexity(source: str) -> None:
    """Refuse, in one linear pass, a body beyond the limits above (raises `BodyTooComplex`)."""
    if len(source) > MAX_CHARACTERS:
        raise BodyTooComplex(1, Message("the body is too complex: %(count)s characters, at most %(limit)s; split "
                                        "the release or link a document", count=f"{len(source):,}",
                                        limit=f"{MAX_CHARACTERS:,}"))
    tag_work = (len(_TAG.findall(source)) + _DECLARATION_WEIGHT * len(_DECLARATION.findall(source))) * len(source)
    if tag_work > MAX_TAG_WORK:
        where = _line_of_tags(source)
        raise BodyTooComplex(where, Message("the body is too complex: too many HTML tags, or '<' before letters, "
                                           "'!' or '?'; write Markdown instead of HTML, or '&lt;' for a '<'"))
    bracket_work = containers = 0
    block_start, block_length, block_brackets, block_markers = 1, 0, 0, 0
    for number, line in enumerate(source.split("\n"), start=1):
        if not line.strip():
            bracket_work += block_length * (block_brackets + block_markers // _MARKERS_PER_BRACKET)
            if bracket_work > MAX_BRACKET_WORK:
                break
            block_length = block_brackets = block_markers = 0
            continue
        lead = _CONTAINER.match(line)
        prefix = lead[0] if lead else ""
        depth = len(_MARKER.findall(prefix)) + len(_MARKER.sub("", prefix).expandtabs(4)) // 4
        if depth > MAX_DEPTH:
            raise BodyTooComplex(number, Message("the body is too deeply nested: %(depth)s levels of quotes, lists "
                                                 "or indentation in one line, at most %(limit)s", depth=depth,
                                                 limit=MAX_DEPTH))
        if _MARKER.match(prefix.lstrip(" \t")):
            containers += 1
            if containers > MAX_CONTAINER_LINES:
                raise BodyTooComplex(number, Message("the body is too complex: more than %(limit)s list items and "
                                                     "quoted lines; link a document for long lists",
                                                     limit=MAX_CONTAINER_LINES))
        if not block_length:
            block_start = number
        block_length += len(line) + 1
        block_brackets += line.count("[")
        block_markers += line.count("*") + line.count("_") + line.count("`")
    else:
        bracket_work += block_length * (block_brackets + block_markers // _MARKERS_PER_BRACKET)
    if bracket_work > MAX_BRACKET_WORK:
        raise BodyTooComplex(block_start, Message("the body is too complex: too many '[', '*', '_' or '`' in this "
                                                  "paragraph; write '\\[', '\\*' … for one that marks nothing"))


def _line_of_tags(source: str) -> int:
    """The line where the tags get too many: the budget, spread evenly, is spent there."""
    allowed = MAX_TAG_WORK // max(len(source), 1)
    spent = 0
    for match in re.finditer(r"<[A-Za-z/!?]", source):
        spent += _DECLARATION_WEIGHT if match[0][1] in "!?" else 1
        if spent > allowed:
            return source.count("\n", 0, match.start()) + 1
    return 1


class _Sought:
    """A regular expression that is searched only in text holding one of the strings that each of
    its matches needs at or after the start of the search.

    Python-Markdown tries several expressions on every block and every run of text. Those below
    begin with a look-behind, an alternative or a line start, so the regular expression engine
    finds no literal to skip ahead to and tries each position of each paragraph: together they
    cost more than the rest of the parsing. Looking for the strings first finds the same matches
    (none without them) in a hundredth of the time."""

    def __init__(self, expression: re.Pattern[str], *needed: str) -> None:
        self._expression = expression
        self._needed = needed

    def _may_match(self, string: str, pos: int) -> bool:
        # A loop, not any(): a generator costs about as much as the searches it spares.
        for needed in self._needed:  # noqa: SIM110
            if string.find(needed, pos) >= 0:
                return True
        return False

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self._expression.search(string, pos) if self._may_match(string, pos) else None

    def finditer(self, string: str, pos: int = 0) -> Iterator[re.Match[str]]:
        return self._expression.finditer(string, pos) if self._may_match(string, pos) else iter(())

    def __getattr__(self, name: str) -> Any:  # anything else a processor may ask of its expression
        return getattr(self._expression, name)


# The inline patterns whose expressions begin with a look-behind, and what each match needs: a
# backtick (the code span's, or the one after escaped backslashes), an opening bracket.
_SOUGHT_INLINE = {"backtick": ("`",), "reference": ("[",), "link": ("[",), "short_reference": ("[",)}
# The block processors that search a whole block for a line of their kind, the attribute that holds
# the expression, and what a match needs: a quote's ">", a heading's "#", a rule's three "-", "_"
# or "*", a link definition's "]:".
_SOUGHT_BLOCKS = {"quote": ("RE", (">",)), "hashheader": ("RE", ("#",)), "hr": ("SEARCH_RE", ("-", "_", "*")),
                  "reference": ("RE", ("]:",))}


class _Renderer:
    """One Markdown instance, reused: building one costs more than converting a release."""

    def __init__(self) -> None:
        self._md = self._make()

    @staticmethod
    def _make() -> markdown.Markdown:
        # Telephone numbers in the text become tel: links (generator.render.phones).
        md = markdown.Markdown(extensions=["tables", "sane_lists", PhoneLinkExtension()], output_format="html")
        # The processors' own expressions, only searched where they can match (see _Sought).
        for name, needed in _SOUGHT_INLINE.items():
            pattern = md.inlinePatterns[name]
            pattern.compiled_re = cast("re.Pattern[str]", _Sought(pattern.getCompiledRegExp(), *needed))
        for name, (attribute, marks) in _SOUGHT_BLOCKS.items():
            processor = md.parser.blockprocessors[name]
            setattr(processor, attribute, _Sought(getattr(processor, attribute), *marks))
        # The inline patterns as a tuple: the registry sorts itself again on each of the many
        # lookups by position, and nothing registers a pattern after the instance is made.
        inline = md.treeprocessors["inline"]
        assert isinstance(inline, InlineProcessor)
        inline.inlinePatterns = cast("Registry[Any]", tuple(md.inlinePatterns))
        return md

    def __call__(self, source: str) -> str:
        self._md.reset()
        try:
            return self._md.convert(source)
        except BaseException:
            # A conversion that failed midway leaves the instance's state half-built; the
            # next body would come out wrong (or empty), so start afresh.
            self._md = self._make()
            raise


_render = _Renderer()


def render_body(source: str) -> Body:
    """Markdown → HTML, sanitized against the allow-list; headings start at h2 below the page's h1.

    A body beyond the limits raises `BodyTooComplex`, whose `problem` names the file's line."""
    source = strip_controls(source)
    check_complexity(source)
    try:
        raw = _render(source)
    except RecursionError:
        raise BodyTooComplex(1, "the body is too deeply nested for the Markdown parser; "
                                "flatten its quotes, lists or emphasis") from None
    # Lift the body's top heading level to h2 – whether the author wrote "#" or "##" – without
    # leaving a gap in the outline (a skipped level is an HTML conformance and WCAG 1.3.1 problem).
    levels = [int(m[2]) for m in _HEADING.finditer(raw)]
    lift = max(0, 2 - min(levels)) if levels else 0
    shifted = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + lift, 6)}", raw)
    safe = sanitize(shifted)
    text = html_to_text(safe)
    paragraph = _FIRST_PARAGRAPH.search(safe)
    first = html_to_text(paragraph[1]) if paragraph else ""
    return Body(html=safe, text=text, first_paragraph=" ".join(first.split()))


def strip_controls(text: str) -> str:
    """`text` without CONTROL_CHARACTERS."""
    return CONTROL_CHARACTERS.sub("", text)


def sanitize(fragment: str) -> str:
    """Only the allowed tags and attributes, addresses only with an allowed scheme (or none), and
    no <a> without an address: a link whose address was refused becomes its text."""
    clean = strip_controls(nh3.clean(  # after too: a character reference can name a control character
        strip_controls(fragment),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_allowed_address,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ))
    return _LINK_WITHOUT_HREF.sub(r"\2", clean) if "<a" in clean else clean


def _allowed_address(tag: str, attribute: str, value: str) -> str | None:
    if attribute not in _URL_ATTRIBUTES:
        return value
    scheme = _SCHEME.match(_URL_IGNORED.sub("", value))
    return value if scheme is None or scheme[1].lower() in URL_SCHEMES else None


@runtime_checkable
class FirstParagraphs(Protocol):
    """Bodies that can tell their first paragraph without reading the rest (`build.bodies`)."""

    def first_paragraph(self, release_id: str) -> str: ...


def first_paragraph(bodies: Mapping[str, Body], release_id: str) -> str:
    """A body's first paragraph, the teaser's source (listings and feeds show it)."""
    if isinstance(bodies, FirstParagraphs):
        return bodies.first_paragraph(release_id)
    return bodies[release_id].first_paragraph


def teaser(summary: str | None, first_paragraph: str, limit: int = TEASER_LENGTH) -> str:
    """The summary, or the start of the first paragraph cut at a word boundary."""
    text = " ".join((summary or first_paragraph).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-")
    return cut + " …"


# A tag as the sanitizer writes it: a name, then attributes whose values are in double quotes (a
# value may hold a ">", never a '"'); its text holds no "<", only "&lt;".
_TAG_TOKEN = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s"\'<>/=]+(?:="[^"]*")?)*)\s*(/?)>')
_HREF_ATTRIBUTE = re.compile(r'\shref="([^"]*)"')


class _TextMaker:
    """The text of sanitized HTML, told tag by tag and text by text as `html.parser` would tell it."""

    _BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "dl", "hr"})

    def __init__(self) -> None:
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
        self.parts.append(data if "pre" in self.parts[-1:] else collapse_spaces(data))

    def feed(self, fragment: str) -> None:
        """Reads the whole of a fragment that `sanitize` wrote. (`html.parser` reads any HTML, and
        reading a body through it cost as much as rendering its Markdown.)"""
        rest = 0
        for tag in _TAG_TOKEN.finditer(fragment):
            if tag.start() > rest:
                self.handle_data(unescape(fragment[rest: tag.start()]))
            name = tag[2].lower()
            if tag[1]:
                self.handle_endtag(name)
            else:
                href = _HREF_ATTRIBUTE.search(tag[3]) if name == "a" else None
                self.handle_starttag(name, [("href", unescape(href[1]))] if href else [])
                if tag[4]:
                    self.handle_endtag(name)
            rest = tag.end()
        if rest < len(fragment):
            self.handle_data(unescape(fragment[rest:]))


def collapse_spaces(text: str) -> str:
    """Each run of white space as one space (as `re.sub(r"\\s+", " ", text)`, four times as fast:
    `str.split` and `\\s` know the same white space)."""
    words = text.split()
    if not words:
        return " " if text else ""
    joined = " ".join(words)
    if text[0].isspace():
        joined = " " + joined
    if text[-1].isspace():
        joined += " "
    return joined


def html_to_text(fragment: str) -> str:
    maker = _TextMaker()
    maker.feed(fragment)
    text = "".join(maker.parts)
    paragraphs = [_strip_lines(p) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _strip_lines(paragraph: str) -> str:
    return "\n".join(line.strip() if not line.lstrip().startswith("- ") else line.rstrip()
                     for line in paragraph.strip("\n").splitlines() if line.strip())


# A link as the sanitizer writes it: attributes in double quotes, "&" and '"' as references.
_HREF = re.compile(r'<a\s[^>]*?\bhref="([^"]*)"')


def hrefs(html: str) -> list[str]:
    """The addresses of the links of a sanitized HTML fragment (`markdown.sanitize`), in order."""
    if "<a" not in html:  # most bodies: no link at all
        return []
    # A character reference may name a control character (an escape sequence in a terminal): none of it.
    return [strip_controls(unescape(found)) for found in _HREF.findall(html) if found]
