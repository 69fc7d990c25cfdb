"""Both cores busy: work split into slices and done in forked processes, results in order.

Forking after everything is loaded lets every worker share the parent's models, views and
compiled templates without pickling them; only the slice bounds go out and only results
(bytes, small tuples) come back. With one job, or little work, it all runs in-process – the
same code path, so output is identical for every `--jobs`.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.pool import IMapIterator, Pool
from typing import Generic, TypeVar

Result = TypeVar("Result")

# Set just before the pool forks, read by the children: the fork carries it over.
_work: Callable[[int, int], list[object]] | None = None

_PR_SET_PDEATHSIG = 1

SLICES_PER_JOB = 16  # small enough to balance uneven slices and show progress, large enough to be cheap


def _find_prctl() -> Callable[..., int] | None:
    try:
        found: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None
    return found


# Looked up here, in the build: a child between fork and exec should not load libraries.
_PRCTL = _find_prctl()


def die_with_parent(parent: int | None = None) -> None:
    """In a child process: end when the build that started it ends, even when it is killed
    (SIGKILL runs no clean-up of its own), so that a killed build leaves no process behind.
    `parent`: the pid the child was started from, if it may already be gone."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the build ended before this child could ask to follow it


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def slices(count: int, jobs: int, smallest: int = 32) -> list[tuple[int, int]]:
    size = max(smallest, -(-count // max(1, jobs * SLICES_PER_JOB)))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def _run_slice(bounds: tuple[int, int]) -> list[object]:
    assert _work is not None
    return _work(*bounds)


class Slices(Generic[Result]):
    """The results of `map_slices`, in order: `ready()` takes those done so far without waiting,
    iterating takes the rest as they come."""

    def __init__(self, serial: Iterator[Sequence[Result]] | None, pool: Pool | None = None,
                 results: IMapIterator[Sequence[Result]] | None = None) -> None:
        self._serial = serial
        self._pool = pool
        self._results = results

    def ready(self) -> list[Sequence[Result]]:
        if self._results is None:
            return []  # in-process work is done when it is asked for
        found = []
        while True:
            try:
                found.append(self._results.next(timeout=0))
            except (multiprocessing.TimeoutError, StopIteration):
                return found

    def __iter__(self) -> Iterator[Sequence[Result]]:
        if self._serial is not None:
            yield from self._serial
            return
        assert self._results is not None
        try:
            yield from self._results
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers (at once, if the caller gave up early, e.g. on an error)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Slices[Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def map_slices(work: Callable[[int, int], Sequence[Result]], count: int, jobs: int,
               smallest: int = 32) -> Slices[Result]:
    """`work(start, end)` over `range(count)` in slices, results in order.

    With several jobs the workers start at once, so the caller can do other work (in this
    process) while they run, taking finished results now and then with `ready()`.
    """
    global _work
    bounds = slices(count, jobs, smallest)
    if jobs <= 1 or len(bounds) <= 1 or multiprocessing.current_process().daemon:
        return Slices((work(start, end) for start, end in bounds))
    _work = work  # type: ignore[assignment]
    try:
        pool = multiprocessing.get_context("fork").Pool(min(jobs, len(bounds)), die_with_parent, (os.getpid(),))
    finally:
        _work = None  # the workers are forked by now and carry their own copy
    return Slices(None, pool, pool.imap(_run_slice, bounds))  # type: ignore[arg-type]
