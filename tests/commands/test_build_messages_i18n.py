"""What a build says about its output folder, its cache and its addresses, in the site's language.

Each test runs the real command (`python -m generator`) in a child process on a small real site,
on a machine without a language preference: German on a `de` site, English with `--lang en`.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import run_pressroom

NOW = "2026-11-26T12:00:00+01:00"
RELEASE = "content/releases/2026/2026-11-25-unfall.md"
OTHER = "content/releases/2026/2026-11-25-brand.md"
FRONT = "date: 2026-11-25 09:30\nauthority: polizei-teststadt\n"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items()
               if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    environ.update({"LANG": "C.UTF-8"})
    return run_pressroom(*args, environ=environ)


def make_site(root: Path, releases: dict[str, str] | None = None) -> Path:
    """A German site with one release (or the `releases` given: path → front matter)."""
    site = root / "site"
    (site / "content" / "releases" / "2026").mkdir(parents=True)
    (site / "site.toml").write_text(
        'title = "Presse"\nbase_url = "https://presse.example.org/"\nlanguage = "de"\n'
        'timezone = "Europe/Berlin"\n', encoding="utf-8")
    (site / "content" / "authorities.yaml").write_text(
        "polizei-teststadt:\n  name: Polizei Teststadt\n  code: POL-TS\n  city: Teststadt\n"
        "  contact:\n    phone: 0209 365 2010\n", encoding="utf-8")
    for path, front in (releases or {RELEASE: f"title: Unfall an der Kreuzung\n{FRONT}"}).items():
        (site / path).write_text(f"---\n{front}---\n\nIn Teststadt ist ein Auto gegen eine Ampel gefahren.\n",
                                 encoding="utf-8")
    return site


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


# --- the output folder -----------------------------------------------------------------------


def test_an_output_with_user_files_is_refused_in_german_and_with_lang_en_in_english(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    documents = tmp_path / "Dokumente"
    documents.mkdir()
    (documents / "brief.txt").write_text("Sehr geehrte Damen und Herren,\n", encoding="utf-8")
    german = run("build", site, "-o", documents, "--now", NOW, "--no-search")
    english = run("build", site, "-o", documents, "--now", NOW, "--no-search", "--lang", "en")
    assert (german.returncode, english.returncode) == (2, 2)
    assert lines(german.stderr) == [
        f"pressroom: Fehler: der Ausgabeordner {documents} enthält Dateien, die kein Bau von Pressroom erzeugt "
        "hat (es fehlt _server/published.txt); ein Bau würde sie alle ersetzen – wählen Sie einen neuen oder "
        "leeren Ordner"]
    assert lines(english.stderr) == [
        f"pressroom: error: the output {documents} is a folder with files no Pressroom build made (it has no "
        "_server/published.txt); a build would replace them all, so choose a new or empty folder"]
    assert sorted(p.name for p in documents.iterdir()) == ["brief.txt"]


def test_the_site_folder_as_output_is_refused_in_german(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run("build", site, "-o", site, "--now", NOW, "--no-search")
    assert result.returncode == 2
    assert lines(result.stderr) == [
        f"pressroom: Fehler: der Ausgabeordner {site} ist der Ordner der Website selbst; ein Bau ersetzt seinen "
        "Ausgabeordner als Ganzes – wählen Sie einen eigenen Ordner, z. B. -o SITE/output"]


def test_an_output_that_cannot_be_prepared_is_an_error_in_german(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (tmp_path / "notizen.txt").write_text("Einkaufen: Milch\n", encoding="utf-8")
    output = tmp_path / "notizen.txt" / "ausgabe"
    result = run("build", site, "-o", output, "--now", NOW, "--no-search")
    assert result.returncode == 1
    assert lines(result.stderr) == [
        f"Fehler: der Ausgabeordner neben {output} lässt sich nicht vorbereiten: File exists; prüfen Sie, ob der "
        "Ordner existiert und beschreibbar ist"]
    assert (tmp_path / "notizen.txt").read_text(encoding="utf-8") == "Einkaufen: Milch\n"


# --- the cache -------------------------------------------------------------------------------


def test_a_cache_that_cannot_be_read_is_a_note_in_german(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    cache = site / ".pressroom-cache" / "build.sqlite"
    cache.parent.mkdir()
    cache.write_bytes(b"keine Datenbank\n" * 256)
    result = run("build", site, "-o", tmp_path / "out", "--now", NOW, "--no-search")
    assert result.returncode == 0, result.stderr
    assert [line for line in lines(result.stderr) if line.startswith(("Hinweis", "note"))] == [
        f"Hinweis: der Zwischenspeicher {cache} ließ sich nicht lesen (file is not a database); er wurde "
        "verworfen, und dieser Bau läuft ohne ihn"]
    assert (tmp_path / "out" / "meldung" / "2026-11-25-unfall" / "index.html").is_file()


# --- addresses and bodies --------------------------------------------------------------------


def test_an_alias_on_another_releases_address_is_an_error_in_german(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        RELEASE: f"title: Unfall an der Kreuzung\n{FRONT}",
        OTHER: f"title: Brand in der Altstadt\n{FRONT}aliases: [/meldung/2026-11-25-unfall/]\n",
    })
    result = run("build", site, "-o", tmp_path / "out", "--now", NOW, "--no-search")
    assert result.returncode == 1
    assert lines(result.stderr) == [
        f"{OTHER}:5: Fehler: /meldung/2026-11-25-unfall/ ist bereits die Adresse von {RELEASE}:1 "
        "(ihre Meldungsseite); ändern Sie den Alias",
        "1 Fehler; es wurde nichts geschrieben"]
    assert not (tmp_path / "out").exists()


def test_an_alias_on_the_sites_own_files_is_an_error_in_german(tmp_path: Path) -> None:
    site = make_site(tmp_path, {RELEASE: f"title: Unfall an der Kreuzung\n{FRONT}aliases: [/Feeds/rss.xml]\n"})
    result = run("check", site, "--now", NOW)
    assert result.returncode == 1
    assert lines(result.stderr)[0] == (
        f"{RELEASE}:5: Fehler: /Feeds/rss.xml liegt in einem Ordner, der zu den eigenen Seiten der Website "
        "gehört; ein Alias muss eine alte Adresse dieser Meldung sein, keine Datei im Ordner eines anderen")


def test_a_body_too_complex_is_an_error_in_german(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    release = site / RELEASE
    release.write_text(release.read_text(encoding="utf-8") + "\n" + "- Punkt\n" * 501, encoding="utf-8")
    result = run("check", site, "--now", NOW)
    assert result.returncode == 1
    assert lines(result.stderr)[0] == (
        f"{RELEASE}:509: Fehler: der Text ist zu komplex: mehr als 500 Listenpunkte und zitierte Zeilen; "
        "verlinken Sie für lange Listen ein Dokument")
