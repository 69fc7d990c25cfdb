"""What Pressroom publishes images as, and the one error every media step raises."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from generator.core import mime

MAX_PIXELS = 50_000_000
JPEG_QUALITY = 82
WEBP_QUALITY = 80
ORIGINAL_QUALITY = 92  # an original that must be turned upright is re-encoded
LOSSLESS = -1  # "quality" of a JPEG original whose metadata segments are cut out

# Pillow's own guard against decompression bombs, at our limit: it warns above it and refuses
# twice as much, for any decoding anywhere in the process.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class MediaError(Exception):
    """A file Pressroom cannot publish; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message  # a `Message`, translated where it is shown


@dataclass(frozen=True)
class Format:
    extension: str  # what published files of this format are named
    names: tuple[str, ...]  # the extensions a source file of this format may have
    quality: int

    @property
    def mime(self) -> str:
        return mime.of(f"x.{self.extension}")


FORMATS = {
    "JPEG": Format("jpg", (".jpg", ".jpeg"), JPEG_QUALITY),
    "PNG": Format("png", (".png",), 0),  # lossless
    "WEBP": Format("webp", (".webp",), WEBP_QUALITY),
}
