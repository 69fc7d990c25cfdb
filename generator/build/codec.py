"""Frozen dataclasses to JSON and back, with every field's type checked on the way in.

The build cache keeps releases and their rendered bodies between builds. What is read back
from disk must not be able to run code (as a pickle can) nor smuggle in a value of the wrong
type, so the cache stores JSON made from the dataclasses' own type hints, and reading checks
each value against those hints. Anything the codec does not know how to write exactly – a
front-matter value JSON cannot carry unchanged, say – raises `Unencodable` (that entry is
simply not cached); anything that does not fit when read raises `Invalid` (a miss).

Supported: str, int, float, bool, None, `Literal[…]`, `X | None`, `tuple[X, ...]`, fixed tuples, enums,
`pathlib.Path`, aware or naive `datetime` (its zone kept exactly: a `ZoneInfo` by key, a fixed
offset by seconds), `dict[str, Any]` of plain JSON values, and dataclasses of these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
import re
import types
import typing
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

MAX_DEPTH = 32  # of free front-matter values (`extra`); YAML from a release file is far shallower


class Unencodable(ValueError):
    """A value JSON cannot carry unchanged; its entry is not cached."""


class Invalid(ValueError):
    """Read-back data that does not fit the type; its entry is a miss."""


Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def dumps(value: Any, hint: Any) -> str:
    return json.dumps(encoder(hint)(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def loads(text: str | bytes, hint: Any) -> Any:
    """The value of type `hint` in `text`; `Invalid` for anything else (never another exception)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError, TypeError):
        raise Invalid("not JSON") from None
    with _failures_as_invalid():
        return decoder(hint)(data)


@contextmanager
def _failures_as_invalid() -> Iterator[None]:
    """Whatever a decoder meets in data that does not fit – a type, a value, a time zone that is
    a folder of the zone database (an OSError) – as `Invalid`, never another exception."""
    try:
        yield
    except RecursionError:
        raise Invalid("nested too deeply") from None
    except (TypeError, ValueError, KeyError, OSError, zoneinfo.ZoneInfoNotFoundError) as exc:
        if isinstance(exc, Invalid):
            raise
        raise Invalid(str(exc)) from None


# --- compiled once per type ------------------------------------------------------------


@cache
def encoder(hint: Any) -> Encoder:
    if hint is Any:
        return _plain
    if hint in (str, int, float, bool):
        exact = hint

        def scalar(value: Any) -> Any:
            if type(value) is not exact or (exact is float and not math.isfinite(value)):
                raise Unencodable(f"expected {exact.__name__}, got {type(value).__name__}")
            return value
        return scalar
    if hint is type(None):
        return _none
    if hint is dt.datetime:
        return _encode_datetime
    if isinstance(hint, type) and issubclass(hint, Path):
        return _encode_path
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        enum_type = hint

        def member(value: Any) -> Any:
            if type(value) is not enum_type:
                raise Unencodable(f"expected {enum_type.__name__}")
            return value.value
        return member
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return encoder_without(hint, ())
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        allowed = frozenset(args)

        def one_of(value: Any) -> Any:
            if value not in allowed or type(value) not in (str, int, bool):
                raise Unencodable(f"expected one of {sorted(map(str, allowed))}")
            return value
        return one_of
    if origin in (types.UnionType, typing.Union):
        chosen = [encoder(a) for a in args if a is not type(None)]
        if len(chosen) != 1:
            raise TypeError(f"unions other than X | None are not supported: {hint}")
        inner, optional = chosen[0], type(None) in args

        def either(value: Any) -> Any:
            return None if value is None and optional else inner(value)
        return either
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = encoder(args[0])

            def many(value: Any) -> Any:
                if type(value) is not tuple:
                    raise Unencodable("expected a tuple")
                return [item(v) for v in value]
            return many
        parts = [encoder(a) for a in args]

        def fixed(value: Any) -> Any:
            if type(value) is not tuple or len(value) != len(parts):
                raise Unencodable(f"expected a tuple of {len(parts)}")
            return [p(v) for p, v in zip(parts, value, strict=True)]
        return fixed
    if origin is dict and args and args[0] is str:
        values = encoder(args[1])

        def mapping(value: Any) -> Any:
            if type(value) is not dict or not all(type(k) is str for k in value):
                raise Unencodable("expected a dict with string keys")
            return {k: values(v) for k, v in value.items()}
        return mapping
    raise TypeError(f"the cache codec cannot handle {hint!r}")


