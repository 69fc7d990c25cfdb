"""Interface text of the non-HTML outputs (wire text, feed descriptions), from the theme's gettext catalog.

The same catalog the templates use (msgids in English), read without Jinja. English needs no
catalog: its texts are the msgids.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from generator.render.templates import theme_folder, translations


def has_catalog(language: str) -> bool:
    return language == "en" or (theme_folder() / "locale" / language / "LC_MESSAGES" / "messages.po").is_file()


@cache
def gettext(language: str) -> Callable[[str], str]:
    """The translation function of `language`; a language without a catalog gets the English msgids."""
    return translations([theme_folder()], language).gettext


def interface_text(language: str, fallback: str) -> Callable[[str], str]:
    """Texts in `language`, or in `fallback` when Pressroom has no catalog for it."""
    return gettext(language if has_catalog(language) else fallback)
