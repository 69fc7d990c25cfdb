"""Interface text the Python code hands to the site comes from the gettext catalog (issue 14):
every msgid in generator/ is extracted and has a German translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from generator.render.templates import Templates
from tests.conftest import REPO

GERMAN_PO = REPO / "templates" / "locale" / "de" / "LC_MESSAGES" / "messages.po"


def _python_msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for module in sorted((REPO / "generator").rglob("*.py")):
        for line, message, _comments, _context in extract_from_file("python", str(module)):
            singular = message if isinstance(message, str) else message[0]
            found.setdefault(singular, f"{module.relative_to(REPO)}:{line}")
    return found


def test_every_python_text_is_in_the_german_catalog() -> None:
    msgids = _python_msgids()
    # The listing of all releases is named from the catalog, not from a string in the build plan.
    assert msgids["All releases"].startswith("generator/build/plan.py:")
    with GERMAN_PO.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in msgids.items()
                     if not (entry := catalog.get(msgid)) or not entry.string)
    assert missing == []


def test_the_build_reads_listing_names_in_the_site_language(tmp_path: Path) -> None:
    german = Templates(tmp_path, "de", {}).translations.gettext("All releases")
    english = Templates(tmp_path, "en", {}).translations.gettext("All releases")
    assert (german, english) == ("Alle Meldungen", "All releases")
