"""Reading the dates of the front matter (showing them is generator.render.formatting)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from generator.core.errors import Message

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A local time: the hour may have one digit ("2026-12-01 8:00"), as people write it.
_LOCAL = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ] *(\d{1,2}):(\d{2})(?::(\d{2}))?$")
# The German way: "01.12.2026", "1.12.2026 8:00", "01.12.2026, 08:00 Uhr". Always day first, the
# year in four digits: nothing here can be read two ways.
_GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,? +(\d{1,2}):(\d{2})(?::(\d{2}))?(?: *Uhr)?)?$")
# What the error message offers; one string, so that it is translated as one.
FORMS = Message("%(forms)s or %(last)s", forms="2026-12-01 08:00, 01.12.2026 08:00, 2026-12-01",
                last="2026-12-01T08:00:00+01:00")


# Years a date of a release may have. Before 1900 or after 2200 it is a typo (0219 for 2019, 2919
# for 2019); outside some such range, converting between time zones overflows Python's datetime,
# and calendars and feed readers disagree about far dates.
FIRST_YEAR = 1900
LAST_YEAR = 2200


class DateFormatError(ValueError):
    """A date string that is not one of the accepted forms, or does not exist."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message  # a `Message`, translated where it is shown


@lru_cache(maxsize=16)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def parse_datetime(value: object, tz: ZoneInfo) -> dt.datetime:
    """An aware datetime from `2019-04-29T16:05:00+02:00`, `2019-04-29 16:05` (`… 8:05` too),
    `2019-04-29`, or the German `29.04.2019 16:05` and `29.04.2019`.

    Without an offset the time is read in `tz`; a wall time that does not exist
    there (the spring DST gap) or exists twice without an offset to decide is
    an error rather than a silent guess, and so is a year before FIRST_YEAR or
    after LAST_YEAR.
    """
    if isinstance(value, dt.date):  # datetimes too
        text = value.isoformat()
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise DateFormatError(Message("expected a date like 2019-04-29T16:05:00+02:00, got %(found)s",
                                      found=type(value).__name__))
    german = _GERMAN.match(text)
    if german:
        day, month, year, hour, minute, second = german.groups()
        text = f"{year}-{int(month):02d}-{int(day):02d}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if _DATE_ONLY.match(text):
        text += "T00:00"
    match = _LOCAL.match(text)
    if match:
        try:
            naive = dt.datetime.fromisoformat(f"{match[1]}T{int(match[2]):02d}:{match[3]}:{match[4] or '00'}")
        except ValueError as exc:
            raise DateFormatError(Message('"%(value)s" is not a valid date: %(problem)s', value=str(value),
                                          problem=_why(exc))) from None
        _check_year(naive, value)
        return _localize(naive, tz, str(value))
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        guess = nearest_form(text)
        if guess is not None:
            raise DateFormatError(Message('"%(value)s" is not a date Pressroom reads (did you mean %(guess)s?); '
                                          "write it like %(forms)s", value=str(value), guess=guess,
                                          forms=FORMS)) from None
        raise DateFormatError(Message('"%(value)s" is not a date Pressroom reads; write it like %(forms)s',
                                      value=str(value), forms=FORMS)) from None
    _check_year(parsed, value)  # before any conversion: far dates overflow in it
    if parsed.tzinfo is None:
        return _localize(parsed, tz, str(value))
    return parsed


# Python's words for an impossible date, as a message that can be translated.
_WHY = {
    "month must be in 1..12": Message("the month must be between 1 and 12"),
    "day is out of range for month": Message("that month has no such day"),
    "hour must be in 0..23": Message("the hour must be between 0 and 23"),
    "minute must be in 0..59": Message("the minute must be between 0 and 59"),
    "second must be in 0..59": Message("the second must be between 0 and 59"),
}


def _why(exc: ValueError) -> str:
    text = str(exc)
    return next((why for start, why in _WHY.items() if text.startswith(start)), text)


_NUMBERS = re.compile(r"\d+")


def nearest_form(text: str) -> str | None:
    """The value rewritten into the form "2026-12-01 08:00" (or "2026-12-01"), if it can be guessed.

    Only the order of the numbers is used: year first (four digits) or day first, as in Germany;
    a two-digit year is taken as 20xx. A guess that is no real date is no guess.
    """
    if re.search(r"[+-]\d{2}:?\d{2}$|Z$", text) and re.match(r"^\d{4}-", text):
        return None  # an offset is there: the time itself is wrong, no reordering helps
    numbers = [int(n) for n in _NUMBERS.findall(text)]
    if not 3 <= len(numbers) <= 6:
        return None
    parts = _NUMBERS.findall(text)
    if len(parts[0]) == 4:
        year, month, day = numbers[:3]
    elif len(parts[2]) in (2, 4) and len(parts[0]) <= 2:
        day, month, year = numbers[:3]
        if len(parts[2]) == 2:
            year += 2000
    else:
        return None
    hour, minute = [*numbers[3:5], 0, 0][:2] if len(numbers) > 3 else (None, None)
    try:
        guessed = dt.datetime(year, month, day, hour or 0, minute or 0)
    except (ValueError, OverflowError):  # OverflowError: a number of more digits than a C long
        return None
    if not FIRST_YEAR <= guessed.year <= LAST_YEAR:
        return None
    return f"{guessed:%Y-%m-%d}" if hour is None else f"{guessed:%Y-%m-%d %H:%M}"


def _check_year(parsed: dt.datetime, value: object) -> None:
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise DateFormatError(Message('"%(value)s" lies in the year %(year)s; a date must be between %(first)s and '
                                      "%(last)s (is the year mistyped?)", value=str(value), year=str(parsed.year),
                                      first=str(FIRST_YEAR), last=str(LAST_YEAR)))


def _localize(naive: dt.datetime, tz: ZoneInfo, original: str) -> dt.datetime:
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    roundtrip = first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if roundtrip != naive:
        raise DateFormatError(Message(
            '"%(value)s" does not exist in %(zone)s (clocks skip that hour); give the offset, e.g. +02:00',
            value=original, zone=tz.key))
    if first.utcoffset() != second.utcoffset():
        raise DateFormatError(Message(
            '"%(value)s" happens twice in %(zone)s (clocks go back); give the offset, e.g. +02:00 or +01:00',
            value=original, zone=tz.key))
    return first


def iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")
