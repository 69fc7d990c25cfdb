"""URL slugs with German transliteration (ä→ae, ß→ss)."""

from __future__ import annotations

from functools import lru_cache

from slugify import slugify as _slugify

_GERMAN = [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"], ["ẞ", "SS"]]


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """'Straßensperrung Gelsenkirchen-Buer' → 'strassensperrung-gelsenkirchen-buer'."""
    return _slugify(text, replacements=_GERMAN, max_length=80, word_boundary=True) or "x"
