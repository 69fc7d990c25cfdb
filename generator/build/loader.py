"""Reading every release file: in parallel, and only the files that changed since the last build.

A file's cache key is its bytes, its path and everything loading depends on (settings,
Pressroom's version); the value is the validated release with its rendered body, as JSON.
A hit is used only if it decodes to exactly the types of a release, belongs to the file it
is stored for (its path, slug and media under that site), the release's authority is still
the same and every media file it refers to still has the size and modification time it had,
because the release model carries both. Whatever else is found is a miss: read afresh.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.build import codec
from generator.build.cache import FORMAT, Cache
from generator.build.code import code_key
from generator.build.parallel import map_slices
from generator.content.releases import ALIAS, RELEASE_ID, LoadContext, load_release
from generator.core.digest import digest, typed_json
from generator.core.errors import Message, Problem
from generator.core.models import Authority, MediaFile, Release, Settings
from generator.core.slugs import slug
from generator.media.documents import RULES_VERSION as MEDIA_RULES
from generator.render.markdown import BODY_RULES, Body, BodyTooComplex, render_body

MediaStamp = tuple[str, int, int]  # absolute path, size, modification time (ns)


@dataclass(frozen=True)
class Loaded:
    release: Release
    body: Body
    media: tuple[MediaStamp, ...]


@dataclass(frozen=True)
class LoadedReleases:
    releases: list[Release]
    bodies: dict[str, Body]  # by release id
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
    data: list[bytes | None] = []
    keys: list[str] = []
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(path.relative_to(site).as_posix(), 1, Message(
                "cannot read the file (%(problem)s); check its permissions", problem=str(exc.strerror or exc))))
            raw = None
        data.append(raw)
        keys.append(digest(fingerprint, _source(path, site), raw or b""))
    cached = cache.releases(k for k, raw in zip(keys, data, strict=True) if raw is not None)
    outcomes: list[Loaded | None] = [None] * len(paths)
    missing: list[int] = []
    for index, key in enumerate(keys):
        entry = _decode(cached.get(key), paths[index], context)
        if entry is not None and _media_unchanged(entry.media):
            outcomes[index] = entry
        elif data[index] is not None:
            missing.append(index)
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
    cache.keep_releases((key for key, outcome in zip(keys, outcomes, strict=True) if outcome is not None),
                        _encode({keys[i]: outcomes[i] for i in missing}))
    authority_keys: dict[str, str] = {}

    def key_of(source_key: str, loaded: Loaded) -> str:
        authority = loaded.release.authority
        found = authority_keys.get(authority.id)
        if found is None:
            found = authority_keys[authority.id] = authority_key(authority)
        return digest(source_key, found, *(f"{path}\0{size}\0{mtime}" for path, size, mtime in loaded.media))

    kept = [(key, o) for key, o in zip(keys, outcomes, strict=True) if o is not None]
    return LoadedReleases(releases=[o.release for _, o in kept], bodies={o.release.id: o.body for _, o in kept},
                          problems=problems, keys={o.release.id: key_of(key, o) for key, o in kept})


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


def _encode(entries: dict[str, Loaded | None]) -> dict[str, str]:
    """The entries as JSON; one that JSON cannot carry unchanged is not cached (read afresh each time)."""
    found = {}
    for key, entry in entries.items():
        if entry is None:
            continue
        try:
            found[key] = codec.dumps(entry, Loaded)
        except codec.Unencodable:
            continue
    return found


def _decode(text: str | None, path: Path, context: LoadContext) -> Loaded | None:
    """The cached entry for the release file `path`, if it is well-formed and is that file's."""
    if text is None:
        return None
    try:
        entry: Loaded = codec.loads(text, Loaded)
    except codec.Invalid:
        return None
    release = entry.release
    site = context.site
    # The key names the file; the entry must be that file's release as loading would make it.
    if (release.source != _source(path, context.site) or release.slug != slug(path.stem)
            or not RELEASE_ID.match(release.id)
            or not all(ALIAS.match(a) and ".." not in a.split("/") and "//" not in a for a in release.aliases)
            or context.authorities.get(release.authority.id) != release.authority):
        return None
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


def _media_unchanged(stamps: tuple[MediaStamp, ...]) -> bool:
    for source, size, mtime_ns in stamps:
        try:
            stat = Path(source).stat()
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
            return False
    return True
