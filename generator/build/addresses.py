"""Every address has exactly one owner: the registry of what a build may write, made before it writes.

Each file of the site is claimed before staging starts – by the site itself for the sections
it makes (listings, feeds, the API, search, server files, the theme), by a page or a release for
its own folder, by a release for its API document, its attachments and each of its aliases. A
second claim of an address is a `path:line` error naming both owners. Addresses are compared
as a web server and a case-insensitive file system would see them: percent-decoded, without
case, and `x/` the same as `x/index.html`. An alias may not lie inside another owner's folder
(`/meldung/x/meldung.txt`, `/feeds/rss.xml`), nor be a folder of a file someone writes.

`Staging` then checks every file it writes against the registry (`covers`): a file no one
claimed, or written twice, is a bug in Pressroom, never a silent overwrite.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.content.files import split_front_matter
from generator.content.yaml_source import Key, YamlSource
from generator.core import urls
from generator.core.errors import Message, Problem
from generator.core.models import Page, Release
from generator.core.urls import normal as normal  # where it always was
from generator.lifecycle.manifest import SERVER_DIR
from generator.outputs.api import release_path
from generator.outputs.servers import NETLIFY, NETLIFY_HEADERS

Role = Literal["site", "page", "release", "api", "attachment", "alias"]

# The sections the site makes itself: every file in them is the site's (see urls.py, servers.py).
SITE_FOLDERS = (urls.RELEASES, urls.AUTHORITIES, urls.TOPICS, urls.PLACES, urls.YEARS, urls.SEARCH, urls.FEEDS,
                urls.STATIC, urls.MEDIA, "api/", "pagefind/", "sitemaps/", SERVER_DIR)
SITE_FILES = ("index.html", urls.NOT_FOUND, "robots.txt", "sitemap.xml", NETLIFY, NETLIFY_HEADERS)

_ROLE_NAMES: dict[Role, Message] = {
    "site": Message("the site's own pages"), "page": Message("its page"), "release": Message("its release page"),
    "api": Message("its API document"), "attachment": Message("an attachment"), "alias": Message("an alias"),
}


@dataclass(frozen=True)
class Owner:
    """Who claims an address, and where in the site folder that claim is written."""

    role: Role
    identity: str  # claims of one identity never conflict by folder (a release's own files)
    source: str | None = None  # the file that makes the claim, relative to the site folder
    keys: tuple[Key, ...] = ()  # the front-matter value that makes it, for the line

    @staticmethod
    def site() -> Owner:
        return Owner("site", "pressroom")


class Addresses:
    """The registry; `problems` holds every conflict found, in claim order."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.problems: list[Problem] = []
        self._files: dict[str, Owner] = {}
        self._folders: dict[str, Owner] = {}  # "meldung/x/" → owner
        self._parents: dict[str, Owner] = {}  # every folder a claimed file lies in → the first owner
        self._sources: dict[str, YamlSource | None] = {}

    # --- claiming --------------------------------------------------------------------------

    def claim_folder(self, folder: str, owner: Owner) -> None:
        key = normal(folder).removesuffix("index.html")
        found = self._folders.get(key) or self._inside_folder(key, owner)
        if found is not None and found.identity != owner.identity:
            self._conflict(folder, owner, found)
            return
        if key.rstrip("/") in self._files:
            self._conflict(folder, owner, self._files[key.rstrip("/")])
            return
        self._folders.setdefault(key, owner)

    def claim(self, address: str, owner: Owner, shared: bool = False, shown: str | None = None) -> None:
        """`address` (a file, or a folder meaning its index.html) for `owner`; `shared`: the same
        owner may claim it again (one attachment shown by two releases); `shown`: the address as
        the user wrote it, for messages."""
        key = normal(address)
        address = shown or address
        if posixpath.normpath(key) != key or key.startswith("../"):
            self._fail(owner, Message('"%(address)s" does not name a file of this site once decoded; '
                                      'write the address without encoded "/", "." or ".."', address=address))
            return
        found = self._files.get(key)
        if found is not None:
            if not (shared and found.role == owner.role and found.identity == owner.identity):
                self._conflict(address, owner, found)
            return
        if owner.role == "alias":
            home = self._folders.get(key.removesuffix("index.html")) if key.endswith("/index.html") else None
            if home is not None:  # a folder's index.html is the address of its owner, even the alias's own
                self._conflict(address, owner, home)
                return
            inside = self._inside_folder(key, owner)
            if inside is not None:
                self._conflict(address, owner, inside, inside=True)
                return
        if key + "/" in self._parents or key + "/" in self._folders:
            self._conflict(address, owner, self._parents.get(key + "/") or self._folders[key + "/"])
            return
        for folder in _folders_of(key):
            if folder.rstrip("/") in self._files:
                self._conflict(address, owner, self._files[folder.rstrip("/")])
                return
        self._files[key] = owner
        for folder in _folders_of(key):
            self._parents.setdefault(folder, owner)

    def covers(self, path: str) -> bool:
        """Whether a file the build writes at `path` was claimed (itself, or a folder it is in)."""
        return self.covers_key(normal(path))

    def covers_key(self, key: str) -> bool:
        """`covers` for a path already made `normal` (a build stages tens of thousands)."""
        if key in self._files:
            return True
        folders = self._folders
        position = key.find("/")
        while position != -1:
            if key[:position + 1] in folders:
                return True
            position = key.find("/", position + 1)
        return False

    def _inside_folder(self, key: str, owner: Owner) -> Owner | None:
        for folder in _folders_of(key):
            found = self._folders.get(folder)
            if found is not None and found.identity != owner.identity:
                return found
        return None

    # --- reporting ---------------------------------------------------------------------------

    def _conflict(self, address: str, owner: Owner, first: Owner, inside: bool = False) -> None:
        shown = "/" + address.lstrip("/")
        where = self._describe(first)
        if inside:
            message = Message("%(address)s lies inside a folder that belongs to %(owner)s; an alias must be an old "
                              "address of this release, not a file in someone else's folder",
                              address=shown, owner=where)
        else:
            fix = Message("change the alias") if owner.role == "alias" else Message("rename one of the two files")
            message = Message("%(address)s is already the address of %(owner)s; %(fix)s", address=shown, owner=where,
                              fix=fix)
        self._fail(owner, message)

    def _describe(self, owner: Owner) -> Message:
        if owner.source is None:
            return _ROLE_NAMES[owner.role]
        return Message("%(path)s:%(line)s (%(role)s)", path=owner.source, line=self.line(owner),
                       role=_ROLE_NAMES[owner.role])

    def _fail(self, owner: Owner, message: Message) -> None:
        if owner.source is None:  # the site's own claims are made first and never conflict
            raise AssertionError(message)
        self.problems.append(Problem(owner.source, self.line(owner), message))

    def line(self, owner: Owner) -> int:
        """The line of the front-matter value behind a claim (1 for a file's own address)."""
        if owner.source is None or not owner.keys:
            return 1
        if owner.source not in self._sources:
            try:
                text = (self.site / owner.source).read_text(encoding="utf-8")
                front = split_front_matter(text, owner.source)[0]
                self._sources[owner.source] = YamlSource(self.site / owner.source, front)
            except Exception:  # the file was read fine moments ago; a line is all this is for
                self._sources[owner.source] = None
        source = self._sources[owner.source]
        return source.line_of(*owner.keys) if source is not None else 1


