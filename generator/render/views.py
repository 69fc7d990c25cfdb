"""What templates see: plain, display-ready views of the catalog, never the models themselves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import TYPE_CHECKING, Literal

from markupsafe import Markup

from generator.core import urls
from generator.core.dates import iso
from generator.core.models import Authority, Contact, Page, Release, Settings
from generator.lifecycle.catalog import Catalog, Group
from generator.lifecycle.states import withdrawn_on
from generator.render.formatting import Gettext, show_date, show_datetime, show_short, size_text, type_label
from generator.render.markdown import Body, teaser
from generator.render.templates import theme_folder, translations

if TYPE_CHECKING:
    from generator.core.models import Image
    from generator.media.publish import ImageSet, MediaIndex, PublishedFile, Variant

RELATED_COUNT = 5
# The article column is 48rem wide at most (.wrap: 50rem with 1rem padding on each side).
IMAGE_SIZES = "(min-width: 50rem) 48rem, calc(100vw - 2rem)"

ListingKind = Literal["all", "authority", "topic", "place", "year"]


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str
    type: str  # MIME type for <link rel="alternate">


@dataclass(frozen=True)
class ItemView:
    """A release as one entry of a listing."""

    url: str
    headline: str
    date_text: str
    date_iso: str
    teaser: str
    authority: str
    kind: str


@dataclass(frozen=True)
class ImageView:
    url: str
    alt: str
    caption: str | None
    credit: str | None
    width: int | None = None
    height: int | None = None
    srcset: str | None = None
    webp_srcset: str | None = None
    sizes: str | None = None


@dataclass(frozen=True)
class AttachmentView:
    url: str
    title: str
    type_label: str
    size_text: str


@dataclass(frozen=True)
class ContactView:
    organisation: str
    name: str | None
    phone: str | None
    phone_href: str | None
    email: str | None
    url: str | None
    url_text: str | None


@dataclass(frozen=True)
class EventView:
    name: str
    start_text: str
    start_iso: str
    end_text: str | None
    end_iso: str | None
    venue: str | None
    participants: tuple[str, ...]
    agenda: tuple[str, ...]
    ics_url: str | None = None


@dataclass(frozen=True)
class UpdateView:
    date_text: str
    date_iso: str
    note: str
    major: bool


@dataclass(frozen=True)
class PageNav:
    number: int
    count: int
    prev_url: str | None
    next_url: str | None
    pages: tuple[tuple[int, str], ...]  # the pages the pager shows, not all of them


@dataclass(frozen=True)
class ReleaseView:
    id: str
    path: str
    url: str
    canonical: str
    headline: str
    title: str
    code: str
    kind: str
    lang: str
    date_text: str
    date_iso: str
    updated_text: str | None
    updated_iso: str
    authority: Link
    dateline: str
    body: Markup
    teaser: str
    images: tuple[ImageView, ...]
    attachments: tuple[AttachmentView, ...]
    contact: ContactView
    originator: str
    tags: tuple[Link, ...]
    places: tuple[Link, ...]
    updates: tuple[UpdateView, ...]
    follows: Link | None
    followups: tuple[Link, ...]
    event: EventView | None
    related: tuple[ItemView, ...]
    text_url: str
    feeds: tuple[FeedLink, ...]
    draft: bool
    expires_text: str | None


@dataclass(frozen=True)
class ListingView:
    title: str
    heading: str
    description: str | None
    path: str
    canonical: str
    total: int
    items: tuple[ItemView, ...]
    nav: PageNav
    feeds: tuple[FeedLink, ...]
    kind: ListingKind


@dataclass(frozen=True)
class NoticeView:
    """What a withdrawn release's address still says: no title, body, names or tags."""

    path: str
    canonical: str
    withdrawn_text: str | None
    withdrawn_iso: str | None
    reason: str | None
    authority: Link
    contact: ContactView


