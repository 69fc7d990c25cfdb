"""Listings: the paginated pages of all releases, an authority, topic, place or year, and their indexes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from generator.core import urls
from generator.core.models import Release
from generator.core.paging import archive_chunk, archive_pages
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


def listing_view(ctx: ViewContext, item: Callable[[Release], ItemView], kind: ListingKind, path: str, title: str,
                 heading: str, releases: Sequence[Release], feeds: tuple[FeedLink, ...], description: str | None,
                 number: int, authority: AuthorityView | None = None) -> ListingView:
    """The front page (`number` 0: the newest releases) or archive page `number` of a listing."""
    per_page = ctx.settings.per_page
    count = archive_pages(len(releases), per_page)
    chunk = releases[:per_page] if number == 0 else archive_chunk(releases, per_page, number)
    own = urls.numbered(path, number)

    def at(n: int) -> str:
        return ctx.url(urls.numbered(path, n))

    # The pager names the front page and the pages near this one, never the count of all of them
    # (that would change every page whenever one is added).
    centre = number or count + 1
    near = range(min(count, centre + 2), max(0, centre - 3), -1)
    if number == 0:
        newer, older = None, at(count) if count else None
    else:
        newer, older = at(number + 1 if number < count else 0), at(number - 1) if number > 1 else None
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
            prev_url=newer,
            next_url=older,
            # The oldest page too: it never moves, and it is where the history begins.
            pages=((0, at(0)), *((n, at(n)) for n in near), *(((1, at(1)),) if 1 not in near else ()))
            if count else (),
        ),
        feeds=feeds,
        kind=kind,
        authority=authority,
        first_text=ctx.day(chunk[-1].date) if number and chunk else None,
        last_text=ctx.day(chunk[0].date) if number and chunk else None,
    )


def index_entries(ctx: ViewContext, groups: Sequence[Group]) -> tuple[IndexEntry, ...]:
    return tuple(IndexEntry(g.name, ctx.url(g.path), len(g.releases)) for g in groups)
