"""Reading every release file: in parallel, and only the files that changed since the last build.

A file's cache key is its bytes, its path and everything loading depends on (settings,
Pressroom's version); the value is the validated release with its rendered body: its short
fields as JSON, its authority by id and key, its long texts as they are. A file whose size,
times and inode are those it had when its bytes were last hashed is not read again: its
hash is taken from the cache (a build that changes nothing trusts the same stamps, `seal`).
A hit is used only if it decodes to exactly the types of a release, belongs to the file it
is stored for (its path, slug and media under that site), the release's authority is still
the same and every media file it refers to still has the size and modification time it had,
because the release model carries both. Whatever else is found is a miss: read afresh.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import json.scanner
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from generator.build import codec
from generator.build.bodies import Bodies, StoredBody
from generator.build.cache import FORMAT, Cache, Entry, FileStamp, TextReader, Texts
from generator.build.code import code_key
from generator.build.parallel import map_slices
from generator.content.releases import ALIAS, RELEASE_ID, LoadContext, load_release
from generator.core.digest import digest, typed_json
from generator.core.errors import Message, Problem
from generator.core.models import Authority, MediaFile, Release, Settings
from generator.core.slugs import slug
from generator.media.documents import RULES_VERSION as MEDIA_RULES
from generator.render.markdown import BODY_RULES, Body, BodyTooComplex, hrefs, render_body

MediaStamp = tuple[str, int, int]  # absolute path, size, modification time (ns)
RACY_NS = 3_000_000_000  # how long after its last write a file's stamp is trusted


@dataclass(frozen=True)
class Loaded:
    release: Release
    body: Body
    media: tuple[MediaStamp, ...]


@dataclass(frozen=True)
class Cached:
    """A release as the cache gave it back: its body's HTML and text are read when needed (`Bodies`)."""

    release: Release
    first_paragraph: str
    linked: bool
    media: tuple[MediaStamp, ...]


@dataclass(frozen=True)
class LoadedReleases:
    releases: list[Release]
    bodies: Bodies  # by release id
    problems: list[Problem]
    # By release id: a key of everything the release and its body were made from (the file, the
    # settings, its authority, its media files) – what every output showing it is keyed by.
    keys: dict[str, str]


def load_releases(context: LoadContext, paths: Sequence[Path], cache: Cache, jobs: int,
                  progress: Callable[[int], None] = lambda done: None) -> LoadedReleases:
    """The release files `paths` (`content.files.release_files`) as models with rendered bodies."""
    site = context.site
    # Not the authorities: a release depends on its own only, which is compared on every hit.
    fingerprint = digest(FORMAT, code_key(), f"media rules {MEDIA_RULES}", f"body rules {BODY_RULES}",
                         settings_key(context.settings))
    problems: list[Problem] = []
    known = cache.sources()
    # A stamp vouches for bytes only once its times are past the file system's granularity:
    # a file written moments ago could be written again within the same tick (coarse clocks,
    # FAT's two seconds). Such a file is hashed again next time (git's "racy" rule).
    settled = time.time_ns() - RACY_NS
    stamps: dict[str, tuple[FileStamp, str]] = {}
    data: list[bytes | None] = []  # the bytes read by this build (none for a file whose stamp is unchanged)
    keys: list[str | None] = []  # None: the file cannot be read
    sources = [_source(path, site) for path in paths]
    for path, source in zip(paths, sources, strict=True):
        try:
            # The stamp before the bytes: a file changed while it is read has another stamp next time.
            status = os.stat(path)
            stamp = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
            seen = known.get(source)
            if seen is not None and seen[0] == stamp:
                raw, hashed = None, seen[1]
            else:
                raw = path.read_bytes()
                hashed = digest(raw)
        except OSError as exc:
            problems.append(Problem(source, 1, Message(
                "cannot read the file (%(problem)s); check its permissions", problem=str(exc.strerror or exc))))
            data.append(None)
            keys.append(None)
            continue
        if max(status.st_mtime_ns, status.st_ctime_ns) < settled:
            stamps[source] = (stamp, hashed)
        data.append(raw)
        keys.append(digest(fingerprint, source, hashed))
    authority_keys = AuthorityKeys(context.authorities)
    cached = cache.releases(k for k in keys if k is not None)
    outcomes: list[Loaded | Cached | None] = [None] * len(paths)
    missing: list[int] = []
    with _no_cycles_collected():
        for index, key in enumerate(keys):
            if key is None:
                continue
            stored = cached.get(key)
            entry = _decode(stored, paths[index], sources[index], context, authority_keys) \
                if stored is not None else None
            if entry is not None and (not entry.media or _media_unchanged(entry.media)) \
                    and (not (entry.release.images or entry.release.attachments) or _still_passed(entry.release)):
                outcomes[index] = entry
            else:
                missing.append(index)
    for index in missing:
        if data[index] is None:  # its stamp vouched for it, but there is no entry to use: read it now
            try:
                data[index] = raw = paths[index].read_bytes()
            except OSError:
                continue  # gone since: loading reports it
            source = sources[index]
            hashed = digest(raw)
            if source in stamps:
                stamps[source] = (stamps[source][0], hashed)
            keys[index] = digest(fingerprint, source, hashed)
    progress(len(paths) - len(missing))

    def work(start: int, end: int) -> Sequence[tuple[Loaded | None, list[Problem]]]:
        return [_load(paths[i], context, data[i]) for i in missing[start:end]]

    done = len(paths) - len(missing)
    position = 0
    with map_slices(work, len(missing), jobs) as batches:
        for batch in batches:
            for loaded, found in batch:
                outcomes[missing[position]] = loaded
                problems.extend(found)
                position += 1
            done += len(batch)
            progress(done)
    kept = [(key, o) for key, o in zip(keys, outcomes, strict=True) if o is not None and key is not None]
    fresh = {key: o for key, o in ((keys[i], outcomes[i]) for i in missing)
             if key is not None and isinstance(o, Loaded)}
    cache.keep_releases((key for key, _ in kept), _encode(fresh, authority_keys))
    cache.keep_sources(stamps, known)

    def key_of(source_key: str, loaded: Loaded | Cached) -> str:
        return digest(source_key, authority_keys(loaded.release.authority.id),
                      *(f"{path}\0{size}\0{mtime}" for path, size, mtime in loaded.media))

    with _no_cycles_collected():
        made = {o.release.id: o.body for _, o in kept if isinstance(o, Loaded)}
        held = {o.release.id: StoredBody(key, o.release.body, o.first_paragraph, o.linked)
                for key, o in kept if isinstance(o, Cached)}
        release_keys = {o.release.id: key_of(key, o) for key, o in kept}
    return LoadedReleases(releases=[o.release for _, o in kept],
                          bodies=Bodies(made, held, TextReader(cache.path if cache.usable else None)),
                          problems=problems, keys=release_keys)


