"""What the site shows at `now`: the published releases and their groupings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from generator.core import urls
from generator.core.models import Authority, Kind, Release, State
from generator.core.slugs import slug
from generator.lifecycle.states import state_of

GroupKind = Literal["authority", "topic", "place", "year"]

@dataclass(frozen=True)
class Group:
    """A listing with its own pages and feeds: one authority, topic, place or year."""

    kind: GroupKind
    key: str
    name: str
    path: str
    releases: tuple[Release, ...]  # newest first


@dataclass(frozen=True)
class Catalog:
    now: dt.datetime
    published: tuple[Release, ...]  # newest first
    withdrawn: tuple[Release, ...]
    drafts: tuple[Release, ...]  # rendered only with --drafts
    states: dict[str, State]  # by release id
    authorities: tuple[Group, ...]
    topics: tuple[Group, ...]
    places: tuple[Group, ...]
    years: tuple[Group, ...]
    all_authorities: tuple[Authority, ...]
    followups: dict[str, tuple[Release, ...]] = field(default_factory=dict)  # id → releases following it
    by_id: dict[str, Release] = field(default_factory=dict)  # every published release

    @property
    def running_appeals(self) -> tuple[Release, ...]:
        return tuple(r for r in self.published if r.kind is Kind.APPEAL)


def newest_first(releases: Iterable[Release]) -> list[Release]:
    return sorted(releases, key=lambda r: (r.date, r.id), reverse=True)


def make_catalog(releases: Iterable[Release], authorities: Iterable[Authority], now: dt.datetime,
                 drafts: bool = False) -> Catalog:
    everything = list(releases)
    states = {r.id: state_of(r, now) for r in everything}
    published = newest_first(r for r in everything if states[r.id] is State.PUBLISHED)
    withdrawn = sorted((r for r in everything if states[r.id] is State.WITHDRAWN), key=lambda r: r.id)
    shown_drafts = newest_first(r for r in everything if drafts and states[r.id] is State.DRAFT)
    by_id = {r.id: r for r in published}
    followups: dict[str, list[Release]] = defaultdict(list)
    for release in reversed(published):
        if release.follows in by_id:
            followups[release.follows].append(release)
    all_authorities = tuple(sorted(authorities, key=lambda a: a.name))
    return Catalog(
        now=now,
        published=tuple(published),
        withdrawn=tuple(withdrawn),
        drafts=tuple(shown_drafts),
        states=states,
        authorities=_groups(published, "authority", lambda r: [(r.authority.id, r.authority.name)],
                            urls.authority, keep_empty=[(a.id, a.name) for a in all_authorities]),
        topics=_groups(published, "topic", lambda r: [(slug(t), t) for t in r.tags], lambda k: f"{urls.TOPICS}{k}/"),
        places=_groups(published, "place", lambda r: [(slug(p), p) for p in r.places],
                       lambda k: f"{urls.PLACES}{k}/"),
        years=_groups(published, "year", lambda r: [(str(r.date.year), str(r.date.year))],
                      lambda k: urls.year(int(k)), newest_key_first=True),
        all_authorities=all_authorities,
        followups={k: tuple(v) for k, v in sorted(followups.items())},
        by_id=by_id,
    )


_DIN_5007 = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def german_order(name: str) -> str:
    """Sort key as in a German index (DIN 5007-1): "Öffentlichkeitsfahndung" among the O, not after Z."""
    return name.casefold().translate(_DIN_5007)


def _groups(published: list[Release], kind: GroupKind, keys_of: Callable[[Release], list[tuple[str, str]]],
            path_of: Callable[[str], str], keep_empty: list[tuple[str, str]] | None = None,
            newest_key_first: bool = False) -> tuple[Group, ...]:
    members: dict[str, list[Release]] = defaultdict(list)
    names: dict[str, str] = {}
    for key, name in keep_empty or []:
        members[key] = []
        names[key] = name
    # `published` is oldest-last; the first spelling seen (newest use) names the group.
    for release in published:
        for key, name in dict(keys_of(release)).items():
            members[key].append(release)
            names.setdefault(key, name)
    order = sorted(members, reverse=newest_key_first) if newest_key_first else sorted(
        members, key=lambda k: (german_order(names[k]), names[k], k))
    return tuple(Group(kind, key, names[key], path_of(key), tuple(members[key])) for key in order)
