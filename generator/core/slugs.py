"""URL slugs with German transliteration (ä→ae, ß→ss)."""

from __future__ import annotations

import re
from functools import lru_cache

from slugify import slugify as _slugify

_GERMAN = [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"], ["ẞ", "SS"]]


# What `slugify` gives back unchanged: lower-case letters and digits in words joined by single
# hyphens, within the length limit. Every release file's name is checked against its slug on
# every build, and most are slugs already (tests/core/test_slugs.py holds the two to the same).
_ALREADY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_LENGTH = 80


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """'Straßensperrung Gelsenkirchen-Buer' → 'strassensperrung-gelsenkirchen-buer'."""
    if len(text) <= MAX_LENGTH and _ALREADY.fullmatch(text):
        return text
    return _slugify(text, replacements=_GERMAN, max_length=MAX_LENGTH, word_boundary=True) or "x"
