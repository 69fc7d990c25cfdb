"""The one error hierarchy of Pressroom, and the messages it speaks in.

Every problem a user can fix is a `Problem` that names `path:line`; a build
collects all of them and reports them together as `BuildErrors`.

A problem is found deep in content loading, before anyone knows in which
language it will be shown. So a message is a `Message`: the English text (a
`str`, stable for `check --format json`, sorting and logs) that also keeps its
msgid and values, and is translated only when a command prints it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]  # an error stops the build; a warning (from `check`) does not

Gettext = Callable[[str], str]
Param = str | int | float


def N_(message: str) -> str:
    """Marks a text for the catalog; it is translated where it is shown."""
    return message


class Message(str):
    """An English message that can be shown in another language.

    The msgid is English with named placeholders (`%(path)s`), so a translation
    may put the values in another order. A value that is itself a `Message` is
    translated along with it."""

    msgid: str
    params: Mapping[str, Param]

    def __new__(cls, msgid: str, /, **params: Param) -> Message:
        self = super().__new__(cls, _fill(msgid, params, _english))
        self.msgid = msgid
        self.params = params
        return self

    def localized(self, gettext: Gettext) -> str:
        return _fill(gettext(self.msgid), self.params, gettext)

    def __reduce__(self) -> tuple[Callable[..., Message], tuple[str, dict[str, Param]]]:
        # Problems come back from worker processes: keep the msgid, not only the English text.
        return _message, (self.msgid, dict(self.params))


class Joined(str):
    """Texts joined by a separator ("author "X"; last editor "Y""), each translated where shown."""

    parts: tuple[str, ...]
    separator: str

    def __new__(cls, separator: str, parts: Iterable[str]) -> Joined:
        parts = tuple(parts)
        self = super().__new__(cls, separator.join(parts))
        self.parts = parts
        self.separator = separator
        return self

    def localized(self, gettext: Gettext) -> str:
        return self.separator.join(localized(part, gettext) for part in self.parts)

    def __reduce__(self) -> tuple[type[Joined], tuple[str, tuple[str, ...]]]:
        return Joined, (self.separator, self.parts)


def _message(msgid: str, params: dict[str, Param]) -> Message:
    return Message(msgid, **params)


def _english(text: str) -> str:
    return text


def _fill(text: str, params: Mapping[str, Param], gettext: Gettext) -> str:
    if not params:
        return text
    return text % {key: localized(value, gettext) if isinstance(value, str) else value
                   for key, value in params.items()}


def localized(text: str, gettext: Gettext) -> str:
    """`text` in the language of `gettext`: a `Message` is translated, any other text stays as it is."""
    return text.localized(gettext) if isinstance(text, Message | Joined) else text


SEVERITY_WORDS: dict[Severity, str] = {"error": N_("error"), "warning": N_("warning")}


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the input, sortable into a stable report order."""

    path: str
    line: int
    message: str  # a `Message` wherever the text is meant for a reader
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    def shown(self, gettext: Gettext) -> str:
        """`path:line: error: message` in the language of `gettext`."""
        word = gettext(SEVERITY_WORDS[self.severity])
        return f"{self.path}:{self.line}: {word}: {localized(self.message, gettext)}"


class PressroomError(Exception):
    """Base of every error Pressroom reports to a user without a traceback."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message  # a `Message` wherever the text is meant for a reader


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
    return Message(' (did you mean "%(choice)s"?)', choice=close[0]) if close else ""
