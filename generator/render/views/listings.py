"""Listings: the paginated pages of all releases, an authority, topic, place or year, and their indexes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from generator.core import urls
from generator.core.models import Release
from generator.lifecycle.catalog import Group
from generator.render.views.context import ViewContext
from generator.render.views.shapes import (
    AuthorityView,
    FeedLink,
    IndexEntry,
    ItemView,
    ListingKind,
    ListingView,
    PageNav,
)


def page_count(items: int, per_page: int) -> int:
    """Pages of a listing; an empty listing still has its first page."""
    return max(1, -(-items // per_page))


def listing_view(ctx: ViewContext, item: Callable[[Release], ItemView], kind: ListingKind, path: str, title: str,
                 heading: str, releases: Sequence[Release], feeds: tuple[FeedLink, ...], description: str | None,
                 number: int, authority: AuthorityView | None = None) -> ListingView:
    """Page `number` of a paginated listing."""
    per_page = ctx.settings.per_page
    count = page_count(len(releases), per_page)
    # The pages the pager names: first, last, two either side and the places of the "…"
    # (listing every page would make a long listing's pages grow with its length).
    shown = sorted({1, count, *range(max(1, number - 3), min(count, number + 3) + 1)})
    page_urls = tuple((n, ctx.url(urls.numbered(path, n))) for n in shown)
    chunk = releases[(number - 1) * per_page: number * per_page]
    own = urls.numbered(path, number)
    return ListingView(
        title=title,
        heading=heading,
        description=description,
        path=own,
        canonical=ctx.absolute(own),
        total=len(releases),
        items=tuple(item(r) for r in chunk),
        nav=PageNav(
            number=number,
            count=count,
            prev_url=ctx.url(urls.numbered(path, number - 1)) if number > 1 else None,
            next_url=ctx.url(urls.numbered(path, number + 1)) if number < count else None,
            pages=page_urls,
        ),
        feeds=feeds,
        kind=kind,
        authority=authority,
    )


def index_entries(ctx: ViewContext, groups: Sequence[Group]) -> tuple[IndexEntry, ...]:
    return tuple(IndexEntry(g.name, ctx.url(g.path), len(g.releases)) for g in groups)
