"""Progress of a long build on a terminal: counts and an ETA per stage; silent in a pipe."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn


class Display:
    """`stage(name, total)` gives a callable that reports how many of `total` are done."""

    def __init__(self, enabled: bool) -> None:
        console = Console(file=sys.stderr)
        self._progress = (Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                                   TimeRemainingColumn(), console=console, transient=True)
                          if enabled and console.is_terminal else None)

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
