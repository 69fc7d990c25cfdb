"""Loading the site folder into validated models.

Every check that `build` and `check` share lives here. A file with problems
yields all its problems at once; cross-file checks (duplicate ids, URLs,
`follows`) run after every file was read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from frontmatter.default_handlers import YAMLHandler

from generator.content.yaml_source import Key, YamlSource, YamlSyntaxError
from generator.core.dates import DateFormatError, parse_datetime
from generator.core.errors import Problem, suggestion
from generator.core.models import (
    Attachment,
    Authority,
    Contact,
    Event,
    Image,
    Kind,
    MediaFile,
    Page,
    Release,
    Settings,
    Update,
    Withdrawal,
)
from generator.core.slugs import slug as make_slug
from generator.media.documents import check_attachment
from generator.media.formats import MediaError
from generator.media.inspect import inspect_image
from generator.media.sources import source_problem
from generator.media.store import CACHE_DIR as MEDIA_CACHE

AUTHORITIES_FILE = "content/authorities.yaml"
RELEASES_DIR = "content/releases"
PAGES_DIR = "content/pages"
MEDIA_DIR = "content/media"

RELEASE_KEYS = (
    "id", "title", "date", "authority", "kind", "location", "tags", "places", "summary", "contact",
    "images", "attachments", "event", "updates", "follows", "expires", "withdrawn", "draft", "aliases",
    "lang", "extra",
)
PAGE_KEYS = ("title", "description", "lang")
AUTHORITY_KEYS = ("name", "code", "city", "website", "contact", "description")
CONTACT_KEYS = ("name", "phone", "email", "url")
IMAGE_KEYS = ("src", "alt", "caption", "credit")
ATTACHMENT_KEYS = ("src", "title")
EVENT_KEYS = ("name", "start", "end", "venue", "participants", "agenda")
UPDATE_KEYS = ("date", "note", "major")
WITHDRAWN_KEYS = ("date", "reason")
LANGUAGES = ("de", "en")
# Top-level addresses of the site itself (see urls.py), which a standalone page may not take.
RESERVED_PAGE_NAMES = frozenset({
    "meldung", "meldungen", "behoerden", "themen", "orte", "jahre", "suche", "feeds", "static", "media", "api",
    "pagefind", "_server",
})

AUTHORITY_ID = re.compile(r"^[a-z0-9-]+$")
AUTHORITY_CODE = re.compile(r"^[A-ZÄÖÜ0-9]+(-[A-ZÄÖÜ0-9]+)*$")
RELEASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
ALIAS = re.compile(r"^/[A-Za-z0-9._~/%-]*$")
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
WEB_URL = re.compile(r"^(https?://[^\s<>\"']+|www\.[^\s<>\"']+)$")

T = TypeVar("T")


class _Invalid(Exception):
    """Raised inside a field reader after its problem was recorded."""


@dataclass
class _Fields:
    """Reads typed values out of one YAML mapping and records problems with lines."""

    source: YamlSource
    shown: str
    problems: list[Problem]

    def fail(self, keys: tuple[Key, ...], message: str) -> None:
        self.problems.append(Problem(self.shown, self.source.line_of(*keys), message))

    def mapping(self, value: Any, keys: tuple[Key, ...], allowed: Iterable[str], what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(keys, f"{what} must be a mapping of {', '.join(allowed)}, not {_kind(value)}")
            raise _Invalid
        allowed = tuple(allowed)
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                hint = suggestion(str(key), allowed) or f" (allowed: {', '.join(allowed)})"
                self.fail((*keys, key), f'unknown key "{key}" in {what}{hint}')
        return {k: v for k, v in value.items() if isinstance(k, str) and k in allowed}

    def text(self, data: Mapping[str, Any], key: str, keys: tuple[Key, ...], *, required: bool = False,
             what: str | None = None) -> str | None:
        value = data.get(key)
        name = what or key
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail((*keys, key) if key in data else keys, f'"{name}" is required and must not be empty')
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail((*keys, key), f'"{name}" must be a text, not {_kind(value)}; put it in quotes')
            return None
        return str(value).strip()

    def texts(self, data: Mapping[str, Any], key: str, keys: tuple[Key, ...]) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail((*keys, key), f'"{key}" must be a list like [Erstes, Zweites], not {_kind(value)}')
            return ()
        result: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
                self.fail((*keys, key, index), f'each entry of "{key}" must be a non-empty text, '
                          f"not {_kind(item)}; put it in quotes")
                continue
            text = str(item).strip()
            if text not in result:
                result.append(text)
        return tuple(result)

    def date(self, data: Mapping[str, Any], key: str, keys: tuple[Key, ...], tz: ZoneInfo, *,
             required: bool = False) -> dt.datetime | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(keys if key not in data else (*keys, key),
                          f'"{key}" is required, e.g. {key}: 2019-04-29T16:05:00+02:00')
            return None
        try:
            return parse_datetime(value, tz)
        except DateFormatError as exc:
            self.fail((*keys, key), f'"{key}": {exc}')
            return None

    def flag(self, data: Mapping[str, Any], key: str, keys: tuple[Key, ...], default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail((*keys, key), f'"{key}" must be true or false, not {_kind(value)}')
            return default
        return value

    def items(self, data: Mapping[str, Any], key: str, keys: tuple[Key, ...], read: Callable[[Any, tuple[Key, ...]], T]
              ) -> tuple[T, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail((*keys, key), f'"{key}" must be a list (each entry starting with "- "), not {_kind(value)}')
            return ()
        result: list[T] = []
        for index, item in enumerate(value):
            try:
                result.append(read(item, (*keys, key, index)))
            except _Invalid:
                continue
        return tuple(result)


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "empty"}.get(
        type(value), "a text" if isinstance(value, str) else "a number")


# --- the text of a file -----------------------------------------------------


def read_text(path: Path, shown: str, data: bytes | None = None) -> str:
    """The file (or `data`, its bytes as already read) as text, or a problem for empty and non-UTF-8 files."""
    if data is None:
        data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _FileProblem(Problem(shown, line, "the file is not UTF-8 text; save it as UTF-8")) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        raise _FileProblem(Problem(shown, 1, "the file is empty; a release needs front matter between --- lines"))
    return text


class _FileProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


_HANDLER = YAMLHandler()


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(front matter, body, line of the body's first line)."""
    if not _HANDLER.detect(text):
        raise _FileProblem(Problem(shown, 1, "no front matter: the file must start with a line '---', "
                                   "then keys like 'title: …', then another '---'"))
    try:
        fm, body = _HANDLER.split(text)
    except ValueError:
        raise _FileProblem(Problem(shown, 1, "the front matter is not closed: add a line '---' after it")) from None
    body_line = 3 + fm.count("\n") + (1 if fm else 0)
    return fm, body, body_line


