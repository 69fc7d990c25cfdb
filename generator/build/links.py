"""The link check: every address of the site that a body, a page or `follows` names must exist.

A reader who clicks a link in a release expects a page, not the 404. So every link in a
release's body or a page's body that points into the site – relative (resolved against the
page's own address, `/meldung/<slug>/` or `/<page>/`), root-relative, or absolute under
`base_url` – must name a file this build writes: one of the paths the plan makes (`planned_paths`,
the same task and file lists the build stages), or an alias. Addresses are compared as
`addresses.normal` compares them (percent-decoded, without case, `x/` = `x/index.html`); a query
or a fragment (`#x`) is ignored, the file alone counts. A link that leaves the site (another
host, `mailto:`, `tel:`) is not followed: the check needs no network.

What it finds are warnings (errors with `check --strict`), each at the line of the link in its
file. A link to a withdrawn (or expired) release is a warning of its own: the page exists, but
shows only the withdrawal notice. A link to a draft or a scheduled release leads nowhere until
that release is published; a scheduled release may link to one that comes out no later than
itself. `follows` names an id: one that is withdrawn, a draft or not yet out makes the page
show no link to it, which is said too. (Attachments' `src` are files checked when loading.)
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from generator.build.addresses import normal
from generator.build.bodies import Bodies
from generator.build.plan import page_tasks, theme_files
from generator.build.search import SEARCH_DIR
from generator.build.site import LoadedSite
from generator.content.lines import front_matter_line
from generator.core import urls
from generator.core.dates import iso
from generator.core.errors import Message, Problem, Severity
from generator.core.models import Release, State
from generator.lifecycle.catalog import Catalog, make_catalog
from generator.media.publish import MediaIndex
from generator.outputs.api import api_files
from generator.outputs.data import OutputData
from generator.outputs.feeds import feed_tasks
from generator.outputs.servers import server_files
from generator.render.markdown import hrefs, strip_controls
from generator.render.templates import Templates
from generator.render.views import ViewMaker

WARNING: Severity = "warning"
_GONE = {True: Message("withdrawn"), False: Message("an appeal that has expired")}
# Files the build writes whose names only the writing knows (the search index's parts): any
# address in there counts as written.
UNLISTED = (SEARCH_DIR,)
_RELEASE_FOLDERS = urls.release("x").removesuffix("x/")  # "meldung/"


def planned_paths(loaded: LoadedSite, catalog: Catalog, views: ViewMaker, data: OutputData, templates: Templates,
                  media: MediaIndex | None) -> frozenset[str]:
    """Every file a build of `catalog` writes, as `normal` addresses.

    The tasks are the build's own (`plan.page_tasks`, `feeds.feed_tasks`), which name their path
    before anything is rendered; the other files are listed as `plan.other_files` makes them.
    Without `media` (a check, which encodes no image) the image variants are missing.
    """
    paths: list[str] = [task.path for task in page_tasks(catalog, views, data, templates)]
    paths += (task.path for task in feed_tasks(catalog, data))
    paths += (urls.file_of(urls.page(page.slug)) for page in loaded.pages)
    paths.append(urls.file_of(urls.SEARCH))
    paths += (urls.file_of(urls.release(release.slug)) for release in catalog.withdrawn)
    for release in (*catalog.published, *catalog.withdrawn):
        paths += (urls.file_of(alias.lstrip("/")) for alias in release.aliases)
    if media is not None:
        paths += (path for path, _ in media.files())
    shown = (*catalog.published, *catalog.drafts)
    paths += (urls.media(attachment.file.site_path) for release in shown for attachment in release.attachments)
    paths += (path for path, _ in theme_files(templates))
    paths.append(urls.NOT_FOUND)
    paths += (path for path, _ in server_files(catalog, data.links))
    paths += (path for path, _ in api_files(catalog, data))
    paths += (urls.event_calendar(release.slug) for release in shown if release.event is not None)
    return frozenset(normal(path) for path in paths)


def check_links(loaded: LoadedSite, now: dt.datetime, drafts: bool = False) -> list[Problem]:
    """The link warnings of a site as a build at `now` would give them, without rendering a page
    (for `check`; image variants are not known, so a link to one is reported)."""
    catalog = make_catalog(loaded.releases, loaded.authorities.values(), now, drafts)
    views = ViewMaker(loaded.settings, catalog, loaded.bodies, loaded.pages)
    data = OutputData(loaded.settings, loaded.bodies)
    templates = Templates(loaded.site, loaded.settings.language, views.site())
    return link_problems(loaded, catalog, planned_paths(loaded, catalog, views, data, templates, None))


def link_problems(loaded: LoadedSite, catalog: Catalog, planned: frozenset[str]) -> list[Problem]:
    """Every broken link of the site's bodies, pages and `follows`, in a stable order."""
    checker = _Checker(loaded, catalog, planned)
    found: set[Problem] = set()
    for release in loaded.releases:
        if catalog.states[release.id] is State.WITHDRAWN:
            continue  # its body is no longer shown anywhere
        if release.id in loaded.bodies:
            # A body the cache knows to have no link is not read (`Bodies.linked_html`).
            bodies = loaded.bodies
            html = bodies.linked_html(release.id) if isinstance(bodies, Bodies) else bodies[release.id].html
            found.update(checker.body(release.source, release.body, html, urls.release(release.slug), release))
        found.update(checker.follows(release))
    for page in loaded.pages:
        body = loaded.page_bodies.get(page.slug)
        if body is not None:
            found.update(checker.body(page.source, page.body, body.html, urls.page(page.slug), None))
    return sorted(found)


