"""Hostile values through a real build: iCalendar parameters and texts escaped, control characters
in no published non-HTML file, and the API's `follows` naming only a published release."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_pressroom

NOW = "2025-03-01T12:00:00+01:00"
BELL, NONCHAR = "\u0007", "\ufffe"
CONFERENCE = "meldung/2025-02-10-konferenz/"

SITE_TOML = """title = "Prüfpresse"
base_url = "https://presse.example.org/"
"""
# The authority name goes into the ORGANIZER's CN parameter; the venue into LOCATION (a TEXT value).
AUTHORITIES = """polizei-nord:
  name: 'Polizei "Nord"; Wache 1, Mitte'
  code: POL-N
  city: Nordstadt
  contact:
    email: presse@polizei.example.org
"""
RELEASES = {
    # A bell and a noncharacter in the body (front matter refuses them at load time).
    "2025-02-10-konferenz.md": """---
id: konferenz
title: "Konferenz zur Sicherheit"
date: 2025-02-10 09:00
authority: polizei-nord
kind: conference-report
location: Nordstadt
event:
  name: "Sicherheitskonferenz"
  start: 2025-02-10 10:00
  venue: 'Saal "Europa"; 2. OG'
---

Die Konferenz\u0007 beginnt um zehn\ufffe Uhr.
""",
    "2025-02-01-entwurf.md": """---
id: entwurf
title: Ein Entwurf
date: 2025-02-01 09:00
authority: polizei-nord
location: Nordstadt
draft: true
---

Noch nicht fertig.
""",
    "2025-06-01-spaeter.md": """---
id: spaeter
title: Erst im Sommer
date: 2025-06-01 09:00
authority: polizei-nord
location: Nordstadt
---

Noch nicht erschienen.
""",
    "2025-01-20-zurueckgezogen.md": """---
id: zurueckgezogen
title: Zurückgezogen
date: 2025-01-20 09:00
authority: polizei-nord
location: Nordstadt
withdrawn: {date: 2025-01-21 09:00, reason: Irrtum}
---

Falsch.
""",
    "2025-01-10-frueher.md": """---
id: frueher
title: Eine veröffentlichte Meldung
date: 2025-01-10 09:00
authority: polizei-nord
location: Nordstadt
---

Veröffentlicht.
""",
}
FOLLOWS = {"nach-entwurf": "entwurf", "nach-spaeter": "spaeter", "nach-zurueckgezogen": "zurueckgezogen",
           "nach-frueher": "frueher"}


def _follow_up(release_id: str, earlier: str, day: int) -> str:
    return f"""---
id: {release_id}
title: Nachtrag {release_id}
date: 2025-02-{day:02d} 09:00
authority: polizei-nord
location: Nordstadt
follows: {earlier}
---

Ein Nachtrag.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("hostile") / "site"
    releases = site / "content" / "releases"
    releases.mkdir(parents=True)
    (site / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    (site / "content" / "authorities.yaml").write_text(AUTHORITIES, encoding="utf-8")
    for name, text in RELEASES.items():
        (releases / name).write_text(text, encoding="utf-8")
    for day, (release_id, earlier) in enumerate(sorted(FOLLOWS.items()), start=11):
        (releases / f"2025-02-{day:02d}-{release_id}.md").write_text(_follow_up(release_id, earlier, day),
                                                                      encoding="utf-8")
    out = site / "output"
    result = run_pressroom("build", site, "-o", out, "--now", NOW, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def _unfolded(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_calendar_parameters_and_texts_are_escaped(built: Path) -> None:
    lines = _unfolded((built / CONFERENCE / "termin.ics").read_bytes().decode("utf-8"))
    by_name = {line.split(":", 1)[0].split(";", 1)[0]: line for line in lines if line}
    assert by_name["ORGANIZER"] == 'ORGANIZER;CN="Polizei Nord; Wache 1, Mitte":mailto:presse@polizei.example.org'
    assert by_name["LOCATION"] == 'LOCATION:Saal "Europa"\\; 2. OG\\, Nordstadt'
    assert by_name["SUMMARY"] == "SUMMARY:Sicherheitskonferenz"
    assert by_name["DESCRIPTION"] == ("DESCRIPTION:POL-N: Konferenz zur Sicherheit\\n"
                                      "https://presse.example.org/meldung/2025-02-10-konferenz/")
    # Nothing else starts a property: every physical line is a known one or a continuation.
    raw = (built / CONFERENCE / "termin.ics").read_bytes()
    assert raw.endswith(b"END:VCALENDAR\r\n") and b"\n" not in raw.replace(b"\r\n", b"")


def test_the_wire_text_carries_no_control_characters(built: Path) -> None:
    text = (built / CONFERENCE / "meldung.txt").read_text(encoding="utf-8")
    assert text.split("\n\n")[:3] == ["POL-N: Konferenz zur Sicherheit", "Nordstadt (ots)",
                                       "Die Konferenz beginnt um zehn Uhr."]


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [*data, *(s for v in data.values() for s in _strings(v))]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def test_no_published_file_but_html_has_a_control_character(built: Path) -> None:
    carrying = []
    for path in sorted(built.rglob("*")):
        if path.is_file() and path.suffix in {".json", ".ics", ".txt", ".xml"}:
            text = path.read_text(encoding="utf-8")
            decoded = "".join(_strings(json.loads(text))) if path.suffix == ".json" else text
            if BELL in decoded or NONCHAR in decoded:
                carrying.append(path.relative_to(built).as_posix())
    assert carrying == []


def test_the_api_and_the_json_feed_show_the_title_stripped(built: Path) -> None:
    document = json.loads((built / "api/v1/releases/2025-02-10-konferenz.json").read_text(encoding="utf-8"))
    assert (document["headline"], document["title"], document["event"]["name"], document["event"]["venue"]) == (
        "Konferenz zur Sicherheit", "POL-N: Konferenz zur Sicherheit", "Sicherheitskonferenz",
        'Saal "Europa"; 2. OG')
    assert document["body"] == "<p>Die Konferenz beginnt um zehn Uhr.</p>"
    feed = json.loads((built / "feeds/feed.json").read_text(encoding="utf-8"))
    titles = {item["id"].rsplit(":", 1)[1]: item["title"] for item in feed["items"]}
    assert titles["konferenz"] == "POL-N: Konferenz zur Sicherheit"


def test_follows_names_only_a_published_release(built: Path) -> None:
    found = {}
    for release_id in FOLLOWS:
        [path] = (built / "api/v1/releases").glob(f"*-{release_id}.json")
        found[release_id] = json.loads(path.read_text(encoding="utf-8"))["follows"]
    assert found == {"nach-entwurf": None, "nach-spaeter": None, "nach-zurueckgezogen": None,
                     "nach-frueher": "frueher"}
    listing = (built / "api/v1/releases/index.json").read_text(encoding="utf-8")
    assert [word for word in ("entwurf", "spaeter", "zurueckgezogen") if f'"{word}"' in listing] == []
