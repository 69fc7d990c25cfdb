"""Every kind of bad input gets `path:line: error: …`, exit 1, no traceback, and the old site stays."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_pressroom

NOW = "2026-11-26T12:00:00+01:00"

SITE_TOML = 'title = "Testpresse"\nbase_url = "https://presse.example.org/"\n'
AUTHORITIES = """\
polizei-test:
  name: Polizei Teststadt
  code: POL-TS
  city: Teststadt
  contact:
    phone: 01234 / 5678
    email: presse@polizei.example.org
feuerwehr-test:
  name: Feuerwehr Teststadt
  code: FW-TS
  city: Teststadt
"""
GOOD = """\
---
id: pol-ts-1
title: Eine gute Meldung
date: 2026-01-05T10:00:00+01:00
authority: polizei-test
tags: [Einbruch]
---

Ein Absatz.
"""


def make_site(root: Path) -> Path:
    (root / "content" / "releases" / "2026").mkdir(parents=True)
    (root / "content" / "media").mkdir()
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    (root / "content" / "authorities.yaml").write_text(AUTHORITIES, encoding="utf-8")
    (root / "content" / "releases" / "2026" / "2026-01-05-gut.md").write_text(GOOD, encoding="utf-8")
    (root / "content" / "media" / "foto.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    return root


def release(front: str, body: str = "Text.\n") -> str:
    return f"---\n{front}---\n\n{body}"


BASE = "title: Test\ndate: 2026-01-06 10:00\nauthority: polizei-test\n"

# (name, file name under content/releases/2026, content (str or bytes), expected line, message fragment)
CASES: list[tuple[str, str, str | bytes, int, str]] = [
    ("missing title", "a.md", release("date: 2026-01-06\nauthority: polizei-test\n"), 1, '"title" is required'),
    ("empty title", "a.md", release('title: ""\ndate: 2026-01-06\nauthority: polizei-test\n'), 2,
     '"title" is required'),
    ("bad yaml", "a.md", release("title: [unclosed\ndate: 2026-01-06\n"), 3, "not valid YAML"),
    ("no front matter", "a.md", "Nur Text ohne Kopf.\n", 1, "no front matter"),
    ("empty file", "a.md", "", 1, "the file is empty"),
    ("not utf-8", "a.md", "---\ntitle: Stra\xdfe\n---\n".encode("latin-1"), 2, "not UTF-8"),
    ("unknown key", "a.md", release(BASE + "titel: Tippfehler\n"), 5, 'did you mean "title"'),
    ("not a date", "a.md", release("title: T\ndate: gestern\nauthority: polizei-test\n"), 3,
     "not a date Pressroom reads"),
    ("date that does not exist", "a.md", release("title: T\ndate: 2019-02-30\nauthority: polizei-test\n"), 3,
     "not a valid date"),
    ("date in the DST gap", "a.md", release("title: T\ndate: 2026-03-29 02:30\nauthority: polizei-test\n"), 3,
     "does not exist in Europe/Berlin"),
    ("unknown authority", "a.md", release("title: T\ndate: 2026-01-06\nauthority: polizei-tset\n"), 4,
     "did you mean polizei-test (POL-TS)?"),
    ("image without alt", "a.md", release(BASE + "images:\n  - src: foto.jpg\n"), 6, '"alt" is required'),
    ("src leaving the site", "a.md", release(BASE + "images:\n  - src: ../../../../../etc/passwd\n    alt: x\n"), 6,
     "leaves the site folder"),
    ("src that does not exist", "a.md", release(BASE + "attachments:\n  - src: fehlt.pdf\n"), 6, "does not exist"),
    ("appeal without expires", "a.md", release(BASE + "kind: appeal\n"), 5, 'needs "expires"'),
    ("conference report without event", "a.md", release(BASE + "kind: conference-report\n"), 5, 'needs an "event"'),
    ("tags as a mapping", "a.md", release(BASE + "tags: {a: b}\n"), 5, "must be a list"),
    ("date as a list", "a.md", release("title: T\ndate: [2026-01-06]\nauthority: polizei-test\n"), 3,
     "expected a date"),
    ("duplicate id", "a.md", release(BASE + "id: pol-ts-1\n"), 5, "already used by"),
    ("two releases on one URL", "../2027/2026-01-05-gut.md", release(BASE), 1, "is already the address of"),
    ("alias on a release URL", "a.md", release(BASE + "aliases: [/meldung/2026-01-05-gut/]\n"), 5,
     "is already the address of"),
    ("follows an unknown id", "a.md", release(BASE + "follows: pol-ts-2\n"), 5, 'no release has that id'),
    ("contact without phone or e-mail", "a.md",
     release("title: T\ndate: 2026-01-06\nauthority: feuerwehr-test\ncontact:\n  name: Nur Name\n"), 5,
     "neither phone nor e-mail"),
    ("expires before date", "a.md", release(BASE + "kind: appeal\nexpires: 2026-01-01\n"), 6, "must be after"),
    ("appeal longer than allowed", "a.md", release(BASE + "kind: appeal\nexpires: 2026-12-01\n"), 6,
     "at most 90 days"),
]


def _tree(path: Path) -> dict[str, str]:
    return {p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The good site built once (site/, out/ and what the build keeps beside them) and its output's tree."""
    root = tmp_path_factory.mktemp("good")
    result = run_pressroom("build", make_site(root / "site"), "-o", root / "out", "--now", NOW, "--quiet")
    assert result.returncode == 0, result.stderr
    return root, _tree(root / "out")


