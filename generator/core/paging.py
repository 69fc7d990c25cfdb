"""How listings are paged: a front page with the newest releases, and numbered pages counted
from the oldest, so that a page once made never changes what it shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

Item = TypeVar("Item")


def archive_pages(items: int, per_page: int) -> int:
    """The numbered pages of a listing, besides its front page: page n holds the n-th `per_page`
    releases counted from the oldest, and exists once it is full and the front page no longer
    shows all of them. So a page, once made, never changes what it shows: a new release changes
    the front page and, every `per_page` releases, adds one page."""
    return max(0, (items - 1) // per_page)


def archive_chunk(releases: Sequence[Item], per_page: int, number: int) -> Sequence[Item]:
    """What page `number` (1 = the oldest) shows, newest first; `releases` are newest first."""
    end = len(releases) - (number - 1) * per_page
    return releases[end - per_page:end]
