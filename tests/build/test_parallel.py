"""Work split over forked processes comes back complete, in order, and with its errors."""

from __future__ import annotations

import os
import time

import pytest

from generator.build.parallel import map_slices, slices


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
