"""Output files worth remembering: each says what it is made from, so an unchanged one is not made again.

A task's `key()` names what the file is made from (`generator.outputs.files`); with the build's
fingerprint (settings, theme, Pressroom's version) and the file's path it is the file's key:
when it equals the key the previous build stored for that file, the previous file is carried
over untouched and nothing of it is built.
"""

from __future__ import annotations

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


# A task's outcome: its path alone when the previous build's file has the same key (the file
# is carried over; that it is still as that build left it is checked where it is staged), else
# the file made. A path is all a worker sends back for the many files that did not change, and
# the build process then needs no task for them (`outputs.files.Tasks` makes tasks when asked).
Done = str | Made


def run_tasks(tasks: Sequence[Task], start: int, end: int, fingerprint: str, previous: dict[str, Stamp]) -> list[Done]:
    return list(each_task(tasks, fingerprint, previous, start, end))


def each_task(tasks: Sequence[Task], fingerprint: str, previous: dict[str, Stamp], start: int = 0,
              end: int | None = None) -> Iterator[Done]:
    """Make each task's file, or none where the previous build made it from the same inputs."""
    for index in range(start, len(tasks) if end is None else end):
        task = tasks[index]
        key = digest(fingerprint, task.path, *task.key())
        stamp = previous.get(task.path)
        if stamp is not None and stamp.key == key:
            yield task.path
        else:
            yield Made(index, key, encode(task.make()))


def make_now(task: Task) -> bytes:
    """The file of a task whose previous copy turned out to be unusable."""
    return encode(task.make())
