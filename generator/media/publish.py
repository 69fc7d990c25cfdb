"""Images and attachments as they are published.

A press photo comes straight from a camera or phone: thousands of pixels wide,
with GPS position, camera serial number and editing history in its metadata.
Every image a published release uses is therefore re-encoded: turned upright
(EXIF orientation applied to the pixels), resized to a few widths (never
upscaled), in its own format plus WebP, with nothing but the colour profile
kept. Output names carry a short content hash, so a replaced photo gets a new
URL. Encoded variants are kept in the media store (`store.py`), keyed by the
source bytes and everything that shapes the output, so a rebuild never resizes
again.

The package, stage by stage: `inspect` (load time: format, size, proof that it
decodes), `encode` (the variants), `strip` (metadata out of a JPEG, and the proof
that none is left), `store` (the cache), `documents` (which attachments may be
published), `metadata` (what a document's metadata names), `sources` (which files
may be named at all). This module ties them together and returns plain data — `ImageSet`,
`PublishedFile` — for the views, feeds and API to show.

An authority's logo goes the same way (checked at load time like a release's image, then
re-encoded without metadata), only in the few sizes a theme shows it in: `LOGO_SLOTS`, each
at 1x and 2x for sharp screens, so that a phone never loads a photo-sized file for a 32-pixel
mark (`LogoSet`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.core import urls
from generator.core.errors import BuildErrors, Message, Problem
from generator.core.models import Authority, MediaFile, Release, Settings
from generator.core.slugs import slug
from generator.media.encode import Encoded, Job, widths_for
from generator.media.encode import encode as _encode
from generator.media.formats import FORMATS, LOSSLESS, ORIGINAL_QUALITY, WEBP_QUALITY
from generator.media.formats import MediaError as MediaError
from generator.media.inspect import ImageInfo, guarded, open_header
from generator.media.inspect import inspect_image as inspect_image
from generator.media.metadata import attachment_problem as attachment_problem
from generator.media.metadata import pdf_metadata as pdf_metadata
from generator.media.store import CACHE_DIR as CACHE_DIR
from generator.media.store import EntryStore, MediaStore, Stored
from generator.media.strip import checked, strip_jpeg
from generator.media.strip import metadata_left as metadata_left

FALLBACK_WIDTH = 960  # the plain `src` for browsers without srcset
AUTHORITIES_SOURCE = "content/authorities.yaml"  # where logos are named, for messages
# Where the theme shows a logo: the largest box (CSS pixels, width × height) it fits into,
# keeping its proportions and never shown larger than its own pixels. "header": beside the
# heading of the authority's page; "list": before its name in the home page's list.
LOGO_SLOTS: dict[str, tuple[int, int]] = {"header": (160, 80), "list": (96, 32)}
LOGO_DENSITIES = (1, 2)  # made for ordinary and for high-density screens

# Where in a release's front matter a value is: (release source, *keys) → line. Content
# knows; media is given the lookup, so it never reads release files itself.
LineOf = Callable[..., int]


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

    url: str  # absolute, percent-encoded
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
class LogoSize:
    """A logo as one slot shows it: its size on the page and the files for each screen density."""

    width: int  # CSS pixels: the img's width and height attributes, so nothing moves as it loads
    height: int
    own: tuple[Variant, ...]  # in the source's own format, for 1x first, then 2x (a small source: fewer)
    webp: tuple[Variant, ...]  # the same in WebP (empty for a WebP source)

    def files(self) -> tuple[Variant, ...]:
        return (*self.own, *self.webp)


@dataclass(frozen=True)
class LogoSet:
    """Everything published for one authority's logo, by slot (`LOGO_SLOTS`)."""

    source: str  # site path of the source file
    sizes: Mapping[str, LogoSize]

    def files(self) -> tuple[Variant, ...]:
        return tuple(v for size in self.sizes.values() for v in size.files())


@dataclass(frozen=True)
class MediaIndex:
    """The published images of a build, by source file and by release, and the authorities' logos."""

    images: Mapping[str, ImageSet]  # by source site path
    by_release: Mapping[str, tuple[ImageSet, ...]]  # by release id, in the release's order
    logos: Mapping[str, LogoSet] = field(default_factory=dict)  # by authority id

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
        found.update((v.path, v.content) for logo in self.logos.values() for v in logo.files())
        yield from sorted(found.items())


