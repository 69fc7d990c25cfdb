"""The command line speaks the site's language: German on a `de` site, English on an `en` site.

Each test runs the real command (`python -m generator`) in a child process on a small real site.
The language comes from `--lang`, else the environment (LANGUAGE, then the first of LC_ALL,
LC_MESSAGES, LANG), else the site's `language`; `check --format json` stays English either way.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_pressroom

NOW = "2026-11-26T12:00:00+01:00"
RELEASE = "content/releases/2026/2026-11-25-unfall.md"

# A machine without a language preference: only the site (or --lang) decides.
NEUTRAL = {"LANG": "C.UTF-8"}


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items()
               if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    environ.update(NEUTRAL if env is None else env)
    return run_pressroom(*args, environ=environ)


def make_site(root: Path, language: str, front_matter: str) -> Path:
    site = root / f"site-{language}"
    (site / "content" / "releases" / "2026").mkdir(parents=True)
    (site / "site.toml").write_text(
        f'title = "Presse"\nbase_url = "https://presse.example.org/"\nlanguage = "{language}"\n'
        'timezone = "Europe/Berlin"\n', encoding="utf-8")
    (site / "content" / "authorities.yaml").write_text(
        "polizei-teststadt:\n  name: Polizei Teststadt\n  code: POL-TS\n  city: Teststadt\n"
        "  contact:\n    phone: 0209 365 2010\n", encoding="utf-8")
    (site / RELEASE).write_text(f"---\n{front_matter}---\n\nIn Teststadt ist ein Auto gegen eine Ampel "
                                "gefahren.\n", encoding="utf-8")
    return site


GOOD = "title: Unfall an der Kreuzung\ndate: 2026-11-25 09:30\nauthority: polizei-teststadt\n"
TYPO = "title: Unfall an der Kreuzung\ndate: 2026-11-25 09:30\ntitel: Unfall\nauthority: polizei-teststadt\n"
OLD = "title: Unfall an der Kreuzung\ndate: 1989-11-25 09:30\nauthority: polizei-teststadt\n"
WRONG = ("title: Unfall an der Kreuzung\ndate: 25.11.26 9:30\nauthority: POL-TS\nkind: appeal\n"
         "expires: 2027-06-01\n")


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


# --- errors with path:line, and the end of check ---------------------------------------------


def test_errors_with_path_and_line_are_german_on_a_german_site(tmp_path: Path) -> None:
    site = make_site(tmp_path, "de", WRONG)
    result = run("check", site, "--now", NOW)
    assert result.returncode == 1
    assert lines(result.stderr) == [
        f"{RELEASE}:3: Fehler: „date“: „25.11.26 9:30“ ist kein Datum, das Pressroom liest (meinten Sie "
        "2026-11-25 09:30?); schreiben Sie es wie 2026-12-01 08:00, 01.12.2026 08:00, 2026-12-01 oder "
        "2026-12-01T08:00:00+01:00",
        f"{RELEASE}:4: Fehler: unbekannte Behörde „POL-TS“ (meinten Sie polizei-teststadt (POL-TS)?); "
        "schreiben Sie das Kürzel, eines von: polizei-teststadt (POL-TS)",
        "geprüft: 1 Meldung, 0 Seiten, 1 Behörde – 2 Fehler, 0 Warnungen",
    ]


def test_the_same_errors_are_english_on_an_english_site(tmp_path: Path) -> None:
    site = make_site(tmp_path, "en", WRONG)
    result = run("check", site, "--now", NOW)
    assert result.returncode == 1
    assert lines(result.stderr) == [
        f'{RELEASE}:3: error: "date": "25.11.26 9:30" is not a date Pressroom reads (did you mean '
        "2026-11-25 09:30?); write it like 2026-12-01 08:00, 01.12.2026 08:00, 2026-12-01 or "
        "2026-12-01T08:00:00+01:00",
        f'{RELEASE}:4: error: unknown authority "POL-TS" (did you mean polizei-teststadt (POL-TS)?); '
        "write the id, one of: polizei-teststadt (POL-TS)",
        "checked 1 release, 0 pages, 1 authority: 2 errors, 0 warnings",
    ]


def test_a_failed_build_says_so_in_german(tmp_path: Path) -> None:
    site = make_site(tmp_path, "de", TYPO)
    result = run("build", site, "--now", NOW, "--no-search")
    assert result.returncode == 1
    assert lines(result.stderr) == [
        f"{RELEASE}:4: Fehler: Kopf: unbekannte Angabe „titel“ (meinten Sie „title“?)",
        "1 Fehler; es wurde nichts geschrieben",
    ]
    assert not (site / "output").exists()


def test_an_appeal_too_long_names_the_latest_date_in_german(tmp_path: Path) -> None:
    site = make_site(tmp_path, "de", GOOD + "kind: appeal\nexpires: 2027-06-01\n")
    result = run("check", site, "--now", NOW)
    assert result.returncode == 1
    assert lines(result.stderr)[0] == (
        f"{RELEASE}:6: Fehler: eine Fahndung darf höchstens 90 Tage laufen (appeal_max_days in site.toml); "
        "setzen Sie expires früher, spätestens expires: 2027-02-23 09:30")


# --- warnings, the summary of build and of check ----------------------------------------------


def test_a_warning_and_the_build_summary_in_german(tmp_path: Path) -> None:
    site = make_site(tmp_path, "de", OLD)
    result = run("build", site, "--now", NOW, "--no-search")
    assert result.returncode == 0, result.stderr
    out = lines(result.stdout)
    assert out[0].startswith("1 veröffentlicht, 0 geplant, 0 zurückgezogen, 0 Entwürfe; ")
    assert " Seiten erzeugt, " in out[0] and " Dateien geschrieben, " in out[0]
    assert out[-1] == "nächster Termin: keiner"
    assert lines(result.stderr) == [
        "1 Warnung (trotzdem veröffentlicht):",
        f"  {RELEASE}:3: Warnung: das Datum 1989-11-25T09:30:00+01:00 liegt vor 1990; ist die Jahreszahl "
        "vertippt?",
    ]


def test_a_warning_and_the_build_summary_in_english(tmp_path: Path) -> None:
    site = make_site(tmp_path, "en", OLD)
    result = run("build", site, "--now", NOW, "--no-search")
    assert result.returncode == 0, result.stderr
    out = lines(result.stdout)
    assert out[0].startswith("1 published, 0 scheduled, 0 withdrawn, 0 drafts; ")
    assert out[-1] == "next due: none pending"
    assert lines(result.stderr) == [
        "1 warning (published all the same):",
        f"  {RELEASE}:3: warning: the date 1989-11-25T09:30:00+01:00 is before 1990; is the year a typo?",
    ]


def test_check_text_in_both_languages(tmp_path: Path) -> None:
    german = run("check", make_site(tmp_path, "de", OLD), "--now", NOW)
    english = run("check", make_site(tmp_path, "en", OLD), "--now", NOW)
    assert (german.returncode, english.returncode) == (0, 0)
    assert lines(german.stderr) == [f"{RELEASE}:3: Warnung: das Datum 1989-11-25T09:30:00+01:00 liegt vor "
                                    "1990; ist die Jahreszahl vertippt?"]
    assert lines(german.stdout) == ["geprüft: 1 Meldung, 0 Seiten, 1 Behörde – 0 Fehler, 1 Warnung"]
    assert lines(english.stdout) == ["checked 1 release, 0 pages, 1 authority: 0 errors, 1 warning"]


def test_check_json_is_the_same_english_document_in_every_language(tmp_path: Path) -> None:
    german_site = make_site(tmp_path, "de", OLD)
    english_site = make_site(tmp_path, "en", OLD)
    documents = {
        "de site": run("check", german_site, "--now", NOW, "--format", "json").stdout,
        "en site": run("check", english_site, "--now", NOW, "--format", "json").stdout,
        "de site, --lang de": run("check", german_site, "--now", NOW, "--format", "json", "--lang", "de").stdout,
        "en site, LANG=de": run("check", english_site, "--now", NOW, "--format", "json",
                                env={"LANG": "de_DE.UTF-8"}).stdout,
    }
    assert len(set(documents.values())) == 1, documents
    found = json.loads(documents["de site"])
    assert [w["message"] for w in found["warnings"]] == [
        "the date 1989-11-25T09:30:00+01:00 is before 1990; is the year a typo?"]
    assert set(found) == {"version", "errors", "warnings", "summary"}


# --- new, init, deploy --------------------------------------------------------------------------


def test_new_refuses_an_unknown_authority_in_the_sites_language(tmp_path: Path) -> None:
    german = run("new", "--site", make_site(tmp_path, "de", GOOD), "--authority", "POL-TS", "Brand")
    english = run("new", "--site", make_site(tmp_path, "en", GOOD), "--authority", "POL-TS", "Brand")
    assert (german.returncode, english.returncode) == (2, 2)
    assert lines(german.stderr)[-1] == (
        "pressroom: Fehler: unbekannte Behörde „POL-TS“ (meinten Sie polizei-teststadt (POL-TS)?); schreiben "
        "Sie das Kürzel, eines von: polizei-teststadt (POL-TS) (alle: polizei-teststadt)")
    assert lines(english.stderr)[-1] == (
        'pressroom: error: unknown authority "POL-TS" (did you mean polizei-teststadt (POL-TS)?); write the '
        "id, one of: polizei-teststadt (POL-TS) (all: polizei-teststadt)")


def test_new_without_authority_in_german(tmp_path: Path) -> None:
    result = run("new", "--site", make_site(tmp_path, "de", GOOD), "Brand")
    assert result.returncode == 2
    assert lines(result.stderr)[-1] == ("pressroom: Fehler: --authority fehlt; die Behörden dieser Website sind: "
                                        "polizei-teststadt")


def test_a_title_longer_than_a_file_name_is_no_site_folder(tmp_path: Path) -> None:
    # Before the command line is read, arguments are looked at as possible site folders.
    result = run("new", "--site", make_site(tmp_path, "de", GOOD), "Brand " * 60)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert lines(result.stderr)[-1].startswith("pressroom: Fehler: --authority fehlt;")


INIT = ("--name", "Stadt Teststadt", "--code", "STADT-TS", "--city", "Teststadt",
        "--base-url", "https://presse.example.org/", "--email", "presse@stadt.example.org")


def test_init_speaks_german_by_default_and_english_when_asked(tmp_path: Path) -> None:
    german = run("init", tmp_path / "neu", *INIT)
    english = run("init", tmp_path / "new", *INIT, "--lang", "en")
    assert (german.returncode, english.returncode) == (0, 0), german.stderr + english.stderr
    count = len([p for p in (tmp_path / "neu").rglob("*") if p.is_file()])
    pages = tmp_path / "neu" / "content/pages"
    assert lines(german.stdout) == [f"neue Website in {tmp_path / 'neu'}: {count} Dateien geschrieben",
                                    f"als Nächstes: füllen Sie die Seiten in {pages} aus, dann: pressroom "
                                    f"serve {tmp_path / 'neu'}"]
    assert lines(english.stdout)[0] == f"a new site in {tmp_path / 'new'}: {count} files written"
    refused = run("init", tmp_path / "neu", *INIT)
    assert refused.returncode == 2
    assert lines(refused.stderr)[-1] == (f"pressroom: Fehler: {tmp_path / 'neu'} ist nicht leer; init schreibt "
                                         "nur in einen neuen oder leeren Ordner, damit nichts überschrieben wird")


def test_init_without_the_flags_names_the_missing_ones_in_german(tmp_path: Path) -> None:
    result = run("init", tmp_path / "neu", "--name", "Stadt Teststadt")
    assert result.returncode == 2
    assert lines(result.stderr)[-1] == (
        "pressroom: Fehler: init braucht --name, --code, --city, --base-url und --email oder --phone, wenn es "
        "nicht fragen kann (kein Terminal); es fehlt: --code, --city, --base-url, --email, --phone")


def test_deploy_without_a_target_in_german(tmp_path: Path) -> None:
    result = run("deploy", make_site(tmp_path, "de", GOOD))
    assert result.returncode == 2
    assert lines(result.stderr)[-4:] == ["pressroom: Fehler: es gibt kein Ziel für deploy; tragen Sie in "
                                         "site.toml ein:", "[deploy]",
                                         'target = "user@host:/var/www/presse/"   (oder einen Ordner)',
                                         "oder geben Sie --target an"]


# --- what overrides the site's language ---------------------------------------------------------

SUMMARY = {"de": "geprüft: 1 Meldung, 0 Seiten, 1 Behörde – 0 Fehler, 0 Warnungen",
           "en": "checked 1 release, 0 pages, 1 authority: 0 errors, 0 warnings"}


@pytest.mark.parametrize(("site_language", "flags", "env", "spoken"), [
    ("de", ("--lang", "en"), NEUTRAL, "en"),
    ("en", ("--lang", "de"), NEUTRAL, "de"),
    ("de", (), {"LANG": "en_US.UTF-8"}, "en"),
    ("en", (), {"LANG": "de_DE.UTF-8"}, "de"),
    ("en", (), {"LC_ALL": "de_AT.UTF-8", "LANG": "en_GB.UTF-8"}, "de"),  # LC_ALL before LANG
    ("de", (), {"LC_MESSAGES": "en_US.UTF-8"}, "en"),
    ("de", (), {"LANGUAGE": "en:de", "LANG": "de_DE.UTF-8"}, "en"),  # GNU's list comes first
    ("en", (), {"LANG": "fr_FR.UTF-8"}, "en"),  # a language Pressroom does not speak: the site's
    ("de", (), {"LANG": "C"}, "de"),
    ("de", ("--lang", "de"), {"LANG": "en_US.UTF-8"}, "de"),  # --lang before the environment
], ids=["de-site-lang-en", "en-site-lang-de", "LANG-en", "LANG-de", "LC_ALL", "LC_MESSAGES", "LANGUAGE",
        "LANG-fr", "LANG-C", "lang-beats-LANG"])
def test_lang_and_the_environment_override_the_site(tmp_path: Path, site_language: str, flags: tuple[str, ...],
                                                    env: dict[str, str], spoken: str) -> None:
    result = run("check", make_site(tmp_path, site_language, GOOD), "--now", NOW, *flags, env=env)
    assert result.returncode == 0, result.stderr
    assert lines(result.stdout) == [SUMMARY[spoken]]


# --- every message the loader gives, translated ---------------------------------------------------

BROKEN = {
    "a-typo.md": TYPO,
    "b-date.md": "title: A\ndate: 2026/11/25\nauthority: polizei-teststadt\n",
    "c-appeal.md": "title: B\ndate: 2026-11-25\nauthority: polizei-teststadt\nkind: appeal\n",
    "d-report.md": "title: C\ndate: 2026-11-25\nauthority: polizei-teststadt\nkind: conference-report\n",
    "e-image.md": "title: D\ndate: 2026-11-25\nauthority: polizei-teststadt\nimages:\n  - foto: x.jpg\n"
                  "  - src: fehlt.jpg\n    alt: Ein Bild\n",
    "f-lists.md": "title: E\ndate: 2026-11-25\nauthority: polizei-teststadt\ntags: {a: b}\ndraft: ja\n"
                  "places: [Buer, [Horst]]\nupdates: Korrektur\n",
    "g-twice.md": "title: F\ntitle: G\ndate: 2026-11-25\nauthority: polizei-teststadt\n",
    "h-yaml.md": "title: Unfall: Zwei Verletzte\ndate: 2026-11-25\nauthority: polizei-teststadt\n",
    "i-follows.md": "id: eins\ntitle: H\ndate: 2026-11-25\nauthority: polizei-teststadt\nfollows: nix\n"
                    "aliases: [alte-adresse]\nlang: fr\n",
    "j-same-id.md": "id: eins\ntitle: I\ndate: 2026-11-25\nauthority: polizei-teststadt\n",
    "k-contact.md": "title: J\ndate: 2026-11-25\nauthority: polizei-teststadt\n"
                    "contact: {email: kein-at, phone: Montag bis Freitag, url: ftp://x}\n",
    "l-times.md": "title: K\ndate: 2026-11-25 10:00\nauthority: polizei-teststadt\nkind: appeal\n"
                  "expires: 2026-11-24\n",
    "m-event.md": "title: L\ndate: 2026-11-25\nauthority: polizei-teststadt\nkind: conference-report\n"
                  "event: {start: 2026-11-25 10:00, end: 2026-11-25 09:00}\n",
    "n-anchor.md": "title: &t M\ndate: 2026-11-25\nauthority: polizei-teststadt\nsummary: *t\n",
    "o-kind.md": "title: N\ndate: 2026-03-29 02:30\nauthority: polizei-teststadt\nkind: apeal\nextra: [1]\n",
    "p-attachment.md": "title: O\ndate: 2026-11-25\nauthority: polizei-teststadt\nattachments:\n"
                       "  - src: ../../../site.toml\n",
}
ENGLISH_WORDS = re.compile(r"\b(the|must|is|not|and|or|with|of|use|write|has|does|a)\b")  # "an" is German too


def broken_site(root: Path, language: str) -> Path:
    site = make_site(root, language, GOOD)
    for name, front_matter in BROKEN.items():
        (site / "content" / "releases" / "2026" / name).write_text(f"---\n{front_matter}---\n\nText.\n",
                                                                   encoding="utf-8")
    (site / "content" / "releases" / "2026" / "q-empty.md").write_text("", encoding="utf-8")
    (site / "content" / "releases" / "2026" / "r-no-front-matter.md").write_text("Text.\n", encoding="utf-8")
    (site / "content" / "releases" / "2026" / "s-open.md").write_text("---\ntitle: P\n", encoding="utf-8")
    (site / "content" / "pages").mkdir()
    (site / "content" / "pages" / "meldungen.md").write_text("---\ntitle: Q\nautor: R\n---\nText.\n",
                                                             encoding="utf-8")
    return site


def test_every_error_the_loader_gives_is_german_on_a_german_site(tmp_path: Path) -> None:
    german = run("check", broken_site(tmp_path, "de"), "--now", NOW)
    english = run("check", broken_site(tmp_path, "en"), "--now", NOW)
    assert (german.returncode, english.returncode) == (1, 1)
    german_lines, english_lines = lines(german.stderr)[:-1], lines(english.stderr)[:-1]
    assert len(german_lines) == len(english_lines) >= 30
    untranslated: list[str] = []
    for de, en in zip(german_lines, english_lines, strict=True):
        where, _, message = de.partition(": Fehler: ")
        assert en.startswith(f"{where}: error: "), (de, en)
        # PyYAML's own words after "this is not valid YAML:" stay as they are (the guide explains them).
        message = message.split("kein gültiges YAML:")[0]
        if message == en.removeprefix(f"{where}: error: ") or ENGLISH_WORDS.search(message):
            untranslated.append(de)
    assert not untranslated, "\n".join(untranslated)


# --- argparse: --help and a command line it cannot read ------------------------------------------


def test_help_and_argparse_errors_follow_the_site(tmp_path: Path) -> None:
    german_site, english_site = make_site(tmp_path, "de", GOOD), make_site(tmp_path, "en", GOOD)
    german = run("check", german_site, "--help")
    assert german.returncode == 0
    assert german.stdout.startswith("Aufruf: pressroom check [-h] [--lang {de,en}]")
    assert "  --strict              Warnungen als Fehler werten (Rückgabewert 1)\n" in german.stdout
    english = run("check", english_site, "--help")
    assert english.stdout.startswith("usage: pressroom check [-h] [--lang {de,en}]")
    assert "  --strict              treat warnings as errors (exit 1)\n" in english.stdout
    missing = run("new", "--site", german_site, "--authority", "polizei-teststadt")
    assert (missing.returncode, lines(missing.stderr)[-1]) == (2, "pressroom new: Fehler: diese Argumente fehlen: "
                                                                   "TITLE")
    jobs = run("build", english_site, "--jobs", "x", "--lang", "de")
    assert (jobs.returncode, lines(jobs.stderr)[-1]) == (2, "pressroom build: Fehler: Argument --jobs: 'x' ist keine "
                                                            "ganze Zahl")


def test_a_link_that_leads_nowhere_is_a_german_warning(tmp_path: Path) -> None:
    site = make_site(tmp_path, "de", GOOD)
    path = site / RELEASE
    path.write_text(path.read_text(encoding="utf-8") + "\nSiehe [die Übersicht](/meldungen/seite/9/).\n",
                    encoding="utf-8")
    result = run("check", site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert lines(result.stderr) == [
        f"{RELEASE}:9: Warnung: der Link „/meldungen/seite/9/“ führt ins Leere: dieser Bau schreibt kein "
        "/meldungen/seite/9/; korrigieren Sie die Adresse oder entfernen Sie den Link"]