@dataclass(frozen=True)
class PageView:
    path: str
    canonical: str
    title: str
    description: str
    body: Markup
    lang: str


@dataclass(frozen=True)
class IndexEntry:
    text: str
    url: str
    count: int


@dataclass(frozen=True)
class SiteLinks:
    """The site's fixed addresses as templates link them (from generator.core.urls, under the base path)."""

    home: str
    releases: str
    authorities: str
    topics: str
    places: str
    years: str
    search: str
    rss: str
    atom: str
    json_feed: str

    @classmethod
    def of(cls, links: urls.Links) -> SiteLinks:
        url = links.url
        return cls(home=url(""), releases=url(urls.RELEASES), authorities=url(urls.AUTHORITIES),
                   topics=url(urls.TOPICS), places=url(urls.PLACES), years=url(urls.YEARS), search=url(urls.SEARCH),
                   rss=url(urls.rss(urls.SITE_FEEDS)), atom=url(urls.atom(urls.SITE_FEEDS)),
                   json_feed=url(urls.JSON_FEED))


@dataclass(frozen=True)
class SiteView:
    """Site-wide values every template can use as `site`."""

    title: str
    description: str
    language: str
    base_url: str
    base_path: str
    footer: tuple[Link, ...]
    feeds: tuple[FeedLink, ...]
    stylesheet: str
    links: SiteLinks
    extra: Mapping[str, object] = field(default_factory=dict)


