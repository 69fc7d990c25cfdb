"""The output's state across a run of builds: both trees' folder times stay true while each build
looks up only the folders it changed, and whatever a hand changes in the live tree is found.

The live tree and the spare beside it share their files' inodes but not their folders, so the
times of one tree's folders say nothing of the other's. Each case runs several builds in a row,
so that both trees take their turn as the live one, with states carried from build to build.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.build import output_state
from generator.build.output_state import all_safe, intact, safe
from generator.build.pipeline import BuildOptions, build
from generator.build.staging import Staging
from generator.lifecycle.manifest import MANIFEST
from tests.support.corpus import BERLIN, write_releases, write_site

Site = dict[str, bytes]


def site_number(n: int) -> Site:
    """The n-th version of a small site: some folders stay, one file changes, files come and go."""
    files = {MANIFEST: b"manifest", "index.html": b"home", "feed.xml": f"feed {n}".encode()}
    for year in range(2018, 2024):
        for day in range(20):  # enough files that a few coming and going are patched in
            files[f"meldung/{year}/{day:02d}/index.html"] = f"release {year} {day}".encode()
    files["meldung/2023/03/index.html"] = f"release edited {n}".encode()
    for extra in range(n):  # a new release each build, in a folder of its own
        files[f"meldung/2024/{extra:02d}/index.html"] = f"new {extra}".encode()
        files[f"meldung/2024/{extra:02d}/bild.jpg"] = b"jpeg"
    files["thema/bleibt/index.html"] = b"topic"
    if n % 3 == 0:  # a file that comes and goes in a folder that stays
        files["thema/bleibt/bild.jpg"] = b"jpeg"
    if n % 2:  # a folder that comes and goes
        files["thema/wechsel/index.html"] = b"topic"
        files["thema/wechsel/seite/2/index.html"] = b"page"
    return files


def stage(out: Path, files: Site) -> Staging:
    with Staging(out) as staging:
        for path, data in sorted(files.items()):
            staging.write(path, data)
        staging.commit()
    return staging


def tree(folder: Path) -> tuple[Site, dict[str, int]]:
    """(every file with its bytes, every folder with its modification time) of `folder`."""
    files: Site = {}
    folders = {"": folder.stat().st_mtime_ns}
    for here, dirs, names in os.walk(folder):
        inner = Path(here).relative_to(folder).as_posix()
        prefix = "" if inner == "." else f"{inner}/"
        for name in dirs:
            folders[prefix + name] = (Path(here) / name).stat().st_mtime_ns
        for name in names:
            files[prefix + name] = (Path(here) / name).read_bytes()
    return files, folders


def state_of(out: Path) -> output_state.OutputState:
    state = output_state.read(output_state.path_of(out))
    assert state is not None
    return state


def assert_state_true(out: Path, expected: Site) -> None:
    """The state says exactly what both trees hold: each file's stamp, each folder's time."""
    files, folders = tree(out)
    assert files == expected
    state = state_of(out)
    assert list(state.names) == sorted(files)
    assert {name: state.stamp(name) for name in state.names} == {
        name: ((out / name).stat().st_size, (out / name).stat().st_mtime_ns) for name in files}
    assert state.folders == folders
    spare = out.parent / f".{out.name}.spare"
    if state.spare is not None:
        assert tree(spare)[1] == state.spare.folders
    assert intact(out) == state.build


def test_a_run_of_builds_works_in_the_spare_and_keeps_both_trees_folder_times_true(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spare = tmp_path / ".out.spare"
    for n in range(1, 8):
        before = spare.stat().st_ino if spare.exists() else None
        stage(out, site_number(n))
        assert_state_true(out, site_number(n))
        if n >= 3:  # the tree beside the output was worked in and swapped in
            assert out.stat().st_ino == before
            assert state_of(out).spare is not None


def test_an_unchanged_build_keeps_the_live_tree_and_both_times(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for n in (1, 2, 3):
        stage(out, site_number(n))
    live = out.stat().st_ino
    stage(out, site_number(3))  # the spare is brought up to date, nothing is swapped
    assert out.stat().st_ino == live
    assert state_of(out).spare == output_state.Spare(frozenset(), tree(tmp_path / ".out.spare")[1])
    assert_state_true(out, site_number(3))
    stage(out, site_number(4))  # and the next build works in that spare
    assert out.stat().st_ino != live
    assert_state_true(out, site_number(4))


def _add_file(out: Path) -> Callable[[Site], Site]:
    (out / "meldung" / "2019" / "02" / "hand.html").write_bytes(b"mine")
    return lambda site: site


def _remove_file(out: Path) -> Callable[[Site], Site]:
    (out / "meldung" / "2020" / "01" / "index.html").unlink()
    return lambda site: site


def _add_folder(out: Path) -> Callable[[Site], Site]:
    (out / "meldung" / "2021" / "hand").mkdir()
    (out / "meldung" / "2021" / "hand" / "x.html").write_bytes(b"mine")
    return lambda site: site


def _remove_folder(out: Path) -> Callable[[Site], Site]:
    shutil.rmtree(out / "meldung" / "2022" / "00")
    return lambda site: site


HAND = {"a file added": _add_file, "a file removed": _remove_file, "a folder added": _add_folder,
        "a folder removed": _remove_folder}


@pytest.mark.parametrize("change", sorted(HAND))
@pytest.mark.parametrize("after", [3, 4])  # once in each of the two trees
def test_a_hand_in_the_live_tree_is_found_after_a_run_of_carried_states(tmp_path: Path, change: str,
                                                                          after: int) -> None:
    """The folder changed by hand is one no build since the first has changed: its time was
    carried from state to state, on both trees, and is still compared."""
    out = tmp_path / "out"
    for n in range(1, after + 1):
        stage(out, site_number(n))
    assert intact(out) is not None
    HAND[change](out)
    assert intact(out) is None  # no seal holds for a tree changed by hand
    for n in range(after + 1, after + 4):  # the next build mends it, and none brings it back
        stage(out, site_number(n))
        assert_state_true(out, site_number(n))


def test_a_file_put_into_the_spare_is_not_vouched_for(tmp_path: Path) -> None:
    """A file put by hand into the spare comes out with the next swap; the state does not take
    the changed folder's time for its own, so the build after finds the file and removes it."""
    out = tmp_path / "out"
    for n in (1, 2, 3):
        stage(out, site_number(n))
    (tmp_path / ".out.spare" / "meldung" / "2018" / "01" / "hand.html").write_bytes(b"mine")
    stage(out, site_number(4))
    assert intact(out) is None
    stage(out, site_number(5))
    assert_state_true(out, site_number(5))