@cache
def decoder(hint: Any) -> Decoder:
    if hint is Any:
        return _check_plain
    if hint in (str, int, bool):
        exact = hint

        def scalar(data: Any) -> Any:
            if type(data) is not exact:
                raise Invalid(f"expected {exact.__name__}")
            return data
        return scalar
    if hint is float:
        def real(data: Any) -> Any:
            if type(data) is not float or not math.isfinite(data):
                raise Invalid("expected a float")
            return data
        return real
    if hint is type(None):
        def nothing(data: Any) -> Any:
            if data is not None:
                raise Invalid("expected null")
            return None
        return nothing
    if hint is dt.datetime:
        return _decode_datetime
    if isinstance(hint, type) and issubclass(hint, Path):
        return _decode_path
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        enum_type = hint
        known = {m.value: m for m in hint}

        def member(data: Any) -> Any:
            if type(data) not in (str, int) or data not in known:
                raise Invalid(f"not a {enum_type.__name__}")
            return known[data]
        return member
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _record(hint, ())
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        choices = frozenset(args)

        def chosen(data: Any) -> Any:
            if type(data) not in (str, int, bool) or data not in choices:
                raise Invalid(f"not one of {sorted(map(str, choices))}")
            return data
        return chosen
    if origin in (types.UnionType, typing.Union):
        others = [decoder(a) for a in args if a is not type(None)]
        optional = type(None) in args
        if len(others) != 1:
            raise TypeError(f"unions other than X | None are not supported: {hint}")
        inner = others[0]

        def either(data: Any) -> Any:
            return None if data is None and optional else inner(data)
        return either
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = decoder(args[0])

            def many(data: Any) -> Any:
                if type(data) is not list:
                    raise Invalid("expected a list")
                return tuple([item(d) for d in data])
            return many
        parts = [decoder(a) for a in args]

        def fixed(data: Any) -> Any:
            if type(data) is not list or len(data) != len(parts):
                raise Invalid(f"expected a list of {len(parts)}")
            return tuple([p(d) for p, d in zip(parts, data, strict=True)])
        return fixed
    if origin is dict and args and args[0] is str:
        values = decoder(args[1])

        def mapping(data: Any) -> Any:
            if type(data) is not dict:
                raise Invalid("expected an object")
            return {k: values(v) for k, v in data.items()}
        return mapping
    raise TypeError(f"the cache codec cannot handle {hint!r}")


@cache
def encoder_without(cls: type, omitted: tuple[str, ...]) -> Encoder:
    """The encoder of the dataclass `cls` that leaves the `omitted` fields out (the caller keeps
    them elsewhere: a release's authority by reference, its long texts in columns of their own)."""
    fields = [(name, encode) for name, encode in _fields(cls) if name not in omitted]

    def record(value: Any) -> Any:
        if type(value) is not cls:
            raise Unencodable(f"expected {cls.__name__}, got {type(value).__name__}")
        return {name: encode(getattr(value, name)) for name, encode in fields}
    return record


@cache
def decoder_without(cls: type, supplied: tuple[str, ...]) -> Callable[[Any, dict[str, Any]], Any]:
    """The decoder of what `encoder_without(cls, supplied)` wrote; the caller gives the values of
    the `supplied` fields, of their types (they are not checked here). Raises only `Invalid`."""
    record = _record(cls, supplied)

    def checked(data: Any, given: dict[str, Any]) -> Any:
        with _failures_as_invalid():
            return record(data, given)
    return checked


_NOTHING: dict[str, Any] = {}


@cache
def _record(cls: type, supplied: tuple[str, ...]) -> Callable[..., Any]:
    """The decoder of a dataclass whose `supplied` fields the caller gives (`given`)."""
    fields = [(f.name, decoder(_hint_of(cls, f.name))) for f in dataclasses.fields(cls) if f.name not in supplied]
    names = {name for name, _ in fields}
    expected = frozenset(supplied)
    order = [f.name for f in dataclasses.fields(cls)]
    # Every field is checked here, so the instance is filled directly: a dataclass's generated
    # __init__ adds nothing else (one with a __post_init__ is made through it).
    direct = not hasattr(cls, "__post_init__") and not getattr(cls, "__slots__", ())
    new = object.__new__

    def record(data: Any, given: dict[str, Any] = _NOTHING) -> Any:
        if type(data) is not dict or data.keys() != names or given.keys() != expected:
            raise Invalid(f"not a {cls.__name__}")
        values = {name: decode(data[name]) for name, decode in fields}
        if given:
            values.update(given)
        if not direct:
            return cls(**values)
        made: Any = new(cls)
        made.__dict__.update(values if not given else {name: values[name] for name in order})
        return made
    return record


