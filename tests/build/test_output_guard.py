"""The output folder is the only thing a build may ever replace (issue 13).

Every case runs on real folders with real user files, twice in a row: the loss a wrong
`-o` caused showed on the second build, when the first one's replaced folder was swept.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

NOW = "2026-05-01T12:00:00+02:00"


def home_with_documents(root: Path) -> Path:
    """A home-like folder: documents, notes, and a site folder with a release and a theme override."""
    home = root / "home"
    (home / "Dokumente").mkdir(parents=True)
    (home / "Dokumente" / "brief.txt").write_text("Sehr geehrte Damen und Herren,\n", encoding="utf-8")
    (home / "Dokumente" / "steuer.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    (home / "notizen.txt").write_text("Einkaufen: Milch\n", encoding="utf-8")
    (home / "leer").mkdir()
    site = minimal_site(home / "site")
    write_release(site, "2026-04-30-unfall", "id: pol-1\ntitle: Unfall\ndate: 2026-04-30T10:00:00+02:00\n"
                  "authority: polizei-test")
    (site / "templates").mkdir()
    (site / "templates" / "notiz.txt").write_text("eine Datei des Themes\n", encoding="utf-8")
    return home


def user_files(home: Path, output: Path | None = None) -> dict[str, str]:
    """Every file and link under `home` with a hash of its bytes, except what a build into `output` makes."""
    def made(path: Path) -> bool:
        return path.name == ".pressroom-cache" or (output is not None and path.parent == output.parent and (
            path.name == output.name or path.name.startswith(f".{output.name}.")))

    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(home):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not made(here / d)]
        for path in (here / n for n in [*files, *dirs]):
            if made(path) or (path.is_dir() and not path.is_symlink()):
                continue
            found[path.relative_to(home).as_posix()] = (
                "link:" + os.readlink(path) if path.is_symlink() else hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def build(site: Path, *output: str | Path) -> tuple[int, str]:
    result = run_pressroom("build", site, *(("-o", output[0]) if output else ()), "--now", NOW, "--quiet",
                           "--no-search")
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


REFUSED = {
    "the site folder": ("site", "is the site folder itself"),
    "the site folder, written roundabout": ("Dokumente/../site/.", "is the site folder itself"),
    "the home folder around the site": (".", "contains the site folder"),
    "content/": ("site/content", "inside the site's content/ folder"),
    "a new folder inside content/": ("site/content/releases/neu", "inside the site's content/ folder"),
    "templates/": ("site/templates", "inside the site's templates/ folder"),
    "the build cache": ("site/.pressroom-cache/out", "inside the site's .pressroom-cache/ folder"),
    "a regular file": ("notizen.txt", "is a file, not a folder"),
    "a folder of documents": ("Dokumente", "a folder with files no Pressroom build made"),
    "a link to documents": ("link-dokumente", "is a symbolic link"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_an_output_that_holds_user_files_is_refused_twice_and_nothing_moves(tmp_path: Path, case: str) -> None:
    home = home_with_documents(tmp_path)
    (home / "link-dokumente").symlink_to(home / "Dokumente")
    relative, message = REFUSED[case]
    before = user_files(home)
    assert {"Dokumente/brief.txt", "notizen.txt", "site/templates/notiz.txt", "link-dokumente"} <= before.keys()
    for attempt in (1, 2):
        code, stderr = build(home / "site", home / relative)
        assert code == 2, (attempt, stderr)
        assert len(stderr.strip().splitlines()) == 1, stderr
        assert stderr.startswith("pressroom: error: the output ") and message in stderr, stderr
        assert user_files(home) == before, f"attempt {attempt} changed a user file"
    assert not any(p.name.startswith(".") and p.name.endswith(".lock") for p in home.rglob("*"))


def test_a_link_to_a_pressroom_output_is_refused_too(tmp_path: Path) -> None:
    """A build would replace the link by a folder (and a deployment relying on it would break silently)."""
    home = home_with_documents(tmp_path)
    assert build(home / "site", home / "www")[0] == 0
    (home / "ausgabe").symlink_to(home / "www")
    before = user_files(home)
    for _ in (1, 2):
        code, stderr = build(home / "site", home / "ausgabe")
        assert code == 2 and "is a symbolic link" in stderr and str(home / "www") in stderr, stderr
        assert user_files(home) == before


ACCEPTED = {
    "an empty folder": "leer",
    "a missing folder": "neu/ausgabe",
    "the default SITE/output": None,
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_an_empty_missing_or_default_output_is_built_twice_and_user_files_stay(tmp_path: Path, case: str) -> None:
    home = home_with_documents(tmp_path)
    relative = ACCEPTED[case]
    output = home / relative if relative else home / "site" / "output"
    before = user_files(home, output)
    for attempt in (1, 2):
        code, stderr = build(home / "site", *((output,) if relative else ()))
        assert code == 0, (attempt, stderr)
        assert (output / "_server" / "published.txt").is_file()
        assert (output / "meldung" / "2026-04-30-unfall" / "index.html").is_file()
        assert user_files(home, output) == before, f"build {attempt} changed a user file"


def test_a_previous_pressroom_output_is_replaced_and_its_leftovers_swept(tmp_path: Path) -> None:
    home = home_with_documents(tmp_path)
    output = home / "www"
    assert build(home / "site", output)[0] == 0
    before = user_files(home, output)
    (output / "stale.html").write_text("from an older build", encoding="utf-8")
    for attempt in (1, 2):
        code, stderr = build(home / "site", output)
        assert code == 0, (attempt, stderr)
        assert not (output / "stale.html").exists()
        assert user_files(home, output) == before
    # Beside it: the lock, the state of the output and the spare it vouches for (the site before,
    # which the next build brings up to date); a sweep or trash only while an old tree is removed.
    beside = {p.name for p in home.iterdir() if p.name.startswith(".www.")}
    assert {".www.lock", ".www.state"} <= beside <= {
        ".www.lock", ".www.spare", ".www.state", ".www.sweep", ".www.trash"}, beside


@pytest.mark.parametrize("side", ["old", "trash", "sweep", "staging", "spare"])
def test_a_user_folder_where_a_build_keeps_its_leftovers_is_not_removed(tmp_path: Path, side: str) -> None:
    home = home_with_documents(tmp_path)
    output = home / "www"
    assert build(home / "site", output)[0] == 0
    beside = home / f".www.{side}"
    beside.mkdir()
    (beside / "tagebuch.txt").write_text("privat\n", encoding="utf-8")
    before = user_files(home)
    for _ in (1, 2):
        code, stderr = build(home / "site", output)
        assert code == 2 and f"{beside} is beside the output" in stderr, stderr
        assert len(stderr.strip().splitlines()) == 1
        assert user_files(home) == before


def test_check_refuses_the_same_outputs(tmp_path: Path) -> None:
    home = home_with_documents(tmp_path)
    for relative, message in (REFUSED["a folder of documents"], REFUSED["the site folder"]):
        result = run_pressroom("check", home / "site", "-o", home / relative, "--now", NOW)
        assert result.returncode == 2 and message in result.stderr, result.stderr
    assert run_pressroom("check", home / "site", "-o", home / "leer", "--now", NOW).returncode == 0
