"""Progress of a long build on a terminal: counts and an ETA per stage; silent in a pipe."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class Display:
    """`stage(name, total)` gives a callable that reports how many of `total` are done."""

    def __init__(self, enabled: bool) -> None:
        self._progress: Progress | None = None
        if not enabled or not sys.stderr.isatty():
            return  # rich is imported only for a terminal to draw on (a tenth of a second)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(file=sys.stderr)
        if console.is_terminal:
            self._progress = Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                                      TimeRemainingColumn(), console=console, transient=True)

    def __enter__(self) -> Display:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def stage(self, name: str, total: int) -> Callable[[int], None]:
        progress = self._progress
        if progress is None:
            return lambda done: None
        task: TaskID = progress.add_task(name, total=total)
        return lambda done: progress.update(task, completed=done)
