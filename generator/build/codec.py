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
import operator
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
            kinds = _plain_kinds(args[0])
            if kinds is not None:  # (tags, places, aliases …): each item checked without a call
                def plain_items(data: Any) -> Any:
                    if type(data) is not list or not all(map(kinds.__contains__, map(type, data))):
                        raise Invalid("expected a list")
                    return tuple(data)
                return plain_items
            item = decoder(args[0])

            def many(data: Any) -> Any:
                if type(data) is not list:
                    raise Invalid("expected a list")
                return tuple([item(d) for d in data]) if data else ()
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
        try:  # (not `_failures_as_invalid`: a context manager costs more than a whole record)
            return record(data, given)
        except Invalid:
            raise
        except RecursionError:
            raise Invalid("nested too deeply") from None
        except (TypeError, ValueError, KeyError, OSError, zoneinfo.ZoneInfoNotFoundError) as exc:
            raise Invalid(str(exc)) from None
    return checked


_NOTHING: dict[str, Any] = {}
_NONE_TYPE = type(None)
_HAS = frozenset.__contains__


@cache
def _record(cls: type, supplied: tuple[str, ...]) -> Callable[..., Any]:
    """The decoder of a dataclass whose `supplied` fields the caller gives (`given`).

    A cache holds thousands of records, each read on every build, so a record costs few calls:
    the fields whose JSON value is already the value (a str, int or bool, or None where the
    type allows it) are type-checked all at once, and only the others go through a decoder of
    their own – an optional one only when it is not null."""
    order = tuple(f.name for f in dataclasses.fields(cls))
    own = [name for name in order if name not in supplied]
    hints = {name: _hint_of(cls, name) for name in own}
    plain = [(name, kinds) for name in own if (kinds := _plain_kinds(hints[name])) is not None]
    plain_values = _getter(tuple(name for name, _ in plain))
    plain_kinds = tuple(kinds for _, kinds in plain)
    converted = [(name, *_optional(hints[name]), typing.get_origin(hints[name]) is tuple)
                 for name in own if _plain_kinds(hints[name]) is None]
    every_value = _getter(order)
    names = frozenset(own)
    expected = frozenset(supplied)
    # Every field is checked here, so the instance is filled directly: a dataclass's generated
    # __init__ adds nothing else (one with a __post_init__ is made through it).
    direct = not hasattr(cls, "__post_init__") and not getattr(cls, "__slots__", ())
    new = object.__new__
    fill = object.__setattr__

    def record(data: Any, given: dict[str, Any] = _NOTHING) -> Any:
        if type(data) is not dict or data.keys() != names or given.keys() != expected:
            raise Invalid(f"not a {cls.__name__}")
        if not all(map(_HAS, plain_kinds, map(type, plain_values(data)))):
            raise Invalid(f"a field of {cls.__name__} has the wrong type")
        # In the order of the fields, as the dataclass's own __init__ would set them.
        values = dict(zip(order, every_value({**data, **given} if given else data), strict=True))
        for name, decode, optional, sequence in converted:
            value = values[name]
            if value is None and optional:
                continue
            # An empty list is an empty tuple of anything (most releases have no photo, no update).
            values[name] = () if sequence and value == [] else decode(value)
        if not direct:
            return cls(**values)
        made: Any = new(cls)
        fill(made, "__dict__", values)
        return made
    return record


def _plain_kinds(hint: Any) -> frozenset[type] | None:
    """The types of JSON value that are a value of `hint` as they are (None: it needs decoding)."""
    if hint in (str, int, bool):
        return frozenset({hint})
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        args = typing.get_args(hint)
        if len(args) == 2 and _NONE_TYPE in args:
            other = args[0] if args[1] is _NONE_TYPE else args[1]
            if other in (str, int, bool):
                return frozenset({other, _NONE_TYPE})
    return None


def _optional(hint: Any) -> tuple[Decoder, bool]:
    """The decoder of what `hint` allows besides None, and whether it allows None."""
    if typing.get_origin(hint) in (types.UnionType, typing.Union) and _NONE_TYPE in typing.get_args(hint):
        others = [a for a in typing.get_args(hint) if a is not _NONE_TYPE]
        if len(others) != 1:
            raise TypeError(f"unions other than X | None are not supported: {hint}")
        return decoder(others[0]), True
    return decoder(hint), False


def _getter(names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The values at `names`, always as a tuple (`itemgetter` of one name gives the value itself)."""
    if not names:
        return lambda data: ()
    if len(names) == 1:
        only = names[0]
        return lambda data: (data[only],)
    return operator.itemgetter(*names)


def _fields(cls: type) -> list[tuple[str, Encoder]]:
    return [(f.name, encoder(_hint_of(cls, f.name))) for f in dataclasses.fields(cls)]


def _hint_of(cls: type, name: str) -> Any:
    return _hints(cls)[name]


@cache
def _hints(cls: type) -> dict[str, Any]:
    """The class's type hints, evaluated once (each is a string to evaluate: `from __future__ import
    annotations`), not once for each of its fields: the build's start makes the release's codec."""
    return typing.get_type_hints(cls)


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
    if type(data) is not list or len(data) != 3:
        raise Invalid("expected a time")
    wall_text, fold, zone_data = data
    if type(wall_text) is not str or len(wall_text) > 32 or type(fold) is not int or fold not in (0, 1):
        raise Invalid("expected a time")
    wall = dt.datetime.fromisoformat(wall_text)
    if wall.tzinfo is not None:
        raise Invalid("a wall time with an offset")
    return wall.replace(tzinfo=_zone(zone_data), fold=fold)


# The fixed offsets met so far, each made once: the releases of a site name the same few. (A named
# zone is always `ZoneInfo`'s own instance for its key, as loading gives it: not kept here.)
_OFFSETS: dict[int, dt.tzinfo] = {}
_OFFSETS_KEPT = 256  # beyond that (only a damaged cache names so many), an offset is made each time


def _zone(data: Any) -> dt.tzinfo | None:
    if data is None:
        return None
    if type(data) is int:  # (not a bool: a bool's type is bool)
        found = _OFFSETS.get(data)
        if found is None:
            if abs(data) >= _MAX_OFFSET:
                raise Invalid("not a time zone")
            found = dt.UTC if not data else dt.timezone(dt.timedelta(seconds=data))
            if len(_OFFSETS) < _OFFSETS_KEPT:
                _OFFSETS[data] = found
        return found
    if type(data) is str and _ZONE_KEY.match(data):
        return zoneinfo.ZoneInfo(data)
    raise Invalid("not a time zone")
