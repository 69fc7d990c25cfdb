"""The only module that writes the site: into a tree beside the output, swapped in whole.

The new site is written beside the target (same file system) and exchanged
with it in one atomic `renameat2(RENAME_EXCHANGE)`, so a reader or a killed
build only ever finds the complete old or the complete new site. Files whose
bytes did not change keep their inode and modification time (web servers keep
answering 304). The tree written into is the spare – the site of the build
before, kept beside the output – so that a build touches only what changed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from stat import S_ISREG
from types import TracebackType
from typing import TYPE_CHECKING

from generator.build import output_state
from generator.build.output_state import safe
from generator.build.parallel import die_with_parent
from generator.core.errors import N_, Message, OutputError, UsageError
from generator.core.urls import normal
from generator.lifecycle.manifest import MANIFEST

if TYPE_CHECKING:
    from generator.build.addresses import Addresses

# Marks a folder as Pressroom's own: every build writes it, so a folder without it is the user's.
PUBLISHED_MARK = MANIFEST
# Folders (not files: making one is no write that can fail on a full disk) that mark the
# staging folder and the sweep container as made by a build, until they are gone.
_STAGING_MARK = ".pressroom-staging"
_SWEEP_MARK = ".pressroom-sweep"

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# Why a folder a build left beside the output cannot be removed (shown in an `OutputError`).
_FOREIGN = Message("it holds files no Pressroom build made; move it away")
_CARRY = N_("cannot carry over %(file)s: %(problem)s; the previous site was left as it was")


class OutputRefused(UsageError):
    """The output folder given could hold something a build must not replace (exit 2)."""


def guard_output(site: Path, output: Path) -> None:
    """Refuse an output folder whose replacement could lose anything but a former Pressroom output.

    A build replaces the output folder whole and removes the one it replaced, so the output
    must be missing, empty or made by Pressroom, and must not hold or lie in the site's own
    files. The folders a build keeps beside it (`.NAME.old`, `.NAME.trash` …) are checked too.
    Raises `OutputRefused`; nothing is moved or deleted before this passed.
    """
    shown = str(output)
    target = Path(os.path.abspath(output))
    if target.is_symlink():
        raise OutputRefused(Message("the output %(output)s is a symbolic link; a build would replace the link "
                                    "itself, so give the folder it points to: -o %(folder)s",
                                    output=shown, folder=os.path.realpath(target)))
    real = Path(os.path.realpath(target))
    home = Path(os.path.realpath(site))
    if real == home:
        raise OutputRefused(Message("the output %(output)s is the site folder itself; a build replaces its output "
                                    "whole, so choose a folder of its own, e.g. -o SITE/output", output=shown))
    if home.is_relative_to(real):
        raise OutputRefused(Message("the output %(output)s contains the site folder %(site)s; a build replaces its "
                                    "output whole, so choose a folder of its own, e.g. -o SITE/output",
                                    output=shown, site=str(site)))
    for inner in ("content", "templates", ".pressroom-cache"):
        if real.is_relative_to(home / inner):
            raise OutputRefused(Message("the output %(output)s lies inside the site's %(folder)s/ folder; choose a "
                                        "folder outside it, e.g. -o SITE/output", output=shown, folder=inner))
    if os.path.lexists(real) and not real.is_dir():
        raise OutputRefused(Message("the output %(output)s is a file, not a folder; a build would replace it, so "
                                    "choose a new or empty folder, or move the file away", output=shown))
    if not ours(real):
        raise OutputRefused(Message("the output %(output)s is a folder with files no Pressroom build made (it has "
                                    "no %(mark)s); a build would replace them all, so choose a new or empty folder",
                                    output=shown, mark=PUBLISHED_MARK))
    for side in side_folders(real):
        if os.path.lexists(side) and not ours(side):
            raise OutputRefused(Message("%(folder)s is beside the output %(output)s and holds files no Pressroom "
                                        "build made; a build removes that folder, so move it away or choose another "
                                        "output", folder=str(side), output=shown))


def side_folders(target: Path) -> tuple[Path, ...]:
    """The folders a build keeps beside the output `target` and removes when it is done with them."""
    return tuple(target.parent / f".{target.name}.{what}" for what in ("staging", "old", "trash", "sweep", "spare"))


def ours(folder: Path) -> bool:
    """Whether `folder` is missing, empty, or holds only what a Pressroom build made (never through a link)."""
    try:
        if not os.path.lexists(folder):
            return True
        if os.path.islink(folder) or not folder.is_dir():
            return False
        with os.scandir(folder) as entries:
            if next(entries, None) is None:
                return True
        mark = folder / PUBLISHED_MARK
        if not os.path.islink(folder / "_server") and mark.is_file() and not mark.is_symlink():
            return True
        return any(os.path.isdir(folder / m) and not os.path.islink(folder / m) for m in (_STAGING_MARK, _SWEEP_MARK))
    except OSError:
        return False


def _remove(folder: Path) -> None:
    """Remove a folder a build left beside the output, only if it is one (rmtree follows no link)."""
    if not os.path.lexists(folder):
        return
    if not ours(folder):
        raise OSError(errno.EEXIST, _FOREIGN, str(folder))
    shutil.rmtree(folder, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directory entries atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


class StagingBug(OutputError):
    """A file written twice in one build, or one no owner claimed: a bug, never an overwrite."""


class Staging:
    """Collects the new site; `commit()` makes it the target, leaving it as it was on any failure.

    Two trees are kept: the live one (`target`) and a spare beside it, one build behind. A
    build first brings the spare up to the live site – relinking only the files the last build
    changed, so both share every unchanged file's inode – then writes only what changed into
    it and exchanges the two in one atomic `renameat2(RENAME_EXCHANGE)`. Its cost follows the
    change, not the archive. Without a usable spare (the first builds, or after a build was
    killed) the new site is made in a fresh folder, unchanged files hard-linked from the old.

    With `addresses`, every file staged must have been claimed there (`generator.build.addresses`);
    in any case no file (compared as a case-insensitive server would) is staged twice.
    """

    def __init__(self, target: Path, addresses: Addresses | None = None) -> None:
        self.target = target.absolute()
        self.addresses = addresses
        self._staged: set[str] = set()
        self._paths: list[str] = []  # as staged, for the state of the next build
        parent = self.target.parent
        name = self.target.name
        self._fresh = parent / f".{name}.staging"
        self.root = self._fresh
        self._spare = parent / f".{name}.spare"
        self._state_path = output_state.path_of(self.target)
        self._old = parent / f".{name}.old"
        # A site no longer needed is moved here and removed during the next build, by a
        # separate `rm` that runs while that build renders, instead of at the end of this one.
        self._trash = parent / f".{name}.trash"
        self._sweep = parent / f".{name}.sweep"
        self._sweeper: subprocess.Popen[bytes] | None = None
        self._lock_path = parent / f".{name}.lock"
        self._lock: int | None = None
        self.written = 0
        self.kept = 0
        self._folders: set[str] = set()
        self._state: output_state.OutputState | None = None
        self._in_spare = False
        self._changed: set[str] = set()  # paths whose new file differs from the live site's
        self._foreign: set[str] = set()  # files in the live tree no build made (added by hand)
        self._committed = False
        self._touched = False  # the live tree was changed by hand since the last build
        self.build_id: str | None = None  # set when the state of the new site is recorded
        self._real_root = ""
        self._sound: set[str] = set()  # folders of the spare found to lie inside it
        # Folders of the spare whose entries this build changed (made, removed, linked into):
        # the only ones whose times the state must look up again (`output_state.folder_times`).
        self._dirty: set[str] = {""}

    def __enter__(self) -> Staging:
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._lock = os.open(self._lock_path, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o644)
            fcntl.flock(self._lock, fcntl.LOCK_EX)
            self._recover()
            _remove(self._fresh)
            self._state = output_state.read(self._state_path) if os.path.isdir(self.target) else None
            # From here on the spare is untrusted until `commit` records it again: a build killed
            # while it works on the spare leaves no state, and the next one starts afresh.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._state_path)
            if self._state is not None:
                self._foreign = self._hand_made(self._state)
            usable = (self._state is not None and self._state.spare is not None
                      and os.path.isdir(self._spare) and not os.path.islink(self._spare) and ours(self._spare))
            if not usable and os.path.lexists(self._spare):
                self._discard_spare()
            self._start_sweeping()
            if usable:
                assert self._state is not None and self._state.spare is not None
                self.root = self._spare
                self._in_spare = True
                self._real_root = os.path.realpath(self._spare)
                (self.root / _STAGING_MARK).mkdir(exist_ok=True)
                self._bring_up_to_date(self._state.spare.pending | self._foreign)
            else:
                self.root.mkdir()
                (self.root / _STAGING_MARK).mkdir()
        except OSError as exc:
            self._release()
            raise OutputError(Message("cannot prepare the output folder next to %(output)s: %(problem)s; check "
                                      "that it exists and is writable", output=str(self.target),
                                      problem=exc.strerror or str(exc))) from None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if not self._in_spare or not self._committed:
            # A failed build's spare is half done: it was not recorded, so the next build drops it.
            shutil.rmtree(self._fresh, ignore_errors=True)
        if self._sweeper is not None:
            self._sweeper.wait()
        self._release()

    def _discard_spare(self) -> None:
        """A spare no state vouches for goes to the sweep, like an old site."""
        if not ours(self._spare):
            raise OSError(errno.EEXIST, _FOREIGN, str(self._spare))
        if os.path.lexists(self._trash):
            shutil.rmtree(self._spare, ignore_errors=True)
        else:
            self._spare.rename(self._trash)

    def _hand_made(self, state: output_state.OutputState) -> set[str]:
        """Entries of the live tree that no build made: found in the folders whose time changed."""
        found: set[str] = set()
        for folder, mtime_ns in state.folders.items():
            path = f"{self.target}/{folder}" if folder else str(self.target)
            try:
                if os.stat(path).st_mtime_ns == mtime_ns:
                    continue
                # A file replaced or removed by hand: the new site must be swapped in even if
                # this build changes nothing, so that the live tree is whole again.
                self._touched = True
                names = os.listdir(path)
            except OSError:
                self._touched = True
                continue
            for name in names:
                entry = f"{folder}/{name}" if folder else name
                if not state.has(entry) and entry not in state.folders and safe(entry):
                    found.add(entry)
        return found

    def _bring_up_to_date(self, paths: frozenset[str] | set[str]) -> None:
        """Make the spare equal to the live site at `paths`, sharing the live files' inodes."""
        assert self._state is not None
        for path in sorted(paths):
            if not safe(path):
                continue
            spare = f"{self._spare}/{path}"
            self._beneath(spare)
            self._dirty.add(os.path.dirname(path))
            if os.path.isdir(spare) and not os.path.islink(spare):
                shutil.rmtree(spare, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(spare)
            if self._state.has(path):
                self._folder(spare)
                self._beneath(spare)
                with contextlib.suppress(FileNotFoundError):  # removed by hand: made again when staged
                    os.link(f"{self.target}/{path}", spare)
            else:
                self._prune(path)

    def _beneath(self, destination: str) -> None:
        """Refuse to write or remove through a link that leads out of the spare (someone put it there
        before the build: the build itself makes no links, so a folder found sound stays sound)."""
        if not self._in_spare:
            return
        folder = os.path.dirname(destination)
        if folder in self._sound:
            return
        real = os.path.realpath(folder)
        if real != self._real_root and not real.startswith(self._real_root + os.sep):
            raise OSError(errno.ELOOP, Message("a folder of the spare beside the output is a link out of it"),
                          destination)
        self._sound.add(folder)

    def _prune(self, path: str) -> None:
        """Remove the folders a removed file leaves empty in the spare."""
        folder = os.path.dirname(path)
        while folder:
            try:
                os.rmdir(f"{self.root}/{folder}")
            except OSError:
                return
            self._folders.discard(f"{self.root}/{folder}")
            folder = os.path.dirname(folder)
            self._dirty.add(folder)

    def _start_sweeping(self) -> None:
        _remove(self._sweep)  # a sweep a killed build left unfinished
        if not os.path.lexists(self._trash):
            return
        if not ours(self._trash):
            raise OSError(errno.EEXIST, _FOREIGN, str(self._trash))
        # The site goes into a container marked as ours, which keeps the mark until the site is
        # gone: a sweep killed halfway is still recognised by the next build.
        self._sweep.mkdir()
        (self._sweep / _SWEEP_MARK).mkdir()
        self._trash.rename(self._sweep / "site")
        try:
            self._sweeper = subprocess.Popen(["sh", "-c", 'rm -rf -- "$1/site" && rm -rf -- "$1"', "sweep",
                                              str(self._sweep)], stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                             preexec_fn=die_with_parent)  # a killed build: the next finishes the sweep
        except OSError:
            shutil.rmtree(self._sweep, ignore_errors=True)

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _recover(self) -> None:
        """Finish what a build killed between two plain renames left behind."""
        if not os.path.lexists(self._old):
            return
        if not ours(self._old):
            raise OSError(errno.EEXIST, _FOREIGN, str(self._old))
        if not os.path.lexists(self.target):
            self._old.rename(self.target)
        else:
            shutil.rmtree(self._old, ignore_errors=True)

    # Plain strings and os calls below: a large site stages tens of thousands of files.
    def _folder(self, destination: str) -> None:
        folder = os.path.dirname(destination)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
            if self._in_spare:  # it and the folders above it may be new
                inner = folder[len(str(self.root)) + 1:]
                while inner:
                    self._dirty.add(inner)
                    inner = os.path.dirname(inner)

    def _check(self, path: str) -> str:
        """The registry key of a file about to be staged, if it may be staged (else `StagingBug`)."""
        key = normal(path)
        if not safe(path):
            raise StagingBug(Message("internal error: the build tried to write %(path)s, outside its output "
                                     "folder; the previous site was left as it was – please report this",
                                     path=repr(path)))
        if key in self._staged:
            raise StagingBug(Message("internal error: the build wrote %(path)s twice; the previous site was left "
                                     "as it was – please report this", path=path))
        if self.addresses is not None and not self.addresses.covers_key(key):
            raise StagingBug(Message("internal error: the build wrote %(path)s, which no page, release or section "
                                     "claimed; the previous site was left as it was – please report this",
                                     path=path))
        return key

    def _stage(self, path: str) -> None:
        self._staged.add(self._check(path))
        self._paths.append(path)

    @property
    def in_spare(self) -> bool:
        """Whether this build writes into the spare (else into a fresh tree beside the output)."""
        return self._in_spare

    @property
    def staged(self) -> frozenset[str]:
        """Every file of the new site so far (written, carried over or copied), as `normal` addresses."""
        return frozenset(self._staged)

    @property
    def paths(self) -> tuple[str, ...]:
        """Every file of the new site so far, as staged, in the order staged."""
        return tuple(self._paths)

    def previous(self, path: str) -> str:
        """Where the previous site's file at `path` is read from during this build: in the spare it
        is the live file's own inode."""
        return f"{self.root}/{path}" if self._in_spare else f"{self.target}/{path}"

    def _replace(self, path: str) -> str:
        """The destination for a new file at `path`, with no old inode under it (it may be the live one)."""
        destination = f"{self.root}/{path}"
        self._folder(destination)
        self._beneath(destination)
        if self._in_spare:
            if os.path.isdir(destination) and not os.path.islink(destination):
                shutil.rmtree(destination)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(destination)
        self._changed.add(path)
        return destination

    def _same_kept(self, path: str) -> None:
        """The previous file stays: in a fresh folder it is linked in, in the spare it is there."""
        if not self._in_spare:
            destination = f"{self.root}/{path}"
            self._folder(destination)
            os.link(f"{self.target}/{path}", destination)
        self.kept += 1

    def write(self, path: str, data: str | bytes) -> None:
        self._stage(path)
        content = data.encode("utf-8") if isinstance(data, str) else data
        try:
            if _same_bytes(self.previous(path), content):
                self._same_kept(path)
                return
            # os calls, not a file object: a cold build writes tens of thousands of files.
            handle = os.open(self._replace(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            try:
                left = memoryview(content)
                while left:
                    left = left[os.write(handle, left):]
            finally:
                os.close(handle)
            self.written += 1
        except OSError as exc:
            raise OutputError(Message("cannot write %(file)s: %(problem)s; the previous site was left as it was",
                                      file=str(self.target / path), problem=exc.strerror or str(exc))) from None

    def keep(self, path: str, size: int, mtime_ns: int) -> bool:
        """Carry the previous site's file over as it is, if it still has that size and time.

        False when it is missing or was changed since (then the caller makes it anew).
        """
        key = self._check(path)
        try:
            stat = os.lstat(self.previous(path))
            if not S_ISREG(stat.st_mode) or (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
                return False
            self._same_kept(path)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise OutputError(Message(_CARRY, file=self.previous(path), problem=exc.strerror or str(exc))) from None
        self._staged.add(key)
        self._paths.append(path)
        return True

    def keep_found(self, paths: Sequence[str]) -> None:
        """Carry the spare's files at `paths` over as they are: each one found by the caller to be a
        file with the size and time the last build gave it (`tasks.each_task` looks, in the workers).

        The spare shares the live files' inodes, so nothing is done to them: they are only staged,
        with every check `write` makes, on all of them at once (tens of thousands, after an edit)."""
        assert self._in_spare
        keys = _normal_all(paths)
        if (keys is None or len(set(keys)) != len(keys) or not self._staged.isdisjoint(keys)
                or (self.addresses is not None and not all(map(self.addresses.covers_key, keys)))):
            for path in paths:  # one of them is a bug: `_check` says which
                self._stage(path)
        else:
            self._staged.update(keys)
            self._paths.extend(paths)
        self.kept += len(paths)

    def carry(self, folder: str) -> bool:
        """Carry a whole folder of the previous site over as it is (the search index's parts, which
        their fingerprint vouches for). False if it cannot be (then the caller makes it anew)."""
        base = f"{self.root}/{folder}" if self._in_spare else f"{self.target}/{folder}"
        found: list[str] = []
        for here, folders, files in os.walk(base):
            folders.sort()
            inner = os.path.relpath(here, base)
            found.extend(f"{folder}/{name}" if inner == "." else f"{folder}/{inner}/{name}" for name in sorted(files))
        if not found or self._state is None:
            return False
        for path in found:  # every file as the last build recorded it, or none is taken
            try:
                stat = os.lstat(self.previous(path))
            except OSError:
                return False
            if not S_ISREG(stat.st_mode) or self._state.stamp(path) != (stat.st_size, stat.st_mtime_ns):
                return False
        if len(found) != self._state.count_under(folder):  # each found one is recorded: none is missing
            return False
        for path in found:
            key = self._check(path)
            try:
                self._same_kept(path)
            except OSError as exc:
                raise OutputError(Message(_CARRY, file=str(self.target / path),
                                          problem=exc.strerror or str(exc))) from None
            self._staged.add(key)
            self._paths.append(path)
        return True

    def copy(self, path: str, source: Path) -> None:
        self._stage(path)
        try:
            if _same_file(self.previous(path), source):
                self._same_kept(path)
                return
            shutil.copyfile(source, self._replace(path))
            self.written += 1
        except OSError as exc:
            raise OutputError(Message("cannot copy %(source)s to %(file)s: %(problem)s; the previous site was left "
                                      "as it was", source=str(source), file=str(self.target / path),
                                      problem=exc.strerror or str(exc))) from None

    def commit(self) -> None:
        try:
            if self._in_spare:
                self._commit_spare()
            else:
                self._commit_fresh()
        except OSError as exc:
            raise OutputError(Message("cannot put the new site in place at %(output)s: %(problem)s; the previous "
                                      "site was left as it was", output=str(self.target),
                                      problem=exc.strerror or str(exc))) from None
        self._committed = True

    def _commit_spare(self) -> None:
        assert self._state is not None
        files = frozenset(self._paths)
        removed = self._state.changes(files)[1]
        for path in sorted(removed):
            self._beneath(f"{self.root}/{path}")
            self._dirty.add(os.path.dirname(path))
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.root}/{path}")
            self._prune(path)
        (self.root / _STAGING_MARK).rmdir()
        differing = self._changed | removed | self._foreign
        assert self._state.spare is not None
        # The tree worked in keeps the folder times the last build left it with, looked up again
        # where this build changed its folders. The other tree's were all found as recorded
        # when this build began (else it was touched by hand and is no spare to keep).
        carried, live = self._state.spare.folders, self._state.folders
        if not differing and not self._touched:  # the live site stays; the spare is now the same
            worked = output_state.folder_times(self.root, files, carried, self._dirty, self._state)
            self._keep_state(files, live, output_state.Spare(frozenset(), worked))
            return
        if not _exchange(self.root, self.target):  # pragma: no cover
            raise OSError(errno.ENOTSUP, Message("the file system cannot exchange two folders"), str(self.target))
        worked = output_state.folder_times(self.target, files, carried, self._dirty, self._state)
        # A tree changed by hand is now the spare, and how it differs is not known: not trusted.
        self._keep_state(files, worked, None if self._touched else output_state.Spare(frozenset(differing), live))

    def _commit_fresh(self) -> None:
        (self.root / _STAGING_MARK).rmdir()
        files = frozenset(self._paths)
        if not self.target.exists():
            self.root.rename(self.target)
            self._keep_state(files, self._made(files), None)
            return
        if _exchange(self.root, self.target):
            # The previous site, now at self.root, becomes the spare when the state says how it
            # differs from the new one; else it goes to the sweep. Its folders were all found as
            # the state recorded them (else it was touched by hand), and this build changed none.
            if self._state is not None and not self._touched and not os.path.lexists(self._spare):
                self.root.rename(self._spare)
                self._keep_state(files, self._made(files), output_state.Spare(
                    frozenset(self._changed | self._state.changes(files)[1] | self._foreign),
                    self._state.folders))
                return
            with contextlib.suppress(OSError):  # else __exit__ removes it at once
                self.root.rename(self._trash)
        else:
            self.target.rename(self._old)
            self.root.rename(self.target)
            self._old.rename(self._trash)
        self._keep_state(files, self._made(files), None)

    def _made(self, files: frozenset[str]) -> dict[str, int]:
        """The folder times of a live tree this build made anew: each one looked at."""
        return output_state.folder_times(self.target, files, None, ())

    def _keep_state(self, files: frozenset[str], folders: dict[str, int], spare: output_state.Spare | None) -> None:
        """Record the live site for the next build (best effort: without it, the next starts afresh).
        A file this build did not change keeps the stamp the last state gave it."""
        self.build_id = output_state.write(self._state_path, self.target, files, self._state, self._changed,
                                           folders, spare)


def _normal_all(paths: Sequence[str]) -> list[str] | None:
    """`normal` of each of `paths`, if all are `safe` (else None), in a few calls for all: a safe
    path has no empty part, so it is its own address, and without a `%` nothing is decoded; case
    folding goes character by character, so folding the joined paths folds each one."""
    if not output_state.all_safe(list(paths)):
        return None
    joined = "\0".join(paths)
    if "%" in joined:
        return [normal(path) for path in paths]
    return joined.casefold().split("\0") if paths else []


def _same_bytes(previous: str, content: bytes) -> bool:
    try:
        found = os.lstat(previous)
        if not S_ISREG(found.st_mode) or found.st_size != len(content):
            return False
        with open(previous, "rb") as handle:
            return handle.read() == content
    except OSError:
        return False


def _same_file(previous: str, source: Path) -> bool:
    try:
        found = os.lstat(previous)
        if not S_ISREG(found.st_mode) or found.st_size != source.stat().st_size:
            return False
        with open(previous, "rb") as handle:
            return handle.read() == source.read_bytes()
    except OSError:
        return False