@contextmanager
def _no_cycles_collected() -> Iterator[None]:
    """Thousands of cached releases are made here, every one kept and none in a reference cycle:
    the cycle collector, which would otherwise go over the whole heap several times while they
    are made, waits until they are all there (it is never paused while workers are forked)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class AuthorityKeys:
    """Each authority's key (`authority_key`), made once per build when first asked for."""

    def __init__(self, authorities: Mapping[str, Authority]) -> None:
        self._authorities = authorities
        self._keys: dict[str, str] = {}

    def __call__(self, authority_id: str) -> str:
        found = self._keys.get(authority_id)
        if found is None:
            authority = self._authorities.get(authority_id)
            found = self._keys[authority_id] = authority_key(authority) if authority is not None else ""
        return found


def settings_key(settings: Settings) -> str:
    """Every field of the settings, `extra` too, as JSON in which each value names its type, so
    that two settings have the same key only when they are the same."""
    return typed_json(dataclasses.asdict(settings))


def authority_key(authority: Authority) -> str:
    """A key of everything an authority says, canonically (its JSON as the cache writes it), and
    of its logo's bytes (the published logo's name carries their hash)."""
    logo = b""
    if authority.logo is not None:
        try:
            logo = authority.logo.file.source.read_bytes()
        except OSError:
            logo = b"missing"
    return digest("authority", codec.dumps(authority, Authority), logo)


def _load(path: Path, context: LoadContext, data: bytes | None) -> tuple[Loaded | None, list[Problem]]:
    release, problems = load_release(path, context, data)
    if release is None or problems:
        return None, problems
    try:
        body = render_body(release.body)
    except BodyTooComplex as exc:
        text = (data if data is not None else path.read_bytes()).decode("utf-8", "replace").replace("\r\n", "\n")
        return None, [exc.problem(release.source, text, release.body)]
    return Loaded(release, body, _media_stamps(release)), problems


# Kept apart from a release's JSON: its authority (by id and key: every release of an authority
# shares it) and its Markdown (in a column, like the rendered body).
_APART = ("authority", "body")
_RELEASE_OUT = codec.encoder_without(Release, _APART)
_RELEASE_IN = codec.decoder_without(Release, _APART)
_MEDIA_OUT = codec.encoder(tuple[MediaStamp, ...])
_MEDIA_IN = codec.decoder(tuple[MediaStamp, ...])
_HEAD = {"release", "authority", "media"}
# `json.loads` without its three Python calls around the scanner for each of thousands of entries
# (an entry is one JSON value as `encode_entry` wrote it: nothing before or after it).
_SCAN: Callable[[str, int], tuple[Any, int]] = cast(Any, json.scanner.make_scanner)(json.JSONDecoder())


