"""What templates see: plain, display-ready views of the catalog, never the models themselves.

`ViewMaker` is the facade the build uses; the views are made in the modules beside it:
`shapes` (the view dataclasses), `context` (addresses, dates, sizes), `releases`, `listings`,
`site` and `images`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from generator.core import urls
from generator.core.models import Authority, Contact, Page, Release, Settings
from generator.core.paging import archive_chunk, archive_pages
from generator.lifecycle.catalog import Catalog, Group
from generator.render.markdown import Body
from generator.render.templates import theme_folder, translations
from generator.render.views.context import ViewContext
from generator.render.views.images import IMAGE_SIZES, image_views, logo_views
from generator.render.views.listings import index_entries, listing_view
from generator.render.views.releases import RELATED_COUNT, ReleaseViews
from generator.render.views.shapes import (
    AppealView,
    AttachmentView,
    AuthorityView,
    ContactView,
    EventView,
    FeedLink,
    ImageView,
    IndexEntry,
    ItemView,
    Link,
    ListingKind,
    ListingView,
    LogoView,
    NoticeView,
    PageNav,
    PageView,
    ReleaseView,
    SiteLinks,
    SiteView,
    TipView,
    UpdateView,
)
from generator.render.views.site import group_feeds, page_view, site_feeds, site_view

if TYPE_CHECKING:
    from generator.media.publish import MediaIndex, PublishedFile
    from generator.render.formatting import Gettext

__all__ = [
    "IMAGE_SIZES", "RELATED_COUNT", "AppealView", "AttachmentView", "AuthorityView",
    "ContactView", "EventView", "FeedLink", "ImageView",
    "IndexEntry", "ItemView", "Link", "ListingKind", "ListingView", "LogoView", "NoticeView", "PageNav", "PageView",
    "ReleaseView", "SiteLinks", "SiteView", "TipView", "UpdateView", "ViewMaker", "archive_chunk", "archive_pages",
    "image_views",
]


@dataclass
class ViewMaker:
    settings: Settings
    catalog: Catalog
    bodies: Mapping[str, Body]  # by release id
    pages: Sequence[Page] = ()
    stylesheet: str = "static/pressroom.css"
    image_views: Mapping[str, tuple[ImageView, ...]] = field(default_factory=dict)  # by release id
    media: MediaIndex | None = None  # the published image variants (generator.media.publish)
    gettext: Gettext | None = None  # interface texts; by default the theme's catalog for the site's language

    def __post_init__(self) -> None:
        if self.gettext is None:
            self.gettext = translations([theme_folder()], self.settings.language).gettext
        self.ctx = ViewContext(self.settings, self.catalog, self.gettext)
        self.links = self.ctx.links
        self.base_path = self.links.base_path
        if self.media is not None and not self.image_views:
            shown = (*self.catalog.published, *self.catalog.drafts)
            self.image_views = image_views(self.media, shown, self.url)
        self.logos = logo_views(self.media, self.catalog.all_authorities, self.url) if self.media else {}
        self._releases = ReleaseViews(self.ctx, self.bodies, self.image_views, self.logos)

    # --- addresses ---------------------------------------------------------

    def url(self, path: str) -> str:
        """A site-relative path as a link target that works under any base path."""
        return self.links.url(path)

    def absolute(self, path: str) -> str:
        return self.links.absolute(path)

    # --- media -------------------------------------------------------------

    def published_image(self, release: Release) -> PublishedFile | None:
        """The release's first image as published (absolute URL, length, MIME type, size): the
        largest variant in the image's own format, for feed enclosures, JSON-LD and OpenGraph."""
        return self.media.published_image(release.id, self.absolute) if self.media else None

    def image_files(self, release: Release) -> tuple[PublishedFile, ...]:
        """One published file per image of the release, aligned with `release.images`."""
        return self.media.primary_files(release.id, self.absolute) if self.media else ()

    def published_files(self, release: Release) -> tuple[PublishedFile, ...]:
        """Every published file of the release's images, all widths and formats (for the API)."""
        return self.media.published_files(release.id, self.absolute) if self.media else ()

    # --- site --------------------------------------------------------------

    def site(self) -> SiteView:
        return site_view(self.ctx, self.pages, self.stylesheet)

    def site_feeds(self) -> tuple[FeedLink, ...]:
        return site_feeds(self.ctx)

    def group_feeds(self, group: Group) -> tuple[FeedLink, ...]:
        return group_feeds(self.ctx, group)

    def page(self, page: Page, body: Body) -> PageView:
        return page_view(self.ctx, page, body)

    # --- dates -------------------------------------------------------------

    def long(self, value: dt.datetime) -> str:
        return self.ctx.long(value)

    def short(self, value: dt.datetime) -> str:
        return self.ctx.short(value)

    def day(self, value: dt.datetime) -> str:
        return self.ctx.day(value)

    # --- releases ----------------------------------------------------------

    def teaser(self, release: Release) -> str:
        return self._releases.teaser(release)

    def item(self, release: Release) -> ItemView:
        return self._releases.item(release)

    def contact(self, authority: Authority, contact: Contact) -> ContactView:
        return self._releases.contact(authority, contact)

    def release(self, release: Release) -> ReleaseView:
        return self._releases.release(release)

    def notice(self, release: Release) -> NoticeView:
        return self._releases.notice(release)

    # --- listings ----------------------------------------------------------

    def listing(self, kind: ListingKind, path: str, title: str, heading: str, releases: Sequence[Release],
                feeds: tuple[FeedLink, ...], description: str | None, number: int) -> ListingView:
        """Page `number` of a paginated listing."""
        authority = next((a for a in self.catalog.all_authorities if urls.authority(a.id) == path), None) \
            if kind == "authority" else None
        return listing_view(self.ctx, self.item, kind, path, title, heading, releases, feeds, description, number,
                            self._releases.authority(authority) if authority else None)

    def index_entries(self, groups: Sequence[Group]) -> tuple[IndexEntry, ...]:
        """The entries of an index; an authority's carries its logo in the list size."""
        entries = index_entries(self.ctx, groups)
        return tuple(replace(e, logo=self.logos[g.key].get("list")) if g.kind == "authority" and g.key in self.logos
                     else e for e, g in zip(entries, groups, strict=True))
