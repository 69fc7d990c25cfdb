"""Every command, started as a user starts it (a new `python -m generator`), does what the tests see.

The suite runs most commands in children forked from a server that imported Pressroom once
(tests/support/forkserver.py). Here each command runs in a newly started interpreter too, in a
fresh copy of the same site: exit code, stdout, stderr and the files written must be the same.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_fresh_python, run_pressroom
from tests.support.sites import minimal_site, write_release

NOW = "2026-11-26T12:00:00+01:00"


def _site(root: Path) -> Path:
    site = minimal_site(root / "presse", f'\n[deploy]\ntarget = "{root / "web"}"\n')
    write_release(site, "2026/2026-11-20-unfall", "id: pol-ts-1\ntitle: Unfall auf der Hauptstraße\n"
                  "date: 2026-11-20 10:00\nauthority: polizei-test\ntags: [Verkehr]\n")
    write_release(site, "2026/2026-11-21-kaputt", "title: Ohne Behörde\ndate: 2026-11-21 10:00\n")
    return site


def _fix(site: Path) -> None:
    (site / "content/releases/2026/2026-11-21-kaputt.md").unlink()


def _tree(root: Path) -> dict[str, bytes]:
    # Not the cache, nor the state a build keeps beside its output (it names this tree's file times).
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".pressroom-cache" not in p.parts and not p.name.startswith(".output.")}


# (name, how to prepare the site, the command line with {site} and {root}, its exit code)
COMMANDS = [
    ("build with an error", None, ("build", "{site}", "--now", NOW), 1),
    ("build", _fix, ("build", "{site}", "--now", NOW, "--quiet"), 0),
    ("check", None, ("check", "{site}", "--now", NOW, "--format", "json"), 1),
    ("new", _fix, ("new", "--site", "{site}", "--authority", "polizei-test", "--now", NOW, "Neue Meldung"), 0),
    ("init", None, ("init", "{root}/neu", "--name", "Stadt Teststadt", "--code", "STADT-TS", "--city", "Teststadt",
                    "--base-url", "https://presse.example.org/", "--email", "presse@stadt.example.org"), 0),
    ("deploy", _fix, ("deploy", "{site}", "--dry-run"), 0),
    ("serve with a wrong --now", None, ("serve", "{site}", "--port", "0", "--now", "gestern"), 2),
    ("a usage error", None, ("build", "{site}", "--jobs", "viele"), 2),
]


@pytest.mark.parametrize(("prepare", "command", "exit_code"), [c[1:] for c in COMMANDS], ids=[c[0] for c in COMMANDS])
def test_a_new_interpreter_and_a_forked_child_do_the_same(tmp_path: Path, prepare: Callable[[Path], None] | None,
                                                          command: tuple[str, ...], exit_code: int) -> None:
    template = _site(tmp_path / "template")
    if prepare is not None:
        prepare(template)
    if command[0] == "deploy":
        assert run_pressroom("build", template, "--now", NOW, "--quiet").returncode == 0
    results = []
    for name, runner in (("fresh", run_fresh_python), ("forked", run_pressroom)):
        root = tmp_path / name
        shutil.copytree(template.parent, root)
        args = [a.format(site=root / "presse", root=root) for a in command]
        done = runner(*args)
        results.append((done.returncode, done.stdout.replace(str(root), "ROOT"),
                        done.stderr.replace(str(root), "ROOT"), _tree(root)))
    fresh, forked = results
    assert fresh == forked
    assert fresh[0] == exit_code
    assert "Traceback" not in fresh[2]
    assert fresh[1] or fresh[2] or "presse/output/index.html" in fresh[3]  # each says or writes something
