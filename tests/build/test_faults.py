"""A build that dies or cannot write never costs the public a published page.

Killed with SIGKILL at random moments, a build leaves the output folder
exactly as the previous site or exactly as the new one. A write that fails
(full disk, read-only file system) ends the build with a clear error and the
previous site byte for byte intact.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO_NOW, REPO, run_pressroom, start_pressroom
from tests.support.forkserver import Child, FreshChild

FAULTS_HOOK = REPO / "tests" / "support" / "faults"
KILLS = 12
WRITING_KILLS = 9  # of them while the new site is written: there a wrong order of steps would show
MID_WRITE = 4  # at least this many must find the build still writing, or the test proved nothing
SEED = 20261126  # fixed, so that a failure can be replayed; the moments still differ from kill to kill


# The search index names its files at random in each build (pagefind), so a new build
# can be compared with the reference build only without it. The old site is a fixed
# copy and is always compared whole.
NONDETERMINISTIC = ("pagefind",)


def tree_hash(root: Path, skip: tuple[str, ...] = ()) -> str | None:
    """One hash over every path, folder and file byte under root; None when root is missing."""
    if not root.exists():
        return None
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if (here / d).relative_to(root).as_posix() not in skip)
        digest.update(b"D" + here.relative_to(root).as_posix().encode() + b"\0")
        for name in sorted(filenames):
            path = here / name
            digest.update(b"F" + path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def copy_demo(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copytree(REPO / "content", target / "content")
    shutil.copy(REPO / "site.toml", target / "site.toml")
    return target


def change_site(site: Path) -> None:
    """A new version of the site: a corrected headline (touches many pages) and one more release."""
    release = next((site / "content" / "releases").rglob("2023-10-21-*.md"))
    text = release.read_text(encoding="utf-8")
    corrected = re.sub(r"(?m)^title: (.*)$", r"title: \1 (korrigiert)", text, count=1)
    release.write_text(corrected, encoding="utf-8")
    (site / "content" / "releases" / "2026" / "2026-11-25-neue-meldung.md").write_text(
        "---\nid: pol-ge-2026-1125-1\ntitle: Neue Meldung für den Test\ndate: 2026-11-25T09:00:00+01:00\n"
        "authority: polizei-gelsenkirchen\ntags: [Test]\n---\n\nEine neue Meldung.\n", encoding="utf-8")


def build_args(site: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", str(site), "-o", str(out), "--now", DEMO_NOW,
            "--quiet"]


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The old and the new version of the site, each built once as a reference."""
    root = tmp_path_factory.mktemp("faults")
    old = copy_demo(root / "old")
    new = copy_demo(root / "new")
    change_site(new)
    for site in (old, new):
        result = run_pressroom("build", site, "-o", site / "reference", "--now", DEMO_NOW, "--quiet")
        assert result.returncode == 0, result.stderr
    return {"old": old, "new": new, "root": root}


def install_previous_site(sites: dict[str, Path], target: Path, linked: bool = False) -> None:
    """A clean folder holding exactly the previous site, as a server would have it.

    `linked`: its files hard links to the reference's (fast); a build that wrote into a file of
    the previous site instead of replacing it would then change the reference too, which the
    caller checks at the end."""
    for _ in range(100):  # the killed build's sweeper may still be going for a moment
        shutil.rmtree(target.parent, ignore_errors=True)
        if not target.parent.exists():
            break
        time.sleep(0.05)
    target.parent.mkdir(parents=True)
    shutil.copytree(sites["old"] / "reference", target, copy_function=os.link if linked else shutil.copy2)


