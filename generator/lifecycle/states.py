"""The state of each release at the build's `now` (SPEC §3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from generator.core.models import Release, State


def state_of(release: Release, now: dt.datetime) -> State:
    if release.draft:
        return State.DRAFT
    if release.date > now:
        return State.SCHEDULED
    if release.withdrawn is not None or (release.expires is not None and release.expires <= now):
        return State.WITHDRAWN
    return State.PUBLISHED


def withdrawn_on(release: Release, now: dt.datetime) -> dt.datetime | None:
    """When the release was taken down, if that is known."""
    if release.withdrawn is not None and release.withdrawn.date is not None:
        return release.withdrawn.date
    if release.expires is not None and release.expires <= now:
        return release.expires
    return None


DueReason = Literal["scheduled", "expires"]  # a release comes out; an appeal is taken down


@dataclass(frozen=True)
class Due:
    """The next moment at which a rebuild changes the site."""

    when: dt.datetime
    release_id: str
    reason: DueReason


def next_due(releases: Iterable[Release], now: dt.datetime) -> Due | None:
    """The earliest scheduled publication or appeal expiry after `now`."""
    candidates: list[Due] = []
    for release in releases:
        state = state_of(release, now)
        if state is State.SCHEDULED:
            candidates.append(Due(release.date, release.id, "scheduled"))
        elif state is State.PUBLISHED and release.expires is not None:
            candidates.append(Due(release.expires, release.id, "expires"))
    return min(candidates, key=lambda d: (d.when, d.release_id), default=None)
