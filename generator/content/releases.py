"""content/releases/**/*.md: one release file into a validated `Release`.

A file with problems yields all its problems at once; the checks that need
every file (duplicate ids, addresses, `follows`) are in `checks`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from generator.content.contacts import read_contact
from generator.content.fields import Fields, Invalid, as_language, kind_of
from generator.content.files import AUTHORITIES_FILE, RELEASES_DIR, FileProblem, read_front_matter
from generator.content.media_refs import MediaFinder
from generator.content.placeholders import placeholder_line
from generator.content.yaml_source import Key
from generator.core.errors import Message, Problem, suggestion
from generator.core.models import Authority, Contact, Event, Kind, Language, Release, Settings, Update, Withdrawal
from generator.core.slugs import slug as make_slug

RELEASE_KEYS = (
    "id", "title", "date", "authority", "kind", "location", "tags", "places", "summary", "contact",
    "images", "attachments", "event", "updates", "follows", "expires", "withdrawn", "draft", "aliases",
    "lang", "extra",
)
EVENT_KEYS = ("name", "start", "end", "venue", "participants", "agenda")
UPDATE_KEYS = ("date", "note", "major")
WITHDRAWN_KEYS = ("date", "reason")
LANGUAGES: tuple[Language, ...] = ("de", "en")

RELEASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
ALIAS = re.compile(r"^/[A-Za-z0-9._~/%-]*$")

# Up to this many authorities, an unknown one's message lists them all.
LIST_AUTHORITIES = 5

# Top-level addresses the build writes itself (see urls.py and servers.py): an alias there would overwrite them.
_NOT_FOR_ALIASES = frozenset({
    "meldungen", "behoerden", "themen", "orte", "jahre", "suche", "feeds", "static", "media", "api", "pagefind",
    "_server", "_redirects", "404.html", "sitemap.xml", "sitemaps", "robots.txt", "index.html",
})


@dataclass(frozen=True)
class LoadContext:
    """What reading one release needs besides the file itself.

    `media_cache` is the folder in which a build marks the images it already decoded, so that
    loading need not decode them again; None decodes every image.
    """

    site: Path
    settings: Settings
    authorities: Mapping[str, Authority]
    media_cache: Path | None = None


def load_release(path: Path, context: LoadContext, raw: bytes | None = None) -> tuple[Release | None, list[Problem]]:
    """One release file (whose bytes may be given as `raw`) as a model, or the problems that stop it."""
    try:
        source, value, body = read_front_matter(path, context.site, raw)
    except FileProblem as exc:
        return None, exc.problems
    shown = path.relative_to(context.site).as_posix()
    if value is None:
        return None, [Problem(shown, 1, Message(
            "the front matter is empty; it needs at least title, date and authority"))]
    problems: list[Problem] = []
    fields = Fields(source, shown, problems)
    try:
        data = fields.mapping(value, (), RELEASE_KEYS, Message("the front matter"))
    except Invalid:
        return None, problems
    release = _ReleaseReader(fields, data, context, path).release(shown, body)
    if release is not None and not release.draft:
        _refuse_placeholder(source.text, body, shown, problems)
    return (None if problems else release), problems


def _refuse_placeholder(front_matter: str, body: str, shown: str, problems: list[Problem]) -> None:
    """The skeleton's placeholder text in a release that is to be published is an error at its line."""
    found = placeholder_line(body)
    if found is None:
        return
    index, sentence = found
    # The front matter text starts after the first "---"; its closing "---" is the next line after it.
    line = 1 + front_matter.count("\n") + 1 + index
    problems.append(Problem(shown, line, Message(
        'the text still contains the placeholder that pressroom new wrote ("%(sentence)s"); replace it with the '
        'release\'s text, or keep "draft: true" until it is written', sentence=sentence)))


