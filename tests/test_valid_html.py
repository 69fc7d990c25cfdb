"""Every HTML page of the demo site and of a generated 200-release site is valid
HTML according to the Nu Html Checker (vnu), in one Java run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_NOW, run_pressroom
from tests.support.vnu import format_errors, validate_html, vnu_available

MAKE_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_corpus.py"  # beside the clone

pytestmark = pytest.mark.skipif(not vnu_available(), reason="needs java and node_modules/vnu-jar")


def _give_conference_reports_an_event(site: Path) -> None:
    """The bench corpus writes conference reports without the `event` the spec requires;
    add one, so that the corpus builds and the event block gets validated too."""
    for path in sorted((site / "content" / "releases").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "kind: conference-report" in text and "\nevent:" not in text:
            date = re.search(r"(?m)^date: (\S+)", text)
            assert date is not None
            event = (f"kind: conference-report\nevent:\n  name: Sicherheitskonferenz\n  start: {date[1]}\n"
                     "  venue: Rathaus\n  participants: [Polizei, Stadt]\n  agenda: [Lage, Ausblick]")
            path.write_text(text.replace("kind: conference-report", event, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def corpus_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not MAKE_CORPUS.is_file():
        pytest.skip(f"{MAKE_CORPUS} is not on this machine")
    site = tmp_path_factory.mktemp("corpus") / "site"
    subprocess.run([sys.executable, str(MAKE_CORPUS), "--releases", "200", "--out", str(site)],
                   check=True, capture_output=True, timeout=120)
    _give_conference_reports_an_event(site)
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
