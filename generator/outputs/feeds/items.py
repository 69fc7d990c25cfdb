"""RSS items and Atom entries, each release's built and serialised once (see the package's
docstring for why) and spliced into every document that carries the release."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from feedgen.entry import FeedEntry
from lxml import etree

from generator.core import urls
from generator.core.digest import digest
from generator.core.models import Release
from generator.core.text import strip_control
from generator.outputs.data import OutputData
from generator.outputs.feeds.content import content_html, teaser
from generator.outputs.feeds.json_feed import json_item_text
from generator.outputs.feeds.plan import tag_uri

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_RSS_NSMAP = {"atom": ATOM_NS, "content": CONTENT_NS}
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """Text without the characters XML 1.0 cannot carry (lxml refuses them) and without the
    control characters no published file carries (C1 too, which XML allows)."""
    return strip_control(_NOT_XML.sub("", value))


@dataclass(frozen=True)
class Item:
    rss: bytes  # serialised <item>, ready to splice
    atom: bytes  # serialised <entry>
    json: str  # the JSON Feed item (`json_feed.json_item_text`)
    updated: dt.datetime  # the newest major update, or the publication time


class StoredItems(Protocol):
    """Where the items of earlier builds are kept (the build cache), by `Items.stored_key`."""

    def feed_items(self, keys: Sequence[str]) -> dict[str, tuple[bytes, bytes, str]]: ...


class Items:
    """Every release's item, built by feedgen on first use and reused by every feed that has it.

    With `stored`, an item an earlier build made from the same inputs is taken from there: a
    rebuild after an edit remakes the few documents that hold the release, each with up to
    `ARCHIVE_SIZE` other releases' items, and those are not built again. `salt` is what every
    item depends on besides its release's key (Pressroom's code, the settings)."""

    def __init__(self, data: OutputData, stored: StoredItems | None = None, salt: str = "") -> None:
        self.data = data
        self._items: dict[str, Item] = {}
        self._stored, self._salt = stored, salt
        self.made: dict[str, tuple[bytes, bytes, str]] = {}  # by stored key: the items this build built
        self._holder = etree.Element("rss", nsmap=_RSS_NSMAP)
        self._rss_start = b"<item" + b"".join(
            f' xmlns:{prefix}="{uri}"'.encode() for prefix, uri in sorted(_RSS_NSMAP.items())) + b">"

    def keys_of(self, releases: Sequence[Release]) -> list[str]:
        """What each release's item is made from – the release, its body and its images, all in the
        release's key – as keys (every feed document's key names its items': tens of thousands)."""
        known, key = self.data.keys, self.data.key
        return [known.get(r.id) or key(r) for r in releases]

    def stored_key(self, release: Release) -> str | None:
        """The key the release's item is kept under; None for a release the loader did not key."""
        if release.id not in self.data.keys:
            return None
        return digest("feed item", self._salt, self.data.key(release))

    def of(self, releases: Sequence[Release]) -> list[Item]:
        """The releases' items, those not at hand asked of the store together."""
        missing = [r for r in releases if r.id not in self._items]
        if missing:
            recalled = self._recall(missing)
            for release in missing:
                self._items[release.id] = recalled.get(release.id) or self._made(release)
        return [self._items[r.id] for r in releases]

    def _recall(self, releases: Sequence[Release]) -> dict[str, Item]:
        if self._stored is None:
            return {}
        keys = {key: release for release in releases if (key := self.stored_key(release)) is not None}
        recalled = {}
        for key, (rss, atom, text) in self._stored.feed_items(sorted(keys)).items():
            release = keys.get(key)
            if release is not None and _looks_made(release, rss, atom, text, self.data):
                recalled[release.id] = Item(rss, atom, text, release.updated)
        return recalled

    def _made(self, release: Release) -> Item:
        item = self._make(release)
        key = self.stored_key(release)
        if key is not None:
            self.made[key] = (item.rss, item.atom, item.json)
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
        return Item(rss_bytes, atom_bytes, json_item_text(release, self.data), release.updated)


def _looks_made(release: Release, rss: bytes, atom: bytes, text: str, data: OutputData) -> bool:
    """Whether stored items are what a build made for `release`: one RSS item and one Atom entry
    with its id, and one JSON object with it (what is not was written by someone else)."""
    tag = tag_uri(data.settings, release.id)
    escaped = html.escape(tag, quote=False).encode()
    if not (rss.startswith(b"<item>") and rss.endswith(b"</item>\n") and rss.count(b"<item>") == 1
            and atom.startswith(b"<entry>") and atom.endswith(b"</entry>\n") and atom.count(b"<entry>") == 1
            and b'<guid isPermaLink="false">' + escaped + b"</guid>" in rss and b"<id>" + escaped + b"</id>" in atom
            and text.startswith("{\n") and text.endswith("\n}")):
        return False
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict) and value.get("id") == tag


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
    entry.title(xml_text(release.headline))
    entry.link(href=data.absolute(urls.release(release.slug)), rel="alternate", type="text/html")
    entry.content(xml_text(content_html(release, data.bodies[release.id], data)), type="html")
    # RSS readers take description as HTML: the plain teaser goes in escaped, so that a "<" in
    # it stays text. Atom says so with type="html".
    entry.summary(html.escape(xml_text(teaser(release, data))), type="html")
    author = {"name": xml_text(release.authority.name),
              "uri": data.absolute(urls.authority(release.authority.id))}
    email = release.authority.contact.email or release.contact.email
    if email:
        author["email"] = xml_text(email)
    entry.author(author)
    for tag in release.tags:
        entry.category(term=xml_text(tag))
    image = data.first_image(release)
    if image is not None:
        entry.enclosure(url=image.url, length=image.length, type=image.mime)
    entry.published(release.date.astimezone(tz))
    entry.updated(release.updated.astimezone(tz))
    return entry
