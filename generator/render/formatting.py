"""Dates and sizes as readers see them, in the site's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, get_month_names

from generator.core import mime

Gettext = Callable[[str], str]


def _untranslated(message: str) -> str:
    return message


def show_datetime(value: dt.datetime, tz: ZoneInfo, language: str) -> str:
    """'29. April 2019, 16:05 Uhr' in German, 'April 29, 2019, 4:05 pm' in English."""
    local = value.astimezone(tz)
    if language == "de":
        # Babel's 'd. MMMM y', spelled out: formatting through Babel costs more than the rest of a page.
        return f"{local.day}. {_GERMAN_MONTHS[local.month]} {local.year}, {local:%H:%M} Uhr"
    return format_datetime(local, "MMMM d, y, h:mm a", tzinfo=tz, locale="en_GB")


_GERMAN_MONTHS = get_month_names("wide", locale="de_DE")


def show_date(value: dt.datetime, tz: ZoneInfo, language: str) -> str:
    local = value.astimezone(tz)
    return format_date(local, "d. MMMM y" if language == "de" else "d MMMM y", locale=_locale(language))


def show_short(value: dt.datetime, tz: ZoneInfo, language: str) -> str:
    """'29.04.2019, 16:05' for lists."""
    local = value.astimezone(tz)
    if language == "de":
        return f"{local:%d.%m.%Y, %H:%M}"
    return f"{local:%d/%m/%Y, %H:%M}"


def _locale(language: str) -> str:
    return "de_DE" if language == "de" else "en_GB"


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
