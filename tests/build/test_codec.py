"""The cache's JSON codec: exact round trips, and nothing but the declared types on the way back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import codec
from generator.build.loader import Loaded
from generator.core.models import Authority, Event, Kind, Release, Update, Withdrawal
from generator.render.markdown import Body

BERLIN = ZoneInfo("Europe/Berlin")
AUTHORITY = Authority("polizei-test", "Polizei Teststadt", "POL-TS", "Teststadt")


def release(**changes: Any) -> Release:
    values: dict[str, Any] = {"source": "content/releases/a.md", "id": "pol-1", "slug": "a", "title": "Titel",
                              "date": dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN),
                              "authority": AUTHORITY, "body": "Text", **changes}
    return Release(**values)


times = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1),
                     timezones=st.one_of(st.none(), st.just(BERLIN), st.just(dt.UTC), st.just(ZoneInfo("UTC")),
                                         st.builds(lambda m: dt.timezone(dt.timedelta(minutes=m)),
                                                   st.integers(-23 * 60, 23 * 60))), allow_imaginary=True)
plain = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                     | st.text(), lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(when=times, extra=st.dictionaries(st.text(max_size=8), plain, max_size=4),
       tags=st.lists(st.text(), max_size=3))
def test_a_release_comes_back_equal_and_printing_alike(when: dt.datetime, extra: dict[str, Any],
                                                       tags: list[str]) -> None:
    original = Loaded(release(date=when, extra=extra, tags=tuple(tags), kind=Kind.APPEAL, expires=when,
                              updates=(Update(when, "Nachtrag", False),), withdrawn=Withdrawal(None, "weil"),
                              event=Event("Konferenz", when, venue="Rathaus")),
                      Body("<p>x</p>", "x", "x"), (("/site/content/media/a.jpg", 10, 12345),))
    again = codec.loads(codec.dumps(original, Loaded), Loaded)
    assert again == original and repr(again) == repr(original)
    assert again.release.extra == extra and again.release.date.tzinfo == when.tzinfo


@pytest.mark.parametrize("extra", [{1: "a"}, {"s": {1, 2}}, {"b": b"bytes"}, {"n": float("nan")},
                                   {"t": (1, 2)}, {"d": dt.date(2026, 1, 1)}])
def test_what_json_cannot_carry_unchanged_is_not_cached(extra: dict[Any, Any]) -> None:
    with pytest.raises(codec.Unencodable):
        codec.dumps(release(extra=extra), Release)


def test_a_named_offset_is_not_taken_for_a_plain_one() -> None:
    with pytest.raises(codec.Unencodable):
        codec.dumps(release(date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1), "MEZ"))),
                    Release)


def good() -> dict[str, Any]:
    return json.loads(codec.dumps(release(), Release))  # type: ignore[no-any-return]


def _change(**fields: Any) -> str:
    data = good()
    data.update(fields)
    return json.dumps(data)


@pytest.mark.parametrize("text", [
    "", "null", "[]", "{}", "\"x\"", json.dumps({**good(), "title": None}), _change(title=1), _change(draft=1),
    _change(draft="true"), _change(tags="a"), _change(tags=[1]), _change(kind="KIND"), _change(source=["a"]),
    _change(date="2026-01-01T00:00:00+01:00"), _change(date=["2026-01-01T00:00:00+01:00", 0, None]),
    _change(date=["2026-01-01T00:00:00", 2, None]), _change(date=["2026-01-01T00:00:00", 0, "Mars/Olympus"]),
    _change(date=["2026-01-01T00:00:00", 0, "/etc/localtime"]), _change(date=["2026-01-01T00:00:00", 0, 90000]),
    _change(date=["2026-01-01T00:00:00", True, None]), _change(authority={"id": "x"}), _change(extra=[]),
    _change(lang=True), _change(unknown=1), json.dumps({k: v for k, v in good().items() if k != "body"}),
    _change(extra={"deep": json.loads("[" * 60 + "]" * 60)}), "[" * 50_000 + "]" * 50_000,
    _change(title=float("inf")).replace("Infinity", "1e999"),
])
def test_anything_else_is_invalid(text: str) -> None:
    with pytest.raises(codec.Invalid):
        codec.loads(text, Release)


def test_paths_come_back_as_paths() -> None:
    assert codec.loads(codec.dumps(Path("/a/b"), Path), Path) == Path("/a/b")
    with pytest.raises(codec.Invalid):
        codec.loads(json.dumps("a\0b"), Path)