# --- authorities ------------------------------------------------------------


def load_authorities(site: Path) -> tuple[dict[str, Authority], list[Problem]]:
    path = site / AUTHORITIES_FILE
    shown = AUTHORITIES_FILE
    problems: list[Problem] = []
    if not path.is_file():
        return {}, [Problem(shown, 1, f"{AUTHORITIES_FILE} is missing; it lists the authorities that issue "
                            "releases (id: {name, code, city})")]
    try:
        text = read_text(path, shown)
    except _FileProblem as exc:
        return {}, [exc.problem]
    source = YamlSource(path, text)
    try:
        data = source.load()
    except YamlSyntaxError as exc:
        return {}, [Problem(shown, exc.line, str(exc))]
    fields = _Fields(source, shown, problems)
    if not isinstance(data, dict) or not data:
        return {}, [Problem(shown, 1, "authorities.yaml must map authority ids to their name, code and city")]
    authorities: dict[str, Authority] = {}
    for key in sorted(data, key=str):
        authority_id = str(key)
        if not AUTHORITY_ID.match(authority_id):
            fields.fail((key,), f'authority id "{authority_id}" may only contain a-z, 0-9 and "-"')
            continue
        try:
            entry = fields.mapping(data[key], (key,), AUTHORITY_KEYS, f'authority "{authority_id}"')
        except _Invalid:
            continue
        name = fields.text(entry, "name", (key,), required=True)
        code = fields.text(entry, "code", (key,), required=True)
        city = fields.text(entry, "city", (key,), required=True)
        if code and not AUTHORITY_CODE.match(code):
            fields.fail((key, "code"), f'code "{code}" must be capitals and digits joined by "-", like POL-GE')
            code = None
        website = fields.text(entry, "website", (key,))
        if website and not WEB_URL.match(website):
            fields.fail((key, "website"), f'website "{website}" must be an http(s) URL')
            website = None
        contact = _contact(fields, entry.get("contact"), (key, "contact")) if "contact" in entry else Contact()
        if name and code and city:
            authorities[authority_id] = Authority(
                id=authority_id, name=name, code=code, city=city, website=website, contact=contact,
                description=fields.text(entry, "description", (key,)))
    return authorities, problems


