"""What is read back from the build cache cannot run code, and a poisoned cache changes nothing
but the build time (issue 13): rows rewritten with sqlite3 – a pickle that would create a file,
wrong types, another file's release, huge or absurdly nested values – are misses."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import pickle
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.build import loader
from generator.build.cache import CACHE_DIR, DATABASE, Entry, Texts
from generator.build.loader import AuthorityKeys, Cached, Loaded, decode_entry, encode_entry
from generator.build.pipeline import BuildOptions, build
from generator.build.stages import decide, load_site
from generator.content.authorities import load_authorities
from generator.content.releases import LoadContext
from generator.content.settings import load_settings
from generator.core.models import Release
from generator.media.publish import CACHE_DIR as MEDIA_CACHE
from generator.render.markdown import Body
from tests.conftest import REPO

NOW = dt.datetime.fromisoformat("2026-11-26T12:00:00+01:00")


def copy_demo(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copytree(REPO / "content", target / "content")
    shutil.copy(REPO / "site.toml", target / "site.toml")
    return target


def run(site: Path, output: Path, cache: bool = True) -> None:
    build(BuildOptions(site=site, output=output, now=NOW, quiet=True, search=False, cache=cache, jobs=1))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("poison")
    site = copy_demo(root / "site")
    run(site, root / "cold", cache=False)
    return {"site": site, "cold": tree(root / "cold"), "releases": len(list((site / "content").rglob("*.md")))
            - len(list((site / "content" / "pages").rglob("*.md")))}


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo built once with its cache (site/, output/), and a pristine copy of both beside them."""
    root = tmp_path_factory.mktemp("warm")
    run(copy_demo(root / "site"), root / "output")
    for name in ("site", "output"):
        shutil.copytree(root / name, root / f"pristine-{name}", symlinks=True)
    return root


def warm_demo(root: Path) -> tuple[Path, Path]:
    """The warm demo for one test to poison: the site with its cache and the output of its build,
    put back as that build left them and where (the cache knows files by their absolute paths)."""
    for name in ("site", "output"):
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.copytree(root / f"pristine-{name}", root / name, symlinks=True)
    return root / "site", root / "output"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The release files read afresh (not taken from the cache) in this process."""
    read: list[str] = []
    real = loader.load_release

    def counting(path: Path, *args: Any, **kwargs: Any) -> Any:
        read.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(loader, "load_release", counting)
    return read


def rows(site: Path) -> dict[str, Any]:
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        return dict(db.execute("SELECT key, value FROM releases"))


def entries(site: Path) -> list[tuple[Entry, Texts]]:
    """Each release entry as stored, with its body's HTML and plain text."""
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        rows = db.execute("SELECT value, markdown, first, linked, html, plain FROM releases JOIN texts USING (key)")
        return [((value, markdown, first, bool(linked)), (html, plain))
                for value, markdown, first, linked, html, plain in rows]


def reader(site: Path) -> tuple[LoadContext, AuthorityKeys]:
    """What decoding an entry of `site` checks it against: the site's settings and authorities."""
    settings = load_settings(site)
    authorities, _ = load_authorities(site, settings.content_language)
    return (LoadContext(site=site, settings=settings, authorities=authorities, media_cache=site / MEDIA_CACHE),
            AuthorityKeys(authorities))


def rewrite(site: Path, change: Callable[[str, Any], Any]) -> None:
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        for key, value in list(db.execute("SELECT key, value FROM releases")):
            db.execute("UPDATE releases SET value = ? WHERE key = ?", (change(key, value), key))
        # With its seal, an unchanged site would not be read at all; these poisons are for the entries.
        db.execute("DELETE FROM seals")


