"""Dates and sizes as readers see them, in the site's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from generator.core import mime

Gettext = Callable[[str], str]


def _untranslated(message: str) -> str:
    return message


# English has one style on a whole site, for pages, lists and notices alike: day, month in
# words, year, and the 24-hour clock of the place ("29 April 2019, 16:05"). Numeric dates
# would read differently in Britain and America; a 12-hour clock beside a 24-hour one is two
# formats. German keeps its own: "29. April 2019, 16:05 Uhr" on pages, "29.04.2019, 16:05" in lists.


def show_datetime(value: dt.datetime, tz: ZoneInfo, language: str) -> str:
    """'29. April 2019, 16:05 Uhr' in German, '29 April 2019, 16:05' in English."""
    local = value.astimezone(tz)
    if language == "de":
        # Babel's 'd. MMMM y', spelled out: formatting through Babel costs more than the rest of a page.
        return f"{local.day}. {_GERMAN_MONTHS[local.month]} {local.year}, {local:%H:%M} Uhr"
    return f"{local.day} {_ENGLISH_MONTHS[local.month]} {local.year}, {local:%H:%M}"


_GERMAN_MONTHS = get_month_names("wide", locale="de_DE")
_ENGLISH_MONTHS = get_month_names("wide", locale="en_GB")


def show_date(value: dt.datetime, tz: ZoneInfo, language: str) -> str:
    """'29. April 2019' in German, '29 April 2019' in English."""
    local = value.astimezone(tz)
    if language == "de":
        return f"{local.day}. {_GERMAN_MONTHS[local.month]} {local.year}"
    return f"{local.day} {_ENGLISH_MONTHS[local.month]} {local.year}"


def show_short(value: dt.datetime, tz: ZoneInfo, language: str) -> str:
    """'29.04.2019, 16:05' for German lists; English lists use the one English style."""
    local = value.astimezone(tz)
    if language == "de":
        return f"{local:%d.%m.%Y, %H:%M}"
    return show_datetime(value, tz, language)


def type_label(path: str, gettext: Gettext = _untranslated) -> str:
    """'PDF' for a.pdf; a file without an extension is just a file."""
    return mime.extension(path).lstrip(".").upper() or gettext("File")


def size_text(size: int, language: str, gettext: Gettext = _untranslated) -> str:
    """'245 KB', '1,2 MB' (German decimal comma)."""
    kilobytes = max(1, round(size / 1000))
    if kilobytes < 1000:
        text = gettext("%(size)s KB") % {"size": kilobytes}
    else:
        text = gettext("%(size)s MB") % {"size": f"{size / 1000 / 1000:.1f}"}
    return text.replace(".", ",") if language == "de" else text
