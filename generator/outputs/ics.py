"""iCalendar files (RFC 5545) for the events of conference reports.

Written by hand: one VEVENT per file needs no library. Times are in UTC (the "Z" form),
which every calendar converts to its reader's zone and which needs no VTIMEZONE block.
DTSTAMP is the release's last update, never the build clock, so the file is stable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator import __version__
from generator.core import urls
from generator.core.models import Release
from generator.render.views import ViewMaker

LINE_OCTETS = 75


def event_calendars(releases: tuple[Release, ...], views: ViewMaker) -> Iterator[tuple[str, str]]:
    for release in releases:
        if release.event is not None:
            yield urls.event_calendar(release.slug), event_calendar(release, views)


def event_calendar(release: Release, views: ViewMaker) -> str:
    event = release.event
    assert event is not None
    page = views.absolute(urls.release(release.slug))
    venue = ", ".join(dict.fromkeys(p for p in (event.venue, release.location) if p))
    contact = release.contact
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Pressroom//Pressroom {__version__}//{views.language.upper()}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{text(release.id)}@{views.settings.host}",
        f"DTSTAMP:{utc(release.updated)}",
        f"LAST-MODIFIED:{utc(release.updated)}",
        # Each major update (a correction) raises the sequence, so calendars replace the old entry.
        f"SEQUENCE:{sum(1 for u in release.updates if u.major)}",
        f"DTSTART:{utc(event.start)}",
    ]
    if event.end is not None:
        lines.append(f"DTEND:{utc(event.end)}")
    lines += [
        f"SUMMARY:{text(event.name)}",
        f"DESCRIPTION:{text(release.headline + chr(10) + page)}",
        f"URL:{page}",
    ]
    if venue:
        lines.append(f"LOCATION:{text(venue)}")
    if contact.email:
        lines.append(f"ORGANIZER;CN={parameter(release.authority.name)}:mailto:{contact.email}")
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def parameter(value: str) -> str:
    """A parameter value: quoted when it holds ':', ';' or ','; quotes themselves cannot appear."""
    value = value.replace('"', "'")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space (RFC 5545 3.1)."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:  # never splits a UTF-8 sequence
            parts.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1  # the leading space counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
