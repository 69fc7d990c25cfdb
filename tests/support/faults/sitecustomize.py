"""Test-only fault injection, loaded by Python at start-up when this folder is on PYTHONPATH.

With PRESSROOM_FAIL_WRITES_AFTER=N set, the (N+1)-th file the process opens for
writing or hard-links under a ".staging" folder fails with the errno named in
PRESSROOM_FAIL_ERRNO (default ENOSPC) – a disk that fills up in the middle of
a build. Nothing in the generator knows about this hook; it exists only in
the test suite's environment.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
from typing import Any

_after = os.environ.get("PRESSROOM_FAIL_WRITES_AFTER")

if _after is not None:
    _code = getattr(errno, os.environ.get("PRESSROOM_FAIL_ERRNO", "ENOSPC"))
    _budget = [int(_after)]
    _real_open = builtins.open
    _real_os_open = os.open
    _real_link = os.link

    def _spend(path: Any) -> None:
        if ".staging" not in os.fsdecode(path):
            return
        if _budget[0] <= 0:
            raise OSError(_code, os.strerror(_code), os.fsdecode(path))
        _budget[0] -= 1

    def _open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | bytes | os.PathLike) and any(c in mode for c in "wax+"):
            _spend(file)
        return _real_open(file, mode, *args, **kwargs)

    def _os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            _spend(path)
        return _real_os_open(path, flags, *args, **kwargs)

    def _link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        _spend(dst)
        _real_link(src, dst, *args, **kwargs)

    builtins.open = _open
    io.open = _open  # pathlib opens files through io.open
    os.open = _os_open
    os.link = _link
