"""The one error hierarchy of Pressroom.

Every problem a user can fix is a `Problem` that names `path:line`; a build
collects all of them and reports them together as `BuildErrors`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]  # an error stops the build; a warning (from `check`) does not


class PressroomError(Exception):
    """Base of every error Pressroom reports to a user without a traceback."""


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the input, sortable into a stable report order."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class BuildErrors(PressroomError):
    """All problems of one build, in a stable order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class OutputError(PressroomError):
    """Writing the output failed; the previous site is left as it was."""


class UsageError(PressroomError):
    """The command line is wrong (exit code 2)."""


def suggestion(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "title"?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
