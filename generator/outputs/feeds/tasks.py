"""Every feed document of the site as output tasks, keyed by what each is made from."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core import urls
from generator.core.models import Release, Settings
from generator.lifecycle.catalog import Catalog
from generator.outputs.data import OutputData
from generator.outputs.feeds.documents import document
from generator.outputs.feeds.items import Items
from generator.outputs.feeds.json_feed import json_feed, json_feed_path
from generator.outputs.feeds.plan import FEED_KINDS, Channel, FeedKind, channels, plan
from generator.outputs.files import Task


def feed_tasks(catalog: Catalog, data: OutputData, items: Items | None = None) -> Iterator[Task]:
    """Every feed document of the site, in a stable order, as tasks: a document is keyed by its
    channel, its place in the archive and its items' inputs, so a full archive page – and any
    document whose items did not change – is not made again. The site's channel comes first;
    its plan also pages the JSON Feed. `items` may come with the items of earlier builds."""
    items = items if items is not None else Items(data)
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
                lambda: ("json", str(next_page), *items.keys_of(releases)),
                lambda: json_feed([item.json for item in items.of(releases)], data, next_page))


def _document_task(channel: Channel, releases: tuple[Release, ...], items: Items, settings: Settings, kind: FeedKind,
                   number: int | None, archives: int) -> Task:
    file = urls.rss if kind == "rss" else urls.atom
    path = file(channel.path if number is None else urls.feed_archive(channel.path, number))
    def key() -> tuple[str, ...]:
        gone = channel.tombstones if kind == "atom" and number is None else ()
        return (channel.title, channel.description, channel.home, kind, str(number), str(archives),
                *items.keys_of(releases), "tombstones",
                *(f"{t.ref} {t.when.isoformat()}" for t in gone))

    return Task(path, key, lambda: document(channel, releases, items, settings, kind, number, archives))
