"""iCalendar files (RFC 5545) for the events of conference reports.

Written by hand: one VEVENT per file needs no library. Times are in UTC (the "Z" form),
which every calendar converts to its reader's zone and which needs no VTIMEZONE block.
DTSTAMP is the release's last update, never the build clock, so the file is stable.
"""

from __future__ import annotations

import datetime as dt

from generator import __version__
from generator.core import urls
from generator.core.models import Release
from generator.core.text import strip_control
from generator.outputs.data import OutputData

LINE_OCTETS = 75


def event_calendar(release: Release, data: OutputData) -> str:
    event = release.event
    assert event is not None
    page = data.absolute(urls.release(release.slug))
    venue = ", ".join(dict.fromkeys(p for p in (event.venue, release.location) if p))
    contact = release.contact
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Pressroom//Pressroom {__version__}//{data.language.upper()}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{text(release.id)}@{data.settings.host}",
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
    # Every value is escaped already; a line break left in one (an address, say) must not start a property.
    return "".join(fold(strip_control(line).replace("\n", "")) + "\r\n" for line in lines)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped, control characters gone."""
    value = strip_control(value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def parameter(value: str) -> str:
    """A parameter value (RFC 5545 3.1, 3.2): quoted when it holds ':', ';' or ','.

    A quoted string cannot hold '"' or control characters, and RFC 5545 has no escape for
    them, so they are left out; a line break becomes a space.
    """
    value = strip_control(value.replace("\r\n", " ").replace("\n", " ")).replace("\t", " ").replace('"', "")
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
