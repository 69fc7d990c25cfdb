"""What machines read from a release page: schema.org JSON-LD, OpenGraph and Twitter cards.

Everything here is built from the models and the output data; the template only prints it. Every URL
is absolute, because crawlers and link previews see the page out of its site.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from markupsafe import Markup

from generator.core import urls
from generator.core.dates import iso
from generator.core.models import Authority, Event, Kind, Language, Release
from generator.core.text import strip_control_all
from generator.outputs.data import OutputData

# Characters that could end or confuse a <script> element; JSON allows them as \u escapes.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_LOCALES = {"de": "de_DE", "en": "en_GB"}


@dataclass(frozen=True)
class MetaTag:
    attribute: Literal["property", "name"]  # OpenGraph, Twitter
    key: str
    content: str


@dataclass(frozen=True)
class Discovery:
    """The machine-readable head of a release page."""

    json_ld: Markup
    meta: tuple[MetaTag, ...]


@dataclass(frozen=True)
class ReleaseFacts:
    """What the machine-readable head says about a release besides the model itself."""

    canonical: str  # absolute URL of the release page
    teaser: str
    lang: Language
    site_title: str
    author_url: str  # absolute URL of the authority's page
    images: tuple[str, ...]  # absolute URLs of the published images, in the release's order

    @classmethod
    def of(cls, release: Release, data: OutputData) -> ReleaseFacts:
        return cls(
            canonical=data.absolute(urls.release(release.slug)),
            teaser=data.teaser(release),
            lang=release.lang or data.language,
            site_title=data.settings.title,
            author_url=data.absolute(urls.authority(release.authority.id)),
            images=tuple(file.url for file in data.image_files(release)),
        )


def discovery(release: Release, data: OutputData) -> Discovery:
    facts = ReleaseFacts.of(release, data)
    return Discovery(json_ld=json_ld_script(release_json_ld(release, facts)), meta=social_meta(release, facts))


def dumps(data: Any) -> str:
    """Deterministic JSON: sorted keys, real UTF-8, no spaces that vary, no control characters."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # JSON writes C0 controls as escapes and the others as they are: when neither is in the text,
    # no string held one and stripping would change nothing (walking the data costs more than
    # the dump). Any doubt – an escaped backslash before such a letter, too – takes the long way.
    if not _may_hold_control(text):
        return text
    return json.dumps(strip_control_all(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_CONTROL_IN_JSON = re.compile(r"\\[ubfr]|[\x7f-\x9f\ufffe\uffff]")
_ESCAPE_IN_JSON = re.compile(r"\\[ubfr]")


def _may_hold_control(text: str) -> bool:
    """Whether `_CONTROL_IN_JSON` is found in `text`. That search tries each position (it has no
    literal to skip ahead to) and costs more than the dump; `str.isprintable` is false for each
    character of its class and true for almost every document, which then leaves the escapes,
    found by a search that skips from backslash to backslash."""
    if text.isprintable():
        return _ESCAPE_IN_JSON.search(text) is not None
    return _CONTROL_IN_JSON.search(text) is not None


def json_ld_script(data: Any) -> Markup:
    text = dumps(data)
    for char, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def organization(authority: Authority, url: str) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "GovernmentOrganization", "name": authority.name, "url": url}
    if authority.website:
        data["sameAs"] = authority.website
    return data


def release_json_ld(release: Release, facts: ReleaseFacts) -> list[dict[str, Any]]:
    """A NewsArticle, and for a conference report also its Event."""
    office = organization(release.authority, facts.author_url)
    blocks = [news_article(release, facts, office)]
    if release.kind is Kind.CONFERENCE_REPORT and release.event is not None:
        blocks.append(event_block(release, release.event, facts, office))
    return blocks


def news_article(release: Release, facts: ReleaseFacts, office: dict[str, Any]) -> dict[str, Any]:
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": facts.canonical + "#meldung",
        "headline": release.headline,
        "description": facts.teaser,
        "datePublished": iso(release.date),
        "dateModified": iso(release.updated),
        "author": office,
        "publisher": office,
        "inLanguage": facts.lang,
        "url": facts.canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": facts.canonical},
        "isAccessibleForFree": True,
        "dateline": release.location,
    }
    if facts.images:
        article["image"] = list(facts.images)
    if release.tags:
        article["keywords"] = list(release.tags)
    if release.places:
        article["contentLocation"] = [{"@type": "Place", "name": p} for p in release.places]
    return article


def event_block(release: Release, event: Event, facts: ReleaseFacts, office: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.name,
        "startDate": iso(event.start),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": event.venue or release.location,
            "address": {"@type": "PostalAddress", "addressLocality": release.location},
        },
        "organizer": office,
        "url": facts.canonical,
        "subjectOf": {"@id": facts.canonical + "#meldung"},
    }
    if event.end:
        data["endDate"] = iso(event.end)
    if event.participants:
        data["attendee"] = [{"@type": "Organization", "name": p} for p in event.participants]
    if facts.images:
        data["image"] = list(facts.images)
    return data


def social_meta(release: Release, facts: ReleaseFacts) -> tuple[MetaTag, ...]:
    """OpenGraph (Facebook, Mastodon, messengers) and Twitter cards."""
    tags = [
        MetaTag("property", "og:type", "article"),
        MetaTag("property", "og:title", release.headline),
        MetaTag("property", "og:description", facts.teaser),
        MetaTag("property", "og:url", facts.canonical),
        MetaTag("property", "og:site_name", facts.site_title),
        MetaTag("property", "og:locale", _LOCALES.get(facts.lang, facts.lang)),
        MetaTag("property", "article:published_time", iso(release.date)),
        MetaTag("property", "article:modified_time", iso(release.updated)),
        MetaTag("property", "article:author", facts.author_url),
        *(MetaTag("property", "article:tag", tag) for tag in release.tags),
    ]
    first = release.images[0] if release.images else None
    if first is not None and facts.images:
        tags += [MetaTag("property", "og:image", facts.images[0]),
                 MetaTag("property", "og:image:alt", first.alt)]
    tags += [
        MetaTag("name", "twitter:card", "summary_large_image" if first else "summary"),
        MetaTag("name", "twitter:title", release.headline),
        MetaTag("name", "twitter:description", facts.teaser),
    ]
    if first is not None and facts.images:
        tags += [MetaTag("name", "twitter:image", facts.images[0]),
                 MetaTag("name", "twitter:image:alt", first.alt)]
    return tuple(tags)
