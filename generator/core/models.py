"""The typed models of a site: settings, authorities, releases, pages.

All of them are frozen; a build makes them once from the site folder and
every later stage only reads them.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

Language = Literal["de", "en"]  # of the interface, the dates and a release or page
# What kind of office an authority is: it decides the defaults that differ between them, such as
# the police's tip line "Notruf 110".
AuthorityType = Literal["police", "fire", "city", "other"]


@dataclass(frozen=True)
class Settings:
    title: str
    base_url: str  # always ends with "/"
    language: Language = "de"  # of the interface: navigation, labels, dates
    content_language: Language = "de"  # in which releases and pages are written unless they say otherwise
    timezone: str = "Europe/Berlin"
    description: str = ""
    per_page: int = 20
    feed_items: int = 20
    appeal_max_days: int = 90
    websub_hub: str | None = None
    publish_originals: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def host(self) -> str:
        return self.base_url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    url: str | None = None

    def merged(self, override: Contact) -> Contact:
        return Contact(
            name=override.name or self.name,
            phone=override.phone or self.phone,
            email=override.email or self.email,
            url=override.url or self.url,
        )


@dataclass(frozen=True)
class TipLine:
    """Where citizens call with what they saw, as an appeal asks them to: "Notruf 110",
    "Kriminalwache 0209 365-8240". `phone` is checked to make a `tel:` link (core.phone.tel_uri)."""

    phone: str
    text: str  # what the line is, shown with the number: "Notruf", "Hinweistelefon der Kriminalwache"
    url: str | None = None  # a web form for tips, when there is one


@dataclass(frozen=True)
class Authority:
    id: str
    name: str
    code: str
    city: str
    website: str | None = None
    contact: Contact = Contact()
    description: str | None = None
    type: AuthorityType = "other"
    tips: tuple[TipLine, ...] = ()  # in the order the authority gave them; the police default is Notruf 110
    logo: Image | None = None  # JPEG or PNG under the site folder; alt defaults to the authority's name


class Kind(enum.StrEnum):
    PRESS_RELEASE = "press-release"
    CONFERENCE_REPORT = "conference-report"
    APPEAL = "appeal"


class State(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class MediaFile:
    """A file under the site folder that a release refers to."""

    source: Path  # absolute path on disk
    site_path: str  # path relative to the site folder, with "/"
    size: int
    # Where the `src` was looked for first and no file was (beside the release, before
    # content/media/): a file put there later is the one the release means.
    passed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Image:
    file: MediaFile
    alt: str
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True)
class Attachment:
    file: MediaFile
    title: str


@dataclass(frozen=True)
class Event:
    name: str
    start: dt.datetime
    end: dt.datetime | None = None
    venue: str | None = None
    participants: tuple[str, ...] = ()
    agenda: tuple[str, ...] = ()


@dataclass(frozen=True)
class Update:
    date: dt.datetime
    note: str
    major: bool = True


@dataclass(frozen=True)
class Withdrawal:
    date: dt.datetime | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Release:
    source: str  # path relative to the site folder
    id: str
    slug: str
    title: str
    date: dt.datetime
    authority: Authority
    body: str  # Markdown
    kind: Kind = Kind.PRESS_RELEASE
    location: str = ""
    tags: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    summary: str | None = None
    contact: Contact = Contact()
    images: tuple[Image, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    event: Event | None = None
    updates: tuple[Update, ...] = ()
    follows: str | None = None
    expires: dt.datetime | None = None
    withdrawn: Withdrawal | None = None
    draft: bool = False
    aliases: tuple[str, ...] = ()
    lang: Language = "de"  # its own `lang`, else the site's content_language; loading always sets it
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def headline(self) -> str:
        return f"{self.authority.code}: {self.title}"

    @cached_property  # asked for by every listing, feed and sitemap entry that shows the release
    def updated(self) -> dt.datetime:
        """The newest major update, or the publication time."""
        majors = [u.date for u in self.updates if u.major]
        return max([self.date, *majors])


@dataclass(frozen=True)
class Page:
    source: str
    slug: str
    title: str
    body: str
    description: str = ""
    lang: Language | None = None
