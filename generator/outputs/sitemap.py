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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from generator.core import urls
from generator.core.dates import iso
from generator.core.models import Release
from generator.core.paging import archive_chunk, archive_pages
from generator.lifecycle.catalog import Catalog, Group
from generator.lifecycle.manifest import SERVER_DIR
from generator.outputs.data import OutputData

SITEMAP = "sitemap.xml"  # the index; robots.txt names it
SITEMAPS = "sitemaps/"
MAX_URLS = 50_000  # per file (sitemaps.org)
MAX_BYTES = 50 * 1024 * 1024  # per file, uncompressed (sitemaps.org: 52,428,800 bytes)
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">\n'
_FOOT = "</urlset>\n"


@dataclass(frozen=True)
class Entry:
    """One URL of a sitemap file."""

    path: str  # site-relative
    lastmod: dt.datetime | None


def robots(data: OutputData) -> str:
    return (f"User-agent: *\nAllow: /\nDisallow: {data.url(urls.SEARCH_INDEX)}\nDisallow: {data.url(SERVER_DIR)}\n\n"
            f"Sitemap: {data.absolute(SITEMAP)}\n")


def sitemap_files(catalog: Catalog, data: OutputData, page_slugs: Iterable[str]) -> Iterator[tuple[str, str]]:
    """robots.txt, the sitemap index and its files, in a stable order."""
    yield "robots.txt", robots(data)
    yield from sitemap_documents(page_entries(catalog, data, page_slugs), release_slots(catalog), data)


def sitemap_documents(pages: Sequence[Entry], releases: Sequence[Entry | None], data: OutputData,
                      max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> Iterator[tuple[str, str]]:
    """The index and the files of the two sequences (see the module's description)."""
    files = [*_files("seiten", pages, data, max_urls, max_bytes),
             *_files("meldungen", releases, data, max_urls, max_bytes)]
    yield SITEMAP, index(files, data)
    for path, _, text in files:
        yield path, text


def page_entries(catalog: Catalog, data: OutputData, page_slugs: Iterable[str]) -> list[Entry]:
    """Every indexable page that is not a release, in a fixed order."""
    per_page = data.settings.per_page
    newest = catalog.published[0].updated if catalog.published else None
    entries = [Entry("", newest)]

    def listing(path: str, releases: Sequence[Release]) -> None:
        # The front page changes with every new release; a numbered page only with its own.
        entries.append(Entry(path, max((r.updated for r in releases[:per_page]), default=None)))
        entries.extend(Entry(urls.numbered(path, n), max(r.updated for r in archive_chunk(releases, per_page, n)))
                       for n in range(1, archive_pages(len(releases), per_page) + 1))

    listing(urls.RELEASES, catalog.published)
    groups: tuple[tuple[str, Sequence[Group]], ...] = (
        (urls.AUTHORITIES, catalog.authorities), (urls.TOPICS, catalog.topics),
        (urls.PLACES, catalog.places), (urls.YEARS, catalog.years))
    for index_path, members in groups:
        times = [g.releases[0].updated for g in members if g.releases]
        entries.append(Entry(index_path, max(times, default=None)))
        for group in members:
            listing(group.path, group.releases)
    entries.extend(Entry(urls.page(s), None) for s in page_slugs)
    entries.append(Entry(urls.SEARCH, None))
    return entries


def release_slots(catalog: Catalog) -> list[Entry | None]:
    """The releases oldest first; a withdrawn release keeps its slot, as None."""
    slots = sorted((*catalog.published, *catalog.withdrawn), key=lambda r: (r.date, r.id))
    published = {r.id for r in catalog.published}
    return [Entry(urls.release(r.slug), r.updated) if r.id in published else None for r in slots]


SitemapFile = tuple[str, dt.datetime | None, str]  # path, newest lastmod in it, text


def _files(name: str, sequence: Sequence[Entry | None], data: OutputData,
           max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> list[SitemapFile]:
    """The sequence's files, `max_urls` slots each; a file whose slots are all empty is left out."""
    lines = [_line(e, data) if e is not None else None for e in sequence]
    size = max_urls
    while size > 1 and any(_bytes(lines[i:i + size]) > max_bytes for i in range(0, len(lines), size)):
        size = (size + 1) // 2  # protocol limit in bytes: halve the fixed count until every file fits
    files = []
    for number, start in enumerate(range(0, len(lines), size), start=1):
        shown = [line for line in lines[start:start + size] if line is not None]
        if not shown:
            continue
        times = [e.lastmod for e in sequence[start:start + size] if e is not None and e.lastmod is not None]
        files.append((f"{SITEMAPS}{name}-{number}.xml", max(times, default=None), _HEAD + "".join(shown) + _FOOT))
    return files


def _line(entry: Entry, data: OutputData) -> str:
    lastmod = f"<lastmod>{iso(entry.lastmod)}</lastmod>" if entry.lastmod else ""
    return f"<url><loc>{xml_escape(data.absolute(entry.path))}</loc>{lastmod}</url>\n"


def _bytes(lines: Sequence[str | None]) -> int:
    return len(_HEAD) + len(_FOOT) + sum(len(line.encode()) for line in lines if line is not None)


def index(files: Sequence[SitemapFile], data: OutputData) -> str:
    """The sitemap index: every sitemap file with the newest `lastmod` in it."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{NS}">']
    for path, lastmod, _ in files:
        when = f"<lastmod>{iso(lastmod)}</lastmod>" if lastmod else ""
        lines.append(f"<sitemap><loc>{xml_escape(data.absolute(path))}</loc>{when}</sitemap>")
    lines.append("</sitemapindex>")
    return "\n".join(lines) + "\n"