@dataclass
class _ReleaseReader:
    """The steps of reading one release's front matter; each records its own problems in `fields`."""

    fields: Fields
    data: dict[str, Any]
    context: LoadContext
    path: Path

    @property
    def tz(self) -> ZoneInfo:
        return self.context.settings.tz

    def release(self, shown: str, body: str) -> Release | None:
        fields, data = self.fields, self.data
        title = fields.text(data, "title", (), required=True)
        date = fields.date(data, "date", (), self.tz, required=True)
        authority = self.authority()
        release_id = self.release_id()
        kind = self.kind()
        location = fields.text(data, "location", ()) or (authority.city if authority else "")
        places = fields.texts(data, "places", ()) or ((location,) if location else ())
        contact = self.contact(authority)
        media = MediaFinder(self.context.site, self.path.parent, fields, self.context.media_cache)
        images = fields.items(data, "images", (), media.image)
        attachments = fields.items(data, "attachments", (), media.attachment)
        event = self.event(kind, title)
        updates = fields.items(data, "updates", (), self.update)
        expires = self.expires(kind, date)
        withdrawn = self.withdrawal(data.get("withdrawn")) if "withdrawn" in data else None
        aliases = tuple(self.alias(a, i) for i, a in enumerate(fields.texts(data, "aliases", ())))
        lang = self.lang()
        extra = self.extra()
        tags = fields.texts(data, "tags", ())
        summary = fields.text(data, "summary", ())
        follows = fields.text(data, "follows", ())
        draft = fields.flag(data, "draft", (), False)
        if title is None or date is None or authority is None:
            return None
        return Release(
            source=shown, id=release_id, slug=make_slug(self.path.stem), title=title, date=date,
            authority=authority, body=body, kind=kind, location=location, tags=tags, places=places,
            summary=summary, contact=contact, images=images, attachments=attachments, event=event,
            updates=tuple(sorted(updates, key=lambda u: u.date)), follows=follows, expires=expires,
            withdrawn=withdrawn, draft=draft, aliases=tuple(a for a in aliases if a), lang=lang, extra=extra,
        )

    def authority(self) -> Authority | None:
        authority_id = self.fields.text(self.data, "authority", (), required=True)
        if authority_id is None:
            return None
        authorities = self.context.authorities
        authority = authorities.get(authority_id)
        if authority is None:
            self.fields.fail(("authority",), unknown_authority(authority_id, authorities))
        return authority

    def release_id(self) -> str:
        """The `id`, by default the path under content/releases/ without ".md"."""
        stem_path = self.path.relative_to(self.context.site / RELEASES_DIR).with_suffix("").as_posix()
        release_id = self.fields.text(self.data, "id", ()) or stem_path
        if not RELEASE_ID.match(release_id):
            self.fields.fail(("id",), Message('id "%(id)s" may contain only letters, digits, ".", "_", "-" and "/"',
                                              id=release_id))
        return release_id

    def kind(self) -> Kind:
        kind_text = self.fields.text(self.data, "kind", ())
        if kind_text is None:
            return Kind.PRESS_RELEASE
        try:
            return Kind(kind_text)
        except ValueError:
            choices = [k.value for k in Kind]
            self.fields.fail(("kind",), Message('unknown kind "%(kind)s"%(hint)s; use one of %(choices)s',
                                                kind=kind_text, hint=suggestion(kind_text, choices),
                                                choices=", ".join(choices)))
            return Kind.PRESS_RELEASE

    def contact(self, authority: Authority | None) -> Contact:
        """The authority's contact with the release's own values over it; phone or e-mail must remain."""
        contact = authority.contact if authority else Contact()
        before = len(self.fields.problems)
        if "contact" in self.data:
            contact = contact.merged(read_contact(self.fields, self.data["contact"], ("contact",)))
        # A phone or e-mail that was refused has its own message; "neither" would only repeat it.
        refused = len(self.fields.problems) > before
        if authority is not None and not (contact.phone or contact.email) and not refused:
            self.fields.fail(("contact",) if "contact" in self.data else ("authority",),
                             Message("the contact has neither phone nor e-mail; add contact: {phone: …} or "
                                     '{email: …} here or to the authority "%(authority)s" in %(file)s',
                                     authority=authority.id, file=AUTHORITIES_FILE))
        return contact

    def event(self, kind: Kind, title: str | None) -> Event | None:
        if "event" not in self.data:
            if kind is Kind.CONFERENCE_REPORT:
                self.fields.fail(("kind",), Message(
                    'a conference-report needs an "event" with at least name and start'))
            return None
        fields = self.fields
        keys: tuple[Key, ...] = ("event",)
        try:
            data = fields.mapping(self.data["event"], keys, EVENT_KEYS, "event")
        except Invalid:
            return None
        start = fields.date(data, "start", keys, self.tz, required=True)
        end = fields.date(data, "end", keys, self.tz)
        if start and end and end < start:
            fields.fail((*keys, "end"), Message('the event\'s "end" must not be before its "start"'))
        name = fields.text(data, "name", keys) or title
        if start is None or name is None:
            return None
        return Event(name=name, start=start, end=end, venue=fields.text(data, "venue", keys),
                     participants=fields.texts(data, "participants", keys),
                     agenda=fields.texts(data, "agenda", keys))

    def update(self, value: Any, keys: tuple[Key, ...]) -> Update:
        data = self.fields.mapping(value, keys, UPDATE_KEYS, Message("an update"))
        date = self.fields.date(data, "date", keys, self.tz, required=True)
        note = self.fields.text(data, "note", keys, required=True)
        major = self.fields.flag(data, "major", keys, True)
        if date is None or note is None:
            raise Invalid
        return Update(date=date, note=note, major=major)

    def expires(self, kind: Kind, date: dt.datetime | None) -> dt.datetime | None:
        """`expires`: required for an appeal, after `date`, and for an appeal within appeal_max_days."""
        expires = self.fields.date(self.data, "expires", (), self.tz)
        if kind is Kind.APPEAL and expires is None and "expires" not in self.data:
            self.fields.fail(("kind",), Message('an appeal needs "expires": the time from which the search must be '
                                                "taken down, e.g. expires: 2026-12-31"))
        if expires is not None and date is not None:
            max_days = self.context.settings.appeal_max_days
            if expires <= date:
                self.fields.fail(("expires",), Message('"expires" must be after "date"'))
            elif kind is Kind.APPEAL and expires - date > dt.timedelta(days=max_days):
                latest = date + dt.timedelta(days=max_days)
                self.fields.fail(("expires",), Message(
                    "an appeal may run at most %(days)s days (appeal_max_days in site.toml); set an earlier expires, "
                    "at the latest expires: %(latest)s", days=max_days, latest=_written(latest.astimezone(self.tz))))
        return expires

    def withdrawal(self, value: Any) -> Withdrawal | None:
        if value is True:
            return Withdrawal()
        if value is False or value is None:
            return None
        try:
            data = self.fields.mapping(value, ("withdrawn",), WITHDRAWN_KEYS, "withdrawn")
        except Invalid:
            return None
        return Withdrawal(date=self.fields.date(data, "date", ("withdrawn",), self.tz),
                          reason=self.fields.text(data, "reason", ("withdrawn",)))

    def alias(self, alias: str, index: int) -> str:
        """The alias as an address ending in "/" (or a file name), or "" after a problem."""
        path = PurePosixPath(alias)
        if not ALIAS.match(alias) or ".." in path.parts or "//" in alias:
            self.fields.fail(("aliases", index), Message(
                'alias "%(alias)s" must be a path on this site starting with "/", like /2019/alte-adresse/, '
                'without ".." or a host name', alias=alias))
            return ""
        top = alias.strip("/").split("/", 1)[0]
        if not top or top in _NOT_FOR_ALIASES:
            self.fields.fail(("aliases", index), Message(
                'alias "%(alias)s" would replace a page the site makes itself ("/%(top)s"); an alias must be the '
                "old address of this release", alias=alias, top=top))
            return ""
        return alias if alias.endswith("/") or path.suffix else alias + "/"

    def lang(self) -> Language:
        """The release's own language: `lang`, else the site's `content_language`."""
        default = self.context.settings.content_language
        lang = self.fields.text(self.data, "lang", ())
        if lang is None:
            return default
        known = as_language(lang)
        if known is not None:
            return known
        self.fields.fail(("lang",), Message('lang must be "de" or "en", not "%(lang)s"', lang=lang))
        return default

    def extra(self) -> dict[str, Any]:
        extra = self.data.get("extra") or {}
        if not isinstance(extra, dict):
            self.fields.fail(("extra",), Message('"extra" must be a mapping of free values, not %(found)s',
                                                 found=kind_of(extra)))
            return {}
        return extra


