"""Progress on a terminal, silence in a pipe, and the summary line at the end."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import DEMO_NOW, REPO, run_pressroom
from tests.support.corpus import write_releases, write_site


def _site(root: Path) -> Path:
    site = root / "site"
    write_site(site)
    write_releases(site, 300)
    return site


def test_a_terminal_sees_counts_and_stages(tmp_path: Path) -> None:
    site = _site(tmp_path)
    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "120", "TERM": "xterm"}
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", str(site), "--now", DEMO_NOW,
                                "--no-search"], stdin=secondary, stdout=secondary, stderr=secondary, env=env)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed: the build has ended
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=120) == 0, seen.decode(errors="replace")
    text = seen.decode(errors="replace")
    assert "Reading releases" in text and "Rendering pages" in text
    assert "/300" in text or "300/300" in text  # counts out of the total
    assert "300 published" in text


def test_a_pipe_gets_only_the_summary(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run_pressroom("build", site, "--now", DEMO_NOW, "--no-search")
    assert result.returncode == 0, result.stderr
    # No progress display in a pipe: stderr carries only check's warnings, as build ends with them.
    warnings = result.stderr.splitlines()
    assert warnings[0].endswith("warnings (published all the same):"), result.stderr
    assert all(line.startswith("  content/releases/") or line.startswith("  … and ") for line in warnings[1:]), (
        result.stderr)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("300 published, 0 scheduled, 0 withdrawn, 0 drafts;")
    assert "pages rendered" in lines[0] and " s → " in lines[0]
    assert lines[-1].startswith("next due:")


def test_quiet_prints_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run_pressroom("build", site, "--now", DEMO_NOW, "--no-search", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