def test_a_warm_build_takes_every_release_from_json_entries(tmp_path: Path, demo: dict[str, Any],
                                                            counted: list[str]) -> None:
    site = copy_demo(tmp_path / "site")
    run(site, tmp_path / "first")
    assert len(counted) == demo["releases"]
    stored = entries(site)
    assert len(stored) == demo["releases"]
    context, keys = reader(site)
    for row, texts in stored:
        assert all(isinstance(column, str) for column in (*row[:3], *texts))
        assert isinstance(decode_entry(row, context, keys), Cached)
        assert isinstance(json.loads(row[0]), dict)  # JSON, no pickle
    counted.clear()
    run(site, tmp_path / "warm")
    assert counted == []
    assert tree(tmp_path / "warm") == demo["cold"]


class _CreatesAFile:
    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.target), "w"))


def _entry(value: str) -> Any:
    return json.loads(value)


def _edit(change: Callable[[Any], None]) -> Callable[[str, Any], str]:
    def edit(key: str, value: Any) -> str:
        data = _entry(value)
        change(data)
        return json.dumps(data)
    return edit


def _set(*path_and_value: Any) -> Callable[[Any], None]:
    *path, value = path_and_value

    def change(data: Any) -> None:
        for step in path[:-1]:
            data = data[step]
        data[path[-1]] = value
    return change


def _with_media(change: Callable[[Any], None]) -> Callable[[Any], None]:
    def only_with_media(data: Any) -> None:
        if data["release"]["images"]:
            change(data)
    return only_with_media


def _outside(data: Any) -> None:
    data["release"]["images"][0]["file"]["source"] = "/etc/hostname"
    data["release"]["images"][0]["file"]["site_path"] = "content/../../../etc/hostname"
    data["media"][0][0] = "/etc/hostname"


POISONS: dict[str, Callable[[Path], Callable[[str, Any], Any]]] = {
    "a pickle that creates a file": lambda marker: lambda k, v: pickle.dumps(_CreatesAFile(marker)),
    "the same pickle as text": lambda marker: lambda k, v: pickle.dumps(_CreatesAFile(marker), 0).decode("latin-1"),
    "not JSON at all": lambda marker: lambda k, v: "{release: nope",
    "random bytes": lambda marker: lambda k, v: os.urandom(64),
    "a number instead of a title": lambda marker: _edit(_set("release", "title", 123)),
    "a list instead of the tags": lambda marker: _edit(_set("release", "tags", "Unfall")),
    "a boolean instead of a count": lambda marker: _edit(lambda d: d["media"] and _set(0, 1, True)(d["media"])),
    "a missing field": lambda marker: _edit(lambda d: d["release"].pop("summary")),
    "an extra field": lambda marker: _edit(_set("release", "admin", True)),
    "an unknown kind": lambda marker: _edit(_set("release", "kind", "exploit")),
    "an impossible date": lambda marker: _edit(_set("release", "date", ["2026-02-30T00:00:00", 0, None])),
    "a time zone path": lambda marker: _edit(_set("release", "date", ["2026-01-01T00:00:00", 0, "../../etc/x"])),
    "a time zone that is a folder": lambda marker: _edit(_set("release", "date", ["2026-01-01T00:00:00", 0, "Europe"])),
    "another file's release": lambda marker: _swap(),
    "an id that is a path": lambda marker: _edit(_set("release", "id", "../../etc/passwd")),
    "another slug": lambda marker: _edit(_set("release", "slug", "uebernommen")),
    "an alias out of the site": lambda marker: _edit(_set("release", "aliases", ["/../../../tmp/x/"])),
    "an image from outside the site": lambda marker: _edit(_with_media(_outside)),
    "an authority as it was before": lambda marker: _edit(_set("authority", 1, "0" * 40)),
    "an authority the site has not": lambda marker: _edit(_set("authority", 0, "falsche-behoerde")),
    "a number with 100000 digits": lambda marker: lambda k, v: v.replace('"title":', '"x":' + "9" * 100_000
                                                                         + ',"title":', 1),
    "nesting 100000 deep": lambda marker: lambda k, v: "[" * 100_000 + "]" * 100_000,
    "an entry of 20 MB": lambda marker: _once(_edit(_set("release", "title", "x" * 20_000_000))),
}