def _published(variant: Variant, absolute: Callable[[str], str]) -> PublishedFile:
    return PublishedFile(absolute(urls.encoded(variant.path)), variant.length, variant.mime, variant.width,
                         variant.height)


def publish_media(site: Path, settings: Settings, releases: Iterable[Release], cache: Path | None = None,
                  jobs: int = 0, line_of: LineOf | None = None, entries: EntryStore | None = None,
                  authorities: Iterable[Authority] = ()) -> MediaIndex:
    """Variants of every image the given (published or draft) releases use, and of the logos of
    `authorities`; raises BuildErrors.

    Images are made in `jobs` threads (0: one per core); Pillow decodes, resizes and
    encodes without holding the GIL. `line_of` finds the line of an image's `src` for
    a message (without it, messages name line 1). Variants are kept in the media folder `cache`
    (default: the site's) for the next build when there are `entries` to describe them.
    """
    store = MediaStore(site / CACHE_DIR if cache is None else cache, entries)
    releases = tuple(releases)
    first_use: dict[str, tuple[Release, int, MediaFile]] = {}
    for release in releases:
        for index, image in enumerate(release.images):
            first_use.setdefault(image.file.site_path, (release, index, image.file))

    def publish(use: tuple[Release, int, MediaFile]) -> ImageSet | Problem:
        release, index, file = use
        try:
            return _publish_image(file.source, file.site_path, settings, store)
        except MediaError as exc:
            line = line_of(release.source, "images", index, "src") if line_of else 1
            return Problem(release.source, line, Message('image "%(src)s": %(problem)s', src=file.site_path,
                                                         problem=exc.message))

    workers = max(1, min(jobs or os.cpu_count() or 1, len(first_use)))
    if workers == 1:
        made = [publish(use) for use in first_use.values()]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            made = list(pool.map(publish, first_use.values()))
    with_logo = sorted((a for a in authorities if a.logo is not None), key=lambda a: a.id)

    def publish_logo(authority: Authority) -> LogoSet | Problem:
        assert authority.logo is not None
        file = authority.logo.file
        try:
            return _publish_logo(file.source, file.site_path, store)
        except MediaError as exc:
            # Loading checked the file at its line; this is a file changed or gone since.
            return Problem(AUTHORITIES_SOURCE, 1, f'logo of "{authority.id}", "{file.site_path}": {exc}')

    logos_made = [publish_logo(a) for a in with_logo]
    problems = [p for p in (*made, *logos_made) if isinstance(p, Problem)]
    if problems:
        raise BuildErrors(problems)
    images = {path: s for path, s in zip(first_use, made, strict=True) if isinstance(s, ImageSet)}
    by_release = {r.id: tuple(images[i.file.site_path] for i in r.images) for r in releases}
    logos = {a.id: s for a, s in zip(with_logo, logos_made, strict=True) if isinstance(s, LogoSet)}
    return MediaIndex(images, by_release, logos)


# --- one image, step by step --------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What is published of one image: its variants in each format, and maybe its original."""

    variants: tuple[Job, ...]  # own format, then WebP (unless the source is WebP)
    original: Job | None

    @property
    def jobs(self) -> tuple[Job, ...]:
        extra = (self.original,) if self.original and self.original not in self.variants else ()
        return (*self.variants, *extra)


def _publish_image(source: Path, site_path: str, settings: Settings, store: MediaStore) -> ImageSet:
    data = _read(source)
    digest = hashlib.sha256(data).hexdigest()
    info = guarded(lambda: open_header(data), threaded=True)
    plan = _plan(info, settings.publish_originals)
    made = _variants_of(data, digest, info, plan, store)
    store.mark_decoded(digest)
    return _image_set(site_path, digest, plan, made)


