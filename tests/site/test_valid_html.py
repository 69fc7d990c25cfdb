"""Every HTML page of the demo site and of a generated 200-release site is valid
HTML according to the Nu Html Checker (vnu), in one Java run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_NOW, run_pressroom
from tests.support.corpus import write_releases, write_site
from tests.support.vnu import format_errors, validate_html, vnu_available

# The shared benchmark's corpus generator, beside the clone (it writes conference reports' events).
MAKE_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "bench" / "make_corpus.py"

pytestmark = pytest.mark.skipif(not vnu_available(), reason="needs java and node_modules/vnu-jar")


@pytest.fixture(scope="module")
def corpus_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("corpus") / "site"
    if MAKE_CORPUS.is_file():
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--releases", "200", "--out", str(site)],
                       check=True, stdout=subprocess.DEVNULL)
    else:  # a clone without the shared benchmark beside it: the project's own generated site
        write_site(site)
        write_releases(site, 200)
    out = site / "output"
    result = run_pressroom("build", site, "-o", out, "--now", DEMO_NOW, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def test_every_html_page_is_valid(demo_output: Path, corpus_output: Path) -> None:
    demo_pages = sorted(demo_output.rglob("*.html"))
    corpus_pages = sorted(corpus_output.rglob("*.html"))
    assert len(demo_pages) > 50
    assert len(corpus_pages) > 200
    errors = validate_html([*demo_pages, *corpus_pages])
    assert not errors, format_errors(errors)
