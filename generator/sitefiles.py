"""Every file of the built site, as (output path, content) in a stable order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from generator import urls
from generator.api import api_files
from generator.body import Body
from generator.catalog import Catalog
from generator.dates import iso
from generator.feeds import feed_files
from generator.ics import event_calendars
from generator.render import Templates
from generator.servers import SERVER_DIR, server_files
from generator.structured import discovery
from generator.textual import release_text
from generator.views import ViewMaker

if TYPE_CHECKING:
    from generator.build import LoadedSite
    from generator.media import MediaIndex

SiteFile = tuple[str, str | bytes | Path]


def site_files(loaded: LoadedSite, catalog: Catalog, views: ViewMaker, templates: Templates,
               page_bodies: dict[str, Body]) -> Iterator[SiteFile]:
    yield from release_pages(catalog, views, templates)
    yield from listing_pages(catalog, views, templates)
    yield from standalone_pages(loaded, views, templates, page_bodies)
    yield from notices(catalog, views, templates)
    yield from feed_files(catalog, views)
    yield from redirects(catalog, views, templates)
    yield from media_files(catalog, views.media)
    yield from theme_files(templates)
    yield urls.NOT_FOUND, templates.render("404.html")
    yield "robots.txt", robots(views)
    yield "sitemap.xml", sitemap(loaded, catalog, views)
    yield from server_files(catalog, views)
    yield from api_files(catalog, views)
    yield from event_calendars((*catalog.published, *catalog.drafts), views)


def release_pages(catalog: Catalog, views: ViewMaker, templates: Templates) -> Iterator[SiteFile]:
    for release in (*catalog.published, *catalog.drafts):
        view = views.release(release)
        yield urls.file_of(view.path), templates.render("release.html", release=view,
                                                        discovery=discovery(release, view, views))
        yield urls.release_text(release.slug), release_text(release, views.bodies[release.id], views.settings)


def listing_pages(catalog: Catalog, views: ViewMaker, templates: Templates) -> Iterator[SiteFile]:
    site_feeds = views.site_feeds()
    newest = catalog.published[: views.settings.per_page]
    yield "index.html", templates.render(
        "home.html",
        items=[views.item(r) for r in newest],
        appeals=[views.item(r) for r in catalog.running_appeals],
        total=len(catalog.published),
        feeds=site_feeds,
        all_url=views.url(urls.RELEASES),
    )
    for listing in views.listings("all", urls.RELEASES, "All releases", "All releases", catalog.published,
                                  site_feeds):
        yield urls.file_of(listing.path), templates.render("listing.html", listing=listing)
    groups = (("authority", urls.AUTHORITIES, catalog.authorities), ("topic", urls.TOPICS, catalog.topics),
              ("place", urls.PLACES, catalog.places), ("year", urls.YEARS, catalog.years))
    for kind, index_path, members in groups:
        yield urls.file_of(index_path), templates.render(
            "index_of.html", kind=kind, entries=views.index_entries(members), path=index_path,
            canonical=views.absolute(index_path))
        for group in members:
            description = None
            if kind == "authority":
                authority = next(a for a in catalog.all_authorities if a.id == group.key)
                description = authority.description
            # Years have no feeds of their own (SPEC §5); their pages offer the site's.
            feeds = site_feeds if kind == "year" else views.group_feeds(group)
            for listing in views.listings(kind, group.path, group.name, group.name, group.releases,
                                          feeds, description):
                yield urls.file_of(listing.path), templates.render("listing.html", listing=listing)


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

    Images are published as the variants `generator.media` made (resized, without metadata),
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


def robots(views: ViewMaker) -> str:
    return (f"User-agent: *\nAllow: /\nDisallow: {views.url('pagefind/')}\nDisallow: {views.url(SERVER_DIR)}\n\n"
            f"Sitemap: {views.absolute('sitemap.xml')}\n")


def sitemap(loaded: LoadedSite, catalog: Catalog, views: ViewMaker) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    newest = iso(catalog.published[0].updated) if catalog.published else None

    def entry(path: str, lastmod: str | None) -> None:
        lines.append(f"<url><loc>{xml_escape(views.absolute(path))}</loc>"
                     + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")

    entry("", newest)
    entry(urls.RELEASES, newest)
    for release in catalog.published:
        entry(urls.release(release.slug), iso(release.updated))
    for group in (*catalog.authorities, *catalog.topics, *catalog.places, *catalog.years):
        entry(group.path, iso(group.releases[0].updated) if group.releases else None)
    for page in loaded.pages:
        entry(urls.page(page.slug), None)
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
