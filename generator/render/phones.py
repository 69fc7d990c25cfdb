"""Telephone numbers in a body's text as `tel:` links, so that a reader on a phone calls with one tap.

"Hinweise unter 0209 365-8112", "unter dem Notruf 110": a release asks people to call, and a
number that is only text must be copied by hand, or is misread and mistyped. The numbers are
found in the Markdown tree after inline parsing: only in plain text, never inside a link, code
or preformatted text (written as Markdown or as raw HTML), and only where they are certainly
numbers to call, because a wrong link is worse than none. So this module is conservative:

- a number with an area code, written the way German print writes one: "0209 365-2020",
  "0209/365-2020", "0209 / 365 2020", "(0209) 3652020", "+49 (0)209 365 2020", "+49 209 365 2020".
  It must have a separator after the area code (a run of digits alone may be anything), at
  least 8 digits, and be one number that `core.phone.tel_uri` can dial. Dots never separate
  (dates: "01.12.2026"); a colon, dot, slash or digit right before or after it, or a group of
  digits just before it, means it is part of something else ("14:30", "2026/123456", an IBAN).
  After "Aktenzeichen", "Az." and the like it is a case number, after "Fax" a fax, near "IBAN"
  or "BIC" bank details: none of them a number to call;
- the emergency numbers 110 and 112 only where the text says they are: "Notruf 110",
  "Notrufnummer 112", "unter der 110", "über die 112", "die 110 wählen", "wählen Sie die 112",
  and a second one right after a first ("Notruf 110 oder 112"). "einer der 110 Teilnehmer",
  "Tempo 110" and "über die 110 Einsätze" stay text.

Numbers inside a raw-HTML block (a whole `<p>…</p>` written as HTML) are not in the tree and stay
text; so do numbers split by markup ("0209 **365** 2020").

The visible text never changes: a number is only wrapped in a link (tests/render/test_phone_links.py
proves it with hypothesis). The plain-text renditions (meldung.txt, teasers, feed summaries) are
made from the text and therefore stay as they were; the HTML of pages, feeds and the API carries
the links.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from generator.core.phone import tel_uri

# Inside these, text is not plain text: a link has its own target, code is shown as written.
_SKIPPED = frozenset({"a", "code", "pre", "kbd", "samp"})
# Elements within a line of text: the words before a number may be in one ("**Notruf** 110").
_INLINE = frozenset({"a", "abbr", "b", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "samp", "small",
                     "span", "strong", "sub", "sup", "u"})
_SPACE = "[ \u00a0\u202f]"  # a space, also the no-break and the narrow no-break space
_GROUP = "[ \u00a0\u202f\\-\u2011]"  # between groups of digits: a space or a hyphen
_AFTER_AREA = f"(?:{_SPACE}?/{_SPACE}?|{_GROUP})"  # "0209 / 365", "0209/365", "0209 365", "0209-365"
_NATIONAL = (f"(?:\\(0[1-9][0-9]{{1,4}}\\){_SPACE}?|0[1-9][0-9]{{1,4}}{_AFTER_AREA})"
             f"[0-9]+(?:{_GROUP}[0-9]+)*")
_INTERNATIONAL = (f"\\+[1-9][0-9]{{0,2}}(?:{_SPACE}?\\(0\\))?{_AFTER_AREA}?"
                  f"[0-9]+(?:{_AFTER_AREA}[0-9]+)*")
# Not glued to a word, a number, a time, a date or a path before it, nor followed by more of one.
_BEFORE = r"(?<![\w.,:/+\-\u2011])"
_AFTER = r"(?![\w\u2011]|[.,:/\-][0-9])"
# Nor right after another number ("IBAN DE89 3704 0044 0532 0130 00"): in running text a telephone
# number follows a word or a sign, never a group of digits.
_NOT_AFTER_DIGITS = r"(?<![0-9][ \u00a0\u202f])"
_NUMBER = re.compile(f"{_BEFORE}{_NOT_AFTER_DIGITS}(?:{_INTERNATIONAL}|{_NATIONAL}){_AFTER}")
_EMERGENCY = re.compile(f"{_BEFORE}(110|112){_AFTER}")
_MIN_DIGITS = 8  # "02365 123": the shortest area code and subscriber number that come together
# Words after which a number is a reference, never a telephone number.
_REFERENCE = re.compile(r"(?:\baktenzeichen|\baz\.?|\btagebuch-?nummer|\btgb\.?-?nr\.?|\bvorgangs-?nummer|"
                        r"\bfall-?nummer|\bkennzeichen|\bkonto(?:-?nummer)?|\bblz|\b(?:tele)?fax)\s*:?\s*$",
                        re.IGNORECASE)
_BANK = re.compile(r"\b(?:iban|bic)\b", re.IGNORECASE)  # anywhere just before: bank details, never a telephone
# What says that 110 or 112 is the emergency number: right before it, or (for "die 110 wählen") after it.
_NAMED_BEFORE = re.compile(
    r"(?:\b(?:polizei-?|feuerwehr-?)?notruf(?:-?nummer)?|\bnotfall-?nummer|\bnotrufnummern)\s*:?\s*(?:der\s+|die\s+)?$",
    re.IGNORECASE)
_UNDER_BEFORE = re.compile(r"\b(?:(?:unter|über)|(?:wählen|rufen)(?:\s+sie)?)\s+(?:der|die)\s+$", re.IGNORECASE)
_EMERGENCY_VERB_BEFORE = re.compile(r"\b(?:die|der)\s+$", re.IGNORECASE)
_EMERGENCY_VERB_AFTER = re.compile(r"\s+(?:wählen|anrufen|rufen|alarmieren|verständigen)\b")
# "unter der 110 Einsätze", "über die 110 km": a count or a measure, not a number to call.
_NOT_AFTER_EMERGENCY = re.compile(r"\s*(?:[A-ZÄÖÜ0-9]|(?:km|m|cm|kg|t|h|ha|qm|mm)\b|[%€°])")
_COUNT_AFTER = re.compile(r"\s*[0-9]")  # "Notruf 110 000 Mal gewählt"
_ALSO = re.compile(r"\s*(?:,|und|oder|bzw\.)\s*$")  # "Notruf 110 oder 112": the second one as well
_LOOK_BACK = 40  # characters of context read before a number
_RAW_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)")
# Where Python-Markdown left raw HTML in the text, to be put back after the tree is serialized.
_PLACEHOLDER = re.compile(re.escape(util.HTML_PLACEHOLDER).replace("%s", "([0-9]+)"))
_VOID = frozenset({"br", "hr", "img", "wbr"})


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    uri: str


def find_numbers(text: str, before: str = "") -> list[Found]:
    """The telephone numbers in one run of plain text, in order; `before` is the text that came
    just before it in the same paragraph (for "unter der" / "110" split by emphasis)."""
    found = list(_numbers(text, before))
    found += _emergency(text, before, found)
    return sorted(found, key=lambda f: f.start)


def _numbers(text: str, before: str) -> Iterator[Found]:
    for match in _NUMBER.finditer(text):
        written = match[0]
        if sum(c.isdigit() for c in written) < _MIN_DIGITS:
            continue
        preceding = _preceding(text, match.start(), before)
        if _REFERENCE.search(preceding) or _BANK.search(preceding):
            continue
        uri = tel_uri(written)
        if uri is not None:
            yield Found(match.start(), match.end(), uri)


def _preceding(text: str, start: int, before: str) -> str:
    """The `_LOOK_BACK` characters before `start` (sliced, so that many numbers cost no more than a few)."""
    return (before + text[max(0, start - _LOOK_BACK): start])[-_LOOK_BACK:]


def _emergency(text: str, before: str, numbers: list[Found]) -> list[Found]:
    found: list[Found] = []
    if "11" not in text:  # most runs of text: the look-behind makes the search try every position
        return found
    starts = [f.start for f in numbers]
    for match in _EMERGENCY.finditer(text):
        inside = bisect_right(starts, match.start()) - 1
        if inside >= 0 and match.start() < numbers[inside].end:
            continue  # part of a longer number
        preceding = _preceding(text, match.start(), before)
        end = match.end()
        named = _NAMED_BEFORE.search(preceding) and not _COUNT_AFTER.match(text, end)
        under = _UNDER_BEFORE.search(preceding) and not _NOT_AFTER_EMERGENCY.match(text, end)
        dialled = _EMERGENCY_VERB_BEFORE.search(preceding) and _EMERGENCY_VERB_AFTER.match(text, end)
        gap = match.start() - found[-1].end if found else _LOOK_BACK
        second = gap < _LOOK_BACK and _ALSO.fullmatch(text, found[-1].end, match.start()) is not None
        if named or under or dialled or second:
            found.append(Found(match.start(), match.end(), f"tel:{match[1]}"))
    return found


class PhoneLinks(Treeprocessor):
    """Wraps each telephone number of the body's plain text in `<a href="tel:…">`."""

    def run(self, root: etree.Element) -> None:
        self._raw_depth = 0  # open raw-HTML <a>, <code> … around the text being read
        self._before = ""
        self._walk(root, skipped=False)

    def _walk(self, element: etree.Element, skipped: bool) -> None:
        skipped = skipped or element.tag in _SKIPPED
        if element.tag not in _INLINE:
            self._before = ""  # a new block: what came before says nothing of this one
        element.text, links = self._split(element.text, skipped)
        for index, link in enumerate(links):
            element.insert(index, link)
        index = len(links)
        while index < len(element):
            child = element[index]
            self._walk(child, skipped)
            child.tail, links = self._split(child.tail, skipped)
            for offset, link in enumerate(links, start=1):
                element.insert(index + offset, link)
            index += 1 + len(links)

    def _split(self, text: str | None, skipped: bool) -> tuple[str | None, list[etree.Element]]:
        """`text` up to the first number, and the links (each with the text after it as its tail)."""
        if not text:
            return text, []
        if skipped or isinstance(text, util.AtomicString):
            self._note(text)
            return text, []
        pieces: list[str] = []  # text between links, the first one being the element's text
        links: list[etree.Element] = []
        rest = 0
        for segment, start, raw in self._segments(text):
            if raw is not None:
                self._raw(raw)
                continue
            if self._raw_depth:
                self._before += segment
                continue
            for found in find_numbers(segment, self._before):
                pieces.append(text[rest: start + found.start])
                link = etree.Element("a", {"href": found.uri})
                link.text = text[start + found.start: start + found.end]
                links.append(link)
                rest = start + found.end
            self._before = (self._before + segment)[-_LOOK_BACK:]
        if not links:
            return text, []
        pieces.append(text[rest:])
        for link, tail in zip(links, pieces[1:], strict=True):
            link.tail = tail
        return pieces[0], links

    def _segments(self, text: str) -> Iterator[tuple[str, int, str | None]]:
        """Runs of text and raw-HTML placeholders: (text, offset, None) or (placeholder, offset, its HTML)."""
        rest = 0
        stash = self.md.htmlStash.rawHtmlBlocks
        for match in _PLACEHOLDER.finditer(text):
            if match.start() > rest:
                yield text[rest: match.start()], rest, None
            index = int(match[1])
            stashed = stash[index] if index < len(stash) else ""
            yield match[0], match.start(), stashed if isinstance(stashed, str) else ""
            rest = match.end()
        if rest < len(text):
            yield text[rest:], rest, None

    def _raw(self, html: str) -> None:
        """Follow raw HTML's links and code: the text inside them stays as it is."""
        for match in _RAW_TAG.finditer(html):
            name = match[2].lower()
            if name in _SKIPPED and name not in _VOID:
                self._raw_depth = max(0, self._raw_depth + (-1 if match[1] else 1))

    def _note(self, text: str) -> None:
        self._before = (self._before + text)[-_LOOK_BACK:]


class PhoneLinkExtension(Extension):
    """The Python-Markdown extension: `markdown.Markdown(extensions=[PhoneLinkExtension()])`."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After "unescape" (priority 0): the text is then the text as read, escapes resolved.
        md.treeprocessors.register(PhoneLinks(md), "phone_links", -10)
