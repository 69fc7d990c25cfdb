"""An output file to make: where it goes, what it is made from, and how.

`key()` names everything the file is made from as short strings – the keys of the releases it
shows (`OutputData.key`), its page number, the few facts of the catalog it states – without
building anything; `make()` builds the file. The build makes a file only when its key differs
from the one the previous build stored for it, so a key must name every input: two files with
equal keys must have equal bytes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

Content = str | bytes


@dataclass(frozen=True)
class Task:
    path: str
    key: Callable[[], tuple[str, ...]]
    make: Callable[[], Content]


def encode(content: Content) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


class Tasks(Sequence[Task]):
    """Tasks made only when asked for, family by family: a family is a count and the task at
    each of its positions. A site of 20,000 releases has some 70,000 tasks; a rebuild makes few
    files, and the page workers each ask only for their share, so most tasks are never made."""

    def __init__(self, families: Sequence[tuple[int, Callable[[int], Task]]]) -> None:
        self._families = [(count, task) for count, task in families if count]
        self._starts: list[int] = []
        total = 0
        for count, _ in self._families:
            self._starts.append(total)
            total += count
        self._length = total

    @staticmethod
    def of(tasks: Sequence[Task]) -> tuple[int, Callable[[int], Task]]:
        """A family of tasks already made."""
        return len(tasks), tasks.__getitem__

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Task: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Task]: ...

    def __getitem__(self, index: int | slice) -> Task | Sequence[Task]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        family = bisect_right(self._starts, index) - 1
        return self._families[family][1](index - self._starts[family])

    def __iter__(self) -> Iterator[Task]:
        for count, task in self._families:
            for position in range(count):
                yield task(position)