def _folders_of(key: str) -> Iterable[str]:
    """"a/b/c.html" → "a/", "a/b/"."""
    position = key.find("/")
    while position != -1:
        yield key[:position + 1]
        position = key.find("/", position + 1)


def claim_site(site: Path, releases: Iterable[Release], pages: Iterable[Page]) -> Addresses:
    """The registry of a site: the site's sections, then pages, releases, attachments, aliases.

    Made from the models alone (every release, whatever its state at `now`: a scheduled
    release's address is taken too), so `check` finds every conflict a build would.
    """
    addresses = Addresses(site)
    for folder in SITE_FOLDERS:
        addresses.claim_folder(folder, Owner.site())
    for name in SITE_FILES:
        addresses.claim(name, Owner.site())
    for page in pages:
        addresses.claim_folder(urls.page(page.slug), Owner("page", page.source, page.source))
    releases = tuple(releases)
    for release in releases:
        owner = Owner("release", release.source, release.source)
        before = len(addresses.problems)
        addresses.claim_folder(urls.release(release.slug), owner)
        if len(addresses.problems) == before:  # one conflict of two slugs is reported once
            addresses.claim(release_path(release.slug), Owner("api", release.source, release.source))
    for release in releases:
        for index, attachment in enumerate(release.attachments):
            addresses.claim(urls.media(attachment.file.site_path),
                            Owner("attachment", attachment.file.site_path, release.source,
                                  ("attachments", index, "src")), shared=True)
    for release in releases:
        for index, alias in enumerate(release.aliases):
            addresses.claim(urls.file_of(alias.lstrip("/")),
                            Owner("alias", release.source, release.source, ("aliases", index)), shown=alias)
    return addresses
