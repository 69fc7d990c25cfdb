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

from generator.core.errors import OutputError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_PR_SET_PDEATHSIG = 1


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


class Staging:
    """Collects the new site; `commit()` makes it the target, leaving it as it was on any failure."""

    def __init__(self, target: Path) -> None:
        self.target = target.absolute()
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
            self._lock = os.open(self._lock_path, os.O_CREAT | os.O_RDWR, 0o644)
            fcntl.flock(self._lock, fcntl.LOCK_EX)
            self._recover()
            shutil.rmtree(self.root, ignore_errors=True)
            self._start_sweeping()
            self.root.mkdir()
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
        if self._sweep.exists():  # a sweep a killed build left unfinished
            shutil.rmtree(self._sweep, ignore_errors=True)
        if not self._trash.exists():
            return
        self._trash.rename(self._sweep)
        try:
            self._sweeper = subprocess.Popen(["rm", "-rf", "--", str(self._sweep)], stdin=subprocess.DEVNULL,
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
        if self._old.exists():
            if not self.target.exists():
                self._old.rename(self.target)
            else:
                shutil.rmtree(self._old, ignore_errors=True)

    # Plain strings and os calls below: a large site stages tens of thousands of files.
    def _folder(self, destination: str) -> None:
        folder = os.path.dirname(destination)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)

    def write(self, path: str, data: str | bytes) -> None:
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
        previous = f"{self.target}/{path}"
        try:
            stat = os.stat(previous)
            if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
                return False
            destination = f"{self.root}/{path}"
            self._folder(destination)
            os.link(previous, destination)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise OutputError(f"cannot carry over {previous}: {exc.strerror or exc}; "
                              "the previous site was left as it was") from None
        self.kept += 1
        return True

    def copy(self, path: str, source: Path) -> None:
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
