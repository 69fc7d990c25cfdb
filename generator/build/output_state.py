"""What the output folder holds, as the last build left it: `.NAME.state` beside the output.

It names every live file with its size and modification time, the modification time of every
folder (a file added, replaced or removed by hand changes its folder's time), the spare tree
beside the output (the paths at which it differs from the live one and the times of its own
folders; none: no spare to trust), and an id of the build that made the live tree (a seal holds
only for that tree). `staging` writes it after each swap and removes it while it works on the
spare, so a killed build leaves none. Read back, anything that is not exactly this shape is no
state.

Its upkeep follows the change, not the archive: the live tree and the spare share their files'
inodes but not their folders, so each tree's folder times are kept apart, carried from build to
build and looked up again only where a build changed a folder; the files are three sorted
columns, patched where files came, went or changed, and checked as a whole when read back (the
sizes and times as 64-bit integers in base64, which is copied rather than spelt out). The
file holds one JSON value a line, so a line whose value a build did not change (the names after
an edit, the folder times of the tree that becomes the spare) is written as it was read.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from operator import lt
from pathlib import Path

FORMAT = "pressroom-output-3"
# More files come or go than this share of the site: the columns are made anew, not patched.
_PATCH_LIMIT = 16
_LINES = ("format", "build", "names", "sizes", "mtimes", "folders", "pending", "spare")


@dataclass(frozen=True)
class Spare:
    """The tree beside the output, one build behind the live one."""

    pending: frozenset[str]  # where it differs from the live tree
    folders: dict[str, int]  # its own folders ("" = its top) → modification time (ns)


@dataclass(frozen=True)
class OutputState:
    names: tuple[str, ...]  # each live file, sorted
    sizes: array[int]  # … its size (never changed once read)
    mtimes: array[int]  # … and its modification time (ns)
    folders: dict[str, int]  # each live folder ("" = the output itself) → modification time (ns)
    build: str  # the id of the build that made the live tree
    spare: Spare | None  # None: no usable spare
    # The lines the names and the folders were read from, to be written again as they are.
    _lines: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def index(self) -> dict[str, int]:
        """Each live file → its place in the columns (plain ints: no object per file to collect)."""
        return dict(zip(self.names, range(len(self.names)), strict=True))

    def _at(self, name: str) -> int | None:
        at = bisect_left(self.names, name)  # a few names are looked up: no index of all is made
        return at if at < len(self.names) and self.names[at] == name else None

    def has(self, name: str) -> bool:
        """Whether `name` is a live file."""
        return self._at(name) is not None

    def stamp(self, name: str) -> tuple[int, int] | None:
        """The size and modification time (ns) a live file had, if it is one."""
        at = self._at(name)
        return None if at is None else (self.sizes[at], self.mtimes[at])

    def changes(self, files: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """The files of `files` that are not live files, and the live files not in `files`."""
        if len(files) == len(self.names) and files.issuperset(self.names):  # the same: no set made
            return frozenset(), frozenset()
        return frozenset(files - self.index.keys()), frozenset(self.index.keys() - files)

    def count_under(self, folder: str) -> int:
        """How many live files lie under `folder`: those between `folder/` and `folder0` in order."""
        return bisect_left(self.names, folder + "0") - bisect_left(self.names, folder + "/")


def path_of(target: Path) -> Path:
    return target.parent / f".{target.name}.state"


def safe(path: str) -> bool:
    """A relative path inside the output folder, without tricks."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and "\0" not in path and not any(
        p in ("", ".", "..") for p in parts)


def all_safe(paths: list[str]) -> bool:
    """Whether every one of `paths` is a string and `safe`, checked on one joined string rather
    than path by path (a state names tens of thousands).

    Joined with NUL around each and every `/` made a NUL too, each part of each path stands
    between two NULs: a path is safe if it holds no NUL of its own and no part is empty, `.` or
    `..`."""
    if not paths:
        return True
    try:
        joined = "\0" + "\0".join(paths) + "\0"
    except TypeError:
        return False
    if joined.count("\0") != len(paths) + 1:
        return False
    parts = joined.replace("/", "\0")
    return "\0\0" not in parts and "\0.\0" not in parts and "\0..\0" not in parts


