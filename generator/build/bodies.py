"""The rendered bodies of a site's releases, read when a page needs them rather than all at once.

A rebuild makes few pages, but every release's body used to be read back from the cache and
held: its HTML and plain text are most of a release's bytes. Here a body the cache holds is
known by its first paragraph (listings and feeds show it as the teaser) and whether it has
links (the link check reads only those), and its HTML and plain text are read from the cache
the first time a page asks, in whichever process makes that page. Should the cache no longer
have them, the body is rendered again from the release's Markdown: the same rules make the
same bytes (`render.markdown.BODY_RULES` is part of every entry's key).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from generator.build.cache import TextReader
from generator.render.markdown import Body, BodyTooComplex, render_body


@dataclass(frozen=True)
class StoredBody:
    """What a build keeps of a body in the cache until a page needs it."""

    key: str  # of the release's cache entry
    markdown: str
    first_paragraph: str
    linked: bool  # its HTML has a link


class Bodies(Mapping[str, Body]):
    """Bodies by release id: those rendered by this build, and those the cache holds."""

    def __init__(self, made: dict[str, Body], stored: dict[str, StoredBody], reader: TextReader) -> None:
        self._made = made
        self._stored = stored
        self._reader = reader

    def __getitem__(self, release_id: str) -> Body:
        found = self._made.get(release_id)
        if found is not None:
            return found
        stored = self._stored[release_id]
        texts = self._reader.texts(stored.key)
        if texts is not None:
            found = Body(texts[0], texts[1], stored.first_paragraph)
        else:
            try:
                found = render_body(stored.markdown)
            except BodyTooComplex:  # pragma: no cover - it was rendered with the same rules before
                found = Body("", "", stored.first_paragraph)
        self._made[release_id] = found
        return found

    def __iter__(self) -> Iterator[str]:
        yield from self._made
        yield from (release_id for release_id in self._stored if release_id not in self._made)

    def __len__(self) -> int:
        return len(self._made.keys() | self._stored.keys())

    def __contains__(self, release_id: object) -> bool:
        return release_id in self._made or release_id in self._stored

    def first_paragraph(self, release_id: str) -> str:
        """The body's first paragraph (the teaser's source), without reading the rest."""
        found = self._made.get(release_id)
        return found.first_paragraph if found is not None else self._stored[release_id].first_paragraph

    def linked_html(self, release_id: str) -> str:
        """The body's HTML when it has links; "" for one the cache knows to have none (not read)."""
        stored = self._stored.get(release_id)
        if stored is not None and not stored.linked and release_id not in self._made:
            return ""
        return self[release_id].html

