"""The calendar entry of a conference report, read back with the icalendar library."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from generator.outputs.ics import fold, text

CONFERENCE = "meldung/2019-04-29-eine-konferenz-fuer-die-sicherheit-in-gelsenkirchen/"
BERLIN = ZoneInfo("Europe/Berlin")


def test_the_conference_report_links_its_calendar_entry(demo_output: Path) -> None:
    page = (demo_output / CONFERENCE / "index.html").read_text(encoding="utf-8")
    assert f'href="/{CONFERENCE}termin.ics"' in page
    calendars = sorted(p.relative_to(demo_output).as_posix() for p in demo_output.rglob("*.ics"))
    assert calendars == [CONFERENCE + "termin.ics"]  # only conference reports have events


def test_the_event_parses_back_with_the_right_times(demo_output: Path) -> None:
    raw = (demo_output / CONFERENCE / "termin.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == "pol-ge-2019-0429-1@presse.example.org"
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND")
    assert start.utcoffset() == dt.timedelta(0)
    assert start == dt.datetime(2019, 4, 29, 10, 0, tzinfo=BERLIN)
    assert start.astimezone(BERLIN).hour == 10
    assert end > start
    assert event.decoded("DTSTAMP") == dt.datetime(2019, 4, 29, 16, 5, tzinfo=BERLIN)
    assert str(event["SUMMARY"]) == "1. Gelsenkirchener Sicherheitskonferenz"
    assert str(event["LOCATION"]) == "Polizeipräsidium Gelsenkirchen, Gelsenkirchen"
    assert str(event["URL"]) == "https://presse.example.org/" + CONFERENCE
    assert "POL-GE: Eine Konferenz" in str(event["DESCRIPTION"])


def test_folding_keeps_utf8_whole_and_text_is_escaped() -> None:
    line = "SUMMARY:" + text("Größe; Maß, Ölpreis\nzweite Zeile ") * 5
    folded = fold(line).encode("utf-8")
    for part in folded.split(b"\r\n"):
        assert len(part) <= 75
        part.decode("utf-8")  # no sequence cut in two
    event = icalendar.Event.from_ical("BEGIN:VEVENT\r\n" + folded.decode() + "\r\nEND:VEVENT\r\n")
    assert str(event["SUMMARY"]) == "Größe; Maß, Ölpreis\nzweite Zeile " * 5