def _contact(fields: _Fields, value: Any, keys: tuple[Key, ...]) -> Contact:
    try:
        data = fields.mapping(value, keys, CONTACT_KEYS, "contact")
    except _Invalid:
        return Contact()
    email = fields.text(data, "email", keys)
    if email and not EMAIL.match(email):
        fields.fail((*keys, "email"), f'"{email}" is not an e-mail address')
        email = None
    url = fields.text(data, "url", keys)
    if url and not WEB_URL.match(url):
        fields.fail((*keys, "url"), f'"{url}" must be an http(s) URL')
        url = None
    return Contact(name=fields.text(data, "name", keys), phone=fields.text(data, "phone", keys), email=email,
                   url=url)


# --- releases ---------------------------------------------------------------


@dataclass(frozen=True)
class LoadContext:
    """What reading one release needs besides the file itself."""

    site: Path
    settings: Settings
    authorities: Mapping[str, Authority]


def release_files(site: Path) -> list[Path]:
    folder = site / RELEASES_DIR
    return sorted(p for p in folder.rglob("*.md") if not _hidden(p.relative_to(folder)))


def _hidden(path: Path) -> bool:
    """Editors' lock and backup files (".#x.md", macOS "._x.md") and hidden folders are not content."""
    return any(part.startswith(".") for part in path.parts)


