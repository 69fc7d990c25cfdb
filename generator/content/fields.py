"""Reading typed values out of one YAML mapping, recording each problem with its line."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from generator.content.yaml_source import Key, YamlSource
from generator.core.dates import DateFormatError, parse_datetime
from generator.core.errors import Message, Problem, suggestion
from generator.core.models import Language

T = TypeVar("T")


class Invalid(Exception):
    """Raised inside a field reader after its problem was recorded."""


@dataclass
class Fields:
    """Reads typed values out of one YAML mapping and records problems with lines."""

    source: YamlSource
    shown: str
    problems: list[Problem]
    # (mapping keys, allowed key) that an unknown key's message already suggested: a misspelt
    # required key ("titel:") is one error with the suggestion, not a second one saying it is missing.
    suggested: set[tuple[tuple[Key, ...], str]] = field(default_factory=set)

    def fail(self, keys: tuple[Key, ...], message: str) -> None:
        self.problems.append(Problem(self.shown, self.source.line_of(*keys), message))

    def mapping(self, value: Any, keys: tuple[Key, ...], allowed: Iterable[str], what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(keys, Message("%(what)s must be a mapping of %(keys)s, not %(found)s", what=what,
                                    keys=", ".join(allowed), found=kind_of(value)))
            raise Invalid
        allowed = tuple(allowed)
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                hint = suggestion(str(key), allowed) or Message(" (allowed: %(keys)s)", keys=", ".join(allowed))
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
                if close and close[0] not in value:
                    self.suggested.add((keys, close[0]))
                self.fail((*keys, key), Message('unknown key "%(key)s" in %(what)s%(hint)s', key=str(key), what=what,
                                                hint=hint))
        return {k: v for k, v in value.items() if isinstance(k, str) and k in allowed}

    def text(self, data: Mapping[str, Any], key: str, keys: tuple[Key, ...], *, required: bool = False,
             what: str | None = None) -> str | None:
        value = data.get(key)
        name = what or key
        if value is None or (isinstance(value, str) and not value.strip()):
            if required and not self.misspelt(keys, key, data):
                self.fail((*keys, key) if key in data else keys,
                          Message('"%(key)s" is required and must not be empty', key=name))
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail((*keys, key), Message('"%(key)s" must be a text, not %(found)s; put it in quotes', key=name,
                                            found=kind_of(value)))
            return None
        return str(value).strip()

    def misspelt(self, keys: tuple[Key, ...], key: str, data: Mapping[str, Any]) -> bool:
        """Whether a missing `key` was already named as the suggestion for a misspelt one."""
        return key not in data and (keys, key) in self.suggested

    def texts(self, data: Mapping[str, Any], key: str, keys: tuple[Key, ...]) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail((*keys, key), Message('"%(key)s" must be a list like [Erstes, Zweites], not %(found)s', key=key,
                                            found=kind_of(value)))
            return ()
        result: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
                self.fail((*keys, key, index), Message(
                    'each entry of "%(key)s" must be a non-empty text, not %(found)s; put it in quotes', key=key,
                    found=kind_of(item)))
                continue
            text = str(item).strip()
            if text not in result:
                result.append(text)
        return tuple(result)

    def date(self, data: Mapping[str, Any], key: str, keys: tuple[Key, ...], tz: ZoneInfo, *,
             required: bool = False) -> dt.datetime | None:
        value = data.get(key)
        if value is None or value == "":
            if required and not self.misspelt(keys, key, data):
                self.fail(keys if key not in data else (*keys, key),
                          Message('"%(key)s" is required, e.g. %(key)s: 2019-04-29T16:05:00+02:00', key=key))
            return None
        try:
            return parse_datetime(value, tz)
        except DateFormatError as exc:
            self.fail((*keys, key), Message('"%(key)s": %(problem)s', key=key, problem=exc.message))
            return None

    def flag(self, data: Mapping[str, Any], key: str, keys: tuple[Key, ...], default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail((*keys, key), Message('"%(key)s" must be true or false, not %(found)s', key=key,
                                            found=kind_of(value)))
            return default
        return value

    def items(self, data: Mapping[str, Any], key: str, keys: tuple[Key, ...], read: Callable[[Any, tuple[Key, ...]], T]
              ) -> tuple[T, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail((*keys, key), Message('"%(key)s" must be a list (each entry starting with "- "), not %(found)s',
                                            key=key, found=kind_of(value)))
            return ()
        result: list[T] = []
        for index, item in enumerate(value):
            try:
                result.append(read(item, (*keys, key, index)))
            except Invalid:
                continue
        return tuple(result)


def as_language(text: str) -> Language | None:
    """The language code, if `text` is one Pressroom speaks."""
    return "de" if text == "de" else "en" if text == "en" else None


def kind_of(value: Any) -> str:
    """What a value is, in the words of a message: "a mapping", "a list", "a text" …"""
    words = {dict: Message("a mapping"), list: Message("a list"), bool: Message("true/false"),
             type(None): Message("empty")}
    return words.get(type(value), Message("a text") if isinstance(value, str) else Message("a number"))
