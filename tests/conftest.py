"""Shared fixtures: the repository's demo site and a way to run the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.support.forkserver import Child, ForkServer, FreshChild

REPO = Path(__file__).resolve().parent.parent
DEMO_NOW = "2026-11-26T12:00:00+01:00"

# The demo site is German, so its messages would be too: the suite reads them in English, whatever
# the machine's locale (GNU gettext's LANGUAGE, which Pressroom reads first, changes no other program).
# tests/commands/test_messages_i18n.py runs the command without it to prove the German ones.
os.environ["LANGUAGE"] = "en"

def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with browser or slow tests first: each module runs on one worker (`--dist
    loadscope`), and a long one dealt out last would keep the other worker idle at the end."""
    heavy = {item.nodeid.split("::")[0] for item in items
             if item.get_closest_marker("browser") or item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in heavy)


# PRESSROOM_TEST_FRESH_PYTHON=1 starts a new interpreter for every command instead (slower, same results).
_FORKS = None if os.environ.get("PRESSROOM_TEST_FRESH_PYTHON") else ForkServer()


def run_pressroom(*args: str | Path, cwd: Path | None = None, timeout: float = 120,
                  environ: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m generator …` in a child process, as a user would run it, in this process's
    environment or in `environ` alone.

    The child is forked from a server that has imported Pressroom once (tests/support/forkserver.py):
    its own process, folder, environment and output, without a second of start-up each time."""
    env = {**(os.environ if environ is None else environ), "PYTHONPATH": str(REPO)}
    if _FORKS is not None:
        return _FORKS.run([str(a) for a in args], cwd, env, timeout)
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout, check=False)


def start_pressroom(*args: str | Path, cwd: Path | None = None,
                    environ: Mapping[str, str] | None = None) -> Child | FreshChild:
    """`python -m generator …` started and not waited for: poll(), kill(), wait(timeout), and the
    files `out` and `err` it writes to. While it runs, the fork server starts no other command."""
    env = {**(os.environ if environ is None else environ), "PYTHONPATH": str(REPO)}
    if _FORKS is not None:
        return _FORKS.start([str(a) for a in args], cwd, env)
    return FreshChild([str(a) for a in args], cwd, env)


def run_fresh_python(*args: str | Path, cwd: Path | None = None,
                     timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m generator …` in a newly started interpreter: for tests of the start itself."""
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
