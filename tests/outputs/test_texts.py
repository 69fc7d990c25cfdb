"""The fixed words of the wire text and the feeds come from the gettext catalog, unchanged."""

from __future__ import annotations

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from generator.outputs.feeds import describe
from generator.outputs.wire import WireLabels, wire_labels
from tests.conftest import REPO

GERMAN_PO = REPO / "templates" / "locale" / "de" / "LC_MESSAGES" / "messages.po"


def _python_msgids() -> set[str]:
    found = set()
    for module in sorted((REPO / "generator" / "outputs").rglob("*.py")):
        for _line, message, _comments, _context in extract_from_file("python", str(module)):
            assert isinstance(message, str)
            found.add(message)
    return found


def test_every_output_text_is_extracted_and_has_a_german_translation() -> None:
    msgids = _python_msgids()
    assert msgids == {"Inquiries to:", "Phone", "E-mail", "Updated on",
                      "Original content from: %(authority)s, published by %(site)s",
                      "Releases from %(name)s", "Releases on %(name)s", "Releases about %(name)s"}
    with GERMAN_PO.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    untranslated = sorted(m for m in msgids if not (catalog.get(m) and catalog.get(m).string))
    assert untranslated == []


GERMAN = WireLabels(contact="Rückfragen bitte an:", phone="Telefon", email="E-Mail",
                    origin="Original-Content von: %(authority)s, übermittelt durch %(site)s",
                    update="Aktualisiert am")


def test_the_wire_words_are_the_ots_ones_in_german_and_english() -> None:
    assert wire_labels("de") == GERMAN
    assert wire_labels("en") == WireLabels(contact="Inquiries to:", phone="Phone", email="E-mail",
                                           origin="Original content from: %(authority)s, published by %(site)s",
                                           update="Updated on")
    assert wire_labels("fr") == GERMAN  # the wire is German where Pressroom has no texts
    assert GERMAN.originator("Polizei 100 %", "Presse") == \
        "Original-Content von: Polizei 100 %, übermittelt durch Presse"


def test_feed_descriptions_in_german_english_and_a_language_without_a_catalog() -> None:
    assert [describe(kind, "Erle", "de") for kind in ("authority", "topic", "place")] == [
        "Meldungen von Erle", "Meldungen zum Thema Erle", "Meldungen zum Ort Erle"]
    assert [describe(kind, "Erle", language) for kind in ("authority", "topic", "place")
            for language in ("en", "fr")] == [
        "Releases from Erle", "Releases from Erle", "Releases on Erle", "Releases on Erle",
        "Releases about Erle", "Releases about Erle"]
