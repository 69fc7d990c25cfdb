"""Fuzzing the front matter: arbitrary values, keys and file names, written as real files into a
site folder and loaded. The property: a model, or problems that name the file (printably) and a
line – never an exception, never a loaded value that carries a control character."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.authorities import load_authorities
from generator.content.files import release_files
from generator.content.pages import load_pages
from generator.content.releases import RELEASE_KEYS, LoadContext, load_release
from generator.content.settings import load_settings
from generator.content.yaml_source import UNSAFE_CHARACTER
from generator.core.errors import BuildErrors, Problem
from tests.support.sites import minimal_site

FAST = settings(max_examples=int(os.environ.get("PRESSROOM_HYPOTHESIS_EXAMPLES", "100")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

BASE: dict[str, Any] = {"title": "Unfall", "date": "2026-11-20T10:00:00+01:00", "authority": "polizei-test"}
# Text with the characters that matter here: controls, DEL, C1, non-characters, lone surrogates.
nasty_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()) | st.sampled_from(
    ["\x00", "\x01", "\x1b", "\r", "\x7f", "\x85", "\x96", "\ufffe", "\uffff", "\ud800", "\t", "\n", "&", "*"]),
    max_size=20)
scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=10**17, max_value=10**30)
           | st.floats(allow_nan=True, allow_infinity=True) | nasty_text
           | st.dates().map(str) | st.sampled_from(["0001-01-01", "9999-12-31T23:59:59-12:00", "2201-01-01"]))
values = st.recursive(scalars, lambda children: st.lists(children, max_size=3)
                      | st.dictionaries(st.sampled_from(RELEASE_KEYS) | nasty_text, children, max_size=3),
                      max_leaves=10)


@pytest.fixture(scope="module")
def site() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="pressroom-fuzz-") as tmp:
        yield minimal_site(Path(tmp) / "site")


def _context(site: Path) -> LoadContext:
    authorities, problems = load_authorities(site)
    assert not problems
    return LoadContext(site=site, settings=load_settings(site), authorities=authorities)


def _dump(data: Any) -> str | None:
    """The YAML text of `data`, or None for what PyYAML cannot write (lone surrogates)."""
    try:
        return yaml.safe_dump(data, allow_unicode=False)
    except (yaml.YAMLError, UnicodeEncodeError):
        return None


def _assert_reported(problems: list[Problem], path: str | None = None) -> None:
    assert problems, "no model and no problem"
    for problem in problems:
        if path is not None:
            assert problem.path == path
        assert problem.line >= 1
        assert problem.message.strip()
        text = str(problem)
        text.encode("utf-8")  # printable to any terminal: no lone surrogates …
        assert not UNSAFE_CHARACTER.search(text), text  # … and no control characters


def _clean(value: Any) -> None:
    """Nothing loaded carries a control character, however deep."""
    if isinstance(value, str):
        assert not UNSAFE_CHARACTER.search(value), repr(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean(key)
            _clean(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _clean(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            _clean(getattr(value, item.name))
    elif isinstance(value, float):
        assert value == value and abs(value) != float("inf")


def _load_text(site: Path, text: str) -> None:
    name = "content/releases/2026-11-20-fuzz.md"
    path = site / name
    path.write_text(f"---\n{text}---\nText.\n", encoding="utf-8")
    release, problems = load_release(path, _context(site))
    if release is None:
        _assert_reported(problems, name)
    else:
        assert not problems
        _clean(release)
        assert 1900 <= release.date.year <= 2200


@FAST
@given(st.dictionaries(st.sampled_from(RELEASE_KEYS) | nasty_text, values, max_size=5))
def test_any_front_matter_values_and_keys(site: Path, data: dict[str, Any]) -> None:
    text = _dump({**BASE, **data})
    if text is not None:
        _load_text(site, text)


@FAST
@given(st.sampled_from(["summary", "location", "extra", "tags", "contact", "event", "updates"]), values)
def test_one_key_of_a_valid_release_replaced(site: Path, key: str, value: Any) -> None:
    text = _dump({**BASE, key: value})
    if text is not None:
        _load_text(site, text)


lines = st.sampled_from(["title: A", "title: B", "date: 2026-11-20", "authority: polizei-test", "tags: &t [a]",
                         "places: *t", "extra: {a: 1, a: 2}", "<<: {title: C}", "id: " + "9" * 30,
                         'summary: "\\x00"', "expires: 0001-01-01", "contact: {email: 'a@b.de?cc=c@d.de'}",
                         "extra: !!binary aGk=", "extra: {? [1] : 2}"])


@FAST
@given(st.lists(lines, max_size=8))
def test_front_matter_lines_in_any_order(site: Path, chosen: list[str]) -> None:
    _load_text(site, "".join(line + "\n" for line in ["title: T", "date: 2026-11-20", "authority: polizei-test",
                                                          *chosen]))


file_names = st.binary(min_size=1, max_size=24).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"0"))


@FAST
@given(file_names)
def test_any_release_file_name(site: Path, name: bytes) -> None:
    folder = site / "content" / "releases"
    shutil.rmtree(folder)
    folder.mkdir()
    if name.startswith(b"."):
        name = b"x" + name
    try:
        with open(os.path.join(os.fsencode(folder), name + b".md"), "w", encoding="utf-8") as stream:
            stream.write(f"---\n{yaml.safe_dump(BASE)}---\nText.\n")
    except OSError:  # a name the file system refuses is no test
        return
    [path] = release_files(site)
    release, problems = load_release(path, _context(site))
    if release is None:
        _assert_reported(problems)
    else:
        assert not problems
        release.source.encode("utf-8")
        assert not UNSAFE_CHARACTER.search(release.source) and not UNSAFE_CHARACTER.search(release.slug)


@FAST
@given(file_names, st.dictionaries(st.sampled_from(["title", "description", "lang"]) | nasty_text, values,
                                   max_size=3))
def test_any_page_file_name_and_front_matter(site: Path, name: bytes, data: dict[str, Any]) -> None:
    folder = site / "content" / "pages"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    text = _dump({"title": "Impressum", **data})
    if text is None:
        return
    try:
        with open(os.path.join(os.fsencode(folder), b"p" + name + b".md"), "w", encoding="utf-8") as stream:
            stream.write(f"---\n{text}---\nText.\n")
    except OSError:
        return
    pages, problems = load_pages(site)
    if not pages or problems:  # a page with an unknown key still loads; its problem stops the build
        _assert_reported(problems)
    _clean(pages)


@FAST
@given(st.dictionaries(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True) | nasty_text,
                       st.fixed_dictionaries({"name": scalars, "code": st.just("POL-X"), "city": st.just("X")},
                                             optional={"contact": values, "website": scalars}), max_size=3))
def test_any_authorities_yaml(data: dict[str, Any]) -> None:
    text = _dump(data)
    if text is None:
        return
    with tempfile.TemporaryDirectory(prefix="pressroom-auth-") as tmp:
        site = Path(tmp)
        (site / "content").mkdir()
        (site / "content" / "authorities.yaml").write_text(text, encoding="utf-8")
        authorities, problems = load_authorities(site)
        if problems or not authorities:
            _assert_reported(problems, "content/authorities.yaml")
        _clean(list(authorities.values()))


def _toml_string(text: str) -> str:
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text) + '"'


@FAST
@given(st.sampled_from(["title", "description", "base_url", "timezone", "language", "websub_hub"]), nasty_text)
def test_any_site_toml_text(key: str, value: str) -> None:
    with tempfile.TemporaryDirectory(prefix="pressroom-toml-") as tmp:
        site = Path(tmp)
        defaults = {"title": "T", "base_url": "https://presse.example.org/"}
        lines = [f"{k} = {_toml_string(v)}" for k, v in {**defaults, key: value}.items()]
        (site / "site.toml").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        try:
            loaded = load_settings(site)
        except BuildErrors as exc:
            _assert_reported(exc.problems, "site.toml")
        else:
            _clean(loaded)
            assert dt.datetime(2026, 1, 1, tzinfo=loaded.tz)
