"""A small site with planted words for the search tests, and helpers to query it in Chromium.

Two years, so two parts of the index. Which release should a citizen's word find:
- "Einbruch": A (title "Einbrüche …") and B (a "Wohnungseinbruch" in the text), never the
  releases with "ein", "eine", "Eingang" or "Einsatz";
- "Konferenz": E ("Konferenz" in the text) and D ("Sicherheitskonferenz" in the title and text);
- "Einsatz": C ("Einsatz") and F ("Einsatzkräfte");
- "Vorplatz": C ("Bahnhofsvorplatz"), though "Vorplatz" is nowhere a word of its own: "Bahnhof"
  is one in the same year (D), which confirms the split "Bahnhofs|vorplatz";
- the withdrawn, draft and scheduled releases' words: nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

if TYPE_CHECKING:
    from playwright.sync_api import Page

NOW = "2025-12-01T12:00:00+01:00"

A = "Einbrüche in Kellerräume"
B = "Täter am Markt gestört"
C = "Brand in einer Lagerhalle"
D = "Sicherheitskonferenz im Rathaus"
E = "Termin verschoben"
F = "Einsatzkräfte geehrt"
ALL = {A, B, C, D, E, F}

RELEASES = {
    "2025/a": (f"title: {A}\ndate: 2025-11-20T10:00:00+01:00\nauthority: polizei-test\nplaces: [Altstadt]",
               "In der Nacht zum Montag wurden der Polizei mehrere Einbrüche in Kellerräume gemeldet. "
               "Die Täter flüchteten unerkannt.\n"),
    "2025/b": (f"title: {B}\ndate: 2025-10-02T09:00:00+02:00\nauthority: polizei-test\nplaces: [Altstadt]",
               "Bei einem Wohnungseinbruch am Markt wurden die Täter von einer Nachbarin gestört. "
               "Sie flohen ohne Beute.\n"),
    "2024/c": (f"title: {C}\ndate: 2024-07-01T18:00:00+02:00\nauthority: feuerwehr-test\nplaces: [Hafen]",
               "Der Einsatz der Feuerwehr am Bahnhofsvorplatz dauerte bis in den Abend. Eine Person "
               "wurde am Eingang leicht verletzt, einige Fahrzeuge mussten umgeparkt werden.\n"),
    "2024/d": (f"title: {D}\ndate: 2024-03-05T11:00:00+01:00\nauthority: polizei-test\ntags: [Sicherheit]"
               "\nplaces: [Rathaus]",
               "Im Rathaus am Bahnhof tagte die erste Sicherheitskonferenz der Stadt. Vertreter von Polizei, "
               "Stadt und Verbänden berieten über die Lage.\n"),
    "2025/e": (f"title: {E}\ndate: 2025-06-10T08:00:00+02:00\nauthority: feuerwehr-test\nplaces: [Teststadt]",
               "Die Konferenz der Wehrleiter wird auf den Mai des nächsten Jahres verschoben.\n"),
    "2025/f": (f"title: {F}\ndate: 2025-04-15T15:00:00+02:00\nauthority: feuerwehr-test\nplaces: [Teststadt]",
               "Die Stadt ehrt langjährige Einsatzkräfte der Freiwilligen Feuerwehr für ihre Arbeit.\n"),
    # Never in the index:
    "2025/withdrawn": ("title: Zivilfahnder nehmen Verdächtigen fest\ndate: 2025-05-01T10:00:00+02:00\n"
                       "authority: polizei-test\nwithdrawn: true", "Zivilfahnder beobachteten einen Mann.\n"),
    "2025/draft": ("title: Drohnenflug über dem Stadion\ndate: 2025-05-02T10:00:00+02:00\n"
                   "authority: polizei-test\ndraft: true", "Ein Drohnenflug ist angekündigt.\n"),
    "2025/scheduled": ("title: Silvesterfeuerwerk sicher genießen\ndate: 2025-12-28T10:00:00+01:00\n"
                       "authority: feuerwehr-test", "Das Silvesterfeuerwerk birgt Gefahren.\n"),
}
SECRET_WORDS = ("Zivilfahnder", "Drohnenflug", "Silvesterfeuerwerk")


def make_site(root: Path) -> Path:
    site = minimal_site(root)
    for name, (front, body) in RELEASES.items():
        write_release(site, name, front, body)
    return site


def build(site: Path, out: Path, *extra: str) -> Path:
    result = run_pressroom("build", site, "-o", out, "--now", NOW, "--quiet", *extra)
    assert result.returncode == 0, result.stderr
    return out


# The search page's own module (one instance per page), after it has loaded the index.
QUERY_JS = """
async ([text, filters]) => {
  const search = await import("/static/search.js");
  const found = await search.search(text, filters);
  return [found.count, found.shown.map((hit) => hit.title)];
}
"""


def titles(page: Page, text: str | None, filters: dict[str, Any] | None = None) -> list[str]:
    """The titles of every release found, best first (all of them: the fixture is small)."""
    count, shown = page.evaluate(QUERY_JS, [text, filters or {}])
    assert count == len(shown)
    return [title.split(": ", 1)[-1] for title in shown]  # without the authority's code


def open_search(page: Page, url: str) -> Page:
    page.goto(url)
    page.wait_for_selector("html[data-search-ready]")
    return page


