"""What machines read from a release page: schema.org JSON-LD, OpenGraph and Twitter cards.

Everything here is built from the models and views; the template only prints it. Every URL
is absolute, because crawlers and link previews see the page out of its site.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup

from generator.core import urls
from generator.core.dates import iso
from generator.core.models import Authority, Kind, Release
from generator.render.views import ReleaseView, ViewMaker

_URL_ATTRIBUTE = re.compile(r'\b(href|src|cite)="([^"]*)"')
# Characters that could end or confuse a <script> element; JSON allows them as \u escapes.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_LOCALES = {"de": "de_DE", "en": "en_GB"}


@dataclass(frozen=True)
class MetaTag:
    attribute: str  # "property" (OpenGraph) or "name" (Twitter)
    key: str
    content: str


@dataclass(frozen=True)
class Discovery:
    """The machine-readable head of a release page."""

    json_ld: Markup
    meta: tuple[MetaTag, ...]


def discovery(release: Release, view: ReleaseView, views: ViewMaker) -> Discovery:
    return Discovery(json_ld=json_ld_script(release_json_ld(release, view, views)),
                     meta=social_meta(release, view, views))


def absolute_html(fragment: str, base: str) -> str:
    """Every link of a sanitized HTML fragment made absolute against `base`."""
    def absolute(match: re.Match[str]) -> str:
        value = html.unescape(match[2])
        return f'{match[1]}="{html.escape(urljoin(base, value), quote=True)}"'
    return _URL_ATTRIBUTE.sub(absolute, fragment)


def dumps(data: Any) -> str:
    """Deterministic JSON: sorted keys, real UTF-8, no spaces that vary."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def json_ld_script(data: Any) -> Markup:
    text = dumps(data)
    for char, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def organization(authority: Authority, views: ViewMaker) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "GovernmentOrganization",
        "name": authority.name,
        "url": views.absolute(urls.authority(authority.id)),
    }
    if authority.website:
        data["sameAs"] = authority.website
    return data


def image_urls(release: Release, views: ViewMaker) -> list[str]:
    return [file.url for file in views.image_files(release)]


def release_json_ld(release: Release, view: ReleaseView, views: ViewMaker) -> list[dict[str, Any]]:
    """A NewsArticle, and for a conference report also its Event."""
    office = organization(release.authority, views)
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": view.canonical + "#meldung",
        "headline": release.headline,
        "description": view.teaser,
        "datePublished": iso(release.date),
        "dateModified": iso(release.updated),
        "author": office,
        "publisher": office,
        "inLanguage": view.lang,
        "url": view.canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": view.canonical},
        "isAccessibleForFree": True,
        "dateline": release.location,
    }
    images = image_urls(release, views)
    if images:
        article["image"] = images
    if release.tags:
        article["keywords"] = list(release.tags)
    if release.places:
        article["contentLocation"] = [{"@type": "Place", "name": p} for p in release.places]
    blocks = [article]
    event = release.event
    if release.kind is Kind.CONFERENCE_REPORT and event is not None:
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
            "url": view.canonical,
            "subjectOf": {"@id": view.canonical + "#meldung"},
        }
        if event.end:
            data["endDate"] = iso(event.end)
        if event.participants:
            data["attendee"] = [{"@type": "Organization", "name": p} for p in event.participants]
        if images:
            data["image"] = images
        blocks.append(data)
    return blocks


def social_meta(release: Release, view: ReleaseView, views: ViewMaker) -> tuple[MetaTag, ...]:
    """OpenGraph (Facebook, Mastodon, messengers) and Twitter cards."""
    tags = [
        MetaTag("property", "og:type", "article"),
        MetaTag("property", "og:title", release.headline),
        MetaTag("property", "og:description", view.teaser),
        MetaTag("property", "og:url", view.canonical),
        MetaTag("property", "og:site_name", views.settings.title),
        MetaTag("property", "og:locale", _LOCALES.get(view.lang, view.lang)),
        MetaTag("property", "article:published_time", iso(release.date)),
        MetaTag("property", "article:modified_time", iso(release.updated)),
        MetaTag("property", "article:author", views.absolute(urls.authority(release.authority.id))),
        *(MetaTag("property", "article:tag", tag) for tag in release.tags),
    ]
    first = release.images[0] if release.images else None
    if first is not None:
        tags += [MetaTag("property", "og:image", image_urls(release, views)[0]),
                 MetaTag("property", "og:image:alt", first.alt)]
    tags += [
        MetaTag("name", "twitter:card", "summary_large_image" if first else "summary"),
        MetaTag("name", "twitter:title", release.headline),
        MetaTag("name", "twitter:description", view.teaser),
    ]
    if first is not None:
        tags += [MetaTag("name", "twitter:image", image_urls(release, views)[0]),
                 MetaTag("name", "twitter:image:alt", first.alt)]
    return tuple(tags)
