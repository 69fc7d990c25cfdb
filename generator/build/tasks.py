"""Output files worth remembering: each says what it is made from, so an unchanged one is not made again.

A task's `key()` names what the file is made from (`generator.outputs.files`); with the build's
fingerprint (settings, theme, Pressroom's version) and the file's path it is the file's key:
when it equals the key the previous build stored for that file, the previous file is carried
over untouched and nothing of it is built.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from generator.build.cache import Stamp
from generator.core.digest import digest
from generator.outputs.files import Task, encode


@dataclass(frozen=True)
class Done:
    """A task's outcome: its key, and its bytes unless the previous file can be carried over."""

    path: str
    key: str
    content: bytes | None


def run_tasks(tasks: Sequence[Task], start: int, end: int, fingerprint: str, previous: dict[str, Stamp],
              site: str) -> list[Done]:
    return list(each_task(tasks[start:end], fingerprint, previous, site))


def each_task(tasks: Iterable[Task], fingerprint: str, previous: dict[str, Stamp], site: str) -> Iterator[Done]:
    """Make each task's file, or none where the previous `site` has it as the same inputs made it."""
    for task in tasks:
        key = digest(fingerprint, task.path, *task.key())
        stamp = previous.get(task.path)
        if stamp is not None and stamp.key == key and _unchanged(f"{site}/{task.path}", stamp):
            yield Done(task.path, key, None)
        else:
            yield Done(task.path, key, encode(task.make()))


def _unchanged(path: str, stamp: Stamp) -> bool:
    try:
        found = os.stat(path)
    except OSError:
        return False
    return (found.st_size, found.st_mtime_ns) == (stamp.size, stamp.mtime_ns)


def make_now(task: Task) -> bytes:
    """The file of a task whose previous copy turned out to be unusable."""
    return encode(task.make())