def _once(change: Callable[[str, Any], Any]) -> Callable[[str, Any], Any]:
    """The change for the first row only (one huge entry is the case; sixteen would only take long)."""
    done: list[str] = []

    def first(key: str, value: Any) -> Any:
        if done:
            return value
        done.append(key)
        return change(key, value)
    return first


def _swap() -> Callable[[str, Any], Any]:
    """Each row gets the entry of the next row: well-formed, but for another file."""
    state: dict[str, Any] = {}

    def swap(key: str, value: Any) -> Any:
        first = state.setdefault("first", value)
        previous, state["previous"] = state.get("previous", first), value
        return previous if previous is not value else value
    return swap


@pytest.mark.parametrize("poison", sorted(POISONS))
def test_a_poisoned_cache_changes_nothing_but_the_build_time(tmp_path: Path, demo: dict[str, Any], warm: Path,
                                                             counted: list[str], poison: str) -> None:
    site, output = warm_demo(warm)
    marker = tmp_path / "pwned"
    before = rows(site)
    rewrite(site, POISONS[poison](marker))
    poisoned = [k for k, v in rows(site).items() if _meaning(v) != _meaning(before[k])]
    assert poisoned
    counted.clear()
    run(site, output)
    assert not marker.exists(), "reading the cache ran code"
    assert tree(output) == demo["cold"]
    assert len(counted) == len(poisoned), "a poisoned entry was used, or a good one was not"
    # The poisoned rows were replaced by good ones: the next build reads nothing afresh.
    counted.clear()
    run(site, output)
    assert counted == []
    assert tree(output) == demo["cold"]


def _meaning(value: Any) -> Any:
    try:
        return json.loads(value)
    except (ValueError, TypeError, RecursionError):
        return value


def test_bodies_missing_or_damaged_in_the_cache_are_rendered_again(tmp_path: Path, demo: dict[str, Any]) -> None:
    """A body's HTML and text are read from the cache only when a page shows it; one that is gone
    or is not text is rendered again from the release's Markdown, to the same bytes."""
    site = copy_demo(tmp_path / "site")
    output = tmp_path / "output"
    run(site, output)
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        keys = sorted(key for (key,) in db.execute("SELECT key FROM texts"))
        assert len(keys) == demo["releases"]
        db.executemany("DELETE FROM texts WHERE key = ?", ((key,) for key in keys[::2]))
        db.executemany("UPDATE texts SET html = 123, plain = x'00' WHERE key = ?", ((key,) for key in keys[1::2]))
        db.execute("DELETE FROM seals")
    # A template of the site's own that every page extends: all pages are made again (the
    # releases' entries stay good: templates are no part of their keys), so every body is asked for.
    (site / "templates").mkdir()
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    (site / "templates" / "base.html").write_text(base.replace("</body>", "<!-- Neu: eigene Vorlage --></body>"),
                                                  encoding="utf-8")
    run(site, output)
    run(site, tmp_path / "cold", cache=False)
    assert tree(output) == tree(tmp_path / "cold")
    assert b"Neu: eigene Vorlage" in tree(output)["index.html"]