def _written(value: dt.datetime) -> str:
    """A time as a release writes it in the site's zone: "2026-12-01 08:00"."""
    return f"{value:%Y-%m-%d %H:%M}"


def unknown_authority(given: str, authorities: Mapping[str, Authority]) -> str:
    """The message for an `authority:` that is no id: the id it likely means, and the choices when few.

    Press officers know their authority by its ots code ("POL-GE"), so a code, in any case, names its id.
    """
    by_code = {a.code.casefold(): a for a in authorities.values()}
    meant = by_code.get(given.strip().casefold())
    if meant is None:
        named = {a.name.casefold(): a for a in authorities.values()}
        meant = named.get(given.strip().casefold())
    if meant is None:
        close = difflib.get_close_matches(given.casefold(), sorted(authorities), n=1, cutoff=0.6)
        close = close or difflib.get_close_matches(given.casefold(), sorted(by_code), n=1, cutoff=0.6)
        if close:
            meant = authorities.get(close[0]) or by_code.get(close[0])
    hint = Message(" (did you mean %(id)s (%(code)s)?)", id=meant.id, code=meant.code) if meant is not None else ""
    if 0 < len(authorities) <= LIST_AUTHORITIES:
        choices = ", ".join(f"{a.id} ({a.code})" for a in sorted(authorities.values(), key=lambda a: a.id))
        return Message('unknown authority "%(given)s"%(hint)s; write the id, one of: %(choices)s', given=given,
                       hint=hint, choices=choices)
    return Message('unknown authority "%(given)s"%(hint)s; the authorities are listed in %(file)s', given=given,
                   hint=hint, file=AUTHORITIES_FILE)