def make_site(root: Path) -> Path:
    site = root / "site"
    write_site(site)
    write_releases(site, 12, start=dt.datetime(2024, 1, 1, tzinfo=BERLIN), days=300)
    return site


def run(site: Path, out: Path, cache: bool = True) -> None:
    build(BuildOptions(site=site, output=out, now=dt.datetime(2026, 11, 1, tzinfo=BERLIN), quiet=True,
                       cache=cache, jobs=1, search=False))


def test_real_builds_find_hand_made_files_in_either_tree(tmp_path: Path) -> None:
    site, out = make_site(tmp_path), tmp_path / "out"
    release = sorted((site / "content" / "releases").rglob("*.md"))[0]
    cold = tmp_path / "cold"
    for n in range(5):
        release.write_text(release.read_text(encoding="utf-8") + f"\nNachtrag {n}.\n", encoding="utf-8")
        run(site, out)
        assert not list(out.rglob("hand.html"))  # found and removed by the build after it came
        if n in (2, 3):  # after the third and the fourth build: once in each tree
            folder = next(p for p in sorted((out / "meldung").iterdir()) if p.name != release.stem)
            (folder / "hand.html").write_text("mine", encoding="utf-8")
    shutil.rmtree(cold, ignore_errors=True)
    run(site, cold, cache=False)
    assert tree(out)[0] == tree(cold)[0]


def test_a_live_file_edited_in_place_is_made_again_by_a_build_in_the_spare(tmp_path: Path) -> None:
    """A hand that rewrites a live file in place changes no folder's time and no inode, only the
    file's own time, which the spare shares: the build working in the spare makes that file again."""
    site, out = make_site(tmp_path), tmp_path / "out"
    release = sorted((site / "content" / "releases").rglob("*.md"))[0]

    def edit_and_build(n: int) -> dict[str, int]:
        release.write_text(release.read_text(encoding="utf-8") + f"\nNachtrag {n}.\n", encoding="utf-8")
        run(site, out)
        return {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}

    for n in range(3):
        before = edit_and_build(n)
    after = edit_and_build(3)
    assert state_of(out).spare is not None  # the next build works in the spare
    # A page the same edit does not make again, left with its size (only its time tells).
    page = out / next(path for path in sorted(after) if path.startswith("meldung/") and before[path] == after[path])
    original = page.read_bytes()
    with open(page, "r+b") as handle:
        handle.write(b"defaced")
    edit_and_build(4)
    assert page.read_bytes() == original
    run(site, tmp_path / "cold", cache=False)
    assert tree(out)[0] == tree(tmp_path / "cold")[0]


PATHS = ["a", "a/b", "a/b/c.html", "...", "a/...", ".a", "a.", "a/.b/c", "..a", "a/b..", " ", "ä/ö", "a\nb",
         "", "/", "/a", "a/", "a//b", ".", "..", "./a", "a/.", "a/./b", "a/../b", "../a", "a/..", "a\0b", "\0",
         "a/\0/b"]


