"""Every file of the built site, as (output path, content) in a stable order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from generator.build.site import LoadedSite
from generator.core import urls
from generator.core.models import Release
from generator.lifecycle.catalog import Catalog, Group
from generator.media.publish import MediaIndex
from generator.outputs.api import api_files, api_tasks
from generator.outputs.data import OutputData
from generator.outputs.files import Task
from generator.outputs.ics import event_calendars
from generator.outputs.json_ld import discovery
from generator.outputs.servers import server_files
from generator.outputs.sitemap import sitemap_files
from generator.outputs.wire import release_text
from generator.render.markdown import Body
from generator.render.templates import Templates
from generator.render.views import FeedLink, ListingKind, ViewMaker, page_count

SiteFile = tuple[str, str | bytes | Path]


def page_tasks(catalog: Catalog, views: ViewMaker, data: OutputData, templates: Templates) -> list[Task]:
    """The many files of a site – per release, per listing page, per API page – as tasks for the workers."""
    return [*release_tasks(catalog, views, data, templates), *listing_tasks(catalog, views, templates),
            *api_tasks(catalog, data)]


def other_files(loaded: LoadedSite, catalog: Catalog, views: ViewMaker, data: OutputData, templates: Templates,
                page_bodies: dict[str, Body]) -> Iterator[SiteFile]:
    """Every file that is not a task, in a stable order."""
    yield from standalone_pages(loaded, views, templates, page_bodies)
    yield from notices(catalog, views, templates)
    yield from redirects(catalog, views, templates)
    yield from media_files(catalog, views.media)
    yield from theme_files(templates)
    yield urls.NOT_FOUND, templates.render("404.html")
    yield from sitemap_files(catalog, data, (page.slug for page in loaded.pages))
    yield from server_files(catalog, data.links)
    yield from api_files(catalog, data)
    yield from event_calendars((*catalog.published, *catalog.drafts), data)


def _page(templates: Templates, path: str, name: str, context: Callable[[], dict[str, Any]]) -> Task:
    return Task(path, lambda: (name, context()), lambda template, values: templates.render(template, **values))


def release_tasks(catalog: Catalog, views: ViewMaker, data: OutputData, templates: Templates) -> Iterator[Task]:
    for release in (*catalog.published, *catalog.drafts):
        def page(release: Release = release) -> dict[str, Any]:
            view = views.release(release)
            return {"release": view, "discovery": discovery(release, data)}

        def text(release: Release = release) -> tuple[Any, ...]:
            return release, views.bodies[release.id]

        yield _page(templates, urls.file_of(urls.release(release.slug)), "release.html", page)
        yield Task(urls.release_text(release.slug), text,
                   lambda release, body: release_text(release, body, views.settings))


def listing_tasks(catalog: Catalog, views: ViewMaker, templates: Templates) -> Iterator[Task]:
    site_feeds = views.site_feeds()

    def home() -> dict[str, Any]:
        newest = catalog.published[: views.settings.per_page]
        return {"items": [views.item(r) for r in newest], "appeals": [views.item(r) for r in catalog.running_appeals],
                "total": len(catalog.published), "feeds": site_feeds, "all_url": views.url(urls.RELEASES),
                "authorities": views.index_entries(catalog.authorities)}

    yield _page(templates, "index.html", "home.html", home)
    everything = templates.translations.gettext("All releases")
    yield from _listing(views, templates, "all", urls.RELEASES, everything, catalog.published, site_feeds, None)
    groups: tuple[tuple[ListingKind, str, tuple[Group, ...]], ...] = (
        ("authority", urls.AUTHORITIES, catalog.authorities), ("topic", urls.TOPICS, catalog.topics),
        ("place", urls.PLACES, catalog.places), ("year", urls.YEARS, catalog.years))
    descriptions = {a.id: a.description for a in catalog.all_authorities}
    for kind, index_path, members in groups:
        def index(kind: ListingKind = kind, index_path: str = index_path, members: Sequence[Group] = members
                  ) -> dict[str, Any]:
            return {"kind": kind, "entries": views.index_entries(members), "path": index_path,
                    "canonical": views.absolute(index_path)}

        yield _page(templates, urls.file_of(index_path), "index_of.html", index)
        for group in members:
            description = descriptions.get(group.key) if kind == "authority" else None
            # Years have no feeds of their own (SPEC §5); their pages offer the site's.
            feeds = site_feeds if kind == "year" else views.group_feeds(group)
            yield from _listing(views, templates, group.kind, group.path, group.name, group.releases, feeds,
                                description)


def _listing(views: ViewMaker, templates: Templates, kind: ListingKind, path: str, title: str,
             releases: Sequence[Release], feeds: tuple[FeedLink, ...], description: str | None) -> Iterator[Task]:
    for number in range(1, page_count(len(releases), views.settings.per_page) + 1):
        def listing(number: int = number) -> dict[str, Any]:
            return {"listing": views.listing(kind, path, title, title, releases, feeds, description, number)}

        yield _page(templates, urls.file_of(urls.numbered(path, number)), "listing.html", listing)


def standalone_pages(loaded: LoadedSite, views: ViewMaker, templates: Templates,
                     page_bodies: dict[str, Body]) -> Iterator[SiteFile]:
    for page in loaded.pages:
        view = views.page(page, page_bodies[page.slug])
        yield urls.file_of(view.path), templates.render("page.html", page=view)
    yield urls.file_of(urls.SEARCH), templates.render("search.html", canonical=views.absolute(urls.SEARCH))


def notices(catalog: Catalog, views: ViewMaker, templates: Templates) -> Iterator[SiteFile]:
    for release in catalog.withdrawn:
        notice = views.notice(release)
        yield urls.file_of(notice.path), templates.render("withdrawn.html", notice=notice)


def redirects(catalog: Catalog, views: ViewMaker, templates: Templates) -> Iterator[SiteFile]:
    for release in (*catalog.published, *catalog.withdrawn):
        target = urls.release(release.slug)
        for alias in release.aliases:
            yield urls.file_of(alias.lstrip("/")), templates.render(
                "redirect.html", target=views.url(target), canonical=views.absolute(target))


def media_files(catalog: Catalog, media: MediaIndex | None) -> Iterator[SiteFile]:
    """Media of published releases only: a withdrawn release's photos are not copied.

    Images are published as the variants `generator.media.publish` made (resized, without metadata),
    never as they came; attachments are copied as they are.
    """
    files: dict[str, str | bytes | Path] = dict(media.files()) if media else {}
    for release in (*catalog.published, *catalog.drafts):
        for attachment in release.attachments:
            files[urls.media(attachment.file.site_path)] = attachment.file.source
    yield from sorted(files.items())


def theme_files(templates: Templates) -> Iterator[SiteFile]:
    for name, source in templates.static_files().items():
        yield urls.STATIC + name, source