def _integers(value: object, count: int) -> array[int] | None:
    """`count` 64-bit integers from the base64 text `value` (little-endian), or None."""
    if type(value) is not str:
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        return None
    if len(raw) != 8 * count:
        return None
    numbers = array("q")
    numbers.frombytes(raw)
    if sys.byteorder == "big":  # pragma: no cover
        numbers.byteswap()
    return numbers


def _base64(numbers: array[int]) -> str:
    if sys.byteorder == "big":  # pragma: no cover
        numbers = array("q", numbers)
        numbers.byteswap()
    return base64.b64encode(numbers.tobytes()).decode("ascii")


def _ints(values: object, count: int) -> bool:
    return type(values) is list and len(values) == count and set(map(type, values)) <= {int}


def _folders(value: object) -> dict[str, int] | None:
    if type(value) is not dict:
        return None
    names = [name for name in value if name]
    if not all_safe(names) or not _ints(list(value.values()), len(value)):
        return None
    return value


def read(path: Path) -> OutputState | None:
    """The state the last build recorded, if it is well formed (anything else: no state)."""
    try:
        if os.path.islink(path):
            return None
        lines = path.read_bytes().split(b"\n")
        if len(lines) != len(_LINES) or lines[0] != json.dumps(FORMAT).encode():
            return None
        value = {key: json.loads(line) for key, line in zip(_LINES, lines, strict=True)}
    except (OSError, ValueError, RecursionError):  # (a UnicodeDecodeError is a ValueError)
        return None
    if type(value["build"]) is not str:
        return None
    names = value["names"]
    if type(names) is not list or not all_safe(names) or not all(map(lt, names, names[1:])):
        return None  # in strict order, so each at most once
    sizes, mtimes = _integers(value["sizes"], len(names)), _integers(value["mtimes"], len(names))
    if sizes is None or mtimes is None:
        return None
    folders = _folders(value["folders"])
    if folders is None:
        return None
    spare: Spare | None = None
    pending = value["pending"]
    if pending is not None or value["spare"] is not None:
        theirs = _folders(value["spare"])
        if type(pending) is not list or not all_safe(pending) or theirs is None:
            return None
        spare = Spare(frozenset(pending), theirs)
    return OutputState(tuple(names), sizes, mtimes, folders, value["build"], spare,
                       {"names": lines[2], "folders": lines[5]})


def _parent(path: str) -> str:
    return path[:max(path.rfind("/"), 0)]  # no object made per path, as rpartition would


def _holding(files: frozenset[str], previous: OutputState | None) -> set[str]:
    """Every folder that holds one of `files` (at any depth), and "" for the tree itself: the
    `previous` state's folders (which are exactly those of its files), changed where files came
    or went – or, with no state or many files come and gone, found from all of them."""
    added, removed = previous.changes(files) if previous is not None else (files, frozenset())
    if previous is None or (len(added) + len(removed)) * _PATCH_LIMIT > len(previous.names):
        wanted = {_parent(name) for name in files}
        for folder in list(wanted):
            while folder:
                folder = _parent(folder)
                if folder in wanted:
                    break
                wanted.add(folder)
        wanted.add("")
        return wanted
    wanted, fresh = set(previous.folders), set()
    for name in added:
        folder = _parent(name)
        while folder and folder not in fresh:
            fresh.add(folder)
            folder = _parent(folder)
    gone: Counter[str] = Counter()
    for name in removed:
        folder = _parent(name)
        while folder:
            gone[folder] += 1
            folder = _parent(folder)
    wanted |= fresh
    # A folder all of whose files went, and that got none of the new ones, is gone.
    wanted -= {folder for folder, count in gone.items() if count == previous.count_under(folder)} - fresh
    return wanted


def folder_times(target: Path, files: frozenset[str], carried: dict[str, int] | None, changed: Collection[str],
                 previous: OutputState | None = None) -> dict[str, int]:
    """The modification time of each folder of the tree `target` that holds `files` (and of the
    tree itself, ""): as `carried` gives it – the times of this very tree's folders when they
    were last looked at – unless this build `changed` the folder's entries, else looked up now.
    (`previous`, the state before, saves finding the folders of all files anew.)

    A time carried that is no longer the folder's own only makes the next build look into the
    folder (as if a hand had touched it); never is a time taken after a change the build did
    not make and then vouched for. Every folder is recorded, one that cannot be looked at with
    a time no folder has, so the folders of a state are always exactly those of its files."""
    wanted = _holding(files, previous)
    times = dict(carried) if carried is not None else {}
    for folder in times.keys() - wanted:
        del times[folder]
    for folder in (wanted - times.keys()) | (wanted & set(changed)):
        try:
            times[folder] = os.stat(f"{target}/{folder}" if folder else target).st_mtime_ns
        except OSError:
            times[folder] = -1
    return times