def _fields(cls: type) -> list[tuple[str, Encoder]]:
    return [(f.name, encoder(_hint_of(cls, f.name))) for f in dataclasses.fields(cls)]


def _hint_of(cls: type, name: str) -> Any:
    return typing.get_type_hints(cls)[name]


def _none(value: Any) -> None:
    if value is not None:
        raise Unencodable("expected None")


def _plain(value: Any, depth: int = 0) -> Any:
    """A free value (front matter's `extra`) that JSON carries unchanged, or `Unencodable`."""
    if depth > MAX_DEPTH:
        raise Unencodable("nested too deeply")
    kind = type(value)
    if value is None or kind in (str, int, bool):
        return value
    if kind is float:
        if not math.isfinite(value):
            raise Unencodable("not a finite number")
        return value
    if kind is list:
        return [_plain(v, depth + 1) for v in value]
    if kind is dict and all(type(k) is str for k in value):
        return {k: _plain(v, depth + 1) for k, v in value.items()}
    raise Unencodable(f"{kind.__name__} is not carried unchanged by JSON")


def _check_plain(data: Any, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise Invalid("nested too deeply")
    if type(data) is list:
        return [_check_plain(d, depth + 1) for d in data]
    if type(data) is dict:
        return {k: _check_plain(v, depth + 1) for k, v in data.items()}
    if type(data) is float and not math.isfinite(data):
        raise Invalid("not a finite number")
    return data  # json.loads makes nothing but str, int, float, bool, None besides


def _encode_path(value: Any) -> str:
    if not isinstance(value, Path):
        raise Unencodable("expected a path")
    return str(value)


def _decode_path(data: Any) -> Path:
    if type(data) is not str or "\0" in data:
        raise Invalid("expected a path")
    return Path(data)


_ZONE_KEY = re.compile(r"^[A-Za-z0-9_+-]{1,40}(/[A-Za-z0-9_+-]{1,40}){0,3}$")
_MAX_OFFSET = 24 * 3600


def _encode_datetime(value: Any) -> list[Any]:
    if type(value) is not dt.datetime:
        raise Unencodable("expected a datetime")
    wall = value.replace(tzinfo=None).isoformat()
    zone = value.tzinfo
    if zone is None:
        return [wall, value.fold, None]
    if isinstance(zone, zoneinfo.ZoneInfo):
        if zone.key is None or zoneinfo.ZoneInfo(zone.key) is not zone:
            raise Unencodable("a time zone that is not a named one")
        return [wall, value.fold, zone.key]
    if type(zone) is dt.timezone:
        offset = zone.utcoffset(None)
        if dt.timezone(offset) != zone or repr(dt.timezone(offset)) != repr(zone):
            raise Unencodable("a fixed offset with a name")
        return [wall, value.fold, int(offset.total_seconds())]
    raise Unencodable(f"a time zone of type {type(zone).__name__}")


def _decode_datetime(data: Any) -> dt.datetime:
    if type(data) is not list or len(data) != 3 or type(data[0]) is not str or data[1] not in (0, 1) \
            or type(data[1]) is not int or len(data[0]) > 32:
        raise Invalid("expected a time")
    wall = dt.datetime.fromisoformat(data[0])
    if wall.tzinfo is not None:
        raise Invalid("a wall time with an offset")
    zone_data = data[2]
    zone: dt.tzinfo | None
    if zone_data is None:
        zone = None
    elif type(zone_data) is str and _ZONE_KEY.match(zone_data):
        zone = zoneinfo.ZoneInfo(zone_data)
    elif type(zone_data) is int and abs(zone_data) < _MAX_OFFSET:
        offset = dt.timedelta(seconds=zone_data)
        zone = dt.UTC if not zone_data else dt.timezone(offset)
    else:
        raise Invalid("not a time zone")
    return wall.replace(tzinfo=zone, fold=data[1])
