"""Images and attachments as they are published.

A press photo comes straight from a camera or phone: thousands of pixels wide,
with GPS position, camera serial number and editing history in its metadata.
Every image a published release uses is therefore re-encoded here: turned
upright (EXIF orientation applied to the pixels), resized to a few widths
(never upscaled), in its own format plus WebP, with nothing but the colour
profile kept. Output names carry a short content hash, so a replaced photo
gets a new URL. Encoded variants are cached under the site's
`.pressroom-cache/media/`, keyed by the source bytes and everything that
shapes the output, so a rebuild never resizes again.

Attachments are published as they are; `attachment_problem` tells the press
office when a PDF names its author or the software that made it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, TypeVar

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from generator.core import urls
from generator.core.errors import BuildErrors, Problem
from generator.core.models import Image as ImageModel
from generator.core.models import MediaFile, Release, Settings
from generator.core.slugs import slug
from generator.render.views import ImageView

if TYPE_CHECKING:
    pass

# Bump when the encoding changes (sizes, quality, stripping), so cached variants are made anew.
MEDIA_VERSION = 1
WIDTHS = (480, 960, 1600)
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 82
WEBP_QUALITY = 80
ORIGINAL_QUALITY = 92  # an original that must be turned upright is re-encoded
LOSSLESS = -1  # "quality" of a JPEG original whose metadata segments are cut out
# The article column is 48rem wide at most (.wrap: 50rem with 1rem padding on each side).
SIZES = "(min-width: 50rem) 48rem, calc(100vw - 2rem)"
CACHE_DIR = ".pressroom-cache/media"
ORIENTATION = 0x0112
T = TypeVar("T")
FALLBACK_WIDTH = 960  # the plain `src` for browsers without srcset

# Pillow's own guard against decompression bombs, at our limit: it warns above it and refuses
# twice as much, for any decoding anywhere in the process.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class _Format:
    extension: str
    mime: str
    quality: int


FORMATS = {
    "JPEG": _Format("jpg", "image/jpeg", JPEG_QUALITY),
    "PNG": _Format("png", "image/png", 0),  # lossless
    "WEBP": _Format("webp", "image/webp", WEBP_QUALITY),
}


class MediaError(Exception):
    """An image Pressroom cannot publish; the message says why and what to do."""


# --- looking at an image (load time, cheap) --------------------------------------


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int  # as shown, after the EXIF orientation
    height: int
    orientation: int


def inspect_image(path: Path, cache: Path | None = None) -> ImageInfo:
    """Format and size of an image, and proof that it decodes; raises MediaError.

    Cheap enough for `check`: the header is read, a JPEG is decoded at 1/8
    scale (which still reads every byte, so truncation shows), a PNG's chunks
    are verified without decoding. An image whose exact bytes a build already
    encoded (a mark in the media `cache`) needs only its header read.
    """
    return _guarded(lambda: _inspect(path, cache))


def _inspect(path: Path, cache: Path | None) -> ImageInfo:
    with Image.open(path) as image:
        info = _header(image)
    if cache is not None:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if _decoded_mark(cache, digest).is_file():
            return info
    with Image.open(path) as image:  # anew: PNG's verify() must come first after opening
        if info.format == "JPEG":
            image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
        elif info.format == "PNG":
            image.verify()
        else:
            image.load()
    return info


def _header(image: Image.Image) -> ImageInfo:
    # Many cameras and phones add a preview picture (MPF); Pillow then calls the JPEG "MPO".
    kind = "JPEG" if image.format == "MPO" else image.format or "unknown"
    if kind not in FORMATS:
        raise MediaError(f"{kind} images cannot be published; save the picture as JPEG (photos) "
                         "or PNG (graphics)")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_large()
    orientation = image.getexif().get(ORIENTATION, 1)
    if not isinstance(orientation, int) or not 1 <= orientation <= 8:
        orientation = 1
    if orientation >= 5:  # 5–8 turn the picture by 90°
        width, height = height, width
    return ImageInfo(kind, width, height, orientation)


def _too_large() -> MediaError:
    return MediaError(f"the image has more than {MAX_PIXELS // 1_000_000} megapixels, which Pillow refuses "
                      "as a possible decompression bomb; scale it down (6000 pixels on the long side "
                      "are plenty)")


def _guarded(work: Callable[[], T], threaded: bool = False) -> T:
    """Run `work` on an image and turn every way a bad file fails into a MediaError.

    Pillow's bomb warning becomes an error, except in worker threads: the warnings
    filters are process-wide, and images reach the workers only after they passed
    `inspect_image` at load time (our own size check in `_header` still holds there).
    """
    try:
        if threaded:
            return work()
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return work()
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except UnidentifiedImageError:
        raise MediaError("the file is not an image Pressroom can read (JPEG, PNG or WebP); if it is a photo "
                         "in another format (HEIC, RAW …), export it as JPEG") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        raise MediaError(f"the image is damaged or incomplete ({exc}); export or copy it again") from None


# --- published variants ---------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """One published image file."""

    path: str  # site-relative output path, media/…
    width: int
    height: int
    mime: str
    length: int
    content: Path | bytes


@dataclass(frozen=True)
class PublishedFile:
    """A published image as feeds, JSON-LD, OpenGraph and the API name it."""

    url: str  # absolute
    length: int
    mime: str
    width: int
    height: int


@dataclass(frozen=True)
class ImageSet:
    """Everything published for one source image."""

    source: str  # site path of the source file
    width: int  # of the largest variant, as shown
    height: int
    variants: tuple[Variant, ...]  # own format by width, then WebP by width
    original: Variant | None = None

    def files(self) -> tuple[Variant, ...]:
        return (*self.variants, *((self.original,) if self.original else ()))

    def of_type(self, mime: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.mime == mime)

    @property
    def own(self) -> tuple[Variant, ...]:
        """The variants in the source's own format (JPEG or PNG; WebP for a WebP source)."""
        return self.of_type(self.variants[0].mime)

    @property
    def webp(self) -> tuple[Variant, ...]:
        return self.of_type("image/webp") if self.variants[0].mime != "image/webp" else ()

    @property
    def primary(self) -> Variant:
        """The largest variant in the source's own format: what feeds and metadata point to."""
        return self.own[-1]

    @property
    def fallback(self) -> Variant:
        fitting = [v for v in self.own if v.width <= FALLBACK_WIDTH]
        return fitting[-1] if fitting else self.own[0]


