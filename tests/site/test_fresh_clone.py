"""`make site` in a fresh clone: the quick start works, quietly, and installs only what runs Pressroom.

The clone is of the committed repository (what a new press office gets); pip may take the wheels
from its cache, or from PyPI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

# What setuptools and the old distutils print about a project's own configuration (pyproject.toml):
# "SetuptoolsDeprecationWarning: …", "warning: no files found matching …", the "!!" banners.
# pip's own notes about the machine ("WARNING: Location … is ignored") are not the project's.
OUR_WARNINGS = re.compile(r"Setuptools\w*Warning|setuptools|pyproject\.toml|^\s*warning:|^\s*!!\s*$",
                          re.MULTILINE)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None, reason="needs git and make")
def test_make_site_in_a_fresh_clone_prints_no_warning_of_ours_and_ends_with_the_command(tmp_path: Path) -> None:
    clone = tmp_path / "pressroom"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", REPO.as_uri(), str(clone)], check=True,
                   capture_output=True, timeout=120)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    python = Path(sys.base_prefix) / "bin" / "python3"
    done = subprocess.run(["make", "site", f"PYTHON={python if python.is_file() else sys.executable}"],
                          cwd=clone, env=env, capture_output=True, text=True, timeout=900, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert OUR_WARNINGS.findall(output) == [], output
    assert "    .venv/bin/pressroom --help" in done.stdout.splitlines()
    assert (clone / "output" / "index.html").is_file()
    # Only what running Pressroom needs: none of the test tools.
    assert (clone / ".venv" / "bin" / "pressroom").is_file()
    assert not any((clone / ".venv" / "bin" / tool).exists() for tool in ("pytest", "ruff", "mypy", "lint-imports"))
