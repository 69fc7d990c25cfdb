"""Warnings for `pressroom check`: things that build fine but that a press office wants to know.

Each rule is a small function `(Subject) -> Iterable[Problem]` listed in RULES.
To add one (say, an image-metadata rule), write a function that looks at
`subject.release` (and `subject.line_of(...)` for its line, `subject.body` for
the rendered text) and yields `subject.warn(line, message)`, then add it to RULES.
Messages say what is wrong and how to fix it, like errors do.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.content.authorities import load_authorities
from generator.content.files import read_text, release_files, split_front_matter
from generator.content.placeholders import FILL_IN, PLACEHOLDER_MARK
from generator.content.releases import LoadContext, load_release
from generator.content.settings import load_settings
from generator.content.yaml_source import Key, YamlSource
from generator.core.errors import BuildErrors, Message, Problem, Severity
from generator.core.models import Kind, Page, Release, Settings, State
from generator.lifecycle.states import state_of
from generator.media.publish import CACHE_DIR as MEDIA_CACHE
from generator.media.publish import attachment_problem
from generator.render.markdown import TEASER_LENGTH, Body, BodyTooComplex, render_body

if TYPE_CHECKING:
    from generator.build.pipeline import LoadedSite

TITLE_MAX = 120  # feeds and search results cut longer headlines
FIRST_PARAGRAPH_MAX = 500  # twice the teaser: so long a lead needs a summary of its own
APPEAL_SOON = dt.timedelta(days=3)
EARLIEST_YEAR = 1990
FUTURE_MAX = dt.timedelta(days=365)

WARNING: Severity = "warning"
JSON_VERSION = 1


@dataclass(frozen=True)
class Subject:
    """One release under review, with lazy access to its file's lines and its rendered body."""

    site: Path
    settings: Settings
    now: dt.datetime
    release: Release
    rendered: Body | None = None  # the body the build already rendered, if any (a build advises too)

    @cached_property
    def _source(self) -> tuple[YamlSource | None, int]:
        try:
            text = read_text(self.site / self.release.source, self.release.source)
            fm, _, _ = split_front_matter(text, self.release.source)
        except Exception:  # the file was valid a moment ago; a line number is not worth a failure
            return None, 1
        return YamlSource(self.site / self.release.source, fm), _first_body_line(text)

    def line_of(self, *keys: Key) -> int:
        """The line of a front-matter value, e.g. line_of("images", 0, "src")."""
        source, _ = self._source
        return source.line_of(*keys) if source is not None else 1

    @property
    def body_line(self) -> int:
        """The first line of the Markdown body."""
        return self._source[1]

    def line_with(self, text: str) -> int:
        """The first line of the file that contains `text` (1 if none does)."""
        try:
            lines = (self.site / self.release.source).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return 1
        return next((n for n, line in enumerate(lines, start=1) if text in line), 1)

    @cached_property
    def body(self) -> Body:
        return self.rendered if self.rendered is not None else render_body(self.release.body)

    def warn(self, line: int, message: str) -> Problem:
        return Problem(self.release.source, line, message, WARNING)


def _first_body_line(text: str) -> int:
    """The first non-blank line after the closing '---' of the front matter."""
    lines = text.splitlines()
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), 0)
    return next((i + 1 for i in range(closing + 1, len(lines)) if lines[i].strip()), closing + 1)


Rule = Callable[[Subject], Iterable[Problem]]


def long_title(subject: Subject) -> Iterable[Problem]:
    title = subject.release.title
    if len(title) > TITLE_MAX:
        yield subject.warn(subject.line_of("title"),
                           Message("the title has %(length)s characters; feeds and search results cut titles "
                                   "after %(max)s, so shorten it and move details into the text",
                                   length=len(title), max=TITLE_MAX))


def long_first_paragraph(subject: Subject) -> Iterable[Problem]:
    release = subject.release
    if release.summary is not None:
        return
    length = len(subject.body.first_paragraph)
    if length > FIRST_PARAGRAPH_MAX:
        yield subject.warn(subject.body_line,
                           Message("the first paragraph has %(length)s characters and there is no summary; lists "
                                   "and feeds would show only its first %(shown)s characters, cut off — add "
                                   '"summary:" with one or two sentences, or shorten the first paragraph',
                                   length=length, shown=TEASER_LENGTH))


def image_without_credit(subject: Subject) -> Iterable[Problem]:
    for index, image in enumerate(subject.release.images):
        if not image.credit:
            yield subject.warn(subject.line_of("images", index),
                               Message('the image "%(src)s" has no credit; add "credit:" with who took it or '
                                       "holds the rights, e.g. credit: Polizei Gelsenkirchen",
                                       src=image.file.site_path))


