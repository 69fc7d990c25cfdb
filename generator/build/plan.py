"""Every file of the built site, as (output path, content) in a stable order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from generator.build.loader import authority_key
from generator.build.site import LoadedSite
from generator.core import urls
from generator.core.models import Page, Release
from generator.lifecycle.catalog import Catalog, Group
from generator.lifecycle.states import withdrawn_on
from generator.media.publish import MediaIndex
from generator.outputs.api import api_files, api_tasks
from generator.outputs.data import OutputData
from generator.outputs.files import Task, Tasks
from generator.outputs.ics import event_calendar
from generator.outputs.json_ld import discovery
from generator.outputs.servers import server_files
from generator.outputs.sitemap import sitemap_tasks
from generator.outputs.wire import release_text
from generator.render.markdown import Body
from generator.render.templates import Templates
from generator.render.views import RELATED_COUNT, FeedLink, ListingKind, ViewMaker, archive_chunk, archive_pages

SiteFile = tuple[str, str | bytes | Path]


def page_tasks(catalog: Catalog, views: ViewMaker, data: OutputData, templates: Templates) -> Tasks:
    """The many files of a site – per release, per listing page, per API page, the sitemap – as
    tasks for the workers, each made when a worker comes to it."""
    return Tasks([release_tasks(catalog, views, data, templates),
                  Tasks.of(list(listing_tasks(catalog, views, data, templates))), *api_tasks(catalog, data),
                  Tasks.of(sitemap_tasks(catalog, data, (page.slug for page in views.pages)))])


def site_tasks(loaded: LoadedSite, catalog: Catalog, views: ViewMaker, data: OutputData, templates: Templates,
               page_bodies: dict[str, Body]) -> list[Task]:
    """The few pages made in the build process, as tasks: the site's own pages, the notices of
    withdrawn releases and the redirects of old addresses (made only when their key changed)."""
    return [*standalone_pages(loaded, views, templates, page_bodies), *notices(catalog, views, data, templates),
            *redirects(catalog, views, templates), *calendars(catalog, data)]


def other_files(loaded: LoadedSite, catalog: Catalog, views: ViewMaker, data: OutputData, templates: Templates,
                page_bodies: dict[str, Body]) -> Iterator[SiteFile]:
    """Every file that is not a task, in a stable order."""
    yield from media_files(catalog, views.media)
    yield from theme_files(templates)
    yield from server_files(catalog, data.links)
    yield from api_files(catalog, data)


def _page(templates: Templates, path: str, name: str, key: Callable[[], tuple[str, ...]],
          context: Callable[[], dict[str, Any]]) -> Task:
    return Task(path, key, lambda: templates.render(name, **context()))


def release_tasks(catalog: Catalog, views: ViewMaker, data: OutputData,
                  templates: Templates) -> tuple[int, Callable[[int], Task]]:
    """Two tasks per release shown – its page and its plain text – as a family of `Tasks`."""
    groups = {g.key: g for g in catalog.authorities}
    key = data.key
    shown = (*catalog.published, *catalog.drafts)

    def page_key(release: Release) -> tuple[str, ...]:
        # What the page shows besides the release (`ViewMaker.release`): the release it
        # follows, those that follow it, and the newest others of its authority.
        group = groups.get(release.authority.id)
        earlier = catalog.by_id.get(release.follows) if release.follows else None
        others = (r for r in (group.releases if group else ()) if r.id != release.id)
        return (key(release), "group" if group else "", key(earlier) if earlier else "",
                *(key(r) for r in catalog.followups.get(release.id, ())), "related",
                *(key(r) for r in islice(others, RELATED_COUNT)))

    def page(release: Release) -> str:
        return templates.render("release.html", release=views.release(release), discovery=discovery(release, data))

    def text(release: Release) -> str:
        return release_text(release, views.bodies[release.id], views.settings)

    def task(position: int) -> Task:
        release = shown[position // 2]
        if position % 2 == 0:
            return Task(urls.file_of(urls.release(release.slug)), partial(page_key, release), partial(page, release))
        return Task(urls.release_text(release.slug), partial(_keyed, key, release), partial(text, release))

    return 2 * len(shown), task


def _keyed(key: Callable[[Release], str], release: Release) -> tuple[str, ...]:
    return (key(release),)


def _entries(groups: Sequence[Group], about: Mapping[str, str]) -> tuple[str, ...]:
    """What an index of groups shows of each: its name, address and size, and for an authority
    what it says of itself (its logo)."""
    return tuple(f"{g.name}\0{g.path}\0{len(g.releases)}\0{about.get(g.key, '') if g.kind == 'authority' else ''}"
                 for g in groups)


def listing_tasks(catalog: Catalog, views: ViewMaker, data: OutputData, templates: Templates) -> Iterator[Task]:
    site_feeds = views.site_feeds()
    key = data.key

    authority_keys = {a.id: authority_key(a) for a in catalog.all_authorities}

    def home_key() -> tuple[str, ...]:
        newest = catalog.published[: views.settings.per_page]
        return (str(len(catalog.published)), *(key(r) for r in newest), "appeals",
                *(key(r) for r in catalog.running_appeals), "authorities",
                *_entries(catalog.authorities, authority_keys))

    def home() -> dict[str, Any]:
        newest = catalog.published[: views.settings.per_page]
        return {"items": [views.item(r) for r in newest], "appeals": [views.item(r) for r in catalog.running_appeals],
                "total": len(catalog.published), "feeds": site_feeds, "all_url": views.url(urls.RELEASES),
                "authorities": views.index_entries(catalog.authorities)}

    yield _page(templates, "index.html", "home.html", home_key, home)
    everything = templates.translations.gettext("All releases")
    yield from _listing(views, data, templates, "all", urls.RELEASES, everything, catalog.published, site_feeds,
                        None, "")
    groups: tuple[tuple[ListingKind, str, tuple[Group, ...]], ...] = (
        ("authority", urls.AUTHORITIES, catalog.authorities), ("topic", urls.TOPICS, catalog.topics),
        ("place", urls.PLACES, catalog.places), ("year", urls.YEARS, catalog.years))
    authorities = {a.id: a for a in catalog.all_authorities}
    for kind, index_path, members in groups:
        def index(kind: ListingKind = kind, index_path: str = index_path, members: Sequence[Group] = members
                  ) -> dict[str, Any]:
            return {"kind": kind, "entries": views.index_entries(members), "path": index_path,
                    "canonical": views.absolute(index_path)}

        yield _page(templates, urls.file_of(index_path), "index_of.html", partial(_entries, members, authority_keys),
                    index)
        for group in members:
            authority = authorities.get(group.key) if kind == "authority" else None
            # Years have no feeds of their own (SPEC §5); their pages offer the site's.
            feeds = site_feeds if kind == "year" else views.group_feeds(group)
            yield from _listing(views, data, templates, group.kind, group.path, group.name, group.releases, feeds,
                                authority.description if authority else None,
                                authority_keys[authority.id] if authority else "")


def _listing(views: ViewMaker, data: OutputData, templates: Templates, kind: ListingKind, path: str, title: str,
             releases: Sequence[Release], feeds: tuple[FeedLink, ...], description: str | None,
             about: str) -> Iterator[Task]:
    """The front page and the numbered pages of a listing; `about` is the key of what it shows
    besides its releases. A numbered page's key names its releases and how near it is to the
    newest page (its pager and "newer" link), so it changes only while it is among the newest."""
    per_page = views.settings.per_page
    count = archive_pages(len(releases), per_page)
    for number in range(count + 1):
        def listing(number: int = number) -> dict[str, Any]:
            return {"listing": views.listing(kind, path, title, title, releases, feeds, description, number)}

        def listing_key(number: int = number) -> tuple[str, ...]:
            if number == 0:
                shown, position = releases[:per_page], f"front {len(releases)} {count}"
            else:
                shown, position = archive_chunk(releases, per_page, number), f"page {min(count - number, 3)}"
            return (title, about, position, *(data.key(r) for r in shown))

        yield _page(templates, urls.file_of(urls.numbered(path, number)), "listing.html", listing_key, listing)


def _nothing() -> tuple[str, ...]:
    return ()


def standalone_pages(loaded: LoadedSite, views: ViewMaker, templates: Templates,
                     page_bodies: dict[str, Body]) -> Iterator[Task]:
    """The site's pages, its search page and its 404 page: what they show besides the site (which
    every key holds) is the page itself."""
    for page in loaded.pages:
        def shown(page: Page = page) -> tuple[str, ...]:
            return (page.slug, page.title, page.description, page.lang or "", page.body)

        def made(page: Page = page) -> str:
            return templates.render("page.html", page=views.page(page, page_bodies[page.slug]))

        yield Task(urls.file_of(urls.page(page.slug)), shown, made)
    yield Task(urls.file_of(urls.SEARCH), _nothing,
               lambda: templates.render("search.html", canonical=views.absolute(urls.SEARCH)))
    yield Task(urls.NOT_FOUND, _nothing, lambda: templates.render("404.html"))


def notices(catalog: Catalog, views: ViewMaker, data: OutputData, templates: Templates) -> Iterator[Task]:
    for release in catalog.withdrawn:
        def shown(release: Release = release) -> tuple[str, ...]:
            when = withdrawn_on(release, catalog.now)
            return (data.key(release), when.isoformat() if when else "")

        def made(release: Release = release) -> str:
            return templates.render("withdrawn.html", notice=views.notice(release))

        yield Task(urls.file_of(urls.release(release.slug)), shown, made)


def redirects(catalog: Catalog, views: ViewMaker, templates: Templates) -> Iterator[Task]:
    for release in (*catalog.published, *catalog.withdrawn):
        target = urls.release(release.slug)
        for alias in release.aliases:
            def made(target: str = target) -> str:
                return templates.render("redirect.html", target=views.url(target), canonical=views.absolute(target))

            yield Task(urls.file_of(alias.lstrip("/")), partial(_named, target), made)


def _named(target: str) -> tuple[str, ...]:
    return (target,)


def calendars(catalog: Catalog, data: OutputData) -> Iterator[Task]:
    """The event of each conference report shown, as a calendar file: made from the release alone."""
    for release in (*catalog.published, *catalog.drafts):
        if release.event is not None:
            yield Task(urls.event_calendar(release.slug), partial(_keyed, data.key, release),
                       partial(event_calendar, release, data))


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
