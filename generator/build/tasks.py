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
    """A task whose previous file has the same key: carried over, if it is still as that build
    left it (checked where it is staged; else the task at `index` is made there)."""

    index: int
    path: str


# A worker sends back only this for the many files that did not change, and the build process
# needs no task for them (`outputs.files.Tasks` makes tasks when asked).
Done = Kept | Made


def run_tasks(tasks: Sequence[Task], start: int, end: int, fingerprint: str, previous: dict[str, Stamp],
              site: str | None) -> list[Done]:
    return list(each_task(tasks, fingerprint, previous, start, end, site))


def each_task(tasks: Sequence[Task], fingerprint: str, previous: dict[str, Stamp], start: int = 0,
              end: int | None = None, site: str | None = None) -> Iterator[Done]:
    """Make each task's file, or none where the previous build made it from the same inputs.
    With `site`, the previous file there must also still have its size and time (when the
    build writes a fresh tree, not the spare, the previous files may be gone: then the worker
    makes them rather than leaving them all to the build process)."""
    for index in range(start, len(tasks) if end is None else end):
        task = tasks[index]
        key = digest(fingerprint, task.path, *task.key())
        stamp = previous.get(task.path)
        if stamp is not None and stamp.key == key and (site is None or _unchanged(f"{site}/{task.path}", stamp)):
            yield Kept(index, task.path)
        else:
            yield Made(index, key, encode(task.make()))


def _unchanged(path: str, stamp: Stamp) -> bool:
    try:
        found = os.stat(path)
    except OSError:
        return False
    return (found.st_size, found.st_mtime_ns) == (stamp.size, stamp.mtime_ns)


def make_now(task: Task) -> bytes:
    """The file of a task whose previous copy turned out to be unusable."""
    return encode(task.make())