def load_release(path: Path, context: LoadContext, raw: bytes | None = None) -> tuple[Release | None, list[Problem]]:
    """One release file (whose bytes may be given as `raw`) as a model, or the problems that stop it."""
    site = context.site
    shown = path.relative_to(site).as_posix()
    problems: list[Problem] = []
    try:
        text = read_text(path, shown, raw)
        fm, body, _ = split_front_matter(text, shown)
    except _FileProblem as exc:
        return None, [exc.problem]
    source = YamlSource(path, fm)  # fm starts with the rest of the first "---" line
    try:
        data = source.load()
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, str(exc))]
    fields = _Fields(source, shown, problems)
    if data is None:
        return None, [Problem(shown, 1, "the front matter is empty; it needs at least title, date and authority")]
    try:
        data = fields.mapping(data, (), RELEASE_KEYS, "the front matter")
    except _Invalid:
        return None, problems
    tz = context.settings.tz

    title = fields.text(data, "title", (), required=True)
    date = fields.date(data, "date", (), tz, required=True)
    authority = None
    authority_id = fields.text(data, "authority", (), required=True)
    if authority_id is not None:
        authority = context.authorities.get(authority_id)
        if authority is None:
            fields.fail(("authority",), f'unknown authority "{authority_id}"'
                        f"{suggestion(authority_id, context.authorities)}; the authorities are listed in "
                        f"{AUTHORITIES_FILE}")

    stem_path = path.relative_to(site / RELEASES_DIR).with_suffix("").as_posix()
    release_id = fields.text(data, "id", ()) or stem_path
    if not RELEASE_ID.match(release_id):
        fields.fail(("id",), f'id "{release_id}" may contain only letters, digits, ".", "_", "-" and "/"')

    kind = Kind.PRESS_RELEASE
    kind_text = fields.text(data, "kind", ())
    if kind_text is not None:
        try:
            kind = Kind(kind_text)
        except ValueError:
            choices = [k.value for k in Kind]
            fields.fail(("kind",), f'unknown kind "{kind_text}"{suggestion(kind_text, choices)}; '
                        f"use one of {', '.join(choices)}")

    location = fields.text(data, "location", ()) or (authority.city if authority else "")
    places = fields.texts(data, "places", ()) or ((location,) if location else ())

    contact = authority.contact if authority else Contact()
    if "contact" in data:
        contact = contact.merged(_contact(fields, data["contact"], ("contact",)))
    if authority is not None and not (contact.phone or contact.email):
        fields.fail(("contact",) if "contact" in data else ("authority",),
                    "the contact has neither phone nor e-mail; add contact: {phone: …} or {email: …} here "
                    f'or to the authority "{authority.id}" in {AUTHORITIES_FILE}')

    media = _MediaFinder(site, path.parent, fields)
    images = fields.items(data, "images", (), media.image)
    attachments = fields.items(data, "attachments", (), media.attachment)

    event = None
    if "event" in data:
        event = _event(fields, data["event"], tz, title)
    elif kind is Kind.CONFERENCE_REPORT:
        fields.fail(("kind",), 'a conference-report needs an "event" with at least name and start')

    updates = fields.items(data, "updates", (), lambda v, k: _update(fields, v, k, tz))
    expires = fields.date(data, "expires", (), tz)
    if kind is Kind.APPEAL and expires is None and "expires" not in data:
        fields.fail(("kind",), 'an appeal needs "expires": the time from which the search must be taken down, '
                    "e.g. expires: 2026-12-31")
    if expires is not None and date is not None:
        if expires <= date:
            fields.fail(("expires",), '"expires" must be after "date"')
        elif kind is Kind.APPEAL and expires - date > dt.timedelta(days=context.settings.appeal_max_days):
            fields.fail(("expires",), f"an appeal may run at most {context.settings.appeal_max_days} days "
                        "(appeal_max_days in site.toml); set an earlier expires")

    withdrawn = _withdrawal(fields, data.get("withdrawn"), tz) if "withdrawn" in data else None
    aliases = tuple(_alias(fields, a, i) for i, a in enumerate(fields.texts(data, "aliases", ())))
    lang = fields.text(data, "lang", ())
    if lang is not None and lang not in LANGUAGES:
        fields.fail(("lang",), f'lang must be "de" or "en", not "{lang}"')
        lang = None
    extra = data.get("extra") or {}
    if not isinstance(extra, dict):
        fields.fail(("extra",), f'"extra" must be a mapping of free values, not {_kind(extra)}')
        extra = {}

    if problems or title is None or date is None or authority is None:
        return None, problems
    return Release(
        source=shown,
        id=release_id,
        slug=make_slug(path.stem),
        title=title,
        date=date,
        authority=authority,
        body=body,
        kind=kind,
        location=location,
        tags=fields.texts(data, "tags", ()),
        places=places,
        summary=fields.text(data, "summary", ()),
        contact=contact,
        images=images,
        attachments=attachments,
        event=event,
        updates=tuple(sorted(updates, key=lambda u: u.date)),
        follows=fields.text(data, "follows", ()),
        expires=expires,
        withdrawn=withdrawn,
        draft=fields.flag(data, "draft", (), False),
        aliases=tuple(a for a in aliases if a),
        lang=lang,
        extra=extra,
    ), problems


def _event(fields: _Fields, value: Any, tz: ZoneInfo, title: str | None) -> Event | None:
    keys: tuple[Key, ...] = ("event",)
    try:
        data = fields.mapping(value, keys, EVENT_KEYS, "event")
    except _Invalid:
        return None
    start = fields.date(data, "start", keys, tz, required=True)
    end = fields.date(data, "end", keys, tz)
    if start and end and end < start:
        fields.fail((*keys, "end"), 'the event\'s "end" must not be before its "start"')
    name = fields.text(data, "name", keys) or title
    if start is None or name is None:
        return None
    return Event(name=name, start=start, end=end, venue=fields.text(data, "venue", keys),
                 participants=fields.texts(data, "participants", keys), agenda=fields.texts(data, "agenda", keys))