@dataclass(frozen=True)
class MediaIndex:
    """The published images of a build, by source file and by release."""

    images: Mapping[str, ImageSet]  # by source site path
    by_release: Mapping[str, tuple[ImageSet, ...]]  # by release id, in the release's order

    def variants_for(self, release_id: str) -> tuple[ImageSet, ...]:
        return self.by_release.get(release_id, ())

    def published_image(self, release_id: str, absolute: Callable[[str], str]) -> PublishedFile | None:
        """The release's first image, as its largest variant in the image's own format."""
        sets = self.variants_for(release_id)
        return _published(sets[0].primary, absolute) if sets else None

    def primary_files(self, release_id: str, absolute: Callable[[str], str]) -> tuple[PublishedFile, ...]:
        """Each of the release's images as its largest variant in its own format, in the release's order."""
        return tuple(_published(s.primary, absolute) for s in self.variants_for(release_id))

    def published_files(self, release_id: str, absolute: Callable[[str], str]) -> tuple[PublishedFile, ...]:
        """Every published file of the release's images (for the API's `media`)."""
        return tuple(_published(v, absolute) for s in self.variants_for(release_id) for v in s.files())

    def files(self) -> Iterator[tuple[str, Path | bytes]]:
        found = {v.path: v.content for s in self.images.values() for v in s.files()}
        yield from sorted(found.items())

    def image_views(self, releases: Iterable[Release],
                    url: Callable[[str], str]) -> dict[str, tuple[ImageView, ...]]:
        views = {}
        for release in releases:
            sets = self.variants_for(release.id)
            if sets:
                views[release.id] = tuple(_image_view(image, s, url) for image, s in zip(release.images, sets,
                                                                                             strict=True))
        return views


