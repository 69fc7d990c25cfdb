"""Both cores busy: work split into slices and done in forked processes, results in order.

Forking after everything is loaded lets every worker share the parent's models, views and
compiled templates without pickling them; only the slice bounds go out and only results
(bytes, small tuples) come back. With one job, or little work, it all runs in-process – the
same code path, so output is identical for every `--jobs`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.pool import Pool
from typing import TypeVar

Result = TypeVar("Result")

# Set just before the pool forks, read by the children: the fork carries it over.
_work: Callable[[int, int], list[object]] | None = None

SLICES_PER_JOB = 16  # small enough to balance uneven slices and show progress, large enough to be cheap


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


def map_slices(work: Callable[[int, int], Sequence[Result]], count: int, jobs: int,
               smallest: int = 32) -> Iterator[Sequence[Result]]:
    """`work(start, end)` over `range(count)` in slices, yielded in order.

    With several jobs the workers start at once, so the caller can do other work (in this
    process) while they run, and collect the results afterwards.
    """
    global _work
    bounds = slices(count, jobs, smallest)
    if jobs <= 1 or len(bounds) <= 1 or multiprocessing.current_process().daemon:
        return (work(start, end) for start, end in bounds)
    _work = work  # type: ignore[assignment]
    try:
        pool = multiprocessing.get_context("fork").Pool(min(jobs, len(bounds)))
    finally:
        _work = None  # the workers are forked by now and carry their own copy
    return _collect(pool, pool.imap(_run_slice, bounds))  # type: ignore[arg-type]


def _collect(pool: Pool, results: Iterator[Sequence[Result]]) -> Iterator[Sequence[Result]]:
    try:
        yield from results
        pool.close()
    finally:
        pool.terminate()
        pool.join()
