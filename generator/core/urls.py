"""The site's permanent addresses. Once published, a path here must never change."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from generator.core.slugs import slug

RELEASES = "meldungen/"
AUTHORITIES = "behoerden/"
TOPICS = "themen/"
PLACES = "orte/"
YEARS = "jahre/"
SEARCH = "suche/"
FEEDS = "feeds/"
STATIC = "static/"
MEDIA = "media/"
API = "api/v1/"
NOT_FOUND = "404.html"
SEARCH_INDEX = "pagefind/"  # the search index files; the name stays, robots.txt keeps crawlers out

def release(release_slug: str) -> str:
    return f"meldung/{release_slug}/"


def release_text(release_slug: str) -> str:
    return f"meldung/{release_slug}/meldung.txt"


def event_calendar(release_slug: str) -> str:
    """The iCalendar file of a conference report's event."""
    return f"meldung/{release_slug}/termin.ics"


def authority(authority_id: str) -> str:
    return f"{AUTHORITIES}{authority_id}/"


def topic(name: str) -> str:
    return f"{TOPICS}{slug(name)}/"


def place(name: str) -> str:
    return f"{PLACES}{slug(name)}/"


def year(number: int) -> str:
    return f"{YEARS}{number}/"


def page(page_slug: str) -> str:
    return f"{page_slug}/"


def numbered(listing: str, number: int) -> str:
    """Page `number` of a listing counted from its oldest releases; 0 is the listing itself (the newest)."""
    return listing if number == 0 else f"{listing}seite/{number}/"


def file_of(path: str) -> str:
    """The output file that serves a path: directories get their index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def media(site_path: str) -> str:
    """Where a file from the site folder is published: content/media/a.pdf → media/a.pdf."""
    inner = site_path.removeprefix("content/")
    return MEDIA + inner.removeprefix("media/")


def encoded(path: str) -> str:
    """A site path as it goes into a link: every character outside the URL's unreserved
    set and "/" percent-encoded (UTF-8), so "Bericht 2026 (final) #2.pdf" or "ä.pdf" make
    a working, valid URL. Only for paths made from file names; Pressroom's own paths are
    plain already and come out unchanged."""
    return quote(path, safe="/")


def media_link(site_path: str) -> str:
    """`media()` as it goes into a link (see `encoded`)."""
    return encoded(media(site_path))


def rss(listing: str) -> str:
    return f"{listing}rss.xml"


def atom(listing: str) -> str:
    return f"{listing}atom.xml"


SITE_FEEDS = FEEDS  # the whole site's feeds live in feeds/rss.xml, feeds/atom.xml, feeds/feed.json
JSON_FEED = f"{FEEDS}feed.json"


def feed_archive(listing: str, number: int) -> str:
    """Folder of archive page `number` (1 = oldest) of the feeds in `listing` (RFC 5005)."""
    return f"{listing}archiv/{number}/"


class Links:
    """Addresses under one `base_url`: every output and template gets its links from here.

    `url` gives a link that works under any base path (`/presse/meldung/x/`); `absolute` the
    full URL that feeds, sitemaps, the API and server configurations need.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.base_path = urlsplit(base_url).path or "/"

    def url(self, path: str) -> str:
        return self.base_path + path

    def absolute(self, path: str) -> str:
        return self.base_url + path


def normal(address: str) -> str:
    """The address as a server finds it: decoded, lower-case, a folder as its index.html."""
    text = unquote(address, errors="replace").lstrip("/")
    if text == "" or text.endswith("/"):
        text += "index.html"
    return text.casefold()