def _published(variant: Variant, absolute: Callable[[str], str]) -> PublishedFile:
    return PublishedFile(absolute(variant.path), variant.length, variant.mime, variant.width, variant.height)


def _image_view(image: ImageModel, images: ImageSet, url: Callable[[str], str]) -> ImageView:
    def srcset(variants: tuple[Variant, ...]) -> str:
        return ", ".join(f"{url(v.path)} {v.width}w" for v in variants)

    webp = images.webp
    return ImageView(
        url=url(images.fallback.path), alt=image.alt, caption=image.caption, credit=image.credit,
        width=images.width, height=images.height, srcset=srcset(images.own),
        webp_srcset=srcset(webp) if webp else None, sizes=SIZES)


def widths_for(width: int) -> tuple[int, ...]:
    """480, 960, 1600 — never wider than the original, whose own width is then the largest."""
    return tuple(sorted({min(w, width) for w in WIDTHS}))


@dataclass(frozen=True)
class Job:
    """One format of one source image: what the cache key is made of."""

    format: str
    widths: tuple[int, ...]
    quality: int

    def key(self, digest: str) -> str:
        text = f"{MEDIA_VERSION}|{digest}|{self.format}|{','.join(map(str, self.widths))}|{self.quality}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


Encoded = tuple[int, int, bytes]  # width, height, file bytes


def publish_media(site: Path, settings: Settings, releases: Iterable[Release],
                  cache: Path | None = None, jobs: int = 0) -> MediaIndex:
    """Variants of every image the given (published or draft) releases use; raises BuildErrors.

    Images are made in `jobs` threads (0: one per core); Pillow decodes, resizes and
    encodes without holding the GIL.
    """
    cache_dir = site / CACHE_DIR if cache is None else cache
    releases = tuple(releases)
    first_use: dict[str, tuple[Release, int, MediaFile]] = {}
    for release in releases:
        for index, image in enumerate(release.images):
            first_use.setdefault(image.file.site_path, (release, index, image.file))

    def publish(use: tuple[Release, int, MediaFile]) -> ImageSet | Problem:
        release, index, file = use
        try:
            return _publish_image(file.source, file.site_path, settings, cache_dir)
        except MediaError as exc:
            line = front_matter_line(site, release.source, "images", index, "src")
            return Problem(release.source, line, f'image "{file.site_path}": {exc}')

    workers = max(1, min(jobs or os.cpu_count() or 1, len(first_use)))
    if workers == 1:
        made = [publish(use) for use in first_use.values()]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            made = list(pool.map(publish, first_use.values()))
    problems = [p for p in made if isinstance(p, Problem)]
    if problems:
        raise BuildErrors(problems)
    images = {path: s for path, s in zip(first_use, made, strict=True) if isinstance(s, ImageSet)}
    by_release = {r.id: tuple(images[i.file.site_path] for i in r.images) for r in releases}
    return MediaIndex(images, by_release)


