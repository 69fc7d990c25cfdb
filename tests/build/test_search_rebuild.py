"""What a rebuild of the search index takes from the build cache, so that its cost follows the
change: the fingerprints of the parts, by the keys of their pages (a remembered one only ever lets
a part be carried over whose own file shows it; a part made anew is written with the fingerprint of
its records), and the records of the parts made anew only (one the cache keeps unusable is read
again from its page)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

from generator.build.cache import CACHE_DIR, DATABASE, MAX_ENTRY, Cache
from generator.build.search import FINGERPRINT, REMEMBERED
from tests.build.search_fixture import build, make_site


def remembered(site: Path) -> dict[str, list[str]]:
    cache = Cache(site / CACHE_DIR)
    try:
        text = cache.value(REMEMBERED)
    finally:
        cache.close()
    assert text is not None
    found: dict[str, list[str]] = json.loads(text)
    return found


def remember(site: Path, value: dict[str, list[str]]) -> None:
    cache = Cache(site / CACHE_DIR)
    try:
        cache.keep_value(REMEMBERED, json.dumps(value))
    finally:
        cache.close()


def search_files(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((out / "pagefind").rglob("*")) if p.is_file()}


def edit(site: Path) -> None:
    release = site / "content" / "releases" / "2025" / "a.md"
    release.write_text(release.read_text(encoding="utf-8").replace("Kellerräume gemeldet", "Keller gemeldet"),
                       encoding="utf-8")


def touch(site: Path) -> None:
    """An input that looks changed (so that the build runs, not its seal) and is the same."""
    release = site / "content" / "releases" / "2024" / "c.md"
    stat = release.stat()
    os.utime(release, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_build_remembers_each_parts_fingerprint_as_its_file_shows_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    out = build(site, tmp_path / "out")
    first = remembered(site)
    assert set(first) == {"2025", "2024"}
    for name, (_pages, fingerprint) in first.items():
        assert fingerprint == (out / "pagefind" / name / FINGERPRINT).read_text(encoding="utf-8")
    parts = {name: (out / "pagefind" / name / "part.json").stat().st_ino for name in first}
    touch(site)
    build(site, out)
    assert remembered(site) == first
    assert {name: (out / "pagefind" / name / "part.json").stat().st_ino for name in first} == parts  # carried over
    edit(site)
    build(site, out)
    edited = remembered(site)["2025"]
    assert edited[0] != first["2025"][0]  # other pages (an edited one has another key) …
    assert edited[1] == (out / "pagefind" / "2025" / FINGERPRINT).read_text(encoding="utf-8") != first["2025"][1]


def test_a_wrong_remembered_fingerprint_makes_its_part_anew_with_the_right_one(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    out = build(site, tmp_path / "out")
    cold = search_files(out)
    right = remembered(site)
    # A cache that remembers another fingerprint for 2024's pages (damaged, or rewritten by hand).
    remember(site, {**right, "2024": [right["2024"][0], "0" * 40 + "\n"]})
    touch(site)
    build(site, out)
    assert search_files(out) == cold  # 2024's part made anew, and written with its true fingerprint
    assert remembered(site) == right


def test_a_kept_record_too_long_to_read_is_read_again_from_its_page(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    out = build(site, tmp_path / "out")
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:  # its key and month as they were
        db.execute("UPDATE search SET value = ? WHERE path = ?", ("x" * (MAX_ENTRY + 1), "meldung/e/index.html"))
    db.close()
    edit(site)  # 2025's part is made anew, from E's record among others (its key unchanged)
    build(site, out)
    fresh = make_site(tmp_path / "fresh")
    edit(fresh)
    assert search_files(out) == search_files(build(fresh, tmp_path / "cold"))
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        (value,) = db.execute("SELECT value FROM search WHERE path = ?", ("meldung/e/index.html",)).fetchone()
    db.close()
    assert json.loads(value)["url"] == "/meldung/e/"  # kept anew