def _update(fields: _Fields, value: Any, keys: tuple[Key, ...], tz: ZoneInfo) -> Update:
    data = fields.mapping(value, keys, UPDATE_KEYS, "an update")
    date = fields.date(data, "date", keys, tz, required=True)
    note = fields.text(data, "note", keys, required=True)
    major = fields.flag(data, "major", keys, True)
    if date is None or note is None:
        raise _Invalid
    return Update(date=date, note=note, major=major)


def _withdrawal(fields: _Fields, value: Any, tz: ZoneInfo) -> Withdrawal | None:
    if value is True:
        return Withdrawal()
    if value is False or value is None:
        return None
    try:
        data = fields.mapping(value, ("withdrawn",), WITHDRAWN_KEYS, "withdrawn")
    except _Invalid:
        return None
    return Withdrawal(date=fields.date(data, "date", ("withdrawn",), tz),
                      reason=fields.text(data, "reason", ("withdrawn",)))


# Top-level addresses the build writes itself (see urls.py and servers.py): an alias there would overwrite them.
_NOT_FOR_ALIASES = frozenset({
    "meldungen", "behoerden", "themen", "orte", "jahre", "suche", "feeds", "static", "media", "api", "pagefind",
    "_server", "_redirects", "404.html", "sitemap.xml", "robots.txt", "index.html",
})


def _alias(fields: _Fields, alias: str, index: int) -> str:
    path = PurePosixPath(alias)
    if not ALIAS.match(alias) or ".." in path.parts or "//" in alias:
        fields.fail(("aliases", index), f'alias "{alias}" must be a path on this site starting with "/", '
                    'like /2019/alte-adresse/, without ".." or a host name')
        return ""
    top = alias.strip("/").split("/", 1)[0]
    if not top or top in _NOT_FOR_ALIASES:
        fields.fail(("aliases", index), f'alias "{alias}" would replace a page the site makes itself '
                    f'("/{top}"); an alias must be the old address of this release')
        return ""
    return alias if alias.endswith("/") or path.suffix else alias + "/"


@dataclass
class _MediaFinder:
    site: Path
    folder: Path
    fields: _Fields

    def find(self, data: Mapping[str, Any], keys: tuple[Key, ...]) -> MediaFile:
        src = self.fields.text(data, "src", keys, required=True)
        if src is None:
            raise _Invalid
        site = self.site.resolve()
        outside = PurePosixPath(src).is_absolute() or "\\" in src or "://" in src
        candidates = [] if outside else [(self.folder / src).resolve(), (self.site / MEDIA_DIR / src).resolve()]
        inside = [c for c in candidates if c.is_relative_to(site)]
        if not inside:
            self.fields.fail((*keys, "src"), f'"{src}" leaves the site folder; put the file under '
                             f"{MEDIA_DIR}/ and give its path relative to it")
            raise _Invalid
        for candidate in inside:
            if candidate.is_file():
                site_path = candidate.relative_to(site).as_posix()
                problem = source_problem(site_path)
                if problem:
                    self.fields.fail((*keys, "src"), f'"{src}": {problem}')
                    raise _Invalid
                return MediaFile(source=candidate, site_path=site_path, size=candidate.stat().st_size)
        self.fields.fail((*keys, "src"), f'"{src}" does not exist; paths are relative to the release file '
                         f"or to {MEDIA_DIR}/")
        raise _Invalid

    def image(self, value: Any, keys: tuple[Key, ...]) -> Image:
        data = self.fields.mapping(value, keys, IMAGE_KEYS, "an image")
        alt = self.fields.text(data, "alt", keys, required=True, what="alt")
        file = self.find(data, keys)
        try:
            inspect_image(file.source, self.site / MEDIA_CACHE)
        except MediaError as exc:
            self.fields.fail((*keys, "src"), f'image "{data.get("src")}": {exc}')
            raise _Invalid from None
        if alt is None:
            raise _Invalid
        return Image(file=file, alt=alt, caption=self.fields.text(data, "caption", keys),
                     credit=self.fields.text(data, "credit", keys))

    def attachment(self, value: Any, keys: tuple[Key, ...]) -> Attachment:
        data = self.fields.mapping(value, keys, ATTACHMENT_KEYS, "an attachment")
        file = self.find(data, keys)
        try:
            check_attachment(file.source)
        except MediaError as exc:
            self.fields.fail((*keys, "src"), f'attachment "{data.get("src")}": {exc}')
            raise _Invalid from None
        title = self.fields.text(data, "title", keys) or PurePosixPath(file.site_path).name
        return Attachment(file=file, title=title)


