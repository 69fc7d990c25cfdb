"""`pressroom new`: a file for each kind that check accepts and build publishes, never overwriting."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from pathlib import Path

import pytest
import yaml

from generator.commands.cli import main
from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

NOW = "2026-11-26T12:00:00+01:00"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return minimal_site(tmp_path / "site")


def new(site: Path, *args: str, now: str | None = NOW) -> Path:
    """`pressroom new` in this process (the same entry point as the command; quicker than a child)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["new", "--site", str(site), *args, *(("--now", now) if now else ())]) == 0
    path = Path(out.getvalue().strip())
    assert path.is_file(), out.getvalue()
    return path


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text.split("---\n")[1], Loader=yaml.BaseLoader)  # dates stay text
    assert isinstance(data, dict)
    return data


KINDS = {"press-release": "Straßensperrung in Buer: Umleitung", "appeal": "Vermisste Seniorin aus Hassel",
         "conference-report": "Sicherheitskonferenz im Präsidium"}


def test_each_kind_passes_check_and_is_published(site: Path, tmp_path: Path) -> None:
    made = {kind: new(site, "--authority", "polizei-test", "--kind", kind, title) for kind, title in KINDS.items()}

    assert made["press-release"] == site / "content/releases/2026/2026-11-26-strassensperrung-in-buer-umleitung.md"
    for number, (kind, path) in enumerate(made.items(), start=1):
        data = front_matter(path)
        assert data["id"] == f"pol-ts-2026-1126-{number}"
        assert data["title"] == KINDS[kind]
        assert data["date"] == "2026-11-26T12:00:00+01:00"
        assert data["authority"] == "polizei-test"
        assert data["kind"] == kind

        assert data["draft"] == "true"

    checked = run_pressroom("check", site, "--now", NOW)
    assert checked.returncode == 0, checked.stderr
    assert "error" not in checked.stderr
    # … but it reminds the writer of the placeholder text, at its line
    lines = {path: placeholder_line(path) for path in made.values()}
    for path, line in lines.items():
        shown = path.relative_to(site).as_posix()
        assert f"{shown}:{line}: warning: the draft still contains the placeholder" in checked.stderr

    # A draft is not published …
    out = tmp_path / "out"
    built = run_pressroom("build", site, "-o", out, "--now", NOW)
    assert built.returncode == 0, built.stderr
    assert "0 published" in built.stdout and "3 drafts" in built.stdout
    assert not (out / "meldung").exists()

    # … and without "draft: true" the untouched skeleton is an error at its first placeholder line.
    for path in made.values():
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    refused = run_pressroom("build", site, "-o", out, "--now", NOW)
    assert refused.returncode == 1
    expected = {f"{p.relative_to(site).as_posix()}:{first_placeholder(p)}: error: the text still contains the "
                "placeholder that pressroom new wrote" for p in made.values()}
    found = {line.split(" (", 1)[0] for line in refused.stderr.splitlines() if ": error: " in line}
    assert found == expected, refused.stderr

    # Written out, each is published.
    for path in made.values():
        head, _, _ = path.read_text(encoding="utf-8").rpartition("---\n")
        path.write_text(head + "---\n\nAm Mittwoch ist etwas passiert.\n", encoding="utf-8")
    built = run_pressroom("build", site, "-o", out, "--now", NOW)
    assert built.returncode == 0, built.stderr
    assert "3 published" in built.stdout
    for kind, path in made.items():
        page = (out / "meldung" / path.stem / "index.html").read_text(encoding="utf-8")
        assert f"POL-TS: {KINDS[kind]}" in page
        assert "Teststadt (ots)" in page


def placeholder_line(path: Path) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                if text.startswith("Ersetzen Sie diesen Text"))


