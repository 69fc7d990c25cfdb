"""The feeds aggregators poll (SPEC §5): RSS 2.0 and Atom for the whole site and for each
authority, topic and place, with RFC 5005 archives, and JSON Feed 1.1 for the whole site.

feedgen builds every channel and every item. A release's RSS item and Atom entry do not depend
on the feed that carries them, so each is built and serialised once and its bytes are spliced
into every feed document that contains the release (see `Items`). A release is in about five
feeds; on 2,000 releases, building and serialising both items once costs 0.35 ms CPU a release
(0.7 s), while letting feedgen render every item in every document cost 2 s more.

History: each subscription feed holds the newest `feed_items` releases; older ones sit in
archive documents of `ARCHIVE_SIZE` slots, oldest first (`plan`). Slots count withdrawn
releases too (they show nothing), so withdrawing a release changes only the page it sat in,
and a full page never changes again: its bytes stay the same from build to build, and the
output keeps its file (and modification time). Only an edit of a release in it, a release
added with an older date, or a withdrawal among the newest releases (which pulls the newest
archived release back into the subscription feed) changes it.

The JSON Feed has no archive links of its own kind, so its pages follow the same plan: the
subscription document `feeds/feed.json` names the newest archive page in `next_url`, each page
the next older one, and page 1 (the oldest) none; a JSON Feed reader that follows `next_url`
reads every published release once, and a new release rewrites no full page.

Forgetting: an Atom subscription document carries RFC 6721 tombstones (`at:deleted-entry`) for
the `feed_items` releases of its feed that went off the site most recently – withdrawn, or
appeals past `expires` – with the entry's id and the time, nothing else (`tombstones`). RSS has
no such element.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from generator.core import mime, urls
from generator.core.digest import digest
from generator.core.models import Release, Settings
from generator.core.slugs import slug
from generator.core.text import strip_control, strip_control_all
from generator.lifecycle.catalog import Catalog
from generator.lifecycle.states import withdrawn_on
from generator.outputs.data import OutputData
from generator.outputs.files import Task
from generator.outputs.html_links import absolute_links
from generator.outputs.texts import gettext
from generator.outputs.wire import web_address, wire_labels
from generator.render.formatting import show_datetime
from generator.render.markdown import Body

ARCHIVE_SIZE = 100  # releases per archive document; changing it re-cuts every archive
# RFC 4151 wants a date in the tagging entity. One fixed for all releases, because a date taken
# from the release would change the GUID when a wrongly entered date is corrected.
TAG_DATE = "2000"
# `updated` of a feed document without items: a fixed time, never the build clock.
QUIET_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
HISTORY_NS = "http://purl.org/syndication/history/1.0"
TOMBSTONES_NS = "http://purl.org/atompub/tombstones/1.0"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_NAME = "feed.json"
GENERATOR = "Pressroom"

_RSS_NSMAP = {"atom": ATOM_NS, "content": CONTENT_NS}
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

FeedKind = Literal["rss", "atom"]  # the two XML formats; the JSON Feed is one document of its own
FEED_KINDS: tuple[FeedKind, ...] = ("rss", "atom")


# --- identifiers -----------------------------------------------------------------------------

def tag_uri(settings: Settings, release_id: str) -> str:
    """GUID and Atom id of a release: `tag:<host>,2000:<id>`, from the site host and the id alone."""
    return f"tag:{settings.host},{TAG_DATE}:{release_id}"


def _text(value: str) -> str:
    """Text without the characters XML 1.0 cannot carry (lxml refuses them) and without the
    control characters no published file carries (C1 too, which XML allows)."""
    return strip_control(_NOT_XML.sub("", value))


# --- one logical feed and its documents ------------------------------------------------------

@dataclass(frozen=True)
class Channel:
    """One logical feed: its subscription documents and its archives."""

    path: str  # the folder of rss.xml and atom.xml
    title: str
    description: str
    home: str  # absolute URL of the matching web page
    releases: tuple[Release, ...]  # published, newest first
    withdrawn: tuple[Release, ...] = ()  # they keep their archive slots, showing nothing
    tombstones: tuple[Tombstone, ...] = ()  # newest first; only the Atom subscription document has them


@dataclass(frozen=True)
class Tombstone:
    """An RFC 6721 `at:deleted-entry`: which entry went, and when. Nothing else: no title, no
    text, no reason, so that a withdrawal repeats nothing of what was withdrawn."""

    ref: str  # the entry's Atom id, the tag URI it had
    when: dt.datetime


def tombstones(withdrawn: Iterable[Release], now: dt.datetime, settings: Settings) -> tuple[Tombstone, ...]:
    """The feed's `feed_items` most recent withdrawals and expiries, newest first.

    The window is counted, not timed, for the same reason as the subscription document's
    `feed_items` entries: a reader that polls often enough to see every new release also sees
    every removal, and the document stays bounded however many releases were ever withdrawn. A
    tombstone stays as long as it is among the newest `feed_items` of them, then drops out. The
    time is the withdrawal's date (a plain `withdrawn: true` gets the time of the first build
    that took the release down, kept in the manifest) or the appeal's `expires`.
    """
    dated = [(withdrawn_on(r, now) or r.updated, r.id) for r in withdrawn]
    dated.sort(reverse=True)
    return tuple(Tombstone(tag_uri(settings, release_id), when) for when, release_id in dated[: settings.feed_items])


@dataclass(frozen=True)
class Plan:
    current: tuple[Release, ...]  # newest first
    archives: tuple[tuple[Release, ...], ...]  # page 1 (oldest) first; each page newest first


def plan(channel: Channel, feed_items: int, size: int = ARCHIVE_SIZE) -> Plan:
    """Which releases the subscription document and each archive document hold.

    Slots are the channel's published and withdrawn releases, oldest first; archive page n
    holds slots [(n-1)·size, n·size) that are older than the subscription document. A page is
    added as soon as the one before it is full, so a full page always links its successor and
    never has to change again.
    """
    current = channel.releases[:feed_items]
    if len(channel.releases) <= feed_items:
        return Plan(current, ())
    shown = {r.id for r in channel.releases}
    slots = sorted((*channel.releases, *channel.withdrawn), key=lambda r: (r.date, r.id))
    oldest_current = current[-1].id
    cut = next(i for i, r in enumerate(slots) if r.id == oldest_current)
    pages = []
    for start in range(0, cut // size * size + 1, size):
        chunk = [r for r in slots[start:min(start + size, cut)] if r.id in shown]
        pages.append(tuple(reversed(chunk)))
    return Plan(current, tuple(pages))


def describe(kind: str, name: str, language: str) -> str:
    """What a group's feed is about, when the group says nothing itself."""
    _ = gettext(language)
    texts = {"authority": _("Releases from %(name)s"), "topic": _("Releases on %(name)s"),
             "place": _("Releases about %(name)s")}
    return texts[kind] % {"name": name}


