"""`pressroom check`: warnings, --format json and --strict."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image

from generator.build.pipeline import check
from generator.commands import check as advice
from generator.core.errors import Problem
from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

NOW = "2026-11-26T12:00:00+01:00"
LONG_TITLE = "Großeinsatz " + "sehr " * 25 + "lang"
LONG_LEAD = ("Die Polizei Teststadt hat am Mittwoch einen Einsatz gehabt, der lange dauerte. " * 8).strip()
BASE = "authority: polizei-test\ndate: 2026-11-20T10:00:00+01:00\n"

REPORT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "errors", "warnings", "summary"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "errors": {"type": "array", "items": {"$ref": "#/$defs/problem"}},
        "warnings": {"type": "array", "items": {"$ref": "#/$defs/problem"}},
        "summary": {
            "type": "object",
            "required": ["errors", "warnings", "releases", "pages", "strict", "ok"],
            "additionalProperties": False,
            "properties": {
                "errors": {"type": "integer", "minimum": 0},
                "warnings": {"type": "integer", "minimum": 0},
                "releases": {"type": ["integer", "null"]},
                "pages": {"type": ["integer", "null"]},
                "strict": {"type": "boolean"},
                "ok": {"type": "boolean"},
            },
        },
    },
    "$defs": {
        "problem": {
            "type": "object",
            "required": ["path", "line", "severity", "message"],
            "additionalProperties": False,
            "properties": {
                "path": {"type": "string", "minLength": 1},
                "line": {"type": "integer", "minimum": 1},
                "severity": {"enum": ["error", "warning"]},
                "message": {"type": "string", "minLength": 1},
            },
        }
    },
}


def line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = minimal_site(tmp_path / "site")
    media = site / "content" / "media"
    media.mkdir()
    Image.new("RGB", (8, 8), "navy").save(media / "bild.png")
    return site


@pytest.fixture
def warned(site: Path) -> dict[str, tuple[Path, int, str]]:
    """One release per warning (and a twin that avoids it): name → (file, expected line, message start)."""
    title = write_release(site, "title", f"id: t\ntitle: {LONG_TITLE}\n{BASE}")
    lead = write_release(site, "lead", f"id: l\ntitle: Langer Anfang\n{BASE}", LONG_LEAD + "\n\nZweiter Absatz.\n")
    write_release(site, "lead-ok", f"id: lo\ntitle: Mit Summary\nsummary: Kurz gesagt.\n{BASE}", LONG_LEAD + "\n")
    credit = write_release(site, "credit", f"id: c\ntitle: Bilder\n{BASE}images:\n"
                           "  - src: bild.png\n    alt: Ein Bild\n    credit: Polizei Teststadt\n"
                           "  - src: bild.png\n    alt: Noch ein Bild\n    caption: Ohne Urheber\n")
    appeal = write_release(site, "appeal", f"id: a\ntitle: Vermisst\nkind: appeal\n{BASE}"
                           "expires: 2026-11-28T10:00:00+01:00\n")
    write_release(site, "appeal-ok", f"id: ao\ntitle: Vermisst 2\nkind: appeal\n{BASE}"
                  "expires: 2026-12-05T10:00:00+01:00\n")
    write_release(site, "appeal-over", f"id: ax\ntitle: Gefunden\nkind: appeal\n{BASE}"
                  "expires: 2026-11-25T10:00:00+01:00\n")
    past = write_release(site, "past", "id: p\ntitle: Alt\nauthority: polizei-test\ndate: 1985-05-01\n")
    future = write_release(site, "future", "id: f\ntitle: Neu\nauthority: polizei-test\ndate: 2028-01-02\n")
    write_release(site, "soon", "id: s\ntitle: Bald\nauthority: polizei-test\ndate: 2027-11-01\n")
    write_release(site, "clean", f"id: ok\ntitle: Alles gut\n{BASE}")
    unwritten = write_release(site, "unwritten", f"id: u\ntitle: Vergessen\ndraft: true\n{BASE}",
                              "Erster Absatz.\n\nErsetzen Sie diesen Text durch Ihre Meldung. Die Ortszeile …\n")
    return {
        "placeholder": (unwritten, line_of(unwritten, "Ersetzen"), "the draft still contains the placeholder"),
        "title": (title, line_of(title, "title:"), "the title has 141 characters"),
        "lead": (lead, line_of(lead, "Die Polizei"), "the first paragraph has"),
        "credit": (credit, line_of(credit, "  - src: bild.png") + 3,
                   'the image "content/media/bild.png" has no credit'),
        "appeal": (appeal, line_of(appeal, "expires:"), "the appeal expires in 46 hours"),
        "past": (past, line_of(past, "date:"), "the date 1985-05-01T00:00:00+02:00 is before 1990"),
        "future": (future, line_of(future, "date:"), "the date 2028-01-02T00:00:00+01:00 is more than a year ahead"),
    }


def test_every_warning_is_reported_at_its_line(site: Path, warned: dict[str, tuple[Path, int, str]]) -> None:
    result = run_pressroom("check", site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for name, (path, line, message) in warned.items():
        prefix = f"{path.relative_to(site).as_posix()}:{line}: warning: {message}"
        assert any(out.startswith(prefix) for out in lines), f"{name}: {prefix!r} not in\n{result.stderr}"
    assert len(lines) == len(warned), result.stderr  # and nothing about the twins that avoid them
    assert result.stdout.startswith("checked 12 releases, 0 pages, 2 authorities: 0 errors, 7 warnings")


def test_strict_makes_warnings_errors(site: Path, warned: dict[str, tuple[Path, int, str]]) -> None:
    result = run_pressroom("check", site, "--now", NOW, "--strict")
    assert result.returncode == 1
    assert "7 warnings, treated as errors (--strict)" in result.stderr


def test_json_report_is_stable_and_valid(site: Path, warned: dict[str, tuple[Path, int, str]]) -> None:
    result = run_pressroom("check", site, "--now", NOW, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["errors"] == []
    assert report["summary"] == {"errors": 0, "warnings": 7, "releases": 12, "pages": 0, "strict": False,
                                 "ok": True}
    found = {(w["path"], w["line"]) for w in report["warnings"]}
    assert found == {(p.relative_to(site).as_posix(), line) for p, line, _ in warned.values()}
    assert all(w["severity"] == "warning" for w in report["warnings"])
    again = run_pressroom("check", site, "--now", NOW, "--format", "json")
    assert again.stdout == result.stdout

    strict = run_pressroom("check", site, "--now", NOW, "--format", "json", "--strict")
    assert strict.returncode == 1
    assert json.loads(strict.stdout)["summary"]["ok"] is False


def test_json_report_lists_errors_and_the_warnings_of_sound_files(site: Path) -> None:
    write_release(site, "broken", "title: Kaputt\ndate: 2026-11-20\nauthority: polizei-tset\ntitel: x")
    write_release(site, "old", "id: p\ntitle: Alt\nauthority: polizei-test\ndate: 1985-05-01")
    result = run_pressroom("check", site, "--now", NOW, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["summary"]["ok"] is False
    messages = {(e["path"], e["line"], e["severity"]): e["message"] for e in report["errors"]}
    assert messages.keys() == {("content/releases/broken.md", 4, "error"), ("content/releases/broken.md", 5, "error")}
    assert 'unknown authority "polizei-tset" (did you mean polizei-test (POL-TS)?)' in messages[
        "content/releases/broken.md", 4, "error"]
    assert 'unknown key "titel"' in messages["content/releases/broken.md", 5, "error"]
    assert report["summary"]["errors"] == len(report["errors"]) == 2
    assert [(w["path"], w["line"]) for w in report["warnings"]] == [("content/releases/old.md", 5)]

    text = run_pressroom("check", site, "--now", NOW)
    assert text.returncode == 1
    assert text.stderr.splitlines()[-2].startswith("content/releases/old.md:5: warning: the date 1985")
    assert text.stderr.splitlines()[-1] == "checked 2 releases, 0 pages, 2 authorities: 2 errors, 1 warning"


def test_a_clean_site_has_no_warnings(site: Path) -> None:
    write_release(site, "clean", f"id: ok\ntitle: Alles gut\n{BASE}")
    # an editor's lock file and a macOS resource fork beside it are not releases
    (site / "content/releases/.#clean.md").write_text("root@host.1234", encoding="utf-8")
    (site / "content/releases/._clean.md").write_bytes(b"\x00\x05\x16\x07")
    result = run_pressroom("check", site, "--now", NOW)
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout == "checked 1 release, 0 pages, 2 authorities: 0 errors, 0 warnings\n"


def test_another_rule_can_be_added(site: Path) -> None:
    """The rules are plain functions: an extra one runs beside the built-in ones."""
    write_release(site, "clean", f"id: ok\ntitle: Alles gut\n{BASE}")

    def no_tags(subject: advice.Subject) -> list[Problem]:
        if subject.release.tags:
            return []
        return [subject.warn(subject.line_of("title"), "no tags")]

    now = dt.datetime.fromisoformat(NOW)
    found = advice.advise(check(site, now), now, (*advice.RULES, no_tags))
    assert [str(p) for p in found] == ["content/releases/clean.md:3: warning: no tags"]