def first_placeholder(path: Path) -> int:
    """The line of the skeleton's opening question (the first line of its body)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    closing = next(n for n in range(1, len(lines)) if lines[n] == "---")
    return closing + 3  # the closing "---", a blank line, then the question


def test_appeal_expires_within_the_sites_limit(tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site", "appeal_max_days = 10\n")
    data = front_matter(new(site, "--authority", "polizei-test", "--kind", "appeal", "Vermisster Junge"))
    assert data["expires"] == "2026-12-06T12:00:00+01:00"
    default = minimal_site(tmp_path / "other")
    data = front_matter(new(default, "--authority", "polizei-test", "--kind", "appeal", "Vermisster Junge"))
    assert data["expires"] == "2026-12-26T12:00:00+01:00"


def test_conference_report_gets_an_event_skeleton(site: Path) -> None:
    data = front_matter(new(site, "--authority", "polizei-test", "--kind", "conference-report", "Sicherheitskonferenz"))
    event = data["event"]
    assert isinstance(event, dict)
    assert event["name"] == "Sicherheitskonferenz"
    assert event["start"] == "2026-11-26T12:00:00+01:00"
    assert {"venue", "participants", "agenda"} <= set(event)


def test_date_is_in_the_site_timezone_with_its_offset(site: Path) -> None:
    data = front_matter(new(site, "--authority", "polizei-test", "Sommer", now="2026-07-01T10:00:30Z"))
    assert data["date"] == "2026-07-01T12:00:00+02:00"
    assert data["id"] == "pol-ts-2026-0701-1"


def test_a_release_made_with_the_clock_is_published_right_away(site: Path, tmp_path: Path) -> None:
    path = new(site, "--authority", "feuerwehr-test", "Brand in der Altstadt", now=None)
    date = dt.datetime.fromisoformat(str(front_matter(path)["date"]))
    assert abs(dt.datetime.now(dt.UTC) - date) < dt.timedelta(minutes=5)
    head, _, _ = path.read_text(encoding="utf-8").replace("draft: true\n", "").rpartition("---\n")
    path.write_text(head + "---\n\nEs brannte.\n", encoding="utf-8")  # written, no longer a draft
    out = tmp_path / "out"
    built = run_pressroom("build", site, "-o", out, "--quiet")
    assert built.returncode == 0, built.stderr
    assert (out / "meldung" / path.stem / "index.html").is_file()


def test_ids_count_past_those_in_use_and_files_are_never_overwritten(site: Path) -> None:
    write_release(site, "2026/aeltere", "id: pol-ts-2026-1126-7\ntitle: Alt\ndate: 2026-11-26 08:00\n"
                  "authority: polizei-test")
    first = new(site, "--authority", "polizei-test", "Unfall")
    original = first.read_text(encoding="utf-8")
    second = new(site, "--authority", "polizei-test", "Unfall")
    other = new(site, "--authority", "feuerwehr-test", "Unfall")

    assert first.read_text(encoding="utf-8") == original
    assert [first.name, second.name, other.name] == [
        "2026-11-26-unfall.md", "2026-11-26-unfall-2.md", "2026-11-26-unfall-3.md"]
    assert [front_matter(p)["id"] for p in (first, second, other)] == [
        "pol-ts-2026-1126-8", "pol-ts-2026-1126-9", "fw-ts-2026-1126-1"]
    checked = run_pressroom("check", site, "--now", NOW)
    assert checked.returncode == 0, checked.stderr


def test_unknown_authority_is_refused_with_a_suggestion(site: Path) -> None:
    result = run_pressroom("new", "--site", site, "--authority", "polizei-tset", "Titel", "--now", NOW)
    assert result.returncode == 2
    assert 'unknown authority "polizei-tset" (did you mean polizei-test (POL-TS)?)' in result.stderr
    assert "feuerwehr-test" in result.stderr  # the choices are listed
    assert "Traceback" not in result.stderr
    assert not list((site / "content/releases").rglob("*.md"))


def test_unknown_kind_is_refused_with_a_suggestion(site: Path) -> None:
    result = run_pressroom("new", "--site", site, "--authority", "polizei-test", "--kind", "apeal", "Titel")
    assert result.returncode == 2
    assert 'unknown kind "apeal" (did you mean "appeal"?)' in result.stderr
    assert not list((site / "content/releases").rglob("*.md"))


def test_missing_authority_lists_the_choices(site: Path) -> None:
    result = run_pressroom("new", "--site", site, "Titel")
    assert result.returncode == 2
    assert re.search(r"--authority is required.*feuerwehr-test, polizei-test", result.stderr)


def test_not_a_site_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_pressroom("new", "--site", tmp_path, "--authority", "polizei-test", "Titel")
    assert result.returncode == 2
    assert "no site.toml" in result.stderr