def _columns(target: Path, files: frozenset[str], previous: OutputState | None,
             changed: Collection[str]) -> tuple[list[str], array[int], array[int]] | None:
    """The sorted names, sizes and times of `files` in `target`: the `previous` state's, patched
    where files came, went or were `changed` (the rest keep their stamps); None if a file is gone."""
    added, removed = previous.changes(files) if previous is not None else (files, frozenset())
    if previous is None or (len(added) + len(removed)) * _PATCH_LIMIT > len(previous.names):
        known = previous.index if previous is not None else {}
        names = sorted(files)
        sizes, mtimes = array("q"), array("q")
        for name in names:
            at = known.get(name)
            if at is None or name in changed:
                try:
                    stat = os.stat(f"{target}/{name}")
                except OSError:
                    return None
                sizes.append(stat.st_size)
                mtimes.append(stat.st_mtime_ns)
            else:
                assert previous is not None
                sizes.append(previous.sizes[at])
                mtimes.append(previous.mtimes[at])
        return names, sizes, mtimes
    names, sizes, mtimes = list(previous.names), array("q", previous.sizes), array("q", previous.mtimes)
    try:
        for name in removed:
            at = bisect_left(names, name)
            del names[at], sizes[at], mtimes[at]
        for name in sorted(added):
            stat = os.stat(f"{target}/{name}")
            at = bisect_left(names, name)
            names.insert(at, name)
            sizes.insert(at, stat.st_size)
            mtimes.insert(at, stat.st_mtime_ns)
        for name in (name for name in changed if name in files and previous.has(name)):
            stat = os.stat(f"{target}/{name}")
            at = bisect_left(names, name)
            sizes[at], mtimes[at] = stat.st_size, stat.st_mtime_ns
    except OSError:
        return None
    return names, sizes, mtimes


def write(path: Path, target: Path, files: frozenset[str], previous: OutputState | None,
          changed: Collection[str], folders: dict[str, int], spare: Spare | None) -> str | None:
    """Record the live tree `target` holding `files` with the times of its `folders`, and its
    `spare`; a file not `changed` keeps the stamp the `previous` state gave it.
    Returns the new tree's id, or None when the state could not be written (then there is none)."""
    columns = _columns(target, files, previous, changed)
    if columns is None:
        return None
    names, sizes, mtimes = columns
    build = os.urandom(16).hex()  # names this very tree: a seal is only good for it
    lines = {"format": FORMAT, "build": build, "names": names, "sizes": _base64(sizes), "mtimes": _base64(mtimes),
             "folders": folders,
             "pending": None if spare is None else sorted(spare.pending),
             "spare": None if spare is None else spare.folders}
    # JSON escapes every line break inside a value, so each value stays on its line.
    kept: dict[str, bytes] = {}  # what is as it was read: written as it was
    if previous is not None:
        if names == list(previous.names):
            kept["names"] = previous._lines["names"]
        if folders is previous.folders:
            kept["folders"] = previous._lines["folders"]
        if spare is not None and spare.folders is previous.folders:
            kept["spare"] = previous._lines["folders"]
    text = [kept[key] if key in kept else _dump(value) for key, value in lines.items()]
    temporary = path.with_name(path.name + ".new")
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        # Never through a link someone put there: a new file of our own, then one rename.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with open(handle, "wb") as out:
            out.write(b"\n".join(text))
        os.replace(temporary, path)
    except OSError:
        return None
    return build


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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
        for name, size, mtime_ns in zip(state.names, state.sizes, state.mtimes, strict=True):
            found = os.stat(f"{target}/{name}")
            if found.st_size != size or found.st_mtime_ns != mtime_ns:
                return None
    except OSError:
        return None
    return state.build
