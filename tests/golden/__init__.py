"""A fixture site and its expected output, compared file by file.

Refresh the expected output after an intended change with `make golden`
(`python -m tests.golden refresh`), then review the diff in git.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
EXPECTED = HERE / "expected"
NOW = "2024-08-15T12:00:00+02:00"
# Search index files are binary and versioned by Pagefind itself; they are tested elsewhere.
IGNORED_PREFIXES = ("pagefind/",)


def build(output: Path) -> None:
    from generator.commands.cli import main

    code = main(["build", str(SITE), "-o", str(output), "--now", NOW, "--quiet", "--jobs", "1"])
    if code != 0:
        raise SystemExit(f"the golden site did not build (exit {code})")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(IGNORED_PREFIXES)}


def refresh() -> None:
    shutil.rmtree(EXPECTED, ignore_errors=True)
    build(EXPECTED)
    for path in EXPECTED.rglob("pagefind"):
        shutil.rmtree(path, ignore_errors=True)
    print(f"refreshed {EXPECTED}")