def channels(catalog: Catalog, data: OutputData) -> Iterator[Channel]:
    settings = data.settings
    yield Channel(urls.SITE_FEEDS, settings.title, settings.description or settings.title, settings.base_url,
                  catalog.published, catalog.withdrawn, tombstones(catalog.withdrawn, catalog.now, settings))
    withdrawn = _withdrawn_by_group(catalog.withdrawn)
    descriptions = {a.id: a.description for a in catalog.all_authorities}
    for group in (*catalog.authorities, *catalog.topics, *catalog.places):
        description = (descriptions.get(group.key) if group.kind == "authority" else None) or \
            describe(group.kind, group.name, settings.language)
        gone = tuple(withdrawn.get((group.kind, group.key), ()))
        yield Channel(group.path, f"{group.name} – {settings.title}", description, data.absolute(group.path),
                      group.releases, gone, tombstones(gone, catalog.now, settings))


def _withdrawn_by_group(releases: Iterable[Release]) -> dict[tuple[str, str], list[Release]]:
    """The groups a withdrawn release would be in: the same keys as catalog.make_catalog uses."""
    groups: dict[tuple[str, str], list[Release]] = defaultdict(list)
    for release in releases:
        keys = {("authority", release.authority.id), *(("topic", slug(t)) for t in release.tags),
                *(("place", slug(p)) for p in release.places)}
        for key in keys:
            groups[key].append(release)
    return groups


# --- items, built once -----------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    rss: bytes  # serialised <item>, ready to splice
    atom: bytes  # serialised <entry>
    updated: dt.datetime  # the newest major update, or the publication time


