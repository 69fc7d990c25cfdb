"""`--now` and the site's time zone: a broken `timezone` in site.toml is a site.toml error, never a guess.

A time without an offset is read in the site's zone; when site.toml cannot name one,
every command reports `site.toml:N: error` (exit 1) together with the site's other
problems, and leaves the previous output as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

TYPO = 'site.toml:3: error: "Europe/Berln" is not an IANA time zone name such as "Europe/Berlin"'


def only_the_typo(stderr: str) -> bool:
    """The report names the typo in site.toml, with its line, and nothing else (a suggestion may follow)."""
    lines = stderr.splitlines()
    # build says what it left alone, check what it looked at
    return len(lines) == 2 and lines[0].startswith(TYPO) and (
        lines[1] == "1 error; nothing was written"
        or (lines[1].startswith("checked ") and lines[1].endswith(": 1 error, 0 warnings")))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def set_timezone(site: Path, value: str) -> None:
    path = site / "site.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('timezone = "Europe/Berlin"', f"timezone = {value}"),
                    encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = minimal_site(tmp_path / "site")
    write_release(site, "unfall", "id: unfall\ntitle: Unfall in Buer\ndate: 2026-11-20T10:00:00+01:00\n"
                  "authority: polizei-test")
    return site


@pytest.mark.parametrize("now", ["2026-11-21T10:00", "2026-11-21", "2026-11-21 10:00", "2026-11-21T10:00:00+01:00",
                                 "2026-11-21T09:00:00Z"])
def test_a_timezone_typo_is_a_site_toml_error_with_now_and_the_output_stays(site: Path, now: str) -> None:
    out = site / "output"
    assert run_pressroom("build", site, "--now", "2026-11-21T10:00", "--quiet").returncode == 0
    before = snapshot(out)
    set_timezone(site, '"Europe/Berln"')
    result = run_pressroom("build", site, "--now", now)
    assert result.returncode == 1
    assert only_the_typo(result.stderr), result.stderr
    assert snapshot(out) == before


@pytest.mark.parametrize("args", [
    ("check", "{site}", "--now", "2026-11-21T10:00"),
    ("build", "{site}", "--next", "--now", "2026-11-21T10:00"),
    ("new", "--site", "{site}", "--authority", "polizei-test", "--now", "2026-11-21T10:00", "Unfall in Horst"),
])
def test_every_command_reports_the_typo_with_its_line(site: Path, args: tuple[str, ...]) -> None:
    set_timezone(site, '"Europe/Berln"')
    result = run_pressroom(*(a.format(site=site) for a in args))
    assert result.returncode == 1
    assert only_the_typo(result.stderr), result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in (site / "content/releases").rglob("*.md")) == ["unfall.md"]  # `new` wrote nothing


def test_check_json_reports_the_typo_as_json(site: Path) -> None:
    set_timezone(site, '"Europe/Berln"')
    result = run_pressroom("check", site, "--format", "json", "--now", "2026-11-21T10:00")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert [(e["path"], e["line"], e["severity"]) for e in document["errors"]] == [("site.toml", 3, "error")]
    assert document["errors"][0]["message"].startswith('"Europe/Berln" is not an IANA time zone name')
    assert document["summary"]["ok"] is False


@pytest.mark.parametrize("value", ['"../../../etc/passwd"', '""', "5", "[1, 2]"])
def test_other_broken_timezones(site: Path, value: str) -> None:
    set_timezone(site, value)
    result = run_pressroom("build", site, "--now", "2026-11-21T10:00")
    assert result.returncode == 1
    *problems, summary = result.stderr.splitlines()
    # (the wording is site.toml's business; the point is that site.toml speaks, at the line of the zone)
    assert problems and all(line.startswith("site.toml:3: error: ") for line in problems)
    assert "Traceback" not in result.stderr
    assert summary.endswith("; nothing was written")


def test_the_typo_comes_together_with_the_other_errors(site: Path) -> None:
    set_timezone(site, '"Europe/Berln"')
    write_release(site, "kaputt", "id: kaputt\ntitle: Kaputt\ndate: 2026-11-20\nauthority: polizei-tset")
    result = run_pressroom("build", site, "--now", "2026-11-21T10:00")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == ('content/releases/kaputt.md:5: error: unknown authority "polizei-tset" (did you mean '
                        "polizei-test (POL-TS)?); write the id, one of: feuerwehr-test (FW-TS), polizei-test (POL-TS)")
    assert lines[1].startswith(TYPO)
    assert lines[2:] == ["2 errors; nothing was written"]


def test_a_time_without_offset_is_read_in_the_site_timezone(site: Path) -> None:
    set_timezone(site, '"America/New_York"')
    write_release(site, "bald", "id: bald\ntitle: Bald\ndate: 2026-11-21T10:00:00+00:00\nauthority: polizei-test")
    # 09:00 in New York is 14:00 UTC: the release of 10:00 UTC is out already (in Berlin it would still be due).
    result = run_pressroom("build", site, "--next", "--now", "2026-11-21T09:00")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    result = run_pressroom("build", site, "--next", "--now", "2026-11-21T04:00")  # 09:00 UTC
    assert (result.returncode, result.stdout) == (0, "2026-11-21T10:00:00+00:00\n")


@pytest.mark.parametrize("now", ["garbage", "2026-13-01", "2026-03-29T02:30"])
def test_a_now_that_is_no_time_is_a_usage_error(site: Path, now: str) -> None:
    # 2026-03-29T02:30 does not exist in Europe/Berlin (clocks skip that hour).
    result = run_pressroom("build", site, "--now", now)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith("pressroom: error: --now: ")
    assert "Traceback" not in result.stderr
