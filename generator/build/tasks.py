"""Output files worth remembering: each says what it is made from, so an unchanged one is not made again.

A task's `key()` names what the file is made from (`generator.outputs.files`); with the build's
fingerprint (settings, theme, Pressroom's version) and the file's path it is the file's key:
when it equals the key the previous build stored for that file, the previous file is carried
over untouched and nothing of it is built.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from stat import S_ISREG

from generator.build.cache import Stamp
from generator.core.digest import digest
from generator.outputs.files import Task, encode


@dataclass(frozen=True)
class Made:
    """A task's file, made: its key and its bytes."""

    index: int  # of the task in the list the build made
    key: str
    content: bytes


@dataclass(frozen=True)
class Kept:
    """A run of tasks, from `start` on, whose previous files have the same keys and are still as
    that build left them: carried over as they are (the `paths` of the tasks, in order)."""

    start: int  # the index of the first in the list the build made
    paths: tuple[str, ...]


# A worker sends back only this for the many files that did not change – one report for each run
# of them, not one per file: the build process stages tens of thousands – and the build process
# needs no task for them (`outputs.files.Tasks` makes tasks when asked).
Done = Kept | Made


def run_tasks(tasks: Sequence[Task], start: int, end: int, fingerprint: str, previous: dict[str, Stamp],
              site: str) -> list[Done]:
    return list(each_task(tasks, fingerprint, previous, site, start, end))


def each_task(tasks: Sequence[Task], fingerprint: str, previous: dict[str, Stamp], site: str, start: int = 0,
              end: int | None = None) -> Iterator[Done]:
    """Make each task's file, or none where the previous build made it from the same inputs and
    the previous file in the tree `site` still has the size and time that build gave it (a file
    edited by hand since is made again). Here, not where it is staged: the workers look at the
    files in parallel, and the build process only records the runs they report."""
    run: list[str] = []
    for index in range(start, len(tasks) if end is None else end):
        task = tasks[index]
        key = digest(fingerprint, task.path, *task.key())
        stamp = previous.get(task.path)
        if stamp is not None and stamp.key == key and _unchanged(f"{site}/{task.path}", stamp):
            run.append(task.path)
            continue
        if run:
            yield Kept(index - len(run), tuple(run))
            run = []
        yield Made(index, key, encode(task.make()))
    if run:
        yield Kept((len(tasks) if end is None else end) - len(run), tuple(run))


def _unchanged(path: str, stamp: Stamp) -> bool:
    """Whether the file at `path` is a file (not a link) with the stamp's size and time."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return S_ISREG(found.st_mode) and found.st_size == stamp.size and found.st_mtime_ns == stamp.mtime_ns


def make_now(task: Task) -> bytes:
    """The file of a task whose previous copy turned out to be unusable."""
    return encode(task.make())
