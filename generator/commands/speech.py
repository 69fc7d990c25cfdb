"""The language every message of one command run is printed in.

Messages are English msgids (`Message`, `N_`) from the interface catalog,
`templates/locale/<language>/LC_MESSAGES/messages.po`, the one the theme uses.
The language is, first to last: `--lang`, the environment (`LANGUAGE`, then the
first set of `LC_ALL`, `LC_MESSAGES`, `LANG`, as gettext reads them; `C` and
languages Pressroom does not speak say nothing), the site's `language`, German.
The site's language is read from site.toml on its own, because a site with errors
must be told about them in its language too.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from babel.support import NullTranslations

from generator.core.errors import Message, Param, Problem, localized
from generator.core.models import Language
from generator.core.paths import theme_folder

LANGUAGES: tuple[Language, ...] = ("de", "en")
DEFAULT: Language = "de"

_chosen: tuple[Language, _Catalog | NullTranslations] = ("en", NullTranslations())


def language_from_environment(environ: Mapping[str, str]) -> Language | None:
    """The language the environment asks for, if it is one Pressroom speaks."""
    for entry in environ.get("LANGUAGE", "").split(":"):
        found = _language(entry)
        if found is not None:
            return found
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:  # the first one set decides, as for every other program
            return _language(value)
    return None


def _language(value: str) -> Language | None:
    code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return "de" if code == "de" else "en" if code == "en" else None


def site_language(site: Path | None) -> Language | None:
    """`language` of the site's site.toml, if it can be read; its errors are reported elsewhere."""
    if site is None:
        return None
    try:
        with (site / "site.toml").open("rb") as handle:
            value = tomllib.load(handle).get("language")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return "de" if value == "de" else "en" if value == "en" else None


def choose(option: str | None, site: Path | None, environ: Mapping[str, str] | None = None) -> Language:
    """Decides this run's language and loads its catalog (the site's own catalog first)."""
    global _chosen
    language: Language = (_language(option) if option else None) \
        or language_from_environment(os.environ if environ is None else environ) \
        or site_language(site) or DEFAULT
    _chosen = (language, _Catalog(language, site))
    return language


class _Catalog:
    """The catalog of a language, read when the first message is shown (a quiet build that
    changes nothing shows none, and reading the catalogs is most of a quick run's time)."""

    def __init__(self, language: Language, site: Path | None) -> None:
        self.key = (language, site)

    @property
    def texts(self) -> NullTranslations:
        return _texts(*self.key)

    def gettext(self, msgid: str) -> str:
        return self.texts.gettext(msgid)

    def ngettext(self, singular: str, many: str, count: int) -> str:
        return self.texts.ngettext(singular, many, count)


@cache
def _texts(language: Language, site: Path | None) -> NullTranslations:
    from generator.render.templates import theme_folders, translations

    try:
        return translations(theme_folders(site) if site is not None else [theme_folder()], language)
    except Exception:  # a site's broken catalog: the build reports it; the theme's texts will do
        return translations([theme_folder()], language)


def language() -> Language:
    return _chosen[0]


def gettext(msgid: str) -> str:
    return _chosen[1].gettext(msgid)


def say(text: str) -> str:
    """A `Message` (or a text marked with N_) in this run's language."""
    return localized(text, gettext) if isinstance(text, Message) else gettext(text)


def plural(singular: str, many: str, count: int, /, **params: Param) -> str:
    """"1 error" / "3 errors" in this run's language; `count` is `%(count)s`."""
    values = {key: say(value) if isinstance(value, Message) else value for key, value in params.items()}
    return _chosen[1].ngettext(singular, many, count) % {"count": count, **values}


def ngettext(singular: str, many: str, count: int) -> str:
    return _chosen[1].ngettext(singular, many, count)


def problem(found: Problem) -> str:
    """`path:line: error: message` in this run's language."""
    return found.shown(gettext)
