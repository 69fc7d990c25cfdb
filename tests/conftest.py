"""Shared fixtures: the repository's demo site and a way to run the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO_NOW = "2026-11-26T12:00:00+01:00"

# The demo site is German, so its messages would be too: the suite reads them in English, whatever
# the machine's locale (GNU gettext's LANGUAGE, which Pressroom reads first, changes no other program).
# tests/commands/test_messages_i18n.py runs the command without it to prove the German ones.
os.environ["LANGUAGE"] = "en"


def run_pressroom(*args: str | Path, cwd: Path | None = None,
                  timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m generator …` in a child process, as a user would run it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site built once at a fixed moment."""
    out = tmp_path_factory.mktemp("demo") / "output"
    result = run_pressroom("build", REPO, "-o", out, "--now", DEMO_NOW, "--quiet")
    assert result.returncode == 0, result.stderr
    return out
