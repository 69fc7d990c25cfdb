"""The view values templates see: plain, display-ready, never the models themselves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from markupsafe import Markup

from generator.core import urls

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
class TipView:
    """One line to call with what one saw: "Notruf 110" with 110 as a `tel:` link."""

    text: str
    phone: str
    phone_href: str | None
    url: str | None = None


@dataclass(frozen=True)
class AppealView:
    """What an appeal asks of its readers, shown in a box near the top: whom to call, until when."""

    tips: tuple[TipView, ...]
    expires_text: str | None
    expires_iso: str | None


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
    lang: str | None = None  # the release's language where it differs from the interface's
    appeal: AppealView | None = None


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
class LogoView:
    """An authority's logo in one slot of the theme (generator.media.publish.LOGO_SLOTS).

    The theme shows it right beside the authority's name, so it gives it an empty alt (the logo
    says nothing the name does not, WCAG technique H2); `alt` is for templates that show it alone."""

    url: str  # the 1x file in the source's own format
    srcset: str  # "… 1x, … 2x"
    webp_srcset: str | None
    width: int  # CSS pixels, as shown
    height: int
    alt: str


@dataclass(frozen=True)
class AuthorityView:
    """An authority as its own page introduces it: press office, tip lines, website, logo."""

    name: str
    contact: ContactView
    tips: tuple[TipView, ...]
    website: Link | None
    logo: LogoView | None = None  # the "header" size


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
    number: int  # 0: the front page (the newest); n: the n-th page counted from the oldest
    count: int  # numbered pages there are
    prev_url: str | None  # newer
    next_url: str | None  # older
    pages: tuple[tuple[int, str], ...]  # the pages the pager shows, newest first: the front page (0) and the near ones


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
    appeal: AppealView | None = None
    content_lang: str | None = None  # the release's language where it differs from the interface's


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
    authority: AuthorityView | None = None  # on an authority's own listing: how to reach it
    first_text: str | None = None  # a numbered page: the day of its oldest release
    last_text: str | None = None  # and of its newest


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
    expired: bool = False  # an appeal whose search has ended, not a release taken back


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
    logo: LogoView | None = None  # an authority's, in the "list" size


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
    icon: str = ""  # the favicon as ICO, for every browser
    icon_svg: str = ""  # and as SVG, for those that take it
    print_script: str = ""  # fills in the date of printing (static/print.js)
    extra: Mapping[str, object] = field(default_factory=dict)