def _publish_image(source: Path, site_path: str, settings: Settings, cache_dir: Path) -> ImageSet:
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise MediaError(f"the file cannot be read: {exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    info = _guarded(lambda: _open_header(data), threaded=True)
    own = FORMATS[info.format]
    widths = widths_for(info.width)
    variant_jobs = [Job(info.format, widths, own.quality)]
    if info.format != "WEBP":
        variant_jobs.append(Job("WEBP", widths, WEBP_QUALITY))
    # An upright JPEG original keeps its picture data bit for bit, only its metadata segments go.
    lossless = info.format == "JPEG" and info.orientation == 1
    original_quality = 0 if info.format == "PNG" else ORIGINAL_QUALITY  # PNG is lossless anyway
    original_job = Job(info.format, (info.width,), LOSSLESS if lossless else original_quality)
    jobs = [*variant_jobs]
    if settings.publish_originals and original_job not in jobs:
        jobs.append(original_job)
    results: dict[Job, list[tuple[int, int, Path | bytes, int]]] = {}
    missing = []
    for job in jobs:
        cached = _from_cache(cache_dir, job.key(digest))
        if cached is None:
            missing.append(job)
        else:
            results[job] = cached
    to_encode = [job for job in missing if job.quality != LOSSLESS]
    if to_encode:
        made = _guarded(lambda: _encode(data, to_encode), threaded=True)
        for job, encoded in zip(to_encode, made, strict=True):
            results[job] = _to_cache(cache_dir, job, job.key(digest), encoded)
    for job in missing:
        if job.quality == LOSSLESS:
            stripped = _guarded(lambda: _checked(strip_jpeg(data)), threaded=True)
            results[job] = _to_cache(cache_dir, job, job.key(digest), [(info.width, info.height, stripped)])
    base = PurePosixPath(urls.media(site_path))
    stem = f"{base.parent}/{slug(base.stem)}-{digest[:8]}"

    def variants(job: Job, original: bool = False) -> tuple[Variant, ...]:
        form = FORMATS[job.format]
        return tuple(Variant(f"{stem}.{form.extension}" if original else f"{stem}-{w}.{form.extension}",
                             w, h, form.mime, length, content) for w, h, content, length in results[job])

    mark = _decoded_mark(cache_dir, digest)
    if not mark.is_file():
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            _write_atomically(mark, b"")
        except OSError:
            pass  # without a cache, the next check decodes again
    published = tuple(v for job in variant_jobs for v in variants(job))
    original = variants(original_job, original=True)[0] if settings.publish_originals else None
    largest = published[len(widths) - 1]
    return ImageSet(site_path, largest.width, largest.height, published, original)


def _open_header(data: bytes) -> ImageInfo:
    with Image.open(io.BytesIO(data)) as image:
        return _header(image)


# --- encoding ----------------------------------------------------------------------


def _encode(data: bytes, jobs: list[Job]) -> list[list[Encoded]]:
    """Decode once, then every width of every job, upright and without metadata."""
    with Image.open(io.BytesIO(data)) as image:
        info = _header(image)
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
    return _checked(buffer.getvalue())


def _checked(data: bytes) -> bytes:
    """Only a file without metadata leaves this module, whatever a Pillow version does."""
    left = metadata_left(data)
    if left:
        raise MediaError(f"Pressroom could not remove {', '.join(left)} from the image; please report this")
    return data


# --- proof that nothing is left ---------------------------------------------------------


def metadata_left(data: bytes) -> list[str]:
    """The metadata containers still in a published image file (empty when it is clean).

    Reads only the container structure: JPEG header segments, PNG chunks, WebP chunks.
    """
    found: list[str] = []
    if data.startswith(_SOI):
        position = 2
        while position + 4 <= len(data) and data[position] == 0xFF and data[position + 1] != 0xDA:
            marker = data[position + 1]
            payload = data[position + 4:position + 2 + int.from_bytes(data[position + 2:position + 4], "big")]
            if (marker in (0xE1, 0xED, 0xFE) or (0xE3 <= marker <= 0xEF and marker != 0xEE)
                    or (marker == 0xE2 and not payload.startswith(_KEEP[0xE2]))):
                found.append(_JPEG_METADATA.get(marker, f"JPEG APP{marker - 0xE0}"))
            elif marker == 0xE0 and payload.startswith(b"JFIF\x00") and payload[12:14] != b"\x00\x00":
                found.append("JFIF thumbnail")
            position += 2 + len(payload) + 2
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        position = 8
        while position + 8 <= len(data):
            kind = data[position + 4:position + 8]
            if kind in (b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"):
                found.append(f"PNG chunk {kind.decode()}")
            position += 12 + int.from_bytes(data[position:position + 4], "big")
    elif data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        position = 12
        while position + 8 <= len(data):
            kind = data[position:position + 4]
            if kind in (b"EXIF", b"XMP "):
                found.append(f"WebP chunk {kind.decode().strip()}")
            size = int.from_bytes(data[position + 4:position + 8], "little")
            position += 8 + size + (size & 1)
    return list(dict.fromkeys(found))


_JPEG_METADATA = {0xE1: "EXIF/XMP", 0xED: "IPTC", 0xFE: "JPEG comment"}


# --- metadata out of a JPEG without decoding it ---------------------------------------

_SOI, _EOI = b"\xff\xd8", b"\xff\xd9"
# Application segments that describe the picture, not its author or place: kept.
_KEEP = {0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}


def strip_jpeg(data: bytes) -> bytes:
    """The same JPEG picture data with every metadata segment removed.

    Kept: the tables and frames, the colour profile (APP2 ICC_PROFILE), Adobe's
    colour transform flag (APP14) and a JFIF header without its thumbnail.
    Gone: EXIF and XMP (APP1), IPTC (APP13), comments, every other APPn, and
    whatever follows the end of the image (MPF preview images).
    """
    if not data.startswith(_SOI):
        raise ValueError("no JPEG start marker")
    parts, position = [_SOI], 2
    while position + 1 < len(data):
        if data[position] != 0xFF:
            raise ValueError(f"no JPEG marker at byte {position}")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            return b"".join([*parts, _EOI])
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            parts.append(data[position:position + 2])
            position += 2
            continue
        end = position + 2 + int.from_bytes(data[position + 2:position + 4], "big")
        if end > len(data):
            raise ValueError("a segment runs past the end of the file")
        payload = data[position + 4:end]
        metadata = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if marker == 0xE0 and payload.startswith(b"JFIF\x00") and len(payload) >= 14:
            parts.append(b"\xff\xe0\x00\x10" + payload[:12] + b"\x00\x00")  # no thumbnail
        elif not metadata or (marker in _KEEP and payload.startswith(_KEEP[marker])):
            parts.append(data[position:end])
        position = end
        if marker == 0xDA:  # picture data up to the next marker that is not a restart or a stuffed 0xFF
            scan = position
            while True:
                scan = data.index(b"\xff", scan)
                if scan + 1 >= len(data):
                    raise ValueError("the picture data has no end")
                following = data[scan + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    scan += 2
                    continue
                if following == 0xFF:
                    scan += 1
                    continue
                break
            parts.append(data[position:scan])
            position = scan
    raise ValueError("the image has no end marker; the file is incomplete")


# --- the cache ---------------------------------------------------------------------


def _from_cache(cache_dir: Path, key: str) -> list[tuple[int, int, Path | bytes, int]] | None:
    manifest = cache_dir / f"{key}.json"
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        result: list[tuple[int, int, Path | bytes, int]] = []
        for width, height, name in entries:
            path = cache_dir / str(name)
            result.append((int(width), int(height), path, path.stat().st_size))
        return result
    except (OSError, ValueError, TypeError):
        return None


def _to_cache(cache_dir: Path, job: Job, key: str,
              encoded: list[Encoded]) -> list[tuple[int, int, Path | bytes, int]]:
    """Keep the new variants for the next build; without a writable cache, the bytes themselves."""
    extension = FORMATS[job.format].extension
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        entries = []
        for width, _height, content in encoded:
            name = f"{key}-{width}.{extension}"
            _write_atomically(cache_dir / name, content)
            entries.append([width, _height, name])
        # The manifest last: an entry with a manifest is complete.
        _write_atomically(cache_dir / f"{key}.json", json.dumps(entries).encode())
    except OSError:
        return [(w, h, content, len(content)) for w, h, content in encoded]
    return [(w, h, cache_dir / f"{key}-{w}.{extension}", len(content)) for w, h, content in encoded]


def _decoded_mark(cache_dir: Path, digest: str) -> Path:
    """Present when a build decoded these exact bytes without error."""
    return cache_dir / f"decoded-{digest[:32]}"


def _write_atomically(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        # Readable like any other output file: the site may hard-link or copy it as it is.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- lines in a release's front matter -----------------------------------------------


def front_matter_line(site: Path, release_source: str, *keys: str | int) -> int:
    """The line of a front-matter value, for messages about a release's media."""
    from generator.content.files import FileProblem, read_text, split_front_matter
    from generator.content.yaml_source import YamlSource

    path = site / release_source
    try:
        front_matter, _body, _ = split_front_matter(read_text(path, release_source), release_source)
    except (OSError, FileProblem):
        return 1
    # The front matter text starts with the rest of the opening "---" line.
    return YamlSource(path, front_matter, first_line=1).line_of(*keys)


# --- attachments ---------------------------------------------------------------------

_INFO_ENTRY = re.compile(rb"/(Author|Creator|Producer)\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", re.DOTALL)
_XMP_ENTRY = re.compile(
    rb"<(dc:creator|pdf:Producer|xmp:CreatorTool)\b[^>]*>(.*?)</\1>|\b(pdf:Producer|xmp:CreatorTool)=\"([^\"]*)\"",
    re.DOTALL)
_TAG = re.compile(rb"<[^>]+>")
_STREAM = re.compile(rb"stream\r?\n")
_LITERAL_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_MAX_INFLATED = 4_000_000
_NAMES = {"Author": "author", "Creator": "creating software", "Producer": "PDF software",
          "dc:creator": "author", "pdf:Producer": "PDF software", "xmp:CreatorTool": "creating software"}


def pdf_metadata(data: bytes) -> list[tuple[str, str]]:
    """(field, value) pairs naming a person or software in a PDF's Info dictionary or XMP.

    A plain scan of the bytes and of the compressed streams (where PDF 1.5
    object streams keep the Info dictionary); no PDF library needed.
    """
    found: list[tuple[str, str]] = []
    for chunk in (data, *_inflated_streams(data)):
        for match in _INFO_ENTRY.finditer(chunk):
            found.append((match.group(1).decode(), _pdf_string(match.group(2))))
        for match in _XMP_ENTRY.finditer(chunk):
            name, value = ((match.group(1), match.group(2)) if match.group(1)
                           else (match.group(3), match.group(4)))
            found.append((name.decode(), _TAG.sub(b" ", value).decode("utf-8", "replace")))
    result = []
    for name, value in found:
        text = " ".join(value.split())
        if text and (name, text) not in result:
            result.append((name, text))
    return result


def _inflated_streams(data: bytes) -> Iterator[bytes]:
    budget = _MAX_INFLATED
    for match in _STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[match.end():match.end() + budget], budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        yield chunk


def _pdf_string(token: bytes) -> str:
    if token.startswith(b"<"):
        raw = bytes.fromhex("".join(token[1:-1].decode("ascii").split()).ljust(2, "0"))
    else:
        raw = re.sub(rb"\\([0-7]{1,3}|.)", _unescape, token[1:-1], flags=re.DOTALL)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code[:1].isdigit():
        return bytes([int(code, 8) & 0xFF])
    return _LITERAL_ESCAPES.get(code, code if code != b"\n" else b"")


def attachment_problem(source: Path, site_path: str) -> str | None:
    """What an attachment would publish that its author may not mean to, or None."""
    try:
        data = source.read_bytes()
    except OSError:
        return None
    if data.startswith(b"%PDF") or site_path.lower().endswith(".pdf"):
        found = pdf_metadata(data)
        if not found:
            return None
        named = "; ".join(f'{_NAMES[name]} "{value}"' for name, value in found)
        return (f'the attachment "{site_path}" is published with metadata that names {named}; if that is not '
                "meant to be public, remove it (in the document properties before exporting, or with "
                "exiftool -all:all= FILE) and build again")
    left = metadata_left(data)
    if left:
        return (f'the attachment "{site_path}" is an image published as it is, with its metadata '
                f"({', '.join(left)}: possibly GPS position, camera, author); list photos under images: "
                "instead, where Pressroom removes it")
    return None