def test_feed_items_damaged_or_of_another_release_are_built_again(tmp_path: Path, demo: dict[str, Any],
                                                                 feed_items_built: list[Release]) -> None:
    """A feed document takes a release's stored RSS item, Atom entry and JSON Feed item only if they
    look like that release's: swapped between releases, of the wrong type, cut short, given a
    second item or no JSON, they are built again, to the same bytes as a cold build."""
    site = copy_demo(tmp_path / "site")
    output = tmp_path / "output"
    run(site, output)
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        stored = sorted(db.execute("SELECT key, rss, atom, json FROM items"))
        published = decide(load_site(site), NOW, drafts=False).published
        assert len(stored) == len(published) > 5  # every published release's
        damaged = {}
        for number, ((key, rss, atom, text), (_, other_rss, other_atom, other_text)) in enumerate(
                itertools.pairwise(stored)):
            damaged[key] = [(other_rss, other_atom, text), (rss, atom, "{\n  nichts\n}"), (rss, atom, other_text),
                            (rss.decode(), atom.decode(), text.encode()), (rss[:-10], atom, text),
                            (rss, atom + atom, text), (rss + rss, atom, text)][number % 7]
        db.executemany("UPDATE items SET rss = ?, atom = ?, json = ? WHERE key = ?",
                       ((rss, atom, text, key) for key, (rss, atom, text) in damaged.items()))
        db.execute("DELETE FROM seals")
    built = feed_items_built
    built.clear()  # the first build above built every item
    # A template of the site's own: every feed document is made again, the items' keys stay.
    (site / "templates").mkdir()
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    (site / "templates" / "base.html").write_text(base.replace("</body>", "<!-- eigene Vorlage --></body>"),
                                                  encoding="utf-8")
    run(site, output)
    assert len(built) == len(damaged)
    run(site, tmp_path / "cold", cache=False)
    assert tree(output) == tree(tmp_path / "cold")
    # The damaged rows were replaced: the next build that makes every document builds no item.
    built.clear()
    (site / "templates" / "base.html").write_text(base, encoding="utf-8")
    run(site, output)
    assert built == []
    assert tree(output) == demo["cold"]


def test_damaged_output_rows_only_cost_a_render(tmp_path: Path, demo: dict[str, Any]) -> None:
    site = copy_demo(tmp_path / "site")
    output = tmp_path / "output"
    run(site, output)
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        db.execute("UPDATE outputs SET size = 'big', mtime_ns = x'00'")
        db.execute("INSERT INTO outputs VALUES (?, '../../etc/passwd', 'k', 1, 1)", (str(output.absolute()),))
    run(site, output)
    assert tree(output) == demo["cold"]


def test_every_demo_release_round_trips_exactly(tmp_path: Path, demo: dict[str, Any]) -> None:
    """The JSON entries give back releases equal to, and printing like, the ones loading made."""
    site = copy_demo(tmp_path / "site")
    run(site, tmp_path / "output")
    context, keys = reader(site)
    for row, texts in entries(site):
        entry = decode_entry(row, context, keys)
        assert entry is not None
        loaded = Loaded(entry.release, Body(*texts, entry.first_paragraph), entry.media)
        assert encode_entry(loaded, keys) == (row, texts)
        again = decode_entry(encode_entry(loaded, keys)[0], context, keys)
        assert again == entry and repr(again) == repr(entry) and again is not None
        assert again.release.extra == entry.release.extra


SEAL_POISONS: dict[str, Callable[[str], str]] = {
    "random bytes": lambda value: os.urandom(64).hex(),
    "not JSON": lambda value: value[: len(value) // 2],
    "wrong types": lambda value: json.dumps({**json.loads(value), "published": "viele"}),
    "a message that is code": lambda value: json.dumps({**json.loads(value), "warnings": [
        ["x.md", 1, "warning", {"msgid": "%(a)s", "params": {"a": {"__reduce__": "os.system"}}}]]}),
    "another site's inputs": lambda value: json.dumps({**json.loads(value), "inputs": "0" * 40}),
}


@pytest.mark.parametrize("poison", sorted(SEAL_POISONS))
def test_a_poisoned_seal_changes_nothing_but_the_build_time(tmp_path: Path, demo: dict[str, Any],
                                                            poison: str) -> None:
    site = copy_demo(tmp_path / "site")
    output = tmp_path / "output"
    run(site, output)
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        (value,) = db.execute("SELECT value FROM seals").fetchone()
        db.execute("UPDATE seals SET value = ?", (SEAL_POISONS[poison](value),))
    run(site, output)
    assert tree(output) == demo["cold"]
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:  # the next build sealed it anew
        (again,) = db.execute("SELECT value FROM seals").fetchone()
    assert json.loads(again)["published"] == json.loads(value)["published"]
