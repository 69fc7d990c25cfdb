"""The interface speaks German by default and English on request.

The theme's msgids are English; `templates/locale/de/LC_MESSAGES/messages.po`
makes the German interface. A template text or a message of the command line added
without a German translation would show up in English on a German site, so the
catalog is checked against every text the templates and the Python code mark.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from tests.conftest import DEMO_NOW, REPO, run_pressroom

THEME = REPO / "templates"
GERMAN_PO = THEME / "locale" / "de" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")

Msgid = str | tuple[str, str]


def template_msgids() -> dict[Msgid, str]:
    """Every msgid (singular, or (singular, plural)) used in the theme's templates → where."""
    found: dict[Msgid, str] = {}
    options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}
    for template in sorted(THEME.rglob("*.html")):
        with template.open("rb") as handle:
            for lineno, message, _comments, _context in extract(babel_extract, handle, options=options):
                key: Msgid = message if isinstance(message, str) else (message[0], message[1])
                found.setdefault(key, f"{template.relative_to(REPO)}:{lineno}")
    return found


# The markers of the Python code's interface texts: the theme's gettext calls, and the messages of the
# command line (`Message`, `N_`, `plural` in generator/core/errors.py and generator/commands/speech.py).
PYTHON_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "Message": None,
                   "plural": (1, 2)}


def python_msgids() -> dict[Msgid, str]:
    """Every msgid marked in generator/**.py → where (the messages every command prints)."""
    found: dict[Msgid, str] = {}
    for module in sorted((REPO / "generator").rglob("*.py")):
        with module.open("rb") as handle:
            for lineno, message, _comments, _context in extract("python", handle, keywords=PYTHON_KEYWORDS):
                key: Msgid = message if isinstance(message, str) else (message[0], message[1])
                found.setdefault(key, f"{module.relative_to(REPO)}:{lineno}")
    return found


def german_catalog() -> Catalog:
    with GERMAN_PO.open("rb") as handle:
        return read_po(handle, locale="de")


def test_the_templates_have_texts_to_translate() -> None:
    msgids = template_msgids()
    # Guards the extractor itself: if it silently found nothing, the next test would pass vacuously.
    assert "Skip to content" in msgids
    assert ("%(count)s release", "%(count)s releases") in msgids


def test_the_code_has_messages_to_translate() -> None:
    msgids = python_msgids()
    # Guards the extractor: an error of the front matter, a summary, a plural, a text of the preview.
    assert 'unknown key "%(key)s" in %(what)s%(hint)s' in msgids
    assert "checked %(releases)s, %(pages)s, %(authorities)s: %(errors)s, %(warnings)s" in msgids
    assert ("%(count)s error; nothing was written", "%(count)s errors; nothing was written") in msgids
    assert "Hide" in msgids


@pytest.mark.parametrize("found", [template_msgids, python_msgids], ids=["templates", "python"])
def test_every_interface_text_has_a_german_translation(found: Callable[[], dict[Msgid, str]]) -> None:
    catalog = german_catalog()
    missing: list[str] = []
    for msgid, where in found().items():
        singular = msgid if isinstance(msgid, str) else msgid[0]
        entry = catalog.get(singular)
        if entry is None:
            missing.append(f"{where}: {msgid!r} is not in {GERMAN_PO.relative_to(REPO)}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if isinstance(msgid, tuple) and not isinstance(entry.string, tuple):
            missing.append(f"{where}: {msgid!r} needs msgid_plural and msgstr[0]/msgstr[1]")
        if not all(strings) or entry.fuzzy:
            missing.append(f"{where}: {msgid!r} has an empty or fuzzy German translation")
        wanted = set(PLACEHOLDER.findall(singular))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                missing.append(f"{where}: {msgid!r} → {text!r} must keep the placeholders {sorted(wanted)}")
    assert not missing, "\n".join(missing)


def test_the_german_catalog_compiles_without_problems() -> None:
    from babel.messages.checkers import checkers

    catalog = german_catalog()
    problems = [f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors]
    assert checkers and not problems, "\n".join(problems)


def _page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


RELEASE = "meldung/2019-04-29-eine-konferenz-fuer-die-sicherheit-in-gelsenkirchen/index.html"


def test_the_default_interface_is_german(demo_output: Path) -> None:
    home = _page(demo_output, "index.html")
    assert 'lang="de"' in home
    for text in ("Zum Inhalt springen", "Alle Meldungen", "Behörden", "Themen", "Orte", "Jahre", "Suche"):
        assert text in home, text
    release = _page(demo_output, RELEASE)
    for text in ("Rückfragen bitte an:", "Original-Content von:", "Konferenzbericht", "Telefon",
                 "E-Mail", "Themen in dieser Meldung", "Orte in dieser Meldung", "Tagesordnung"):
        assert text in release, text
    for english in ("Skip to content", "Inquiries to:", "Original content from:", "Topics in this release"):
        assert english not in release, english
    listing = _page(demo_output, "meldungen/index.html")
    assert re.search(r"\b\d+ Meldungen\b", listing)


@pytest.fixture(scope="module")
def english_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("english") / "site"
    shutil.copytree(REPO / "content", site / "content")
    toml = (REPO / "site.toml").read_text(encoding="utf-8")
    english = re.sub(r"(?m)^language\s*=.*$", 'language = "en"', toml)
    (site / "site.toml").write_text(english, encoding="utf-8")
    out = site / "output"
    result = run_pressroom("build", site, "-o", out, "--now", DEMO_NOW, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def test_a_site_with_language_en_speaks_english(english_output: Path) -> None:
    home = _page(english_output, "index.html")
    assert 'lang="en"' in home
    for text in ("Skip to content", "All releases", "Authorities", "Topics", "Places", "Years", "Search"):
        assert text in home, text
    release = _page(english_output, RELEASE)
    for text in ("Inquiries to:", "Original content from:", "Conference report", "Topics in this release",
                 "29 April 2019, 16:05"):
        assert text in release, text
    for german in ("Zum Inhalt springen", "Rückfragen bitte an:", "Original-Content von:",
                   "Konferenzbericht"):
        assert german not in release, german


def test_a_site_catalog_adds_to_the_theme_catalog(tmp_path: Path) -> None:
    """A site that overrides one template translates its own new text; the theme's German stays."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.toml", site / "site.toml")
    (site / "templates" / "locale" / "de" / "LC_MESSAGES").mkdir(parents=True)
    (site / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ _("Lost in the press room") }}</h1>{% endblock %}',
        encoding="utf-8")
    (site / "templates" / "locale" / "de" / "LC_MESSAGES" / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Lost in the press room"\nmsgstr "Verlaufen in der Pressestelle"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_pressroom("build", site, "-o", out, "--now", DEMO_NOW, "--quiet")
    assert result.returncode == 0, result.stderr
    page = (out / "404.html").read_text(encoding="utf-8")
    assert "Verlaufen in der Pressestelle" in page
    assert "Zum Inhalt springen" in page


def test_index_pages_sort_umlauts_as_a_german_index_does(demo_output: Path) -> None:
    topics = _page(demo_output, "themen/index.html")
    # DIN 5007-1: Ö files under O, not after Z.
    assert topics.index("Öffentlichkeitsfahndung") < topics.index("Pedelec") < topics.index("Zeugenaufruf")
