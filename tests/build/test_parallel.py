"""Work split over forked processes comes back complete, in order, and with its errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build.parallel import map_slices, slices
from tests.conftest import REPO
from tests.support.corpus import BERLIN, write_releases, write_site


def numbers(start: int, end: int) -> list[tuple[int, int]]:
    return [(n, os.getpid()) for n in range(start, end)]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_back_complete_and_in_order(jobs: int) -> None:
    found = [item for batch in map_slices(numbers, 1000, jobs) for item in batch]
    assert [n for n, _ in found] == list(range(1000))
    workers = {pid for _, pid in found}
    # One job works in this process; more work in forked ones (how many get a slice is up to the pool).
    assert (workers == {os.getpid()}) if jobs == 1 else (os.getpid() not in workers)


def test_finished_results_can_be_taken_while_the_rest_runs() -> None:
    def slow(start: int, end: int) -> list[int]:
        time.sleep(0.05)
        return list(range(start, end))

    running = map_slices(slow, 640, 2)
    taken: list[int] = []
    deadline = time.monotonic() + 30
    while not taken and time.monotonic() < deadline:
        taken += [n for batch in running.ready() for n in batch]
        time.sleep(0.01)
    assert taken and taken == list(range(len(taken)))  # a prefix, in order
    rest = [n for batch in running for n in batch]
    assert taken + rest == list(range(640))


def test_an_error_in_a_worker_reaches_the_caller() -> None:
    def failing(start: int, end: int) -> list[int]:
        if start <= 500 < end:
            raise ValueError("broken slice")
        return list(range(start, end))

    with pytest.raises(ValueError, match="broken slice"):
        list(map_slices(failing, 1000, 2))


def test_slices_cover_the_range_without_overlap() -> None:
    for count in (0, 1, 31, 32, 1000, 12345):
        bounds = slices(count, 2)
        assert [n for start, end in bounds for n in range(start, end)] == list(range(count))


def _session(leader: int) -> set[int]:
    """The processes still alive in the session `leader` started."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[3]) == leader:  # state, …, session id
                found.add(int(entry))
    return found


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return f"{pid} (gone)"


@pytest.mark.parametrize("stage", ["first workers", "search index"])
def test_a_killed_build_leaves_no_worker_behind(tmp_path: Path, stage: str) -> None:
    """SIGKILL runs no clean-up: the build's workers (reading, rendering, the search index) end
    with it, at once and without a word (they used to die later of a broken pipe, each printing
    a traceback to the terminal)."""
    site = tmp_path / "site"
    write_site(site)
    write_releases(site, 900, start=dt.datetime(2020, 1, 1, tzinfo=BERLIN), days=1500)
    staging = tmp_path / ".out.staging" / "meldung"
    build = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(site), "-o", str(tmp_path / "out"), "--jobs", "2",
         "--now", "2026-11-01T00:00:00+01:00", "--quiet"], env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        seen: set[int] = set()  # the workers before the search index's
        while True:
            assert time.monotonic() < deadline and build.poll() is None, "no worker of that stage was seen"
            workers = _session(build.pid) - {build.pid}
            if stage == "first workers" and workers:
                time.sleep(0.5)  # well into their work
                break
            if stage == "search index":
                if sum(1 for _ in staging.glob("*/index.html")) < 900:
                    seen |= workers
                elif workers - seen:
                    break
            time.sleep(0.005)
        os.kill(build.pid, signal.SIGKILL)
        _, err = build.communicate(timeout=30)  # until every process holding its stderr is gone
        assert err == ""
        deadline = time.monotonic() + 10  # a process that closed its files may not have ended quite yet
        while _session(build.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _session(build.pid) == set(), [_command(pid) for pid in _session(build.pid)]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
