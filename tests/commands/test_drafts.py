"""Drafts stay drafts: the skeleton's placeholder never goes live, and build shows check's warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

NOW = "2026-11-26T12:00:00+01:00"
BASE = "date: 2026-11-20 10:00\nauthority: polizei-test\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return minimal_site(tmp_path / "site")


def test_a_placeholder_in_a_release_to_publish_is_an_error_at_its_line(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_release(site, "gut", f"id: g\ntitle: Gut\n{BASE}")
    assert run_pressroom("build", site, "-o", out, "--now", NOW, "--quiet").returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # the mark on file line 10 (the body's third), the opening question of an appeal on line 12
    write_release(site, "halb", f"id: h\ntitle: Halb\n{BASE}",
                  "Erster Absatz.\n\nErsetzen Sie diesen Text durch Ihre Meldung. Rest.\n")
    write_release(site, "frage", f"id: f\ntitle: Frage\n{BASE}", "Text.\n\nMehr.\n\nWen oder was suchen Sie? "
                  "Beschreiben Sie die Person und wo sie zuletzt gesehen wurde.\n")
    write_release(site, "entwurf", f"id: e\ntitle: Entwurf\ndraft: true\n{BASE}",
                  "Ersetzen Sie diesen Text durch Ihre Meldung.\n")
    for command in ("build", "check"):
        result = run_pressroom(command, site, "-o", out, "--now", NOW)
        assert result.returncode == 1
        errors = {line.split(" (")[0] for line in result.stderr.splitlines() if ": error: " in line}
        assert errors == {
            "content/releases/halb.md:10: error: the text still contains the placeholder that pressroom new wrote",
            "content/releases/frage.md:12: error: the text still contains the placeholder that pressroom new wrote",
        }, result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # nothing went live


def test_build_lists_the_warnings_briefly_after_its_summary(site: Path, tmp_path: Path) -> None:
    for number in range(12):
        write_release(site, f"alt-{number:02d}", f"id: a{number}\ntitle: Alt {number}\n"
                      "date: 1985-05-01\nauthority: polizei-test\n")
    result = run_pressroom("build", site, "-o", tmp_path / "out", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "next due: none pending"  # stdout still ends as a timer reads it
    lines = result.stderr.splitlines()
    assert lines[0] == "12 warnings (published all the same):"
    assert lines[1:11] == [f"  content/releases/alt-{n:02d}.md:4: warning: the date 1985-05-01T00:00:00+02:00 "
                           "is before 1990; is the year a typo?" for n in range(10)]
    assert lines[11:] == ["  … and 2 more — see pressroom check"]

    quiet = run_pressroom("build", site, "-o", tmp_path / "out", "--now", NOW, "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


@pytest.mark.parametrize(("code", "phone", "expected"), [
    ("POL-TS", "01234 / 5678",
     "Hinweise nimmt die Polizei Teststadt unter 01234 / 5678 entgegen, in dringenden Fällen über den Notruf 110."),
    ("POL-TS", None,
     "Hinweise nimmt die Polizei Teststadt über den Notruf 110 oder jede Polizeidienststelle entgegen."),
    ("FW-TS", "0209 112",
     "Hinweise nimmt die Feuerwehr Teststadt unter 0209 112 entgegen. Im Notfall wählen Sie die 112."),
    ("STADT-TS", "0209 169-0", "Hinweise nimmt die Stadt Teststadt unter 0209 169-0 entgegen."),
])
def test_the_appeal_skeleton_names_who_takes_tips(tmp_path: Path, code: str, phone: str | None,
                                                  expected: str) -> None:
    site = minimal_site(tmp_path / "site")
    name = {"POL": "Polizei", "FW": "Feuerwehr", "STADT": "Stadt"}[code.split("-")[0]] + " Teststadt"
    contact = f"  contact:\n    phone: {phone}\n" if phone else ""  # without: nothing to call but 110
    (site / "content/authorities.yaml").write_text(
        f"eine:\n  name: {name}\n  code: {code}\n  city: Teststadt\n{contact}", encoding="utf-8")
    result = run_pressroom("new", "--site", site, "--authority", "eine", "--kind", "appeal", "--now", NOW,
                           "Vermisst")
    assert result.returncode == 0, result.stderr
    text = Path(result.stdout.strip()).read_text(encoding="utf-8")
    assert f"**Wer hat etwas gesehen?** {expected}\n" in text
    assert "draft: true\n" in text
