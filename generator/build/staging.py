"""The only module that writes the site: into a staging folder, swapped in whole.

The new site is written beside the target (same file system) and exchanged
with it in one atomic `renameat2(RENAME_EXCHANGE)`, so a reader or a killed
build only ever finds the complete old or the complete new site. Files whose
bytes did not change are hard-linked from the previous site, which keeps
their modification time (web servers keep answering 304) and saves writes.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import subprocess
from pathlib import Path
from types import TracebackType

from generator.build.addresses import Addresses, normal
from generator.core.errors import OutputError, UsageError
from generator.lifecycle.manifest import MANIFEST

# Marks a folder as Pressroom's own: every build writes it, so a folder without it is the user's.
PUBLISHED_MARK = MANIFEST
# Folders (not files: making one is no write that can fail on a full disk) that mark the
# staging folder and the sweep container as made by a build, until they are gone.
_STAGING_MARK = ".pressroom-staging"
_SWEEP_MARK = ".pressroom-sweep"

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_PR_SET_PDEATHSIG = 1


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
        raise OutputRefused(f"the output {shown} is a symbolic link; a build would replace the link itself, "
                            f"so give the folder it points to: -o {os.path.realpath(target)}")
    real = Path(os.path.realpath(target))
    home = Path(os.path.realpath(site))
    if real == home:
        raise OutputRefused(f"the output {shown} is the site folder itself; a build replaces its output "
                            "whole, so choose a folder of its own, e.g. -o SITE/output")
    if home.is_relative_to(real):
        raise OutputRefused(f"the output {shown} contains the site folder {site}; a build replaces its output "
                            "whole, so choose a folder of its own, e.g. -o SITE/output")
    for inner in ("content", "templates", ".pressroom-cache"):
        if real.is_relative_to(home / inner):
            raise OutputRefused(f"the output {shown} lies inside the site's {inner}/ folder; choose a folder "
                                "outside it, e.g. -o SITE/output")
    if os.path.lexists(real) and not real.is_dir():
        raise OutputRefused(f"the output {shown} is a file, not a folder; a build would replace it, so choose "
                            "a new or empty folder, or move the file away")
    if not ours(real):
        raise OutputRefused(f"the output {shown} is a folder with files no Pressroom build made (it has no "
                            f"{PUBLISHED_MARK}); a build would replace them all, so choose a new or empty folder")
    for side in side_folders(real):
        if os.path.lexists(side) and not ours(side):
            raise OutputRefused(f"{side} is beside the output {shown} and holds files no Pressroom build made; "
                                "a build removes that folder, so move it away or choose another output")


def side_folders(target: Path) -> tuple[Path, ...]:
    """The folders a build keeps beside the output `target` and removes when it is done with them."""
    return tuple(target.parent / f".{target.name}.{what}" for what in ("staging", "old", "trash", "sweep"))


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
        raise OSError(errno.EEXIST, "it holds files no Pressroom build made; move it away", str(folder))
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

    With `addresses`, every file staged must have been claimed there (`generator.build.addresses`);
    in any case no file (compared as a case-insensitive server would) is staged twice.
    """

    def __init__(self, target: Path, addresses: Addresses | None = None) -> None:
        self.target = target.absolute()
        self.addresses = addresses
        self._staged: set[str] = set()
        parent = self.target.parent
        name = self.target.name
        self.root = parent / f".{name}.staging"
        self._old = parent / f".{name}.old"
        # The site this build replaces is moved here and removed during the next build, by a
        # separate `rm` that runs while that build renders, instead of at the end of this one.
        self._trash = parent / f".{name}.trash"
        self._sweep = parent / f".{name}.sweep"
        self._sweeper: subprocess.Popen[bytes] | None = None
        self._lock_path = parent / f".{name}.lock"
        self._lock: int | None = None
        self.written = 0
        self.kept = 0
        self._folders: set[str] = set()

    def __enter__(self) -> Staging:
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._lock = os.open(self._lock_path, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o644)
            fcntl.flock(self._lock, fcntl.LOCK_EX)
            self._recover()
            _remove(self.root)
            self._start_sweeping()
            self.root.mkdir()
            (self.root / _STAGING_MARK).mkdir()
        except OSError as exc:
            self._release()
            raise OutputError(f"cannot prepare the output folder next to {self.target}: {exc.strerror or exc}; "
                              "check that it exists and is writable") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        if self._sweeper is not None:
            self._sweeper.wait()
        self._release()

    def _start_sweeping(self) -> None:
        _remove(self._sweep)  # a sweep a killed build left unfinished
        if not os.path.lexists(self._trash):
            return
        if not ours(self._trash):
            raise OSError(errno.EEXIST, "it holds files no Pressroom build made; move it away", str(self._trash))
        # The site goes into a container marked as ours, which keeps the mark until the site is
        # gone: a sweep killed halfway is still recognised by the next build.
        self._sweep.mkdir()
        (self._sweep / _SWEEP_MARK).mkdir()
        self._trash.rename(self._sweep / "site")
        try:
            self._sweeper = subprocess.Popen(["sh", "-c", 'rm -rf -- "$1/site" && rm -rf -- "$1"', "sweep",
                                              str(self._sweep)], stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                             preexec_fn=_die_with_parent)
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
            raise OSError(errno.EEXIST, "it holds files no Pressroom build made; move it away", str(self._old))
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

    def _check(self, path: str) -> str:
        """The registry key of a file about to be staged, if it may be staged (else `StagingBug`)."""
        key = normal(path)
        parts = path.split("/")
        if not path or path.startswith("/") or "\0" in path or any(p in ("", ".", "..") for p in parts):
            raise StagingBug(f"internal error: the build tried to write {path!r}, outside its output folder; "
                             "the previous site was left as it was – please report this")
        if key in self._staged:
            raise StagingBug(f"internal error: the build wrote {path} twice; the previous site was left as "
                             "it was – please report this")
        if self.addresses is not None and not self.addresses.covers(path):
            raise StagingBug(f"internal error: the build wrote {path}, which no page, release or section "
                             "claimed; the previous site was left as it was – please report this")
        return key

    @property
    def staged(self) -> frozenset[str]:
        """Every file of the new site so far (written, carried over or copied), as `normal` addresses."""
        return frozenset(self._staged)

    def write(self, path: str, data: str | bytes) -> None:
        self._staged.add(self._check(path))
        content = data.encode("utf-8") if isinstance(data, str) else data
        destination = f"{self.root}/{path}"
        previous = f"{self.target}/{path}"
        try:
            self._folder(destination)
            if _same_bytes(previous, content):
                os.link(previous, destination)
                self.kept += 1
                return
            with open(destination, "wb") as handle:
                handle.write(content)
            self.written += 1
        except OSError as exc:
            raise OutputError(f"cannot write {self.target / path}: {exc.strerror or exc}; "
                              "the previous site was left as it was") from None

    def keep(self, path: str, size: int, mtime_ns: int) -> bool:
        """Carry the previous site's file over as it is, if it still has that size and time.

        False when it is missing or was changed since (then the caller makes it anew).
        """
        key = self._check(path)
        previous = f"{self.target}/{path}"
        try:
            stat = os.stat(previous)
            if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
                return False
            destination = f"{self.root}/{path}"
            self._folder(destination)
            os.link(previous, destination)
            self._staged.add(key)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise OutputError(f"cannot carry over {previous}: {exc.strerror or exc}; "
                              "the previous site was left as it was") from None
        self.kept += 1
        return True

    def copy(self, path: str, source: Path) -> None:
        self._staged.add(self._check(path))
        destination = f"{self.root}/{path}"
        previous = f"{self.target}/{path}"
        try:
            self._folder(destination)
            if _same_file(previous, source):
                os.link(previous, destination)
                self.kept += 1
                return
            shutil.copyfile(source, destination)
            self.written += 1
        except OSError as exc:
            raise OutputError(f"cannot copy {source} to {self.target / path}: {exc.strerror or exc}; "
                              "the previous site was left as it was") from None

    def commit(self) -> None:
        try:
            (self.root / _STAGING_MARK).rmdir()
            if not self.target.exists():
                self.root.rename(self.target)
            elif _exchange(self.root, self.target):
                with contextlib.suppress(OSError):  # else __exit__ removes it at once
                    self.root.rename(self._trash)  # the previous site, now at self.root
            else:
                self.target.rename(self._old)
                self.root.rename(self.target)
                self._old.rename(self._trash)
        except OSError as exc:
            raise OutputError(f"cannot put the new site in place at {self.target}: {exc.strerror or exc}; "
                              "the previous site was left as it was") from None


def _die_with_parent() -> None:
    """A killed build takes its sweeper along; the next build finishes the sweep."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _same_bytes(previous: str, content: bytes) -> bool:
    try:
        if os.stat(previous).st_size != len(content):
            return False
        with open(previous, "rb") as handle:
            return handle.read() == content
    except OSError:
        return False


def _same_file(previous: str, source: Path) -> bool:
    try:
        if os.stat(previous).st_size != source.stat().st_size:
            return False
        with open(previous, "rb") as handle:
            return handle.read() == source.read_bytes()
    except OSError:
        return False