def encode_entry(entry: Loaded, authority_keys: Callable[[str], str]) -> tuple[Entry, Texts]:
    """A loaded release as the cache stores it (`codec.Unencodable` if JSON cannot carry it unchanged)."""
    release = entry.release
    head = {"release": _RELEASE_OUT(release), "authority": [release.authority.id, authority_keys(release.authority.id)],
            "media": _MEDIA_OUT(entry.media)}
    try:
        text = json.dumps(head, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (ValueError, TypeError) as exc:
        raise codec.Unencodable(str(exc)) from None
    body = entry.body
    return (text, release.body, body.first_paragraph, bool(hrefs(body.html))), (body.html, body.text)


def decode_entry(stored: Entry, context: LoadContext, authority_keys: Callable[[str], str]) -> Cached | None:
    """The entry as stored, if it is exactly a loaded release of an authority the site still has
    as it was (else None: a miss). Which file it belongs to is `_decode`'s check."""
    head, markdown, first, linked = stored
    try:
        data, end = _SCAN(head, 0)
    except (StopIteration, ValueError, TypeError, RecursionError):
        return None
    if end != len(head) or type(data) is not dict or data.keys() != _HEAD:
        return None
    named = data["authority"]
    if type(named) is not list or len(named) != 2 or type(named[0]) is not str or type(named[1]) is not str:
        return None
    authority = context.authorities.get(named[0])
    if authority is None or authority_keys(named[0]) != named[1]:
        return None
    try:
        release: Release = _RELEASE_IN(data["release"], {"authority": authority, "body": markdown})
        media: tuple[MediaStamp, ...] = _MEDIA_IN(data["media"])
    except (codec.Invalid, RecursionError):
        return None
    return Cached(release, first, linked, media)


def _encode(entries: dict[str, Loaded], authority_keys: Callable[[str], str]) -> dict[str, tuple[Entry, Texts]]:
    """The entries as the cache stores them; one that JSON cannot carry unchanged is not cached
    (read afresh each time)."""
    found = {}
    for key, entry in entries.items():
        try:
            found[key] = encode_entry(entry, authority_keys)
        except codec.Unencodable:
            continue
    return found


def _decode(stored: Entry, path: Path, source: str, context: LoadContext,
            authority_keys: Callable[[str], str]) -> Cached | None:
    """The cached entry for the release file `path` (at `source` in the site), if it is well-formed
    and is that file's."""
    entry = decode_entry(stored, context, authority_keys)
    if entry is None:
        return None
    release = entry.release
    site = context.site
    # The key names the file; the entry must be that file's release as loading would make it.
    if (release.source != source or release.slug != slug(path.stem)
            or not RELEASE_ID.match(release.id)
            or (release.aliases and not all(ALIAS.match(a) and ".." not in a.split("/") and "//" not in a
                                            for a in release.aliases))):
        return None
    if not (release.images or release.attachments or entry.media):
        return entry
    files = [*(i.file for i in release.images), *(a.file for a in release.attachments)]
    if not all(_inside(file, site) for file in files):
        return None
    if [s[0] for s in entry.media] != [str(file.source) for file in files]:
        return None
    return entry


def _source(path: Path, site: Path) -> str:
    """The file's path relative to the site, as a release names its source (without pathlib's
    relative_to, which costs more than the rest of a cached release's checks)."""
    prefix = f"{site}/"
    text = str(path)
    return text[len(prefix):] if text.startswith(prefix) else path.relative_to(site).as_posix()


def _inside(file: MediaFile, site: Path) -> bool:
    """A media file as loading finds it: under the site's content/, named by its own path there."""
    root = site.resolve()
    parts = file.site_path.split("/")
    return (parts[0] == "content" and ".." not in parts and "" not in parts and file.source == root / file.site_path
            and file.source.resolve() == file.source and file.size >= 0)


def _media_stamps(release: Release) -> tuple[MediaStamp, ...]:
    stamps = []
    for file in (*(i.file for i in release.images), *(a.file for a in release.attachments)):
        stat = file.source.stat()
        stamps.append((str(file.source), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


def _still_passed(release: Release) -> bool:
    """No file has appeared where loading looked for a media file before it found it: a new one
    there would be the file the release means (`content.media_refs`)."""
    files = [*(image.file for image in release.images), *(attachment.file for attachment in release.attachments)]
    return not any(os.path.isfile(place) for file in files for place in file.passed)


def _media_unchanged(stamps: tuple[MediaStamp, ...]) -> bool:
    for source, size, mtime_ns in stamps:
        try:
            stat = Path(source).stat()
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
            return False
    return True
