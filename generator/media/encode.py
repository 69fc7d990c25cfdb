"""Encoding the published variants of an image: upright, resized, in a clean copy without metadata."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from generator.media.inspect import ImageInfo, header
from generator.media.strip import checked

# Bump when the encoding changes (sizes, quality, stripping), so cached variants are made anew.
MEDIA_VERSION = 1
WIDTHS = (480, 960, 1600)

Encoded = tuple[int, int, bytes]  # width, height, file bytes


@dataclass(frozen=True)
class Job:
    """One format of one source image: what the cache key is made of."""

    format: str
    widths: tuple[int, ...]
    quality: int

    def key(self, digest: str) -> str:
        text = f"{MEDIA_VERSION}|{digest}|{self.format}|{','.join(map(str, self.widths))}|{self.quality}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def widths_for(width: int) -> tuple[int, ...]:
    """480, 960, 1600 — never wider than the original, whose own width is then the largest."""
    return tuple(sorted({min(w, width) for w in WIDTHS}))


def encode(data: bytes, jobs: list[Job]) -> list[list[Encoded]]:
    """Decode once, then every width of every job, upright and without metadata."""
    with Image.open(io.BytesIO(data)) as image:
        info = header(image)
        largest = max(max(job.widths) for job in jobs)
        if info.format == "JPEG" and largest * 2 <= info.width:
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: much faster, still larger than needed.
            scale = largest / info.width
            image.draft(None, (int(image.width * scale) + 1, int(image.height * scale) + 1))
        image.load()
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
    upright, icc = _plain_colours(upright, icc)
    return [_encode_job(upright, icc, job, info) for job in jobs]


def _plain_colours(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """A mode every output format takes (RGB, RGBA or L), with its colour profile."""
    if image.mode in ("RGB", "RGBA", "L"):
        return image, icc
    if image.mode == "CMYK":
        if icc:
            try:
                converted = ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                                      ImageCms.createProfile("sRGB"), outputMode="RGB")
                if converted is not None:
                    return converted, None  # sRGB needs no profile
            except ImageCms.PyCMSError:
                pass
        return image.convert("RGB"), None
    alpha = "A" in image.getbands() or "transparency" in image.info
    return image.convert("RGBA" if alpha else "RGB"), icc


def _encode_job(upright: Image.Image, icc: bytes | None, job: Job, info: ImageInfo) -> list[Encoded]:
    results: list[Encoded] = []
    current = upright
    if job.format == "WEBP" and current.mode == "L":
        current = current.convert("RGB")
    for width in sorted(job.widths, reverse=True):
        height = max(1, round(info.height * width / info.width))
        if current.size != (width, height):
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        results.append((width, height, _save(current, icc, job)))
    return results[::-1]


def _save(image: Image.Image, icc: bytes | None, job: Job) -> bytes:
    # Pillow carries comments and other metadata over from `info`; a clean copy has none.
    clean = image.copy()
    clean.info = {}
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if job.format == "JPEG":
        options.update(quality=job.quality, optimize=True, progressive=True)
    elif job.format == "WEBP":
        options.update(quality=job.quality, method=4)
    buffer = io.BytesIO()
    clean.save(buffer, job.format, **options)
    return checked(buffer.getvalue())
