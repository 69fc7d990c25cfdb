"""Reading the dates of the front matter (showing them is generator.render.formatting)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOCAL = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$")


# Years a date of a release may have. Before 1900 or after 2200 it is a typo (0219 for 2019, 2919
# for 2019); outside some such range, converting between time zones overflows Python's datetime,
# and calendars and feed readers disagree about far dates.
FIRST_YEAR = 1900
LAST_YEAR = 2200


class DateFormatError(ValueError):
    """A date string that is not one of the accepted forms, or does not exist."""


@lru_cache(maxsize=16)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def parse_datetime(value: object, tz: ZoneInfo) -> dt.datetime:
    """An aware datetime from `2019-04-29T16:05:00+02:00`, `2019-04-29 16:05` or `2019-04-29`.

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
        raise DateFormatError(f"expected a date like 2019-04-29T16:05:00+02:00, got {type(value).__name__}")
    if _DATE_ONLY.match(text):
        text += "T00:00"
    match = _LOCAL.match(text)
    if match:
        try:
            naive = dt.datetime.fromisoformat(f"{match[1]}T{match[2]}:{match[3]}:{match[4] or '00'}")
        except ValueError as exc:
            raise DateFormatError(f'"{value}" is not a valid date: {exc}') from None
        _check_year(naive, value)
        return _localize(naive, tz, str(value))
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise DateFormatError(
            f'"{value}" is not an ISO 8601 date; write 2019-04-29T16:05:00+02:00, 2019-04-29 16:05 or 2019-04-29'
        ) from None
    _check_year(parsed, value)  # before any conversion: far dates overflow in it
    if parsed.tzinfo is None:
        return _localize(parsed, tz, str(value))
    return parsed


def _check_year(parsed: dt.datetime, value: object) -> None:
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise DateFormatError(f'"{value}" lies in the year {parsed.year}; a date must be between {FIRST_YEAR} and '
                              f"{LAST_YEAR} (is the year mistyped?)")


def _localize(naive: dt.datetime, tz: ZoneInfo, original: str) -> dt.datetime:
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    roundtrip = first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if roundtrip != naive:
        raise DateFormatError(
            f'"{original}" does not exist in {tz.key} (clocks skip that hour); give the offset, e.g. +02:00'
        )
    if first.utcoffset() != second.utcoffset():
        raise DateFormatError(
            f'"{original}" happens twice in {tz.key} (clocks go back); give the offset, e.g. +02:00 or +01:00'
        )
    return first


def iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")