@pytest.mark.parametrize("path", PATHS)
def test_all_safe_agrees_with_safe_on_each_path_alone_and_among_others(path: str) -> None:
    assert all_safe([path]) == safe(path)
    assert all_safe(["a", path, "b/c"]) == safe(path)
    assert all_safe([path, path]) == safe(path)


def test_all_safe_takes_an_empty_list_and_refuses_what_is_no_string() -> None:
    assert all_safe([])
    assert not all_safe(["a", 1])  # type: ignore[list-item]
    assert not all_safe(["a", None])  # type: ignore[list-item]


def test_count_under_counts_exactly_the_files_below_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stage(out, {MANIFEST: b"m", "p/a/x": b"1", "p/a/y/z": b"2", "p/a-b/x": b"3", "p/a.b": b"4", "p/a0/x": b"5"})
    state = state_of(out)
    assert [state.count_under(f) for f in ("p/a", "p/a/y", "p", "p/a-b", "p/b")] == [2, 1, 5, 1, 0]


LINES = ("format", "build", "names", "sizes", "mtimes", "folders", "pending", "spare")


def _recorded(out: Path) -> dict[str, Any]:
    """The state's lines, each one JSON value, by what they hold."""
    lines = output_state.path_of(out).read_bytes().split(b"\n")
    assert len(lines) == len(LINES)
    return {key: json.loads(line) for key, line in zip(LINES, lines, strict=True)}


def _bytes(text: str, change: Callable[[bytes], bytes]) -> str:
    return base64.b64encode(change(base64.b64decode(text))).decode()


def _swap_two(v: dict[str, Any]) -> None:
    v["names"][0], v["names"][1] = v["names"][1], v["names"][0]


MALFORMED: dict[str, Callable[[dict[str, Any]], None]] = {
    "another format": lambda v: v.update(format="pressroom-output-2"),
    "no build id": lambda v: v.update(build=None),
    "names out of order": _swap_two,
    "a name twice": lambda v: v["names"].__setitem__(1, v["names"][0]),
    "a name leaving the folder": lambda v: v["names"].__setitem__(0, "../x"),
    "a name that is no string": lambda v: v["names"].__setitem__(0, 7),
    "a size too few": lambda v: v.update(sizes=_bytes(v["sizes"], lambda raw: raw[8:])),
    "a time a byte too many": lambda v: v.update(mtimes=_bytes(v["mtimes"], lambda raw: raw + b"\0")),
    "times that are no base64": lambda v: v.update(mtimes="*" + v["mtimes"][1:]),
    "times as a list": lambda v: v.update(mtimes=[0] * len(v["names"])),
    "sizes as a number": lambda v: v.update(sizes=1.5),
    "a folder leaving the output": lambda v: v["folders"].update({"a/../..": 1}),
    "a folder time that is text": lambda v: v["folders"].update({"": "1"}),
    "a folder time that is a truth value": lambda v: v["folders"].update({"": True}),
    "folders as a list": lambda v: v.update(folders=[]),
    "pending leaving the output": lambda v: v["pending"].append("/etc/passwd"),
    "pending without the spare's folders": lambda v: v.update(spare=None),
    "the spare's folders without pending": lambda v: v.update(pending=None),
    "a spare folder leaving it": lambda v: v["spare"].update({"..": 1}),
    "the spare's folders as a list": lambda v: v.update(spare=[]),
    "a line too many": lambda v: v.update(more=1),
    "a line too few": lambda v: v.pop("spare"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_state_is_no_state(tmp_path: Path, case: str) -> None:
    out = tmp_path / "out"
    for n in (1, 2):
        stage(out, site_number(n))
    value = _recorded(out)
    assert value["spare"] is not None and output_state.read(output_state.path_of(out)) is not None
    output_state.path_of(out).write_text("\n".join(map(json.dumps, value.values())), encoding="utf-8")
    assert output_state.read(output_state.path_of(out)) is not None  # written back unchanged, it is one
    MALFORMED[case](value)
    output_state.path_of(out).write_text("\n".join(map(json.dumps, value.values())), encoding="utf-8")
    assert output_state.read(output_state.path_of(out)) is None
    stage(out, site_number(3))  # a build without a state starts from a fresh folder and is right
    assert_state_true(out, site_number(3))


def test_a_state_nested_too_deep_to_read_is_no_state(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stage(out, site_number(1))
    lines = output_state.path_of(out).read_bytes().split(b"\n")
    lines[2] = b"[" * 100_000 + b"]" * 100_000
    output_state.path_of(out).write_bytes(b"\n".join(lines))
    assert output_state.read(output_state.path_of(out)) is None
