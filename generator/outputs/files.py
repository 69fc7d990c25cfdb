"""An output file to make: where it goes, what it is made from, and how.

`inputs()` returns everything the file is made from; `make(*inputs)` turns them into its
bytes. The build decides from the inputs whether the previous file can be carried over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Content = str | bytes


@dataclass(frozen=True)
class Task:
    path: str
    inputs: Callable[[], tuple[Any, ...]]
    make: Callable[..., Content]


def encode(content: Content) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content
