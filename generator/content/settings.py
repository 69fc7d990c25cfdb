"""site.toml: the settings of one site."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.core.errors import BuildErrors, ContentError, Problem, suggestion
from generator.core.models import Settings

SITE_FILE = "site.toml"
KEYS = {
    "title", "base_url", "language", "timezone", "description", "per_page", "feed_items",
    "appeal_max_days", "websub_hub", "publish_originals", "extra",
}
LANGUAGES = ("de", "en")


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^\s*{re.escape(key)}\s*=|^\[{re.escape(key)}\]", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def load_settings(site: Path, base_url: str | None = None) -> Settings:
    """Read and check `site.toml`; every problem in it is reported at once."""
    path = site / SITE_FILE
    shown = SITE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BuildErrors([Problem(shown, 1, f"{path} is missing; every site needs a site.toml "
                                   'with at least title = "…" and base_url = "https://…/"')]) from None
    except UnicodeDecodeError:
        raise BuildErrors([Problem(shown, 1, "the file is not UTF-8; save it as UTF-8")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise BuildErrors([Problem(shown, int(found[1]) if found else 1, f"this is not valid TOML: {exc}")]) from None

    problems: list[Problem] = []

    def fail(key: str, message: str) -> None:
        problems.append(Problem(shown, _line_of(text, key), message))

    for key in sorted(set(data) - KEYS):
        fail(key, f'unknown setting "{key}"{suggestion(key, KEYS)}')

    def text_value(key: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if value is None:
            fail(key, f'"{key}" is required, e.g. {key} = "…"')
            return ""
        if not isinstance(value, str) or (default is None and not value.strip()):
            fail(key, f'"{key}" must be a non-empty text in quotes')
            return ""
        return value

    def int_value(key: str, default: int, minimum: int = 1) -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            fail(key, f'"{key}" must be a whole number ≥ {minimum}, e.g. {key} = {default}')
            return default
        return value

    title = text_value("title")
    url = base_url if base_url is not None else text_value("base_url")
    if url and not re.match(r"^https?://[^/\s]+(/\S*)?$", url):
        fail("base_url", f'base_url "{url}" must be an absolute http(s) URL such as "https://presse.example.org/"')
    url = url if url.endswith("/") else url + "/"
    language = text_value("language", "de")
    if language not in LANGUAGES:
        fail("language", f'language must be "de" or "en", not "{language}"{suggestion(language, LANGUAGES)}')
        language = "de"
    timezone = text_value("timezone", "Europe/Berlin")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        fail("timezone", f'"{timezone}" is not an IANA time zone name such as "Europe/Berlin"')
        timezone = "Europe/Berlin"
    hub = data.get("websub_hub")
    if hub is not None and not (isinstance(hub, str) and re.match(r"^https?://\S+$", hub)):
        fail("websub_hub", "websub_hub must be an absolute http(s) URL")
        hub = None
    originals = data.get("publish_originals", False)
    if not isinstance(originals, bool):
        fail("publish_originals", "publish_originals must be true or false")
        originals = False
    extra: Any = data.get("extra", {})
    if not isinstance(extra, dict):
        fail("extra", "extra must be a table: [extra]")
        extra = {}
    settings = Settings(
        title=title,
        base_url=url,
        language=language,
        timezone=timezone,
        description=text_value("description", ""),
        per_page=int_value("per_page", 20),
        feed_items=int_value("feed_items", 20),
        appeal_max_days=int_value("appeal_max_days", 90),
        websub_hub=hub,
        publish_originals=originals,
        extra=extra,
    )
    if problems:
        raise BuildErrors(problems)
    return settings


__all__ = ["SITE_FILE", "ContentError", "load_settings"]