class Items:
    """Every release's item, built by feedgen on first use and reused by every feed that has it."""

    def __init__(self, data: OutputData) -> None:
        self.data = data
        self._items: dict[str, Item] = {}
        self._keys: dict[str, str] = {}
        self._holder = etree.Element("rss", nsmap=_RSS_NSMAP)
        self._rss_start = b"<item" + b"".join(
            f' xmlns:{prefix}="{uri}"'.encode() for prefix, uri in sorted(_RSS_NSMAP.items())) + b">"

    def key(self, release: Release) -> str:
        """Everything a release's item is made from, as a key."""
        key = self._keys.get(release.id)
        if key is None:
            key = self._keys[release.id] = digest(repr(release), repr(self.data.bodies[release.id]),
                                                  repr(self.data.published_files(release)))
        return key

    def __getitem__(self, release: Release) -> Item:
        item = self._items.get(release.id)
        if item is None:
            item = self._items[release.id] = self._make(release)
        return item

    def _make(self, release: Release) -> Item:
        entry = feed_entry(release, self.data)
        rss = entry.rss_entry()
        # Serialised inside an <rss> holder, the item keeps the "content:" prefix of the feed
        # root; the declarations lxml repeats on <item> are dropped, the root declares them.
        self._holder.append(rss)
        rss_bytes = etree.tostring(rss, encoding="UTF-8", xml_declaration=False, pretty_print=True)
        self._holder.remove(rss)
        if rss_bytes.startswith(self._rss_start):
            rss_bytes = b"<item>" + rss_bytes[len(self._rss_start):]
        atom = entry.atom_entry()
        _fix_atom_links(atom, entry.link())
        atom_bytes = etree.tostring(atom, encoding="UTF-8", xml_declaration=False, pretty_print=True)
        return Item(rss_bytes, atom_bytes, release.updated)


def _fix_atom_links(entry: etree._Element, links: list[dict[str, str]]) -> None:
    """feedgen 1.0 drops rel, type and length of an Atom entry's links (a shadowed variable in
    FeedEntry.atom_entry), which would turn the enclosure into a second alternate link."""
    for element, link in zip(entry.findall("link"), links, strict=True):
        for name in ("rel", "type", "length"):
            if link.get(name):
                element.set(name, link[name])


def feed_entry(release: Release, data: OutputData) -> FeedEntry:
    settings = data.settings
    tz = settings.tz
    entry = FeedEntry()
    entry.id(tag_uri(settings, release.id))  # also the RSS guid, isPermaLink="false"
    entry.title(_text(release.headline))
    entry.link(href=data.absolute(urls.release(release.slug)), rel="alternate", type="text/html")
    entry.content(_text(content_html(release, data.bodies[release.id], data)), type="html")
    # RSS readers take description as HTML: the plain teaser goes in escaped, so that a "<" in
    # it stays text. Atom says so with type="html".
    entry.summary(html.escape(_text(teaser(release, data))), type="html")
    author = {"name": _text(release.authority.name),
              "uri": data.absolute(urls.authority(release.authority.id))}
    email = release.authority.contact.email or release.contact.email
    if email:
        author["email"] = _text(email)
    entry.author(author)
    for tag in release.tags:
        entry.category(term=_text(tag))
    image = data.first_image(release)
    if image is not None:
        entry.enclosure(url=image.url, length=image.length, type=image.mime)
    entry.published(release.date.astimezone(tz))
    entry.updated(release.updated.astimezone(tz))
    return entry


def teaser(release: Release, data: OutputData) -> str:
    """The teaser as on the wire: `Gelsenkirchen (ots) – …`."""
    return f"{release.location} (ots) – {data.teaser(release)}"


