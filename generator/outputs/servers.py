"""What a web server needs to know about the life of releases, and the link manifest.

The build writes these files into `_server/` inside the output folder:

- `withdrawn.txt`  every withdrawn address (absolute URL), one a line
- `redirects.txt`  every alias as "old-URL new-URL", one a line
- `nginx.conf`     `location` blocks to `include` in the site's `server { }` block
- `apache.conf`    directives to `Include` in the VirtualHost (or paste into `.htaccess`)
- `published.txt`  the manifest: every address this build published (see `removed_links`)

and `_redirects` at the top (Netlify and Cloudflare Pages only read it there).

Why inside the output folder: the files describe exactly the site they sit in,
so they are swapped in atomically with it and can never disagree with it; the
manifest must survive everything except the site itself (a cold build that
deletes `.pressroom-cache/` still finds it, and a build into a fresh, empty
folder is a new site with no links to keep). The nginx and Apache snippets
hide `_server/` from the public, and robots.txt asks crawlers to stay away.
Without any server configuration the HTML notice pages (noindex) and the HTML
redirect pages (meta refresh + canonical) still do the job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.core import urls
from generator.core.dates import DateFormatError, iso, parse_datetime
from generator.core.errors import Problem
from generator.core.models import Release, State
from generator.lifecycle.catalog import Catalog
from generator.lifecycle.states import state_of, withdrawn_on
from generator.render.views import ViewMaker

SERVER_DIR = "_server/"
MANIFEST = f"{SERVER_DIR}published.txt"
WITHDRAWN_LIST = f"{SERVER_DIR}withdrawn.txt"
REDIRECT_LIST = f"{SERVER_DIR}redirects.txt"
NGINX = f"{SERVER_DIR}nginx.conf"
APACHE = f"{SERVER_DIR}apache.conf"
NETLIFY = "_redirects"

_HEADER = "# Written by pressroom build; do not edit: the next build overwrites it.\n"


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
    entries: dict[str, Published] = {}
    withdrawn = {r.id for r in catalog.withdrawn}
    for release in (*catalog.published, *catalog.withdrawn):
        when = withdrawn_on(release, catalog.now) if release.id in withdrawn else None
        for path in (urls.release(release.slug), *(_alias_path(a) for a in release.aliases)):
            entries[path] = Published(path, release.id, release.source, iso(when) if when else "")
    return [entries[p] for p in sorted(entries)]


# --- the files ------------------------------------------------------------------------------


def server_files(catalog: Catalog, views: ViewMaker) -> Iterator[tuple[str, str]]:
    yield MANIFEST, manifest_text(manifest_entries(catalog))
    yield WITHDRAWN_LIST, "".join(f"{views.absolute(p)}\n" for p in gone(catalog))
    yield REDIRECT_LIST, "".join(f"{views.absolute(a)} {views.absolute(t)}\n" for a, t in moved(catalog))
    yield NGINX, nginx(catalog, views)
    yield APACHE, apache(catalog, views)
    yield NETLIFY, netlify(catalog, views)


def manifest_text(entries: list[Published]) -> str:
    lines = [_HEADER.rstrip("\n"),
             "# Every address of a release that this site published: path, release id, release file,",
             "# and for a withdrawn release the time it went off the site.",
             "# The next build fails if one of them would vanish (see README, \"Never lose a link\")."]
    lines += ["\t".join((e.path, e.release_id, e.source, e.withdrawn)).rstrip("\t") for e in entries]
    return "\n".join(lines) + "\n"


def _regex(path: str) -> str:
    """A URL path as a regular expression; the allowed path characters only need "." escaped."""
    return path.replace(".", r"\.")


def _variants(path: str) -> list[str]:
    """A directory address also answers without its trailing slash."""
    return [path, path.rstrip("/")] if path.endswith("/") and path != "/" else [path]


def nginx(catalog: Catalog, views: ViewMaker) -> str:
    hidden = views.url(SERVER_DIR)
    lines = [_HEADER + "# Include inside the site's server { } block:\n"
             "#   include /path/to/output/_server/nginx.conf;",
             "",
             "# The build's own bookkeeping is not for the public.",
             f"location ^~ {hidden} {{ return 404; }}",
             f"location = {views.url(NETLIFY)} {{ return 404; }}",
             "",
             "# Withdrawn releases: 410 Gone, with the notice page as the body."]
    for path in gone(catalog):
        notice = views.url(urls.file_of(path)) if path.endswith("/") else None
        for variant in _variants(views.url(path)):
            page = f"error_page 410 {notice}; " if notice else ""
            lines.append(f"location = {variant} {{ {page}return 410; }}")
    lines += ["", "# Old addresses (aliases): 301 to where the release lives now."]
    for alias, target in moved(catalog):
        for variant in _variants(views.url(alias)):
            lines.append(f"location = {variant} {{ return 301 {views.absolute(target)}; }}")
        if alias.endswith("/"):
            page = views.url(urls.file_of(alias))
            lines.append(f"location = {page} {{ return 301 {views.absolute(target)}; }}")
    return "\n".join(lines) + "\n"


def apache(catalog: Catalog, views: ViewMaker) -> str:
    lines = [_HEADER + "# Include inside the VirtualHost:  Include /path/to/output/_server/apache.conf",
             "# (or paste it into .htaccess; needs mod_alias, Apache 2.4).",
             "",
             "# The build's own bookkeeping is not for the public.",
             f"RedirectMatch 404 ^{_regex(views.url(SERVER_DIR))}",
             f"RedirectMatch 404 ^{_regex(views.url(NETLIFY))}$",
             "",
             "# Withdrawn releases: 410 Gone, with the notice page as the body."]
    for path in gone(catalog):
        pattern = f"^{_regex(views.url(path.rstrip('/')))}{'/?' if path.endswith('/') else ''}$"
        if path.endswith("/"):
            lines += [f'<If "%{{REQUEST_URI}} =~ m#{pattern}#">',
                      f"    ErrorDocument 410 {views.url(urls.file_of(path))}",
                      "</If>"]
        lines.append(f"RedirectMatch 410 {pattern}")
    lines += ["", "# Old addresses (aliases): 301 to where the release lives now."]
    for alias, target in moved(catalog):
        suffix = "(/|/index\\.html)?" if alias.endswith("/") else ""
        pattern = f"^{_regex(views.url(alias.rstrip('/')))}{suffix}$"
        lines.append(f"RedirectMatch 301 {pattern} {views.absolute(target)}")
    return "\n".join(lines) + "\n"


def netlify(catalog: Catalog, views: ViewMaker) -> str:
    """The `_redirects` syntax that Netlify and Cloudflare Pages share: permanent redirects only.

    Withdrawn addresses are not in it: Cloudflare Pages knows no 410, and the notice page
    (noindex) already answers there.
    """
    lines = [_HEADER.rstrip("\n"), "# Old addresses (aliases) of releases, for Netlify and Cloudflare Pages."]
    for alias, target in moved(catalog):
        for variant in _variants(views.url(alias)):
            lines.append(f"{variant} {views.url(target)} 301")
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
        where = now.source if now is not None else "the renamed file"
        was = f' (release "{entry.release_id}" from {entry.source})' if entry.release_id else ""
        state = catalog.states.get(entry.release_id)
        why = f"; it is {state.value} now" if now is not None and state is not None and now.slug == \
            _slug_of(entry.path) else ""
        problems.append(Problem(shown, line, (
            f"{url} was published by the previous build and would vanish{was}{why}. Readers and feed "
            f'readers hold links to it: if the release was renamed or moved, add "aliases: [/{entry.path}]" '
            f'to {where}; if it must go, keep the file and mark it "withdrawn: {{date: …, reason: …}}"; '
            "to drop the address on purpose, build once with --allow-removed")))
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