def _read(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except OSError as exc:
        raise MediaError(Message("the file cannot be read: %(problem)s", problem=str(exc.strerror or exc))) from None


def _plan(info: ImageInfo, publish_originals: bool) -> _Plan:
    widths = widths_for(info.width)
    variants = [Job(info.format, widths, FORMATS[info.format].quality)]
    if info.format != "WEBP":
        variants.append(Job("WEBP", widths, WEBP_QUALITY))
    if not publish_originals:
        return _Plan(tuple(variants), None)
    # An upright JPEG original keeps its picture data bit for bit, only its metadata segments go.
    lossless = info.format == "JPEG" and info.orientation == 1
    quality = 0 if info.format == "PNG" else ORIGINAL_QUALITY  # PNG is lossless anyway
    return _Plan(tuple(variants), Job(info.format, (info.width,), LOSSLESS if lossless else quality))


def _variants_of(data: bytes, digest: str, info: ImageInfo, plan: _Plan,
                 store: MediaStore) -> dict[Job, list[Stored]]:
    """Every job's files: from the store where an earlier build made them, else made now and kept."""
    results: dict[Job, list[Stored]] = {}
    missing = []
    for job in plan.jobs:
        cached = store.variants(job.key(digest), FORMATS[job.format].extension)
        if cached is None:
            missing.append(job)
        else:
            results[job] = cached
    to_encode = [job for job in missing if job.quality != LOSSLESS]
    if to_encode:
        encoded = guarded(lambda: _encode(data, to_encode), threaded=True)
        for job, files in zip(to_encode, encoded, strict=True):
            results[job] = _keep(store, job, digest, files)
    for job in missing:
        if job.quality == LOSSLESS:
            stripped = guarded(lambda: checked(strip_jpeg(data)), threaded=True)
            results[job] = _keep(store, job, digest, [(info.width, info.height, stripped)])
    return results


def _keep(store: MediaStore, job: Job, digest: str, encoded: list[Encoded]) -> list[Stored]:
    return store.keep(job.key(digest), FORMATS[job.format].extension, encoded)


def _image_set(site_path: str, digest: str, plan: _Plan, made: Mapping[Job, list[Stored]]) -> ImageSet:
    base = PurePosixPath(urls.media(site_path))
    stem = f"{base.parent}/{slug(base.stem)}-{digest[:8]}"

    def variants(job: Job, original: bool = False) -> tuple[Variant, ...]:
        form = FORMATS[job.format]
        return tuple(Variant(f"{stem}.{form.extension}" if original else f"{stem}-{w}.{form.extension}",
                             w, h, form.mime, length, content) for w, h, content, length in made[job])

    published = tuple(v for job in plan.variants for v in variants(job))
    original = variants(plan.original, original=True)[0] if plan.original else None
    largest = published[len(plan.variants[0].widths) - 1]
    return ImageSet(site_path, largest.width, largest.height, published, original)


# --- a logo ------------------------------------------------------------------------


def logo_size(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """The size (CSS pixels) of a `width` × `height` logo in `box`: as large as fits, never enlarged."""
    scale = min(box[0] / width, box[1] / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _publish_logo(source: Path, site_path: str, store: MediaStore) -> LogoSet:
    data = _read(source)
    digest = hashlib.sha256(data).hexdigest()
    info = guarded(lambda: open_header(data), threaded=True)
    shown = {name: logo_size(info.width, info.height, box) for name, box in LOGO_SLOTS.items()}
    widths = tuple(sorted({min(w * d, info.width) for w, _ in shown.values() for d in LOGO_DENSITIES}))
    jobs = [Job(info.format, widths, FORMATS[info.format].quality)]
    if info.format != "WEBP":
        jobs.append(Job("WEBP", widths, WEBP_QUALITY))
    made = _variants_of(data, digest, info, _Plan(tuple(jobs), None), store)
    store.mark_decoded(digest)
    base = PurePosixPath(urls.media(site_path))
    stem = f"{base.parent}/{slug(base.stem)}-{digest[:8]}-logo"

    def by_width(job: Job) -> dict[int, Variant]:
        form = FORMATS[job.format]
        return {w: Variant(f"{stem}-{w}.{form.extension}", w, h, form.mime, length, content)
                for w, h, content, length in made[job]}

    own = by_width(jobs[0])
    webp = by_width(jobs[1]) if len(jobs) > 1 else {}

    def at(files: dict[int, Variant], width: int) -> tuple[Variant, ...]:
        return tuple(files[w] for w in sorted({min(width * d, info.width) for d in LOGO_DENSITIES}))

    sizes = {name: LogoSize(w, h, at(own, w), at(webp, w) if webp else ()) for name, (w, h) in shown.items()}
    return LogoSet(site_path, sizes)
