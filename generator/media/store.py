"""The media cache: encoded variants kept for the next build, in one folder, checked on every read.

One entry per encoding job: the variant files `KEY-WIDTH.EXT` and, written last, `KEY.json`
naming their sizes. Nothing here is executed or unpickled: an entry is plain JSON, and one
that does not validate — unreadable, another shape, a size that does not match its file, a
file that is not a regular file or not of the entry's format — is a miss, so the variants
are made anew and the entry is written again. Names are made here from the key, never read
from the entry, so no entry can point outside the folder.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

CACHE_DIR = ".pressroom-cache/media"
ENTRY_VERSION = 2  # version 1 entries were bare lists without lengths: a miss, made anew
MAX_SIDE = 100_000

Stored = tuple[int, int, Path | bytes, int]  # width, height, the file (or its bytes), length
_KEY = re.compile(r"[0-9a-f]{32}")
_SIGNATURES = {"jpg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",), "webp": (b"RIFF",)}


class MediaStore:
    """The cache folder, or none (`folder=None`: nothing is kept, variants stay in memory)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def variants(self, key: str, extension: str) -> list[Stored] | None:
        """The variants an earlier build kept under `key`, or None when there is no valid entry."""
        if self.folder is None or not _KEY.fullmatch(key) or extension not in _SIGNATURES:
            return None
        try:
            entry = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            return self._validated(entry, key, extension)
        except (OSError, ValueError):
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
        if self.folder is None:
            return in_memory
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for width, _height, content in encoded:
                _write_atomically(self.folder / f"{key}-{width}.{extension}", content)
            entry = {"version": ENTRY_VERSION, "key": key,
                     "variants": [[w, h, len(content)] for w, h, content in encoded]}
            # The entry last: an entry that is there is complete.
            _write_atomically(self.folder / f"{key}.json", json.dumps(entry).encode())
        except OSError:
            return in_memory
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