def content_html(release: Release, body: Body, data: OutputData) -> str:
    """The full release as HTML: dateline and body, images, attachments, change notes, contact
    block and originator line, every URL absolute. The body is sanitised already; everything
    added here is escaped."""
    settings = data.settings
    language = release.lang or settings.language
    labels = wire_labels(language)
    esc = html.escape
    dateline = esc(f"{release.location} (ots)")
    text = body.html.strip()
    parts = [f"<p>{dateline} – {text[3:]}" if text.startswith("<p>") else f"<p>{dateline}</p>\n{text}"]
    for image, file in zip(release.images, data.image_files(release), strict=False):
        credit = f"({image.credit})" if image.credit else None
        caption = " ".join(esc(t) for t in (image.caption, credit) if t)
        source = file.url
        parts.append(f'<figure><img src="{esc(source)}" alt="{esc(image.alt)}">'
                     + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>")
    if release.attachments:
        parts.append("<ul>" + "".join(
            f'<li><a href="{esc(data.absolute(urls.media_link(a.file.site_path)))}">{esc(a.title)}</a></li>'
            for a in release.attachments) + "</ul>")
    for update in release.updates:
        parts.append(f"<p><em>{esc(labels.update)} "
                     f"{esc(show_datetime(update.date, settings.tz, language))}: {esc(update.note)}</em></p>")
    contact = release.contact
    lines = [esc(release.authority.name)]
    if contact.name:
        lines.append(esc(contact.name))
    if contact.phone:
        lines.append(f"{esc(labels.phone)}: {esc(contact.phone)}")
    if contact.email:
        email = esc(contact.email)
        lines.append(f'{esc(labels.email)}: <a href="mailto:{email}">{email}</a>')
    if contact.url:
        href, shown = web_address(contact.url)
        lines.append(f'<a href="{esc(href)}">{esc(shown or href)}</a>')
    parts.append(f"<p>{esc(labels.contact)}</p>")
    parts.append("<p>" + "<br>\n".join(lines) + "</p>")
    parts.append(f"<p>{esc(labels.originator(release.authority.name, settings.title))}</p>")
    parts[0] = absolute_links(parts[0], data.absolute(urls.release(release.slug)))
    return "\n".join(parts)


# --- documents -------------------------------------------------------------------------------

class _History(BaseExtension):  # type: ignore[misc]  # feedgen is untyped
    """What feedgen cannot say by itself: RFC 5005's <fh:archive/>, in RSS the atom:links
    beside rel="self" (hub, prev-archive, next-archive, current), and in Atom RFC 6721's
    tombstones."""

    def __init__(self) -> None:
        self.archive = False
        self.rss_links: tuple[tuple[str, str, str], ...] = ()
        self.tombstones: tuple[Tombstone, ...] = ()
        self.tz: dt.tzinfo = dt.UTC

    def extend_ns(self) -> dict[str, str]:
        return {**({"fh": HISTORY_NS} if self.archive else {}), **({"at": TOMBSTONES_NS} if self.tombstones else {})}

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        channel = rss.find("channel")
        for rel, href, kind in self.rss_links:
            etree.SubElement(channel, f"{{{ATOM_NS}}}link", href=href, rel=rel, type=kind)
        if self.archive:
            etree.SubElement(channel, f"{{{HISTORY_NS}}}archive")
        return rss

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        if self.archive:
            etree.SubElement(feed, f"{{{HISTORY_NS}}}archive")
        for tombstone in self.tombstones:
            etree.SubElement(feed, f"{{{TOMBSTONES_NS}}}deleted-entry", ref=_text(tombstone.ref),
                             when=tombstone.when.astimezone(self.tz).isoformat())
        return feed


def _document(channel: Channel, releases: Sequence[Release], items: Items, settings: Settings, kind: FeedKind,
              number: int | None, archives: int) -> bytes:
    """One RSS (`kind` "rss") or Atom document: the subscription one (`number` None) or archive page n."""
    name, mime = ("rss.xml", RSS_TYPE) if kind == "rss" else ("atom.xml", ATOM_TYPE)

    def address(page: int | None) -> str:
        folder = channel.path if page is None else urls.feed_archive(channel.path, page)
        return settings.base_url + folder + name

    links: list[tuple[str, str]] = []
    if number is None:
        if settings.websub_hub:
            links.append(("hub", settings.websub_hub))
        if archives:
            links.append(("prev-archive", address(archives)))
    else:
        links.append(("current", address(None)))
        if number > 1:
            links.append(("prev-archive", address(number - 1)))
        if number < archives:
            links.append(("next-archive", address(number + 1)))

    feed = FeedGenerator()
    feed.register_extension("pressroom", _History, None)
    history = feed.pressroom
    history.archive = number is not None
    # Tombstones go in the document readers poll; archive pages keep the withdrawn slot empty.
    history.tombstones = channel.tombstones if kind == "atom" and number is None else ()
    history.tz = settings.tz
    feed.id(address(None))  # archive documents are parts of the same logical feed
    feed.title(_text(channel.title))
    feed.description(_text(channel.description))
    feed.language(settings.language)
    feed.generator(GENERATOR)
    # A withdrawal changes the Atom document as much as a new entry does: its time counts.
    newest = max((*(items[r].updated for r in releases), *(t.when for t in history.tombstones)), default=QUIET_TIME)
    feed.updated(newest.astimezone(settings.tz))
    feed.link(href=address(number), rel="self", type=mime)
    if kind == "rss":
        history.rss_links = tuple((rel, href, mime) for rel, href in links)
    else:
        for rel, href in links:
            feed.link(href=href, rel=rel, **({} if rel == "hub" else {"type": mime}))
    feed.link(href=channel.home, rel="alternate", type="text/html")  # the last link is RSS's <link>
    shell: bytes = feed.rss_str(pretty=True) if kind == "rss" else feed.atom_str(pretty=True)
    close = b"</channel>" if kind == "rss" else b"</feed>"
    body = [items[r].rss if kind == "rss" else items[r].atom for r in releases]
    at = shell.rindex(close)
    return shell[:at] + b"".join(body) + shell[at:]


# --- JSON Feed -------------------------------------------------------------------------------

def json_item(release: Release, data: OutputData) -> dict[str, object]:
    settings = data.settings
    tz = settings.tz
    item: dict[str, object] = {
        "id": tag_uri(settings, release.id),
        "url": data.absolute(urls.release(release.slug)),
        "title": release.headline,
        "content_html": content_html(release, data.bodies[release.id], data),
        "summary": teaser(release, data),
        "date_published": release.date.astimezone(tz).isoformat(),
        "date_modified": release.updated.astimezone(tz).isoformat(),
        "authors": [{"name": release.authority.name,
                     "url": data.absolute(urls.authority(release.authority.id))}],
    }
    if release.tags:
        item["tags"] = list(release.tags)
    image = data.first_image(release)
    if image is not None:
        item["image"] = image.url
    if release.attachments:
        item["attachments"] = [
            {"url": data.absolute(urls.media_link(a.file.site_path)), "title": a.title,
             "mime_type": mime.of(a.file.site_path),
             "size_in_bytes": a.file.size} for a in release.attachments]
    if release.lang != settings.language:  # every release has one now; name it where it differs from the feed's
        item["language"] = release.lang
    return item


def json_feed_path(number: int | None) -> str:
    """The subscription document (`number` None) or archive page n of the site's JSON Feed."""
    return urls.JSON_FEED if number is None else urls.feed_archive(urls.SITE_FEEDS, number) + JSON_FEED_NAME


def json_feed(releases: Sequence[Release], data: OutputData, next_page: int | None) -> str:
    """One JSON Feed document; `next_page` is the archive page its `next_url` names (older items).

    Every page has the subscription document's `feed_url`: they are pages of one feed, as the
    Atom archives share its id.
    """
    settings = data.settings
    document: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": settings.title,
        "home_page_url": settings.base_url,
        "feed_url": data.absolute(urls.JSON_FEED),
        "language": settings.language,
        "authors": [{"name": settings.title, "url": settings.base_url}],
    }
    if settings.description:
        document["description"] = settings.description
    if settings.websub_hub:
        document["hubs"] = [{"type": "WebSub", "url": settings.websub_hub}]
    if next_page is not None:
        document["next_url"] = data.absolute(json_feed_path(next_page))
    document["items"] = [json_item(r, data) for r in releases]
    text = json.dumps(strip_control_all(document), ensure_ascii=False, indent=2)
    # The same values, but no "<" or "&" in the bytes: a title with markup stays inert even for
    # a consumer that pastes JSON into a page.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


