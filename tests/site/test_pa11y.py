"""pa11y with HTML_CodeSniffer (WCAG 2 AA) finds no error on any page type of the demo, and
no warning either, but the ones looked at and named here with why they do not apply."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.site.test_browser import PAGES
from tests.support.browser import serve_directory

RUNNER = REPO / "tests" / "support" / "pa11y_pages.mjs"
PA11Y = REPO / "node_modules" / "pa11y"

pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    not (PA11Y.is_dir() and shutil.which("node") and Path("/usr/bin/chromium").exists()),
    reason="needs node, node_modules/pa11y (make test-deps) and Debian's chromium")]

# Warnings HTML_CodeSniffer gives for what it cannot decide by itself; each was looked at.
EXPLAINED: dict[str, str] = {
    "WCAG2AA.Principle1.Guideline1_1.1_1_1.H67.2":
        "an authority's logo has an empty alt on purpose: its name stands right beside it (WCAG H2)",
    "WCAG2AA.Principle1.Guideline1_3.1_3_1.H48":
        "a sentence with a few links ('Abonnieren: RSS · Atom', links in a legal page's text) is not a "
        "navigation section; the site's navigation is in lists",
    "WCAG2AA.Principle1.Guideline1_3.1_3_1.H39.3.NoCaption":
        "a table written in a release's Markdown: Markdown has no caption, the text around it says what it is",
    "WCAG2AA.Principle1.Guideline1_3.1_3_1.H85.2":
        "the search filters' options (authorities, topics, places, years) are one flat list each; there are "
        "no groups to give optgroup",
}


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[dict[str, str]]]]:
    site = tmp_path_factory.mktemp("pa11y")
    from tests.conftest import DEMO_NOW, run_pressroom

    shutil.copytree(REPO / "content", site / "site" / "content")
    shutil.copy(REPO / "site.toml", site / "site" / "site.toml")
    toml = (site / "site" / "site.toml").read_text(encoding="utf-8").replace("per_page = 20", "per_page = 3")
    (site / "site" / "site.toml").write_text(toml, encoding="utf-8")
    out = site / "out"
    built = run_pressroom("build", site / "site", "-o", out, "--now", DEMO_NOW, "--quiet")
    assert built.returncode == 0, built.stderr
    with serve_directory(out) as base:
        urls = [base + path for name, path in PAGES.items() if name != "not-found" and (out / path).is_dir()]
        done = subprocess.run(["node", str(RUNNER), *urls], capture_output=True, text=True, timeout=600,
                              cwd=REPO, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        yield {url.removeprefix(base): issues for url, issues in json.loads(done.stdout).items()}


def test_every_page_type_was_checked(found: dict[str, list[dict[str, str]]]) -> None:
    assert len(found) >= 20, sorted(found)


def test_no_page_has_a_pa11y_error(found: dict[str, list[dict[str, str]]]) -> None:
    errors = {page: [f"{i['code']}: {i['message']} ({i['selector']})" for i in issues if i["type"] == "error"]
              for page, issues in found.items()}
    assert {page: e for page, e in errors.items() if e} == {}


def test_every_warning_is_one_that_was_looked_at(found: dict[str, list[dict[str, str]]]) -> None:
    unexplained = {page: sorted({i["code"] for i in issues if i["type"] == "warning"} - set(EXPLAINED))
                   for page, issues in found.items()}
    assert {page: codes for page, codes in unexplained.items() if codes} == {}
