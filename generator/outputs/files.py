"""An output file to make: where it goes, what it is made from, and how.

`key()` names everything the file is made from as short strings – the keys of the releases it
shows (`OutputData.key`), its page number, the few facts of the catalog it states – without
building anything; `make()` builds the file. The build makes a file only when its key differs
from the one the previous build stored for it, so a key must name every input: two files with
equal keys must have equal bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Content = str | bytes


@dataclass(frozen=True)
class Task:
    path: str
    key: Callable[[], tuple[str, ...]]
    make: Callable[[], Content]


def encode(content: Content) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content