# --- pages ------------------------------------------------------------------


def load_pages(site: Path) -> tuple[list[Page], list[Problem]]:
    pages: list[Page] = []
    problems: list[Problem] = []
    for path in sorted(p for p in (site / PAGES_DIR).glob("*.md") if not _hidden(Path(p.name))):
        shown = path.relative_to(site).as_posix()
        try:
            text = read_text(path, shown)
            fm, body, _ = split_front_matter(text, shown)
        except _FileProblem as exc:
            problems.append(exc.problem)
            continue
        source = YamlSource(path, fm)  # fm starts with the rest of the first "---" line
        try:
            data = source.load() or {}
        except YamlSyntaxError as exc:
            problems.append(Problem(shown, exc.line, str(exc)))
            continue
        fields = _Fields(source, shown, problems)
        try:
            data = fields.mapping(data, (), PAGE_KEYS, "the front matter of a page")
        except _Invalid:
            continue
        title = fields.text(data, "title", (), required=True)
        lang = fields.text(data, "lang", ())
        if make_slug(path.stem) in RESERVED_PAGE_NAMES:
            fields.fail((), f'"{path.name}" would take the address /{make_slug(path.stem)}/, which the site itself '
                        "uses; rename the file")
            continue
        if title:
            pages.append(Page(source=shown, slug=make_slug(path.stem), title=title, body=body,
                              description=fields.text(data, "description", ()) or "", lang=lang))
    return pages, problems


# --- checks across files ----------------------------------------------------


def _key_line(site: Path, shown: str, key: str) -> int:
    """The line of a top-level front-matter key, for messages about cross-file checks."""
    try:
        lines = (site / shown).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    for number, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def check_together(site: Path, releases: list[Release], pages: list[Page],
                   taken: Callable[[Release], Iterable[str]], page_path: Callable[[Page], str]) -> list[Problem]:
    """Duplicate ids, two things on one URL, `follows` to nowhere or in a circle."""
    problems: list[Problem] = []
    by_id: dict[str, Release] = {}
    for release in releases:
        first = by_id.setdefault(release.id, release)
        if first is not release:
            problems.append(Problem(release.source, _key_line(site, release.source, "id"),
                                    f'the id "{release.id}" is already used by {first.source}; '
                                    "every release needs its own id"))
    owners: dict[str, str] = {page_path(p): p.source for p in pages}
    for release in releases:
        for url in taken(release):
            owner = owners.setdefault(url, release.source)
            if owner != release.source:
                problems.append(Problem(release.source, _key_line(site, release.source, "aliases"),
                                        f"{url} is already the address of {owner}; rename the "
                                        "file or change the alias"))
    for release in releases:
        if release.follows is None:
            continue
        if release.follows not in by_id:
            problems.append(Problem(release.source, _key_line(site, release.source, "follows"),
                                    f'follows "{release.follows}", but no release has that id'
                                    f"{suggestion(release.follows, by_id)}"))
            continue
        seen = {release.id}
        current: Release | None = by_id[release.follows]
        while current is not None:
            if current.id in seen:
                problems.append(Problem(release.source, _key_line(site, release.source, "follows"),
                                        f'"follows" forms a circle through "{current.id}"; '
                                        "a follow-up must name an earlier release"))
                break
            seen.add(current.id)
            current = by_id.get(current.follows) if current.follows else None
    return problems
