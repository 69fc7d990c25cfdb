"""Which feeds there are and what each of their documents holds: the channels of the site and
of its groups, the archive plan of a channel, its tombstones, and the feed identifiers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from generator.core import urls
from generator.core.models import Release, Settings
from generator.core.slugs import slug
from generator.lifecycle.catalog import Catalog, GroupKind
from generator.lifecycle.states import withdrawn_on
from generator.outputs.data import OutputData
from generator.outputs.texts import gettext

ARCHIVE_SIZE = 100  # releases per archive document; changing it re-cuts every archive
# RFC 4151 wants a date in the tagging entity. One fixed for all releases, because a date taken
# from the release would change the GUID when a wrongly entered date is corrected.
TAG_DATE = "2000"

FeedKind = Literal["rss", "atom"]  # the two XML formats; the JSON Feed is one document of its own
FEED_KINDS: tuple[FeedKind, ...] = ("rss", "atom")


# --- identifiers -----------------------------------------------------------------------------

def tag_uri(settings: Settings, release_id: str) -> str:
    """GUID and Atom id of a release: `tag:<host>,2000:<id>`, from the site host and the id alone."""
    return f"tag:{settings.host},{TAG_DATE}:{release_id}"


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
    shown: set[str] | None = None
    slots: Sequence[Release]
    if channel.withdrawn:
        shown = {r.id for r in channel.releases}
        slots = sorted((*channel.releases, *channel.withdrawn), key=lambda r: (r.date, r.id))
        oldest_current = current[-1].id
        cut = next(i for i, r in enumerate(slots) if r.id == oldest_current)
    else:
        # Published releases come newest first by (date, id) (`catalog.newest_first`): reversed,
        # they are the slots, and the subscription document holds the last `feed_items`.
        slots = channel.releases[::-1]
        cut = len(slots) - len(current)
    pages = []
    for start in range(0, cut // size * size + 1, size):
        window = slots[start:min(start + size, cut)]
        pages.append(tuple(reversed(window if shown is None else [r for r in window if r.id in shown])))
    return Plan(current, tuple(pages))


def describe(kind: GroupKind, name: str, language: str) -> str:
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


def _withdrawn_by_group(releases: Iterable[Release]) -> dict[tuple[GroupKind, str], list[Release]]:
    """The groups a withdrawn release would be in: the same keys as catalog.make_catalog uses."""
    groups: dict[tuple[GroupKind, str], list[Release]] = defaultdict(list)
    for release in releases:
        keys: set[tuple[GroupKind, str]] = {("authority", release.authority.id),
                                             *(("topic", slug(t)) for t in release.tags),
                                             *(("place", slug(p)) for p in release.places)}
        for key in keys:
            groups[key].append(release)
    return groups


