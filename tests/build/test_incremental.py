"""A rebuild's cost follows the change: it rewrites exactly the files whose bytes change, and a
new release rewrites a number of files that does not grow with the archive.

Each case builds a site, changes it, and rebuilds into the same output with the cache. The
files the rebuild rewrote (new inode or new file) are compared with the files whose bytes a
cold build of the changed site gives differently: the two sets must be equal. Unchanged files
keep their inode and modification time, which is what lets a web server answer 304.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.core.errors import OutputError
from tests.support.corpus import BERLIN, write_release, write_releases, write_site

NOW = dt.datetime(2026, 11, 1, tzinfo=BERLIN)
SEARCH = "pagefind/"


def run(site: Path, output: Path, cache: bool = True) -> None:
    build(BuildOptions(site=site, output=output, now=NOW, quiet=True, cache=cache, jobs=2))


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for here, _, files in os.walk(folder):
        for name in files:
            path = Path(here) / name
            stat = path.stat()
            found[path.relative_to(folder).as_posix()] = (stat.st_ino, stat.st_mtime_ns)
    return found


def contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def make_site(root: Path, releases: int) -> Path:
    site = root / "site"
    write_site(site)
    write_releases(site, releases, start=dt.datetime(2024, 1, 1, tzinfo=BERLIN), days=900)
    return site


def rewritten_after(tmp_path: Path, site: Path, change: object) -> tuple[set[str], set[str]]:
    """(files the cached rebuild rewrote, files whose bytes differ from the site before)."""
    out = tmp_path / "out"
    run(site, out)
    run(site, out)  # the second build sets up the spare tree beside the output
    before_bytes, before = contents(out), stamps(out)
    assert callable(change)
    change()
    run(site, out)
    after_bytes, after = contents(out), stamps(out)
    rewritten = {path for path, stamp in after.items() if before.get(path) != stamp}
    differing = {path for path, data in after_bytes.items() if before_bytes.get(path) != data}
    assert set(after_bytes) - set(before_bytes) <= rewritten
    cold = tmp_path / "cold"
    run(site, cold, cache=False)
    assert contents(cold) == after_bytes, "the cached rebuild differs from a cold build"
    return rewritten, differing


def release_pages(paths: set[str]) -> set[str]:
    return {p for p in paths if p.startswith("meldung/") and p.endswith("/index.html")}


def search_parts(paths: set[str]) -> set[str]:
    return {p.split("/")[1] for p in paths if p.startswith(SEARCH) and p.count("/") >= 2}


@pytest.mark.parametrize("size", [120, 480])
def test_a_new_release_rewrites_a_number_of_files_that_does_not_grow_with_the_archive(
        tmp_path: Path, size: int) -> None:
    site = make_site(tmp_path, size)
    authority = "polizei-essen"

    def add() -> None:
        write_release(site, 9000, authority, NOW - dt.timedelta(minutes=5), ["Verkehr"], title="Neueste Meldung")

    rewritten, differing = rewritten_after(tmp_path, site, add)
    assert rewritten == differing, rewritten ^ differing
    # SPEC §5: every release page lists the newest releases of its authority, so those pages
    # change; nothing else that grows with the archive does.
    own = {p for p in release_pages(rewritten)}
    authority_pages = {p for p in own if _authority_of(tmp_path / "out" / p) == authority}
    assert own == authority_pages
    rest = {p for p in rewritten - own if not p.startswith(SEARCH) and not p.endswith("/meldung.txt")}
    assert len(rest) <= 60, sorted(rest)
    assert search_parts(rewritten) == {"2026"}


def _authority_of(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    start = text.index('href="/behoerden/') + len('href="/behoerden/')
    return text[start:text.index("/", start)]


def test_an_edit_rewrites_only_the_files_that_show_the_release(tmp_path: Path) -> None:
    site = make_site(tmp_path, 150)
    victim = sorted((site / "content" / "releases").rglob("*.md"))[3]

    def edit() -> None:
        victim.write_text(victim.read_text(encoding="utf-8") + "\nNachtrag: ein neuer Satz.\n", encoding="utf-8")

    rewritten, differing = rewritten_after(tmp_path, site, edit)
    assert rewritten == differing, rewritten ^ differing
    slug = victim.stem
    assert f"meldung/{slug}/index.html" in rewritten and f"meldung/{slug}/meldung.txt" in rewritten
    assert release_pages(rewritten) == {f"meldung/{slug}/index.html"}  # an old release is in no one's list
    assert len(search_parts(rewritten)) == 1
    assert len(rewritten) <= 40, sorted(rewritten)


def test_nothing_changed_rewrites_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path, 60)
    rewritten, differing = rewritten_after(tmp_path, site, lambda: None)
    assert rewritten == differing == set()


def test_a_link_planted_in_the_spare_leads_no_write_out_of_it(tmp_path: Path) -> None:
    """Someone replaced a folder of the spare tree beside the output with a link to a folder
    elsewhere: the next build writes nothing there, and the site it makes is the right one."""
    site = make_site(tmp_path, 12)
    out = tmp_path / "out"
    run(site, out)
    release = sorted((site / "content" / "releases").rglob("*.md"))[0]
    release.write_text(release.read_text(encoding="utf-8") + "\nErster Nachtrag.\n", encoding="utf-8")
    run(site, out)  # the site before is now the spare tree beside the output
    spare = tmp_path / ".out.spare"
    assert spare.is_dir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine", encoding="utf-8")
    page = next(p for p in (spare / "meldung").iterdir() if p.name.endswith(release.stem.split("-", 3)[-1]))
    shutil.rmtree(page)
    page.symlink_to(elsewhere, target_is_directory=True)
    release.write_text(release.read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    with pytest.raises(OutputError, match="link out of it"):
        run(site, out)  # refused, the site before left as it was ...
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    run(site, out)  # ... and the next build starts from a fresh folder
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    cold = tmp_path / "cold"
    run(site, cold, cache=False)
    assert contents(out) == contents(cold)
