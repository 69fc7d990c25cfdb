"""The published-address manifest and the link guard: no address a build published may vanish.

Every build writes `_server/published.txt` into its output folder: every address it served for a
release (page, withdrawal notice, alias redirect), the release's id and file, and for a withdrawn
release the time it went off the site. The next build reads it back and fails when one of those
addresses would vanish (`removed_links`), and takes from it when a plain `withdrawn: true` first
showed (`date_withdrawals`). It lives inside the output folder so that it survives everything
except the site itself: a cold build still finds it, and a build into a fresh folder is a new site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.core import urls
from generator.core.dates import DateFormatError, iso, parse_datetime
from generator.core.errors import Message, Problem
from generator.core.models import Release, State
from generator.lifecycle.catalog import Catalog
from generator.lifecycle.states import state_of, withdrawn_on

SERVER_DIR = "_server/"  # the build's files for the web server, hidden from the public
MANIFEST = f"{SERVER_DIR}published.txt"
HEADER = "# Written by pressroom build; do not edit: the next build overwrites it.\n"


@dataclass(frozen=True)
class Published:
    """One address in the manifest: a release page, a withdrawal notice or an alias redirect."""

    path: str  # site-relative, like meldung/slug/
    release_id: str
    source: str  # the release file that made it
    withdrawn: str = ""  # ISO time the release went off the site, for withdrawn releases


def _alias_path(alias: str) -> str:
    return alias.lstrip("/")


def gone(catalog: Catalog) -> list[str]:
    """Site-relative addresses that answer 410 Gone: withdrawn releases and their aliases."""
    paths = {urls.release(r.slug) for r in catalog.withdrawn}
    paths |= {_alias_path(a) for r in catalog.withdrawn for a in r.aliases}
    return sorted(paths)


def moved(catalog: Catalog) -> list[tuple[str, str]]:
    """(alias, release address) for every alias of a published release, sorted."""
    return sorted((_alias_path(a), urls.release(r.slug)) for r in catalog.published for a in r.aliases)


def manifest_entries(catalog: Catalog) -> list[Published]:
    """Every address this build serves for a release: pages, notices and alias redirects.

    Drafts are left out on purpose: a `--drafts` preview must not oblige the next build to keep them.
    """
    # Asked for twice by a build (the link guard, then the manifest file): made once per catalog.
    if _last and _last[0][0] is catalog:
        return list(_last[0][1])
    found = _entries(catalog)
    _last[:] = [(catalog, found)]
    return list(found)


_last: list[tuple[Catalog, list[Published]]] = []  # the last catalog asked about, and its entries


def _entries(catalog: Catalog) -> list[Published]:
    entries: dict[str, Published] = {}
    withdrawn = {r.id for r in catalog.withdrawn}
    for release in (*catalog.published, *catalog.withdrawn):
        when = withdrawn_on(release, catalog.now) if release.id in withdrawn else None
        for path in (urls.release(release.slug), *(_alias_path(a) for a in release.aliases)):
            entries[path] = Published(path, release.id, release.source, iso(when) if when else "")
    return [entries[p] for p in sorted(entries)]


def manifest_text(entries: list[Published]) -> str:
    lines = [HEADER.rstrip("\n"),
             "# Every address of a release that this site published: path, release id, release file,",
             "# and for a withdrawn release the time it went off the site.",
             "# The next build fails if one of them would vanish (see README, \"Never lose a link\")."]
    lines += ["\t".join((e.path, e.release_id, e.source, e.withdrawn)).rstrip("\t") for e in entries]
    return "\n".join(lines) + "\n"


# --- never lose a link ----------------------------------------------------------------------


def read_manifest(path: Path) -> list[tuple[int, Published]]:
    """(line number, entry) of a previous build's manifest; none if there was no previous build."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        release_id, source, withdrawn = [*parts[1:4], "", "", ""][:3]
        entries.append((number, Published(parts[0], release_id, source, withdrawn)))
    return entries


STATE_WORDS = {State.DRAFT: Message("draft"), State.SCHEDULED: Message("scheduled"),
               State.PUBLISHED: Message("published"), State.WITHDRAWN: Message("withdrawn")}


def removed_links(manifest: Path, shown: str, catalog: Catalog, releases: tuple[Release, ...],
                  base_url: str) -> list[Problem]:
    """An error for every address the previous build published that this build would drop."""
    served = {e.path for e in manifest_entries(catalog)}
    by_id = {r.id: r for r in releases}
    problems = []
    for line, entry in read_manifest(manifest):
        if entry.path in served:
            continue
        url = base_url + entry.path
        now = by_id.get(entry.release_id)
        where = now.source if now is not None else Message("the renamed file")
        was = Message(' (release "%(id)s" from %(source)s)', id=entry.release_id, source=entry.source) \
            if entry.release_id else ""
        state = catalog.states.get(entry.release_id)
        why = Message("; it is %(state)s now", state=STATE_WORDS[state]) if now is not None and state is not None \
            and now.slug == _slug_of(entry.path) else ""
        problems.append(Problem(shown, line, Message(
            "%(url)s was published by the previous build and would vanish%(was)s%(why)s. Readers and feed "
            'readers hold links to it: if the release was renamed or moved, add "aliases: [/%(path)s]" '
            'to %(where)s; if it must go, keep the file and mark it "withdrawn: {date: …, reason: …}"; '
            "to drop the address on purpose, build once with --allow-removed", url=url, was=was, why=why,
            path=entry.path, where=where)))
    return problems


def _slug_of(path: str) -> str | None:
    prefix = urls.release("").rstrip("/") + "/"  # "meldung/"
    if path.startswith(prefix) and path.endswith("/") and path.count("/") == 2:
        return path[len(prefix):-1]
    return None


# --- when a plain `withdrawn: true` happened ---------------------------------------------------


def date_withdrawals(releases: tuple[Release, ...], manifest: Path, now: dt.datetime,
                     tz: ZoneInfo) -> tuple[Release, ...]:
    """Give `withdrawn: true` the time the site first showed it withdrawn, so the notice can say when.

    That time is the `now` of the first build that took the release down, kept in the manifest so
    that every later build says the same; an explicit `withdrawn: {date: …}` always wins.
    """
    recorded: dict[str, dt.datetime] = {}
    for _, entry in read_manifest(manifest):
        if entry.withdrawn and entry.release_id:
            try:
                recorded.setdefault(entry.release_id, parse_datetime(entry.withdrawn, tz))
            except DateFormatError:
                continue
    dated = []
    for release in releases:
        withdrawal = release.withdrawn
        if withdrawal is not None and withdrawal.date is None and state_of(release, now) is State.WITHDRAWN:
            if release.expires is not None and release.expires <= now:
                since = release.expires
            else:
                since = recorded.get(release.id, now)
            release = replace(release, withdrawn=replace(withdrawal, date=since))
        dated.append(release)
    return tuple(dated)