# --- all of them -----------------------------------------------------------------------------

def feed_tasks(catalog: Catalog, data: OutputData) -> Iterator[Task]:
    """Every feed document of the site, in a stable order, as tasks: a document is keyed by its
    channel, its place in the archive and its items' inputs, so a full archive page – and any
    document whose items did not change – is not made again. The site's channel comes first;
    its plan also pages the JSON Feed."""
    items = Items(data)
    for channel in channels(catalog, data):
        layout = plan(channel, data.settings.feed_items)
        documents: list[tuple[int | None, tuple[Release, ...]]] = [(None, layout.current),
                                                                     *enumerate(layout.archives, start=1)]
        for kind in FEED_KINDS:
            for number, releases in documents:
                yield _document_task(channel, releases, items, data.settings, kind, number, len(layout.archives))
        if channel.path == urls.SITE_FEEDS:
            for number, releases in documents:
                yield _json_task(releases, items, data, number, len(layout.archives))


def _json_task(releases: tuple[Release, ...], items: Items, data: OutputData, number: int | None,
               archives: int) -> Task:
    newest = archives if number is None else number - 1
    next_page = newest if newest >= 1 else None
    return Task(json_feed_path(number),
                lambda: ("json", next_page, tuple(items.key(r) for r in releases)),
                lambda *_: json_feed(releases, data, next_page))


def _document_task(channel: Channel, releases: tuple[Release, ...], items: Items, settings: Settings, kind: FeedKind,
                   number: int | None, archives: int) -> Task:
    file = urls.rss if kind == "rss" else urls.atom
    path = file(channel.path if number is None else urls.feed_archive(channel.path, number))
    return Task(
        path,
        lambda: (channel.title, channel.description, channel.home, kind, number, archives,
                 tuple(items.key(r) for r in releases),
                 channel.tombstones if kind == "atom" and number is None else ()),
        lambda *_: _document(channel, releases, items, settings, kind, number, archives),
    )