@pytest.fixture
def built_site(good_build: tuple[Path, dict[str, str]], tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A copy of the good build for one test to break."""
    root, before = good_build
    shutil.copytree(root, tmp_path, symlinks=True, dirs_exist_ok=True)
    assert _tree(tmp_path / "out") == before
    return tmp_path / "site", tmp_path / "out", before


def _expect_failure(site: Path, out: Path, before: dict[str, str], shown: str, line: int, fragment: str) -> None:
    result = run_pressroom("build", site, "-o", out, "--now", NOW)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(rf"^{re.escape(shown)}:{line}: error: .*{re.escape(fragment)}", result.stderr, re.MULTILINE), \
        result.stderr
    assert _tree(out) == before, "a failed build changed the published site"
    check = run_pressroom("check", site, "--now", NOW)
    assert check.returncode == 1 and fragment in check.stderr


@pytest.mark.parametrize(("name", "file", "content", "line", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_bad_release(built_site: tuple[Path, Path, dict[str, str]], name: str, file: str, content: str | bytes,
                     line: int, fragment: str) -> None:
    site, out, before = built_site
    path = (site / "content" / "releases" / "2026" / file).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    _expect_failure(site, out, before, path.relative_to(site.resolve()).as_posix(), line, fragment)


SETTINGS_CASES: list[tuple[str, Callable[[Path], None], str, int, str]] = [
    ("unknown setting", lambda s: (s / "site.toml").write_text(SITE_TOML + 'titel = "x"\n', encoding="utf-8"),
     "site.toml", 3, 'did you mean "title"'),
    ("bad base_url", lambda s: (s / "site.toml").write_text('title = "T"\nbase_url = "presse"\n', encoding="utf-8"),
     "site.toml", 2, "absolute http(s) URL"),
    ("broken toml", lambda s: (s / "site.toml").write_text('title = "T\n', encoding="utf-8"), "site.toml", 1,
     "not valid TOML"),
    ("authority without code", lambda s: (s / "content" / "authorities.yaml").write_text(
        "polizei-test:\n  name: P\n  city: T\n  contact: {phone: '1'}\n", encoding="utf-8"),
     "content/authorities.yaml", 1, '"code" is required'),
    ("authority with a bad code", lambda s: (s / "content" / "authorities.yaml").write_text(
        "polizei-test:\n  name: P\n  code: pol ts\n  city: T\n  contact: {phone: '1'}\n", encoding="utf-8"),
     "content/authorities.yaml", 3, "capitals and digits"),
]


@pytest.mark.parametrize(("name", "change", "shown", "line", "fragment"), SETTINGS_CASES,
                         ids=[c[0] for c in SETTINGS_CASES])
def test_bad_settings(built_site: tuple[Path, Path, dict[str, str]], name: str, change: Callable[[Path], None],
                      shown: str, line: int, fragment: str) -> None:
    site, out, before = built_site
    change(site)
    _expect_failure(site, out, before, shown, line, fragment)


def test_all_errors_are_reported_together_in_a_stable_order(built_site: tuple[Path, Path, dict[str, str]]) -> None:
    site, out, _ = built_site
    folder = site / "content" / "releases" / "2026"
    (folder / "b.md").write_text(release("title: T\ndate: gestern\nauthority: polizei-test\n"), encoding="utf-8")
    (folder / "a.md").write_text(release(BASE + "titel: x\n"), encoding="utf-8")
    (site / "site.toml").write_text(SITE_TOML + "per_page = 0\n", encoding="utf-8")
    first = run_pressroom("build", site, "-o", out, "--now", NOW)
    second = run_pressroom("build", site, "-o", out, "--now", NOW)
    lines = [line for line in first.stderr.splitlines() if ": error: " in line]
    assert [line.split(":")[0] for line in lines] == [
        "content/releases/2026/a.md", "content/releases/2026/b.md", "site.toml"]
    assert first.stderr == second.stderr
    assert first.returncode == 1


def test_wrong_command_line_exits_2(tmp_path: Path) -> None:
    result = run_pressroom("build", "--jobs", "viele")
    assert result.returncode == 2
    result = run_pressroom("build", make_site(tmp_path / "s"), "--now", "morgen")
    assert result.returncode == 2 and "--now" in result.stderr
