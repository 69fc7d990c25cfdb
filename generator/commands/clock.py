"""`--now`: the moment at which a command decides scheduled, expired and withdrawn releases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.build.pipeline import load_site
from generator.content.settings import load_settings
from generator.core.dates import DateFormatError, parse_datetime, zone
from generator.core.errors import BuildErrors, Message, UsageError


def clock() -> dt.datetime:
    """The current time, in whole seconds (what a build without `--now` decides at)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def at(text: str, site: Path, base_url: str | None = None) -> dt.datetime:
    """`--now TEXT` as an aware time.

    Text that is no date is a usage error (exit 2). A time without an offset is
    read in the site's time zone, so `site.toml` must be valid: if it is not,
    every problem of the site is raised together (`BuildErrors`, exit 1), those of
    `site.toml` with their lines — a zone is never guessed, since a wrong guess
    would silently move every scheduled release by hours.
    """
    parsed = _parse(text, zone("UTC"))
    if _has_offset(text):
        return parsed
    try:
        settings = load_settings(site, base_url)
    except BuildErrors:
        load_site(site, base_url)  # raises the site.toml problems and all the others
        raise  # (site.toml was mended in the meantime: its own problems still stand for this run)
    return _parse(text, settings.tz)


def _parse(text: str, tz: ZoneInfo) -> dt.datetime:
    try:
        return parse_datetime(text, tz)
    except DateFormatError as exc:
        raise UsageError(Message("--now: %(problem)s", problem=exc.message)) from None


def _has_offset(text: str) -> bool:
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


__all__ = ["at", "clock"]