_FOOTER_ORDER = ("impressum", "datenschutz", "barrierefreiheit", "leichte-sprache")


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
        self.links = urls.Links(self.settings.base_url)
        self.base_path = self.links.base_path
        if self.gettext is None:
            self.gettext = translations([theme_folder()], self.settings.language).gettext
        self.tz = self.settings.tz
        self.language = self.settings.language
        self._items: dict[str, ItemView] = {}
        self._teasers: dict[str, str] = {}
        if self.media is not None and not self.image_views:
            shown = (*self.catalog.published, *self.catalog.drafts)
            self.image_views = image_views(self.media, shown, self.url)

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
        order = {name: i for i, name in enumerate(_FOOTER_ORDER)}
        pages = sorted(self.pages, key=lambda p: (order.get(p.slug, len(order)), p.slug))
        return SiteView(
            title=self.settings.title,
            description=self.settings.description,
            language=self.language,
            base_url=self.settings.base_url,
            base_path=self.base_path,
            footer=tuple(Link(p.title, self.url(urls.page(p.slug))) for p in pages),
            feeds=self.site_feeds(),
            stylesheet=self.url(self.stylesheet),
            links=SiteLinks.of(self.links),
            extra=self.settings.extra,
        )

    def site_feeds(self) -> tuple[FeedLink, ...]:
        title = self.settings.title
        return (
            FeedLink(f"{title} (RSS)", self.url(urls.rss(urls.SITE_FEEDS)), "application/rss+xml"),
            FeedLink(f"{title} (Atom)", self.url(urls.atom(urls.SITE_FEEDS)), "application/atom+xml"),
            FeedLink(f"{title} (JSON Feed)", self.url(urls.JSON_FEED), "application/feed+json"),
        )

    def group_feeds(self, group: Group) -> tuple[FeedLink, ...]:
        return (
            FeedLink(f"{group.name} (RSS)", self.url(urls.rss(group.path)), "application/rss+xml"),
            FeedLink(f"{group.name} (Atom)", self.url(urls.atom(group.path)), "application/atom+xml"),
        )

    # --- dates -------------------------------------------------------------

    def long(self, value: dt.datetime) -> str:
        return show_datetime(value, self.tz, self.language)

    def short(self, value: dt.datetime) -> str:
        return show_short(value, self.tz, self.language)

    def day(self, value: dt.datetime) -> str:
        return show_date(value, self.tz, self.language)

    # --- sizes -------------------------------------------------------------

    def _type_label(self, path: str) -> str:
        return type_label(path, self.gettext or str)

    def _size_text(self, size: int) -> str:
        return size_text(size, self.language, self.gettext or str)

    # --- releases ----------------------------------------------------------

    def teaser(self, release: Release) -> str:
        found = self._teasers.get(release.id)
        if found is None:
            found = self._teasers[release.id] = teaser(release.summary, self.bodies[release.id].first_paragraph)
        return found

    def item(self, release: Release) -> ItemView:
        view = self._items.get(release.id)
        if view is None:
            view = ItemView(
                url=self.url(urls.release(release.slug)),
                headline=release.headline,
                date_text=self.short(release.date),
                date_iso=iso(release.date),
                teaser=self.teaser(release),
                authority=release.authority.name,
                kind=release.kind.value,
            )
            self._items[release.id] = view
        return view

    def contact(self, authority: Authority, contact: Contact) -> ContactView:
        phone_digits = "".join(c for c in contact.phone or "" if c.isdigit() or c == "+")
        url = contact.url
        return ContactView(
            organisation=authority.name,
            name=contact.name,
            phone=contact.phone,
            phone_href=f"tel:{phone_digits}" if phone_digits else None,
            email=contact.email,
            url=(url if url.startswith("http") else f"https://{url}") if url else None,
            url_text=url.split("://", 1)[-1].rstrip("/") if url else None,
        )

    def release(self, release: Release) -> ReleaseView:
        path = urls.release(release.slug)
        body = self.bodies[release.id]
        catalog = self.catalog
        earlier = catalog.by_id.get(release.follows) if release.follows else None
        group = next((g for g in catalog.authorities if g.key == release.authority.id), None)
        others = (r for r in (group.releases if group else ()) if r.id != release.id)
        related = tuple(self.item(r) for r in islice(others, RELATED_COUNT))
        updated = release.updated
        authority_link = Link(release.authority.name, self.url(urls.authority(release.authority.id)))
        return ReleaseView(
            id=release.id,
            path=path,
            url=self.url(path),
            canonical=self.absolute(path),
            headline=release.headline,
            title=release.title,
            code=release.authority.code,
            kind=release.kind.value,
            lang=release.lang or self.language,
            date_text=self.long(release.date),
            date_iso=iso(release.date),
            updated_text=self.long(updated) if updated != release.date else None,
            updated_iso=iso(updated),
            authority=authority_link,
            dateline=release.location,
            body=Markup(body.html),
            teaser=self.teaser(release),
            images=self.image_views.get(release.id) or tuple(
                ImageView(self.url(urls.media_link(i.file.site_path)), i.alt, i.caption, i.credit)
                for i in release.images),
            attachments=tuple(
                AttachmentView(self.url(urls.media_link(a.file.site_path)), a.title, self._type_label(a.file.site_path),
                               self._size_text(a.file.size)) for a in release.attachments),
            contact=self.contact(release.authority, release.contact),
            originator=release.authority.name,
            tags=tuple(Link(t, self.url(urls.topic(t))) for t in release.tags),
            places=tuple(Link(p, self.url(urls.place(p))) for p in release.places),
            updates=tuple(UpdateView(self.long(u.date), iso(u.date), u.note, u.major)
                          for u in reversed(release.updates)),
            follows=Link(earlier.headline, self.url(urls.release(earlier.slug))) if earlier else None,
            followups=tuple(Link(r.headline, self.url(urls.release(r.slug)))
                            for r in catalog.followups.get(release.id, ())),
            event=self._event(release),
            related=related,
            text_url=self.url(urls.release_text(release.slug)),
            feeds=(*self.site_feeds()[:2], *(self.group_feeds(group) if group else ())),
            draft=release.draft,
            expires_text=self.long(release.expires) if release.expires else None,
        )

    def _event(self, release: Release) -> EventView | None:
        event = release.event
        if event is None:
            return None
        return EventView(
            name=event.name,
            start_text=self.long(event.start),
            start_iso=iso(event.start),
            end_text=self.long(event.end) if event.end else None,
            end_iso=iso(event.end) if event.end else None,
            venue=event.venue,
            participants=event.participants,
            agenda=event.agenda,
            ics_url=self.url(urls.event_calendar(release.slug)),
        )

    def notice(self, release: Release) -> NoticeView:
        path = urls.release(release.slug)
        when = withdrawn_on(release, self.catalog.now)
        return NoticeView(
            path=path,
            canonical=self.absolute(path),
            withdrawn_text=self.day(when) if when else None,
            withdrawn_iso=iso(when) if when else None,
            reason=release.withdrawn.reason if release.withdrawn else None,
            authority=Link(release.authority.name, self.url(urls.authority(release.authority.id))),
            # The authority's press office as an office: no person's name, and nothing of the release.
            contact=self.contact(release.authority, replace(release.authority.contact, name=None)),
        )

    # --- listings ----------------------------------------------------------

    def listing(self, kind: ListingKind, path: str, title: str, heading: str, releases: Sequence[Release],
                feeds: tuple[FeedLink, ...], description: str | None, number: int) -> ListingView:
        """Page `number` of a paginated listing."""
        per_page = self.settings.per_page
        count = page_count(len(releases), per_page)
        # The pages the pager names: first, last, two either side and the places of the "…"
        # (listing every page would make a long listing's pages grow with its length).
        shown = sorted({1, count, *range(max(1, number - 3), min(count, number + 3) + 1)})
        page_urls = tuple((n, self.url(urls.numbered(path, n))) for n in shown)
        chunk = releases[(number - 1) * per_page: number * per_page]
        own = urls.numbered(path, number)
        return ListingView(
            title=title,
            heading=heading,
            description=description,
            path=own,
            canonical=self.absolute(own),
            total=len(releases),
            items=tuple(self.item(r) for r in chunk),
            nav=PageNav(
                number=number,
                count=count,
                prev_url=self.url(urls.numbered(path, number - 1)) if number > 1 else None,
                next_url=self.url(urls.numbered(path, number + 1)) if number < count else None,
                pages=page_urls,
            ),
            feeds=feeds,
            kind=kind,
        )

    def index_entries(self, groups: Sequence[Group]) -> tuple[IndexEntry, ...]:
        return tuple(IndexEntry(g.name, self.url(g.path), len(g.releases)) for g in groups)

    def page(self, page: Page, body: Body) -> PageView:
        path = urls.page(page.slug)
        return PageView(path=path, canonical=self.absolute(path), title=page.title, description=page.description,
                        body=Markup(body.html), lang=page.lang or self.language)


def page_count(items: int, per_page: int) -> int:
    """Pages of a listing; an empty listing still has its first page."""
    return max(1, -(-items // per_page))


def image_views(media: MediaIndex, releases: Sequence[Release],
                url: Callable[[str], str]) -> dict[str, tuple[ImageView, ...]]:
    """The images of each release as its page shows them, from what media published."""
    views = {}
    for release in releases:
        sets = media.variants_for(release.id)
        if sets:
            views[release.id] = tuple(_image_view(image, s, url) for image, s in zip(release.images, sets,
                                                                                         strict=True))
    return views


def _image_view(image: Image, images: ImageSet, url: Callable[[str], str]) -> ImageView:
    def srcset(variants: tuple[Variant, ...]) -> str:
        return ", ".join(f"{url(urls.encoded(v.path))} {v.width}w" for v in variants)

    webp = images.webp
    return ImageView(
        url=url(urls.encoded(images.fallback.path)), alt=image.alt, caption=image.caption, credit=image.credit,
        width=images.width, height=images.height, srcset=srcset(images.own),
        webp_srcset=srcset(webp) if webp else None, sizes=IMAGE_SIZES)