def appeal_expires_soon(subject: Subject) -> Iterable[Problem]:
    release = subject.release
    if release.kind is not Kind.APPEAL or release.expires is None:
        return
    if state_of(release, subject.now) is not State.PUBLISHED:
        return
    left = release.expires - subject.now
    if left <= APPEAL_SOON:
        hours = int(left.total_seconds() // 3600)
        yield subject.warn(subject.line_of("expires"),
                           Message("the appeal expires in %(hours)s hours (%(expires)s) and is then taken down; "
                                   'if the search goes on, set a later "expires"', hours=hours,
                                   expires=release.expires.isoformat()))


def date_far_off(subject: Subject) -> Iterable[Problem]:
    date = subject.release.date
    if date.astimezone(subject.settings.tz).year < EARLIEST_YEAR:
        yield subject.warn(subject.line_of("date"),
                           Message("the date %(date)s is before %(year)s; is the year a typo?",
                                   date=date.isoformat(), year=str(EARLIEST_YEAR)))
    elif date - subject.now > FUTURE_MAX:
        yield subject.warn(subject.line_of("date"),
                           Message("the date %(date)s is more than a year ahead, so the release stays "
                                   "unpublished until then; is the year a typo?", date=date.isoformat()))


def placeholder_left(subject: Subject) -> Iterable[Problem]:
    # Only drafts get here with it: in any other release the placeholder is an error (content.releases).
    if subject.release.draft and PLACEHOLDER_MARK in subject.release.body:
        yield subject.warn(subject.line_with(PLACEHOLDER_MARK),
                           Message('the draft still contains the placeholder that pressroom new wrote ("%(mark)s"); '
                                   'replace it with the release\'s text before removing "draft: true"',
                                   mark=PLACEHOLDER_MARK))


def attachment_metadata(subject: Subject) -> Iterable[Problem]:
    for index, attachment in enumerate(subject.release.attachments):
        message = attachment_problem(attachment.file.source, attachment.file.site_path)
        if message:
            yield subject.warn(subject.line_of("attachments", index, "src"), message)


RULES: tuple[Rule, ...] = (long_title, long_first_paragraph, image_without_credit, appeal_expires_soon,
                           date_far_off, placeholder_left, attachment_metadata)


def advise(loaded: LoadedSite, now: dt.datetime, rules: Sequence[Rule] = RULES) -> list[Problem]:
    """Every warning about the releases of a site that passed its checks, in a stable order."""
    found: set[Problem] = set()
    for release in loaded.releases:
        subject = Subject(loaded.site, loaded.settings, now, release, loaded.bodies.get(release.id))
        for rule in rules:
            found.update(rule(subject))
    for page in loaded.pages:
        found.update(page_not_filled_in(loaded.site, page))
    return sorted(found)


def page_not_filled_in(site: Path, page: Page) -> Iterable[Problem]:
    """A page from `pressroom init` whose gaps are not filled in yet (deploy refuses to publish it)."""
    gaps = page.body.count(FILL_IN) + page.title.count(FILL_IN)
    if not gaps:
        return
    try:
        lines = (site / page.source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    line = next((n for n, text in enumerate(lines, start=1) if FILL_IN in text), 1)
    # German counts like English (one, many), so the English number picks the msgid.
    gaps_text = Message("1 gap") if gaps == 1 else Message("%(count)s gaps", count=gaps)
    yield Problem(page.source, line, Message(
        'the page still has %(gaps)s marked "%(mark)s …]" to fill in (the first on this line); pressroom deploy '
        "publishes the site only when they are filled in", gaps=gaps_text, mark=FILL_IN), WARNING)


def advise_loadable(site: Path, now: dt.datetime, rules: Sequence[Rule] = RULES) -> list[Problem]:
    """The warnings about every release that loads on its own, for a site that has errors elsewhere.

    So that an editor sees the warnings of the file at hand even while another file is broken.
    """
    try:
        settings = load_settings(site)
    except BuildErrors:
        return []
    authorities, _ = load_authorities(site)
    context = LoadContext(site=site, settings=settings, authorities=authorities, media_cache=site / MEDIA_CACHE)
    found: set[Problem] = set()
    for path in release_files(site):
        release, _ = load_release(path, context)
        if release is not None:
            subject = Subject(site, settings, now, release)
            try:
                for rule in rules:
                    found.update(rule(subject))
            except BodyTooComplex:
                continue  # the build's error names it already; there is no advice on a body that cannot render
    return sorted(found)


def _entry(problem: Problem) -> dict[str, Any]:
    return {"path": problem.path, "line": problem.line, "severity": problem.severity,
            "message": str(problem.message)}  # English, whatever language the text output speaks


def report_json(errors: Sequence[Problem], warnings: Sequence[Problem], *, strict: bool,
                releases: int | None = None, pages: int | None = None) -> str:
    """The stable JSON document of `check --format json`.

    `summary.ok` is what the exit code says; `releases` and `pages` are null when errors stopped the count.
    """
    ok = not errors and not (strict and warnings)
    document = {
        "version": JSON_VERSION,
        "errors": [_entry(p) for p in sorted(errors)],
        "warnings": [_entry(p) for p in sorted(warnings)],
        "summary": {
            "errors": len(errors),
            "warnings": len(warnings),
            "releases": releases,
            "pages": pages,
            "strict": strict,
            "ok": ok,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


__all__ = ["RULES", "Rule", "Subject", "advise", "advise_loadable", "report_json"]
