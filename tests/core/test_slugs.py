"""Slugs: the shortcut for a text that is a slug already gives what python-slugify gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from slugify import slugify

from generator.core.slugs import _GERMAN, MAX_LENGTH, slug


def _slow(text: str) -> str:
    return slugify(text, replacements=_GERMAN, max_length=MAX_LENGTH, word_boundary=True) or "x"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="abcz09-", max_size=MAX_LENGTH + 20))
def test_a_slug_shaped_text_gets_the_slug_slugify_gives(text: str) -> None:
    slug.cache_clear()
    assert slug(text) == _slow(text)


def test_names_of_release_files() -> None:
    for text in ("2026-11-01-unfall-auf-der-a2", "2015-01-01-012324", "a" * MAX_LENGTH, "a" * (MAX_LENGTH + 1),
                 "x--y", "-x", "x-", "Straßensperrung Gelsenkirchen-Buer", "ünfall", ""):
        slug.cache_clear()
        assert slug(text) == _slow(text), text
