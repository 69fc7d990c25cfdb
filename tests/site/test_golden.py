"""The fixture site under tests/golden builds to exactly the expected output."""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.golden import EXPECTED, build, files


def test_golden_site_matches_expected_output(tmp_path: Path) -> None:
    build(tmp_path / "out")
    actual = files(tmp_path / "out")
    expected = files(EXPECTED)
    assert sorted(actual) == sorted(expected), "files differ; if intended, run `make golden` and review"
    for name, data in expected.items():
        if actual[name] != data:
            diff = "\n".join(difflib.unified_diff(
                data.decode("utf-8", "replace").splitlines(), actual[name].decode("utf-8", "replace").splitlines(),
                f"expected/{name}", f"actual/{name}", lineterm="", n=2))
            raise AssertionError(f"{name} differs (run `make golden` if intended):\n{diff[:4000]}")
