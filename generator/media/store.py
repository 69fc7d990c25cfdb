"""The media store: encoded variants kept for the next build, checked on every read.

One entry per encoding job: the variant files `KEY-WIDTH.EXT` in the media folder and, written
last, a JSON entry naming their sizes. The entries are rows of the build cache, the one store of
what a build remembers (`EntryStore`, which `generator.build.cache.Cache` implements and the
pipeline hands down: media knows nothing of the build); the variant files stay files, because
the output copies them and later builds carry them over as hard links. Without an entry store
(`--no-cache`, or a cache that cannot be opened) nothing is kept and the variants stay in memory.

Nothing here is executed or unpickled: an entry is plain JSON, and one that does not validate —
unreadable, another shape, a size that does not match its file, a file that is not a regular
file or not of the entry's format — is a miss, so the variants are made anew and the entry is
written again. Names are made here from the key, never read from the entry, so no entry can
point outside the folder.

The marks of images a build decoded without error (`decoded`) are empty files in the same
folder: release files are read in forked worker processes, which must not share the build's
database connection, and a file needs none.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any, Protocol

CACHE_DIR = ".pressroom-cache/media"
ENTRY_VERSION = 2  # version 1 entries were bare lists without lengths: a miss, made anew
MAX_SIDE = 100_000

Stored = tuple[int, int, Path | bytes, int]  # width, height, the file (or its bytes), length
_KEY = re.compile(r"[0-9a-f]{32}")
_SIGNATURES = {"jpg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",), "webp": (b"RIFF",)}


class EntryStore(Protocol):
    """Where the store's entries are kept: text in, text out; the store validates every read."""

    def media_entry(self, key: str) -> str | None: ...

    def keep_media_entry(self, key: str, entry: str) -> None: ...


class MediaStore:
    """The media folder and the entries that describe its variants.

    `folder=None`: no folder at all (no marks either). `entries=None`: no variants are kept,
    they stay in memory."""

    def __init__(self, folder: Path | None, entries: EntryStore | None = None) -> None:
        self.folder = folder
        self.entries = entries

    def variants(self, key: str, extension: str) -> list[Stored] | None:
        """The variants an earlier build kept under `key`, or None when there is no valid entry."""
        if self.folder is None or self.entries is None or not _KEY.fullmatch(key) or extension not in _SIGNATURES:
            return None
        try:
            text = self.entries.media_entry(key)
            return None if text is None else self._validated(json.loads(text), key, extension)
        except (OSError, ValueError, RecursionError):
            return None

    def _validated(self, entry: Any, key: str, extension: str) -> list[Stored] | None:
        assert self.folder is not None
        if not (isinstance(entry, dict) and entry.get("version") == ENTRY_VERSION and entry.get("key") == key
                and isinstance(entry.get("variants"), list) and entry["variants"]):
            return None
        result: list[Stored] = []
        for item in entry["variants"]:
            if not (isinstance(item, list) and len(item) == 3 and all(_count(n) for n in item)):
                return None
            width, height, length = item
            if width > MAX_SIDE or height > MAX_SIDE:
                return None
            path = self.folder / f"{key}-{width}.{extension}"
            found = os.lstat(path)  # a symbolic link is not the file this build wrote
            if not stat.S_ISREG(found.st_mode) or found.st_size != length:
                return None
            with path.open("rb") as stream:
                if not stream.read(16).startswith(_SIGNATURES[extension]):
                    return None
            result.append((width, height, path, length))
        return result

    def keep(self, key: str, extension: str, encoded: list[tuple[int, int, bytes]]) -> list[Stored]:
        """Keep new variants for the next build; without a writable cache, the bytes themselves."""
        in_memory: list[Stored] = [(w, h, content, len(content)) for w, h, content in encoded]
        if self.folder is None or self.entries is None:
            return in_memory
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for width, _height, content in encoded:
                _write_atomically(self.folder / f"{key}-{width}.{extension}", content)
        except OSError:
            return in_memory
        entry = {"version": ENTRY_VERSION, "key": key,
                 "variants": [[w, h, len(content)] for w, h, content in encoded]}
        # The entry last: an entry that is there is complete.
        self.entries.keep_media_entry(key, json.dumps(entry))
        return [(w, h, self.folder / f"{key}-{w}.{extension}", len(content)) for w, h, content in encoded]

    def decoded(self, digest: str) -> bool:
        """Whether a build decoded these exact bytes without error."""
        return self.folder is not None and (self.folder / f"decoded-{digest[:32]}").is_file()

    def mark_decoded(self, digest: str) -> None:
        if self.folder is None or self.decoded(digest):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.folder / f"decoded-{digest[:32]}", b"")
        except OSError:
            pass  # without a cache, the next check decodes again


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


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
