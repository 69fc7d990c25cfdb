"""The sitemap (sitemaps.org protocol 0.9) and robots.txt, from the catalog alone.

`sitemap.xml` is a sitemap index, the address robots.txt names; it lists the sitemap files in
`sitemaps/`. Each file holds at most `MAX_URLS` URLs and `MAX_BYTES` bytes, the protocol's limits.

Every indexable page is listed: the home page, every page of every listing (all releases,
authorities, topics, places, years), the four index pages, every published release, the
standalone pages and the search page. Drafts, withdrawal notices, alias redirects and the 404
page are not: they carry `noindex` or are not pages of their own.

The URLs come in two sequences, so that a new release changes as few files as possible:
`sitemaps/seiten-<n>.xml` holds the site's own pages and `sitemaps/meldungen-<n>.xml` the
releases, oldest first in fixed slots of `MAX_URLS` – a withdrawn release keeps its slot,
empty – so a new release goes into the last file and a full file does not change again except
for an edit, a withdrawal or a back-dated release in it. Should a file of `MAX_URLS` long
addresses pass `MAX_BYTES`, the sequence is cut into halves, quarters … of that count instead:
still fixed, still the same from build to build.

Each file is a task (`sitemap_tasks`) keyed by what it shows, so a rebuild makes only the files
whose releases changed – a new release the last `meldungen` file, the `seiten` file and the index;
an edit the file that holds the release, and those two –, and makes them where the workers make
the pages. Which files there are is decided without formatting a line: from the number of slots,
and from the longest address, which tells whether a file of `MAX_URLS` lines could pass
`MAX_BYTES` (only then are the lines measured, as `sitemap_documents` measures them).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from operator import attrgetter
from typing import Literal
from xml.sax.saxutils import escape as xml_escape

from generator.core import urls
from generator.core.dates import iso
from generator.core.models import Release
from generator.core.paging import archive_chunk, archive_pages
from generator.lifecycle.catalog import Catalog, Group
from generator.lifecycle.manifest import SERVER_DIR
from generator.outputs.data import OutputData
from generator.outputs.files import Task

SITEMAP = "sitemap.xml"  # the index; robots.txt names it
SITEMAPS = "sitemaps/"
MAX_URLS = 50_000  # per file (sitemaps.org)
MAX_BYTES = 50 * 1024 * 1024  # per file, uncompressed (sitemaps.org: 52,428,800 bytes)
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">\n'
_FOOT = "</urlset>\n"
_LASTMOD = len("<lastmod></lastmod>") + len("0000-00-00T00:00:00+00:00:00.000000")  # the longest iso()
_UPDATES = attrgetter("updates")


@dataclass(frozen=True)
class Entry:
    """One URL of a sitemap file."""

    path: str  # site-relative
    lastmod: dt.datetime | None


def robots(data: OutputData) -> str:
    return (f"User-agent: *\nAllow: /\nDisallow: {data.url(urls.SEARCH_INDEX)}\nDisallow: {data.url(SERVER_DIR)}\n\n"
            f"Sitemap: {data.absolute(SITEMAP)}\n")


def sitemap_tasks(catalog: Catalog, data: OutputData, page_slugs: Iterable[str]) -> list[Task]:
    """robots.txt, the sitemap index and its files, in a stable order, as tasks."""
    plan = _Plan(catalog, data, tuple(page_slugs))
    return [Task("robots.txt", _nothing, partial(robots, data)), Task(SITEMAP, plan.index_key, plan.index),
            *(Task(f.path, partial(plan.key, f), partial(plan.text, f)) for f in plan.files)]


def _nothing() -> tuple[str, ...]:
    return ()


def sitemap_documents(pages: Sequence[Entry], releases: Sequence[Entry | None], data: OutputData,
                      max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> Iterator[tuple[str, str]]:
    """The index and the files of the two sequences (see the module's description)."""
    files = [*_files("seiten", _entry_lines(pages, data), max_urls, max_bytes),
             *_files("meldungen", _entry_lines(releases, data), max_urls, max_bytes)]
    yield SITEMAP, index([(path, lastmod) for path, lastmod, _ in files], data)
    for path, _, text in files:
        yield path, text


# A sequence as its files are cut from it: each URL's line (None for an empty slot) and its lastmod.
Lines = tuple[list[str | None], list[dt.datetime | None]]


def _entry_lines(entries: Sequence[Entry | None], data: OutputData) -> Lines:
    return ([_line(e, data) if e is not None else None for e in entries],
            [e.lastmod if e is not None else None for e in entries])


SitemapFile = tuple[str, dt.datetime | None, str]  # path, newest lastmod in it, text


def _files(name: str, sequence: Lines, max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> list[SitemapFile]:
    """The sequence's files, `max_urls` slots each; a file whose slots are all empty is left out."""
    lines, times = sequence
    size = _size(lines, max_urls, max_bytes)
    files = []
    for number, start in enumerate(range(0, len(lines), size), start=1):
        shown = "".join(filter(None, lines[start:start + size]))
        if shown:
            files.append((_path(name, number), _newest(times[start:start + size]), _HEAD + shown + _FOOT))
    return files


def _size(lines: Sequence[str | None], max_urls: int, max_bytes: int) -> int:
    """The fixed number of slots of a file: `max_urls`, halved until every file fits `max_bytes`."""
    size = max_urls
    while size > 1 and any(_bytes(lines[i:i + size]) > max_bytes for i in range(0, len(lines), size)):
        size = (size + 1) // 2
    return size


def _path(name: str, number: int) -> str:
    return f"{SITEMAPS}{name}-{number}.xml"


def _newest(times: Iterable[dt.datetime | None]) -> dt.datetime | None:
    return max(filter(None, times), default=None)  # a time is never false


def _line(entry: Entry, data: OutputData) -> str:
    lastmod = f"<lastmod>{iso(entry.lastmod)}</lastmod>" if entry.lastmod else ""
    return f"<url><loc>{xml_escape(data.absolute(entry.path))}</loc>{lastmod}</url>\n"


def _bytes(lines: Sequence[str | None]) -> int:
    return len(_HEAD) + len(_FOOT) + len("".join(filter(None, lines)).encode())


def index(files: Sequence[tuple[str, dt.datetime | None]], data: OutputData) -> str:
    """The sitemap index: every sitemap file with the newest `lastmod` in it."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{NS}">']
    for path, lastmod in files:
        when = f"<lastmod>{iso(lastmod)}</lastmod>" if lastmod else ""
        lines.append(f"<sitemap><loc>{xml_escape(data.absolute(path))}</loc>{when}</sitemap>")
    lines.append("</sitemapindex>")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _File:
    """One sitemap file of the site: slots `start` to `end` of its sequence."""

    path: str
    sequence: Literal["seiten", "meldungen"]
    start: int
    end: int


class _Plan:
    """The sitemap of one build: which files there are, decided when the build lists its tasks
    (from counts, slugs and paths); their keys, lines and times, worked out when a task asks."""

    def __init__(self, catalog: Catalog, data: OutputData, page_slugs: tuple[str, ...]) -> None:
        self.catalog = catalog
        self.data = data
        self.page_slugs = page_slugs
        self.per_page = data.settings.per_page
        # The releases oldest first, a withdrawn one in its slot: `published` is newest first by
        # (date, id), so reversed it is the slots' order, and the few withdrawn are put in theirs.
        slots = list(reversed(catalog.published))
        for release in catalog.withdrawn:
            insort(slots, release, key=_slot_order)
        self.slots = slots
        self.gone = {r.id for r in catalog.withdrawn}
        self.page_paths = self._page_paths()
        files = self._cut("seiten", self.page_paths, None)
        self.files = files + self._cut("meldungen", [urls.release(r.slug) for r in slots],
                                       [r.id not in self.gone for r in slots] if self.gone else None)

    # --- which files ---------------------------------------------------------

    def _cut(self, name: Literal["seiten", "meldungen"], paths: list[str], shown: list[bool] | None) -> list[_File]:
        """The files of a sequence of `paths` (`shown` marks the slots that are not empty)."""
        size = self._size_of(name, paths)
        files = []
        for number, start in enumerate(range(0, len(paths), size), start=1):
            end = min(start + size, len(paths))
            if shown is None or any(shown[start:end]):
                files.append(_File(_path(name, number), name, start, end))
        return files

    def _size_of(self, name: Literal["seiten", "meldungen"], paths: list[str]) -> int:
        """`_size`, told by the longest line a sequence could have when no file can reach the
        byte limit (a line is at most its address and the longest lastmod); else measured."""
        count = min(MAX_URLS, len(paths))
        joined = "".join(paths)
        if joined.isascii() and not any(c in joined for c in "&<>"):
            longest = max(map(len, paths), default=0)
        else:
            longest = max((len(xml_escape(p).encode()) for p in paths), default=0)
        line = len(self.loc.encode()) + longest + len("</loc></url>\n") + _LASTMOD
        if len(_HEAD) + len(_FOOT) + count * line <= MAX_BYTES:
            return MAX_URLS
        return _size(self.page_lines if name == "seiten" else self.release_lines, MAX_URLS, MAX_BYTES)

    @cached_property
    def loc(self) -> str:
        return f"<url><loc>{xml_escape(self.data.absolute(''))}"

    # --- what each shows, as keys -------------------------------------------

    def key(self, file: _File) -> tuple[str, ...]:
        if file.sequence == "seiten":
            return self.pages_key
        return ("\0".join(self.slot_keys[file.start:file.end]),)

    @cached_property
    def slot_keys(self) -> list[str]:
        """Each slot's release key (which names its address and times), "" for an empty slot."""
        key, gone = self.data.key, self.gone
        return ["" if r.id in gone else key(r) for r in self.slots]

    @cached_property
    def pages_key(self) -> tuple[str, ...]:
        """What the site's own pages show of the releases – their addresses and times –: the keys
        of the releases shown (which also name what puts a release in a listing: its authority,
        tags, places and date), the listings in their order (an authority's may be empty), and the
        standalone pages. The same for each `seiten` file (there is one below 50,000 pages)."""
        groups = (g.path for _, members in self._groups() for g in members)
        return ("\0".join(self.slot_keys), *groups, "pages", *self.page_slugs)

    def index_key(self) -> tuple[str, ...]:
        """The index shows each file's address and its newest time, which its key names."""
        return (*(f.path for f in self.files), *self.pages_key)

    # --- the files ----------------------------------------------------------

    def text(self, file: _File) -> str:
        if file.sequence == "seiten":
            lines: Sequence[str | None] = self.page_lines[file.start:file.end]
        else:
            shown = [r for r in self.slots[file.start:file.end] if r.id not in self.gone]
            lines = self._lines([urls.release(r.slug) for r in shown], [r.updated for r in shown])
        return _HEAD + "".join(filter(None, lines)) + _FOOT

    def index(self) -> str:
        files = []
        for file in self.files:
            if file.sequence == "seiten":
                newest = _newest(self.page_times[file.start:file.end])
            else:
                newest = self._slots_newest(file.start, file.end)
            files.append((file.path, newest))
        return index(files, self.data)

    def _slots_newest(self, start: int, end: int) -> dt.datetime | None:
        """The newest `updated` of the releases shown in slots `start` to `end`, as `max` gives it,
        without comparing them all: the slots are oldest first by date, so it is that of the last
        shown, or of one with updates; of equal times `max` keeps the first, so the shown ones
        of the last date are all looked at."""
        slots, gone = self.slots, self.gone
        last: list[Release] = []  # the shown ones of the newest date, the latest first
        position = end - 1
        while position >= start:
            release = slots[position]
            if release.id not in gone:
                if last and release.date != last[0].date:
                    break
                last.append(release)
            position -= 1
        if not last:
            return None
        earlier = [r for r in slots[start:position + 1] if r.updates and r.id not in gone] if self.updates else []
        return max([r.updated for r in (*earlier, *reversed(last))])

    @cached_property
    def updates(self) -> bool:
        """Whether any release shown has updates: only such a release can be newer than its date."""
        return any(map(_UPDATES, self.catalog.published))

    @cached_property
    def release_lines(self) -> list[str | None]:
        """Every slot's line (only where the byte limit must be measured)."""
        times = [None if r.id in self.gone else r.updated for r in self.slots]
        lines = self._lines([urls.release(r.slug) for r in self.slots], times)
        return [line if t is not None else None for line, t in zip(lines, times, strict=True)]

    @cached_property
    def page_lines(self) -> list[str | None]:
        return list(self._lines(self.page_paths, self.page_times))

    def _lines(self, paths: list[str], times: Sequence[dt.datetime | None]) -> list[str]:
        """`_line` for many URLs at once, the same text with a fraction of its calls: the escaping
        of an address is that of its parts (`xml_escape` replaces single characters), and the
        site's paths are slugs that rarely need any."""
        loc = self.loc
        joined = "".join(paths)
        if "&" in joined or "<" in joined or ">" in joined:
            paths = [xml_escape(p) for p in paths]
        return [f"{loc}{p}</loc><lastmod>{iso(t)}</lastmod></url>\n" if t else f"{loc}{p}</loc></url>\n"
                for p, t in zip(paths, times, strict=True)]

    # --- the site's own pages -------------------------------------------------

    def _groups(self) -> tuple[tuple[str, Sequence[Group]], ...]:
        catalog = self.catalog
        return ((urls.AUTHORITIES, catalog.authorities), (urls.TOPICS, catalog.topics),
                (urls.PLACES, catalog.places), (urls.YEARS, catalog.years))

    def _page_paths(self) -> list[str]:
        """Every indexable page that is not a release, in a fixed order: the home page, each
        listing with its numbered pages, the index of each kind of group before its listings,
        the standalone pages and the search page."""
        paths = [""]

        def listing(path: str, releases: Sequence[Release]) -> None:
            paths.append(path)
            paths.extend([urls.numbered(path, n) for n in range(1, archive_pages(len(releases), self.per_page) + 1)])

        listing(urls.RELEASES, self.catalog.published)
        for index_path, members in self._groups():
            paths.append(index_path)
            for group in members:
                listing(group.path, group.releases)
        return [*paths, *(urls.page(s) for s in self.page_slugs), urls.SEARCH]

    @cached_property
    def page_times(self) -> list[dt.datetime | None]:
        """The lastmod of each page of `page_paths`: a listing page's is the newest `updated` of
        its releases – the front page changes with every new release, a numbered page only with
        its own –, an index page's the newest of its groups' first releases."""
        catalog, per_page = self.catalog, self.per_page
        times: list[dt.datetime | None] = [catalog.published[0].updated if catalog.published else None]
        def listing(releases: Sequence[Release]) -> None:
            marks = [i for i, r in enumerate(releases) if r.updates] if self.updates else []
            positions = range(len(releases))
            times.append(_listed_newest(releases, positions[:per_page], marks))
            times.extend([_listed_newest(releases, archive_chunk(positions, per_page, n), marks)
                          for n in range(1, archive_pages(len(releases), per_page) + 1)])

        listing(catalog.published)
        for _, members in self._groups():
            times.append(max((g.releases[0].updated for g in members if g.releases), default=None))
            for group in members:
                listing(group.releases)
        return times + [None] * (len(self.page_paths) - len(times))


def _slot_order(release: Release) -> tuple[dt.datetime, str]:
    return release.date, release.id


def _listed_newest(releases: Sequence[Release], chunk: Sequence[int], marks: list[int]) -> dt.datetime | None:
    """The newest `updated` of the releases at `chunk`, positions in a listing (newest first by
    date), as `max` gives it: the first release's, unless one with updates (`marks`) is newer.

    A listing page's lastmod without comparing the times of all its releases (there are some
    1,500 listing pages at 5,000 releases). Of equal times `max` keeps the first, and the first
    release's is the first of any equal to its own."""
    if not chunk:
        return None
    start = chunk[0]
    updated = marks[bisect_left(marks, start + 1):bisect_left(marks, chunk[-1] + 1)] if marks else None
    if not updated:
        return releases[start].updated
    return max([releases[start].updated, *(releases[i].updated for i in updated)])