@dataclass(frozen=True)
class _Home:
    """The release whose folder, or one of whose aliases, an address is."""

    release: Release
    state: State


class _Checker:
    def __init__(self, loaded: LoadedSite, catalog: Catalog, planned: frozenset[str]) -> None:
        self.loaded = loaded
        self.catalog = catalog
        self.planned = planned
        self.links = urls.Links(loaded.settings.base_url)
        base = urlsplit(loaded.settings.base_url)
        self.host = (base.hostname or "", base.port)
        self.by_id = {release.id: release for release in loaded.releases}
        self.folders: dict[str, Release] = {}
        self.aliases: dict[str, Release] = {}
        for release in loaded.releases:
            self.folders[normal(urls.release(release.slug)).removesuffix("index.html")] = release
            for alias in release.aliases:
                self.aliases[normal(alias)] = release
        self._texts: dict[str, str | None] = {}
        self._siblings: defaultdict[str, list[str]] | None = None  # folder → its files and pages, for hints

    # --- bodies -------------------------------------------------------------------------------

    def body(self, source: str, markdown: str, html: str, page: str, release: Release | None) -> Iterator[Problem]:
        seen: dict[str, int] = {}
        for href in hrefs(html):
            message = self._judge(href, page, release)
            if message is None:
                continue
            occurrence = seen[href] = seen.get(href, -1) + 1
            yield Problem(source, self._line(source, markdown, href, occurrence), message, WARNING)

    def _judge(self, href: str, page: str, release: Release | None) -> str | None:
        """What is wrong with the link `href` on the page at `page`, or None."""
        path = self._site_path(href, page)
        if path is None:
            return None
        if isinstance(path, _Outside):
            inner = path.path.lstrip("/")
            if self._written(normal(inner)):
                return Message('the link "%(href)s" leaves the site, which lives under %(base)s; write "%(url)s"',
                               href=href, base=self.links.base_path, url=self.links.url(inner))
            return None  # another part of the same host: not ours to check
        key = normal(path)
        home = self._home(key)
        if home is not None and home.state is State.WITHDRAWN:
            what = _GONE[home.release.withdrawn is not None]
            return Message('the link "%(href)s" leads to the release "%(id)s", which is %(what)s: readers find '
                           "only the withdrawal notice there; remove the link or point it to a current release",
                           href=href, id=home.release.id, what=what)
        if self._written(key):
            return None
        if home is not None and home.state is State.DRAFT:
            return Message('the link "%(href)s" leads to the release "%(id)s", a draft, whose page does not '
                           "exist until it is published; publish it first or remove the link", href=href,
                           id=home.release.id)
        if home is not None and home.state is State.SCHEDULED:
            if release is not None and self._out_no_later(home.release, release):
                return None
            return Message('the link "%(href)s" leads to the release "%(id)s", which is published only at '
                           "%(date)s; until then the link leads nowhere", href=href, id=home.release.id,
                           date=iso(home.release.date))
        shown = "/" + strip_controls(unquote(path, errors="replace"))
        return Message('the link "%(href)s" leads nowhere: this build writes no %(path)s%(hint)s; '
                       "correct the address or remove the link", href=href, path=shown, hint=self._suggest(key))

    def _site_path(self, href: str, page: str) -> str | _Outside | None:
        """The address inside the site that `href` names on the page `page` (percent-encoded,
        without query and fragment), `_Outside` for the same host outside the base path, or None
        for an address that is not the site's."""
        href = href.strip()
        if not href or href.startswith("#"):
            return None
        try:
            parts = urlsplit(href)
            if parts.scheme and parts.scheme.lower() not in ("http", "https"):
                return None  # mailto:, tel:
            target = urlsplit(urljoin(self.links.absolute(page), href))
            if (target.hostname or "", target.port) != self.host:
                return None
        except ValueError:  # "http://[x", a port that is no number: no address a browser would go to
            return None
        path = target.path or "/"
        base = self.links.base_path
        if not path.startswith(base) and path + "/" != base:
            return _Outside(path)
        return path[len(base):]

    def _written(self, key: str) -> bool:
        return key in self.planned or key.startswith(UNLISTED)

    def _home(self, key: str) -> _Home | None:
        release = self.aliases.get(key)
        if release is None:
            end = key.find("/", len(_RELEASE_FOLDERS)) if key.startswith(_RELEASE_FOLDERS) else -1
            release = self.folders.get(key[: end + 1]) if end != -1 else None
        if release is None:
            return None
        return _Home(release, self.catalog.states[release.id])

    def _out_no_later(self, target: Release, source: Release) -> bool:
        """Whether `source` is not out yet and `target` comes out no later than it does."""
        return (self.catalog.states[source.id] is State.SCHEDULED and not target.draft
                and target.date <= source.date)

    def _suggest(self, key: str) -> str:
        """' (did you mean "/x/y/"?)' for a file or page beside the one that is not there."""
        if self._siblings is None:
            self._siblings = defaultdict(list)
            for path in sorted(self.planned):
                parent, name = _split(path)
                self._siblings[parent].append(name)
        parent, name = _split(key)
        close = difflib.get_close_matches(name, sorted(self._siblings.get(parent, ())), n=1, cutoff=0.6)
        return Message(' (did you mean "%(choice)s"?)', choice="/" + parent + close[0]) if close else ""

    def _line(self, source: str, markdown: str, href: str, occurrence: int) -> int:
        """The line in `source` of the `occurrence`-th mention of `href` in its Markdown body."""
        text = self._text(source)
        offset = 0
        if text is not None and text.endswith(markdown):
            offset = text[: len(text) - len(markdown)].count("\n")
        for written in dict.fromkeys((href, href.replace("&", "&amp;"), unquote(href, errors="replace"))):
            starts = list(_occurrences(markdown, written))
            if starts:
                start = starts[min(occurrence, len(starts) - 1)]
                return offset + markdown.count("\n", 0, start) + 1
        return offset + 1

    def _text(self, source: str) -> str | None:
        if source not in self._texts:
            try:
                text = (self.loaded.site / source).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
            except (OSError, UnicodeDecodeError):
                text = None
            self._texts[source] = text
        return self._texts[source]

    # --- follows ------------------------------------------------------------------------------

    def follows(self, release: Release) -> Iterator[Problem]:
        target = self.by_id.get(release.follows) if release.follows else None
        if target is None:
            return  # an unknown id is an error of loading already
        state = self.catalog.states[target.id]
        if state is State.WITHDRAWN:
            message = Message('follows "%(id)s", which is %(what)s; the page shows no link to it, so remove '
                              '"follows" or name a release that is still published', id=target.id,
                              what=_GONE[target.withdrawn is not None])
        elif state is State.DRAFT:
            message = Message('follows "%(id)s", a draft; the page shows no link to it until that release '
                              "is published", id=target.id)
        elif state is State.SCHEDULED and not self._out_no_later(target, release):
            message = Message('follows "%(id)s", which is published only at %(date)s; until then '
                              "the page shows no link to it", id=target.id, date=iso(target.date))
        else:
            return
        yield Problem(release.source, front_matter_line(self.loaded.site, release.source, "follows"), message,
                      WARNING)


@dataclass(frozen=True)
class _Outside:
    """An address on the site's host outside its base path (`/x` for a site under `/presse/`)."""

    path: str


def _split(key: str) -> tuple[str, str]:
    """"a/b/index.html" → ("a/", "b/"); "a/b.xml" → ("a/", "b.xml")."""
    if key.endswith("/index.html") or key == "index.html":
        key = key.removesuffix("index.html").rstrip("/")
        parent, _, name = key.rpartition("/")
        return (parent + "/" if parent else ""), name + "/"
    parent, _, name = key.rpartition("/")
    return (parent + "/" if parent else ""), name


def _occurrences(text: str, address: str) -> Iterator[int]:
    """Where `address` stands in Markdown as a whole: `(x)`, `<x>`, `[a]: x`, `href="x"`."""
    for match in re.finditer(r"(?:(?<=[(<\"'\s])|^)" + re.escape(address) + r"(?=[)>\"'\s]|$)", text):
        yield match.start()


__all__ = ["check_links", "hrefs", "link_problems", "planned_paths"]
