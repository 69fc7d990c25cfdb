"""The images and attachments a release refers to: found under the site folder, images inspected."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator.content.fields import Fields, Invalid
from generator.content.files import MEDIA_DIR
from generator.content.yaml_source import Key
from generator.core.errors import Message
from generator.core.models import Attachment, Image, MediaFile
from generator.media.documents import check_attachment
from generator.media.formats import MediaError
from generator.media.inspect import inspect_image
from generator.media.sources import source_problem

IMAGE_KEYS = ("src", "alt", "caption", "credit")
ATTACHMENT_KEYS = ("src", "title")


@dataclass
class MediaFinder:
    """Reads the `images` and `attachments` entries of one release file in `folder`.

    `media_cache` is where a build keeps its marks of images it already decoded (None: decode each);
    the caller owns it, loading only reads it.
    """

    site: Path
    folder: Path
    fields: Fields
    media_cache: Path | None = None
    relative_to: str = Message("the release file")  # `folder`, as the messages name it

    def find(self, data: Mapping[str, Any], keys: tuple[Key, ...]) -> MediaFile:
        src = self.fields.text(data, "src", keys, required=True)
        if src is None:
            raise Invalid
        site = self.site.resolve()
        outside = PurePosixPath(src).is_absolute() or "\\" in src or "://" in src
        candidates = [] if outside else [(self.folder / src).resolve(), (self.site / MEDIA_DIR / src).resolve()]
        inside = [c for c in candidates if c.is_relative_to(site)]
        if not inside:
            self.fields.fail((*keys, "src"), Message('"%(src)s" leaves the site folder; put the file under '
                                                     "%(media)s/ and give its path relative to it", src=src,
                                                     media=MEDIA_DIR))
            raise Invalid
        for number, candidate in enumerate(inside):
            if candidate.is_file():
                site_path = candidate.relative_to(site).as_posix()
                problem = source_problem(site_path)
                if problem:
                    self.fields.fail((*keys, "src"), Message('"%(src)s": %(problem)s', src=src, problem=problem))
                    raise Invalid
                return MediaFile(source=candidate, site_path=site_path, size=candidate.stat().st_size,
                                 passed=tuple(str(c) for c in inside[:number]))
        self.fields.fail((*keys, "src"), Message('"%(src)s" does not exist; paths are relative to %(folder)s '
                                                 "or to %(media)s/", src=src, folder=self.relative_to,
                                                 media=MEDIA_DIR))
        raise Invalid

    def image(self, value: Any, keys: tuple[Key, ...]) -> Image:
        data = self.fields.mapping(value, keys, IMAGE_KEYS, Message("an image"))
        alt = self.fields.text(data, "alt", keys, required=True, what="alt")
        file = self.find(data, keys)
        try:
            inspect_image(file.source, self.media_cache)
        except MediaError as exc:
            self.fields.fail((*keys, "src"), Message('image "%(src)s": %(problem)s', src=str(data.get("src")),
                                                     problem=exc.message))
            raise Invalid from None
        if alt is None:
            raise Invalid
        return Image(file=file, alt=alt, caption=self.fields.text(data, "caption", keys),
                     credit=self.fields.text(data, "credit", keys))

    def attachment(self, value: Any, keys: tuple[Key, ...]) -> Attachment:
        data = self.fields.mapping(value, keys, ATTACHMENT_KEYS, Message("an attachment"))
        file = self.find(data, keys)
        try:
            check_attachment(file.source)
        except MediaError as exc:
            self.fields.fail((*keys, "src"), Message('attachment "%(src)s": %(problem)s', src=str(data.get("src")),
                                                     problem=exc.message))
            raise Invalid from None
        title = self.fields.text(data, "title", keys) or PurePosixPath(file.site_path).name
        return Attachment(file=file, title=title)
