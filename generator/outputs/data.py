"""What every output is made from besides the catalog: settings, addresses, bodies, published images.

Outputs are pure functions of this data; they never see the HTML views. The images are asked
for through `PublishedMedia`, which the media stage's index satisfies.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from generator.core.models import Language, Release, Settings
from generator.core.urls import Links
from generator.render.markdown import Body, first_paragraph, teaser

_NONCE = os.urandom(16).hex()  # this process's own: no key made with it was ever stored


class ImageFile(Protocol):
    """One published image file, as feeds, JSON-LD, OpenGraph and the API name it."""

    @property
    def url(self) -> str: ...  # absolute
    @property
    def length(self) -> int: ...
    @property
    def mime(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...


class PublishedMedia(Protocol):
    """The published image variants of a build, by release id."""

    def published_image(self, release_id: str, absolute: Callable[[str], str]) -> ImageFile | None: ...
    def primary_files(self, release_id: str, absolute: Callable[[str], str]) -> tuple[ImageFile, ...]: ...
    def published_files(self, release_id: str, absolute: Callable[[str], str]) -> tuple[ImageFile, ...]: ...


@dataclass(frozen=True)
class OutputData:
    settings: Settings
    bodies: Mapping[str, Body]  # by release id
    media: PublishedMedia | None = None
    # By release id: the key of everything the release was made from; outputs that show it
    # are keyed by it (a release without one is made anew each time).
    keys: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    links: Links = field(init=False)
    _teasers: dict[str, str] = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "links", Links(self.settings.base_url))

    def absolute(self, path: str) -> str:
        return self.links.absolute(path)

    def url(self, path: str) -> str:
        return self.links.url(path)

    @property
    def language(self) -> Language:
        return self.settings.language

    def key(self, release: Release) -> str:
        """What the release was made from, as a key; a release the loader did not key gets a key
        that matches nothing, so whatever shows it is made anew."""
        return self.keys.get(release.id) or f"unkeyed {_NONCE} {release.id}"

    def teaser(self, release: Release) -> str:
        """The release's summary, or the start of its first paragraph."""
        found = self._teasers.get(release.id)
        if found is None:
            found = self._teasers[release.id] = teaser(release.summary, first_paragraph(self.bodies, release.id))
        return found

    def first_image(self, release: Release) -> ImageFile | None:
        """The release's first image as published: the largest variant in the image's own format,
        for feed enclosures, JSON-LD and OpenGraph."""
        return self.media.published_image(release.id, self.absolute) if self.media else None

    def image_files(self, release: Release) -> tuple[ImageFile, ...]:
        """One published file per image of the release, aligned with `release.images`."""
        return self.media.primary_files(release.id, self.absolute) if self.media else ()

    def published_files(self, release: Release) -> tuple[ImageFile, ...]:
        """Every published file of the release's images, all widths and formats."""
        return self.media.published_files(release.id, self.absolute) if self.media else ()
