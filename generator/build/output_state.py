"""What the output folder holds, as the last build left it: `.NAME.state` beside the output.

It names every live file with its size and modification time, the modification time of every
folder (a file added, replaced or removed by hand changes its folder's time), the paths at which
the spare tree beside the output differs from the live one (None: no spare to trust), and an id
of the build that made the live tree (a seal holds only for that tree). `staging` writes it
after each swap and removes it while it works on the spare, so a killed build leaves none.
Read back, anything that is not exactly this shape is no state.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = "pressroom-output-2"


@dataclass(frozen=True)
class OutputState:
    folders: dict[str, int]  # folder ("" = the output itself) → modification time (ns)
    stamps: dict[str, tuple[int, int]]  # each live file → its size and modification time (ns)
    build: str  # the id of the build that made the live tree
    pending: frozenset[str] | None  # where the spare differs from the live tree; None: no usable spare
    _counts: dict[int, Counter[str]] = field(default_factory=dict, compare=False, repr=False)

    def count_under(self, folder: str) -> int:
        """How many live files lie under `folder` (counted once per depth, for every folder)."""
        depth = folder.count("/") + 1
        counts = self._counts.get(depth)
        if counts is None:
            counts = self._counts[depth] = Counter(
                "/".join(path.split("/", depth)[:depth]) for path in self.stamps if path.count("/") >= depth)
        return counts[folder]


def path_of(target: Path) -> Path:
    return target.parent / f".{target.name}.state"


def safe(path: str) -> bool:
    """A relative path inside the output folder, without tricks."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and "\0" not in path and not any(
        p in ("", ".", "..") for p in parts)


def read(path: Path) -> OutputState | None:
    """The state the last build recorded, if it is well formed (anything else: no state)."""
    try:
        if os.path.islink(path):
            return None
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return None
    files, folders, pending, build = value.get("files"), value.get("folders"), value.get("pending"), value.get("build")
    if not isinstance(files, dict) or not all(
            isinstance(f, str) and safe(f) and type(v) is list and len(v) == 2 and type(v[0]) is int
            and type(v[1]) is int for f, v in files.items()):
        return None
    if not isinstance(folders, dict) or not all(
            isinstance(k, str) and type(v) is int and (k == "" or safe(k)) for k, v in folders.items()):
        return None
    if pending is not None and (not isinstance(pending, list)
                                or not all(isinstance(f, str) and safe(f) for f in pending)):
        return None
    return OutputState(folders, {f: (v[0], v[1]) for f, v in files.items()},
                       build if isinstance(build, str) else "", frozenset(pending) if pending is not None else None)


def write(path: Path, target: Path, files: Collection[str], known: dict[str, tuple[int, int]],
          changed: Collection[str], pending: frozenset[str] | None) -> str | None:
    """Record the live tree `target` holding `files`; a file not `changed` keeps its `known` stamp.
    Returns the new tree's id, or None when the state could not be written (then there is none)."""
    stamps: dict[str, list[int]] = {}
    for name in sorted(files):
        stamp = known.get(name)
        if stamp is None or name in changed:
            try:
                stat = os.stat(f"{target}/{name}")
            except OSError:
                return None
            stamp = (stat.st_size, stat.st_mtime_ns)
        stamps[name] = list(stamp)
    folders: dict[str, int] = {}
    for folder in sorted({os.path.dirname(name) for name in files} | {""}):
        while folder not in folders:
            with contextlib.suppress(OSError):
                folders[folder] = os.stat(f"{target}/{folder}" if folder else target).st_mtime_ns
            if not folder:
                break
            folder = os.path.dirname(folder)
    build = os.urandom(16).hex()  # names this very tree: a seal is only good for it
    state = {"format": FORMAT, "build": build, "files": stamps, "folders": folders,
             "pending": sorted(pending) if pending is not None else None}
    temporary = path.with_name(path.name + ".new")
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        # Never through a link someone put there: a new file of our own, then one rename.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with open(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(state, ensure_ascii=False, separators=(",", ":")))
        os.replace(temporary, path)
    except OSError:
        return None
    return build


def intact(target: Path) -> str | None:
    """The id of the build that made the output folder, if the folder is exactly as that build
    left it: every file and folder it recorded, with the same size and time, and nothing else (a
    file touched, added or removed by hand gives None). Without a state, None."""
    target = target.absolute()
    state = read(path_of(target))
    if state is None or not state.build:
        return None
    try:
        for folder, mtime_ns in state.folders.items():
            if os.stat(f"{target}/{folder}" if folder else target).st_mtime_ns != mtime_ns:
                return None
        for name, (size, mtime_ns) in state.stamps.items():
            found = os.stat(f"{target}/{name}")
            if found.st_size != size or found.st_mtime_ns != mtime_ns:
                return None
    except OSError:
        return None
    return state.build