def test_the_two_versions_differ(sites: dict[str, Path]) -> None:
    assert tree_hash(sites["old"] / "reference") != tree_hash(sites["new"] / "reference")


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_the_old_or_the_new_site(sites: dict[str, Path]) -> None:
    old_hash = tree_hash(sites["old"] / "reference")
    new_hash = tree_hash(sites["new"] / "reference", NONDETERMINISTIC)
    searchable = (sites["new"] / "reference" / "pagefind").exists()

    def judge(found: Path) -> str:
        if tree_hash(found) == old_hash:
            return "old"
        if tree_hash(found, NONDETERMINISTIC) == new_hash and (found / "pagefind").exists() == searchable:
            return "new"
        return "BROKEN"

    target = sites["root"] / "server" / "output"
    staging = target.parent / f".{target.name}.staging"

    def start() -> Child | FreshChild:
        # A forked child of a server that imported Pressroom (the same build, without the
        # interpreter's start): SIGKILL ends it at any moment as it ends `python -m generator`.
        return start_pressroom(*build_args(sites["new"], target)[3:])

    # How long does a build take here before it starts writing, and how long is the new site
    # being written (the staging folder there)? The kills are spread over those two phases. The
    # shortest of three builds: one slowed by a busy machine would spread them past the swap.
    before_writing = writing = float("inf")
    for _ in range(3):
        install_previous_site(sites, target, linked=True)
        begun = time.monotonic()
        appeared = vanished = None
        with start() as calibration:
            while calibration.poll() is None:
                here = staging.exists()
                if here and appeared is None:
                    appeared = time.monotonic()
                elif not here and appeared is not None and vanished is None:
                    vanished = time.monotonic()
                time.sleep(0.001)
            assert calibration.wait(60) == 0
        ended = time.monotonic()
        before_writing = min(before_writing, (appeared or ended) - begun)
        writing = min(writing, (vanished or ended) - (appeared or begun))
        assert judge(target) == "new"

    # Most kills land while the new site is being written, one in each of WRITING_KILLS equal
    # parts of that phase (the last ones around the swap); the others in equal parts of what
    # comes before. Within its part, each moment is random (seeded, so a failure can be replayed).
    rng = random.Random(SEED)
    moments = [("writing", (part + rng.random()) / WRITING_KILLS * writing) for part in range(WRITING_KILLS)]
    early = KILLS - WRITING_KILLS
    moments += [("early", (part + rng.random()) / early * before_writing) for part in range(early)]
    outcomes: list[str] = []
    mid_write = 0
    for kill, (phase, delay) in enumerate(moments):
        install_previous_site(sites, target, linked=True)
        with start() as process:
            begun = time.monotonic()
            if phase == "writing":
                while not staging.exists() and process.poll() is None and time.monotonic() - begun < 60:
                    time.sleep(0.001)
            time.sleep(delay)
            process.kill()
            assert process.wait(60) is not None
        mid_write += staging.exists()
        outcome = judge(target)
        outcomes.append(f"{phase}:{outcome}@{time.monotonic() - begun:.3f}s")
        assert outcome != "BROKEN", (f"kill {kill + 1} after {delay:.3f} s left neither the old nor the new "
                                     f"site (exists: {target.exists()}); outcomes so far: {outcomes}")

    print(f"build takes {before_writing:.2f} s before and {writing:.2f} s writing; kills: {outcomes}; "
          f"{mid_write} caught the build mid-write")
    assert mid_write >= MID_WRITE, f"too few kills hit the writing phase to prove anything: {outcomes}"

    # What a killed build left behind (staging folder, lock file) never blocks the next build.
    result = subprocess.run(build_args(sites["new"], target), env=env(), capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert judge(target) == "new"
    assert not staging.exists()
    # No build wrote into a file of the previous site (whose files were the reference's own).
    assert tree_hash(sites["old"] / "reference") == old_hash


@pytest.mark.parametrize("successful_writes", [0, 7, 40])
def test_a_full_disk_in_the_middle_of_a_build_keeps_the_previous_site(
        sites: dict[str, Path], tmp_path: Path, successful_writes: int) -> None:
    """Injected through a test-only sitecustomize hook: the (N+1)-th write fails with ENOSPC."""
    target = tmp_path / "server" / "output"
    install_previous_site(sites, target)
    before = tree_hash(target)
    result = subprocess.run(
        build_args(sites["new"], target), capture_output=True, text=True, timeout=120, check=False,
        env=env(PYTHONPATH=f"{FAULTS_HOOK}{os.pathsep}{REPO}",
                PRESSROOM_FAIL_WRITES_AFTER=str(successful_writes)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr, result.stderr
    assert "previous site" in result.stderr, result.stderr
    assert tree_hash(target) == before
    assert not (target.parent / f".{target.name}.staging").exists(), "the half-written site was left behind"


def _tiny_site(root: Path) -> Path:
    """A previous site that is small: the demo without media (but the authorities' logos) and with one release."""
    site = copy_demo(root / "tiny")
    for entry in (site / "content" / "media").iterdir():
        if entry.name != "logos":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for release in (site / "content" / "releases").rglob("*.md"):
        if "2019-04-29" not in release.name:
            release.unlink()
    return site


def _size(root: Path) -> int:
    """The room the tree takes on a file system: whole blocks, folders included (many small search files)."""
    return sum(max(p.stat().st_blocks * 512, 4096) for p in root.rglob("*"))


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[tuple[Path, Path, int]]:
    """A real, tiny file system (root only) holding a small previous site, with little room to spare.

    Yields the mount point, the tiny site and the file system's size in bytes."""
    tiny = _tiny_site(tmp_path)
    trial = tmp_path / "trial"
    built = subprocess.run(build_args(tiny, trial), env=env(), capture_output=True, text=True, timeout=120,
                           check=False)
    assert built.returncode == 0, built.stderr
    # Room for the site twice (the build stages a copy beside it, and tools may keep temporary
    # files there) plus a margin – but never for a document of that size on top.
    size = (3 * _size(trial) // 1024 + 512) * 1024
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()}); "
                    "the injected write failures above still run")
    try:
        first = subprocess.run(build_args(tiny, mount_point / "output"), env=env(), capture_output=True,
                               text=True, timeout=120, check=False)
        assert first.returncode == 0, first.stderr
        yield mount_point, tiny, size
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_really_full_disk_keeps_the_previous_site(sites: dict[str, Path],
                                                    small_tmpfs: tuple[Path, Path, int]) -> None:
    disk, _tiny, size = small_tmpfs
    target = disk / "output"
    before = tree_hash(target)
    # The new site: the whole demo plus a document larger than the whole disk.
    big = sites["new"]
    filler = big / "content" / "media" / "grosses-dokument.pdf"
    filler.write_bytes(b"%PDF-1.4\n" + os.urandom(size + 1024 * 1024))
    release = big / "content" / "releases" / "2026" / "2026-11-25-neue-meldung.md"
    original = release.read_text(encoding="utf-8")
    try:
        release.write_text(original.replace("tags: [Test]\n", "tags: [Test]\nattachments:\n"
                                            "  - src: grosses-dokument.pdf\n    title: Dokument\n"),
                           encoding="utf-8")
        result = subprocess.run(build_args(big, target), env=env(), capture_output=True, text=True,
                                timeout=120, check=False)
    finally:
        release.write_text(original, encoding="utf-8")
        filler.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr, result.stderr
    assert tree_hash(target) == before


def test_a_read_only_output_folder_keeps_the_previous_site(sites: dict[str, Path],
                                                           small_tmpfs: tuple[Path, Path, int]) -> None:
    """Root ignores file modes, so the proof uses a file system mounted read-only."""
    disk, _tiny, _size = small_tmpfs
    target = disk / "output"
    before = tree_hash(target)
    remount = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, check=False)
    assert remount.returncode == 0, remount.stderr
    result = subprocess.run(build_args(sites["new"], target), env=env(), capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Read-only file system" in result.stderr, result.stderr
    assert tree_hash(target) == before


def test_an_unwritable_output_folder_gives_a_clear_error(sites: dict[str, Path], tmp_path: Path) -> None:
    """Injected EROFS/EACCES for machines where mounting is not allowed."""
    target = tmp_path / "server" / "output"
    install_previous_site(sites, target)
    before = tree_hash(target)
    result = subprocess.run(
        build_args(sites["new"], target), capture_output=True, text=True, timeout=120, check=False,
        env=env(PYTHONPATH=f"{FAULTS_HOOK}{os.pathsep}{REPO}", PRESSROOM_FAIL_WRITES_AFTER="0",
                PRESSROOM_FAIL_ERRNO="EACCES"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Permission denied" in result.stderr, result.stderr
    assert tree_hash(target) == before
