"""RSS and Atom documents: a channel's subscription document or one of its archive pages, the
feed's head made by feedgen and the prepared items spliced in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from generator.core import urls
from generator.core.models import Release, Settings
from generator.outputs.feeds.items import ATOM_NS, Items, xml_text
from generator.outputs.feeds.plan import Channel, FeedKind, Tombstone

# `updated` of a feed document without items: a fixed time, never the build clock.
QUIET_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
HISTORY_NS = "http://purl.org/syndication/history/1.0"
TOMBSTONES_NS = "http://purl.org/atompub/tombstones/1.0"
GENERATOR = "Pressroom"

# The links of a document besides self and alternate: RFC 5005 paging and the WebSub hub.
Relation = Literal["hub", "current", "prev-archive", "next-archive"]


class _History(BaseExtension):  # type: ignore[misc]  # feedgen is untyped
    """What feedgen cannot say by itself: RFC 5005's <fh:archive/>, in RSS the atom:links
    beside rel="self" (hub, prev-archive, next-archive, current), and in Atom RFC 6721's
    tombstones."""

    def __init__(self) -> None:
        self.archive = False
        self.rss_links: tuple[tuple[Relation, str, str], ...] = ()
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
            etree.SubElement(feed, f"{{{TOMBSTONES_NS}}}deleted-entry", ref=xml_text(tombstone.ref),
                             when=tombstone.when.astimezone(self.tz).isoformat())
        return feed


def document(channel: Channel, releases: Sequence[Release], items: Items, settings: Settings, kind: FeedKind,
              number: int | None, archives: int) -> bytes:
    """One RSS (`kind` "rss") or Atom document: the subscription one (`number` None) or archive page n."""
    name, mime = ("rss.xml", RSS_TYPE) if kind == "rss" else ("atom.xml", ATOM_TYPE)

    def address(page: int | None) -> str:
        folder = channel.path if page is None else urls.feed_archive(channel.path, page)
        return settings.base_url + folder + name

    links: list[tuple[Relation, str]] = []
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
    feed.title(xml_text(channel.title))
    feed.description(xml_text(channel.description))
    feed.language(settings.language)
    feed.generator(GENERATOR)
    # A withdrawal changes the Atom document as much as a new entry does: its time counts.
    shown = items.of(releases)
    newest = max((*(item.updated for item in shown), *(t.when for t in history.tombstones)), default=QUIET_TIME)
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
    body = [item.rss if kind == "rss" else item.atom for item in shown]
    at = shell.rindex(close)
    return shell[:at] + b"".join(body) + shell[at:]

