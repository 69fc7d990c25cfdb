"""Authorities name their tip lines, type and logo; releases and pages are in the site's
content language unless they say otherwise. What is wrong is a `path:line: error`, all at once."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from PIL import Image as PILImage

from generator.content.authorities import load_authorities
from generator.content.pages import load_pages
from generator.content.releases import LoadContext, load_release
from generator.content.settings import load_settings
from generator.core.errors import BuildErrors
from generator.core.models import Authority, TipLine
from generator.media.publish import MediaError, inspect_image
from tests.conftest import DEMO_NOW, REPO, run_pressroom
from tests.support.sites import minimal_site, write_release

AUTHORITIES = "content/authorities.yaml"


def site_with(tmp_path: Path, authorities: str, settings: str = "") -> Path:
    site = minimal_site(tmp_path / "site", settings)
    (site / AUTHORITIES).write_text(authorities, encoding="utf-8")
    media = site / "content" / "media"
    media.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (64, 64), (0, 75, 135)).save(media / "wappen.png")
    (media / "kaputt.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    return site


def loaded(site: Path) -> dict[str, Authority]:
    authorities, problems = load_authorities(site)
    assert problems == []
    return authorities


def check_errors(site: Path) -> set[str]:
    """The `path:line: error` lines of a real `python -m generator check`, which must exit 1."""
    result = run_pressroom("check", site, "--now", DEMO_NOW)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return {line for line in result.stderr.splitlines() if ": error: " in line}


# --------------------------------------------------------------------------- tip lines

def test_tip_lines_load_in_their_order_as_a_list_or_as_one_mapping(tmp_path: Path) -> None:
    site = site_with(tmp_path, """\
polizei-test:
  name: Polizei Teststadt
  code: POL-TS
  city: Teststadt
  tips:
    - text: Notruf
      phone: 110
    - text: Hinweistelefon der Kriminalwache
      phone: 01234 / 567-8240
      url: https://polizei.example.org/hinweise
stadt-test:
  name: Stadt Teststadt
  code: STADT-TS
  city: Teststadt
  tips: {text: Ordnungsamt, phone: "+49 1234 567-0"}
""")
    authorities = loaded(site)
    assert authorities["polizei-test"].tips == (
        TipLine(phone="110", text="Notruf"),
        TipLine(phone="01234 / 567-8240", text="Hinweistelefon der Kriminalwache",
                url="https://polizei.example.org/hinweise"),
    )
    assert authorities["stadt-test"].tips == (TipLine(phone="+49 1234 567-0", text="Ordnungsamt"),)


def test_police_without_tips_get_notruf_110_and_the_others_none(tmp_path: Path) -> None:
    site = site_with(tmp_path, """\
polizei-test: {name: Polizei, code: POL-TS, city: T}
bundespolizei-test: {name: Bundespolizei, code: BPOL-NRW, city: T}
feuerwehr-test: {name: Feuerwehr, code: FW-TS, city: T}
stadt-test: {name: Stadt, code: STADT-TS, city: T}
verein-test: {name: Verein, code: VEREIN-TS, city: T}
polizei-ohne: {name: Polizei ohne Hinweise, code: POL-OH, city: T, tips: []}
wache-test: {name: Wache, code: WACHE-TS, city: T, type: police}
""")
    authorities = loaded(site)
    assert {a.id: (a.type, a.tips) for a in authorities.values()} == {
        "polizei-test": ("police", (TipLine(phone="110", text="Notruf"),)),
        "bundespolizei-test": ("police", (TipLine(phone="110", text="Notruf"),)),
        "feuerwehr-test": ("fire", ()),
        "stadt-test": ("city", ()),
        "verein-test": ("other", ()),
        "polizei-ohne": ("police", ()),
        "wache-test": ("police", (TipLine(phone="110", text="Notruf"),)),
    }
    english, problems = load_authorities(site, "en")
    assert problems == []
    assert english["polizei-test"].tips == (TipLine(phone="110", text="Emergency"),)


def test_an_explicit_type_wins_over_the_code(tmp_path: Path) -> None:
    site = site_with(tmp_path, "pol-fw: {name: Feuerwehr, code: POL-FW, city: T, type: fire}\n")
    assert loaded(site)["pol-fw"].type == "fire"
    assert loaded(site)["pol-fw"].tips == ()


def test_an_unquoted_number_is_taken_as_written_not_as_yaml_reads_it(tmp_path: Path) -> None:
    # YAML 1.1 reads 0201234567 as an octal number (33896823) and 0209.3652010 as a fraction.
    site = site_with(tmp_path, """\
polizei-test:
  name: Polizei
  code: POL-TS
  city: T
  contact:
    phone: 0201234567
  tips:
    - text: Kriminalwache
      phone: 0209.3652010
""")
    police = loaded(site)["polizei-test"]
    assert (police.contact.phone, police.tips) == (
        "0201234567", (TipLine(phone="0209.3652010", text="Kriminalwache"),))


# --------------------------------------------------------------------------- logo

def test_a_logo_is_an_image_under_the_site_with_the_name_as_its_default_alt(tmp_path: Path) -> None:
    site = site_with(tmp_path, """\
polizei-test: {name: Polizei Teststadt, code: POL-TS, city: T, logo: wappen.png}
stadt-test:
  name: Stadt Teststadt
  code: STADT-TS
  city: T
  logo: {src: media/wappen.png, alt: Wappen der Stadt Teststadt}
feuerwehr-test: {name: Feuerwehr, code: FW-TS, city: T}
""")
    authorities = loaded(site)
    logos = {k: (a.logo.file.site_path, a.logo.alt) if a.logo else None for k, a in authorities.items()}
    assert logos == {
        "polizei-test": ("content/media/wappen.png", "Polizei Teststadt"),
        "stadt-test": ("content/media/wappen.png", "Wappen der Stadt Teststadt"),
        "feuerwehr-test": None,
    }


# --------------------------------------------------------------------------- errors, all at once

def test_every_wrong_tip_phone_type_and_logo_is_an_error_with_its_line(tmp_path: Path) -> None:
    site = site_with(tmp_path, """\
polizei-test:
  name: Polizei Teststadt
  code: POL-TS
  city: Teststadt
  type: polizei
  logo: fehlt.png
  contact:
    phone: 365 2010
  tips:
    - text: Notruf
      phone: Notruf 110
    - phone: 01234 / 567-8240
    - text: Hinweisportal
      phone: 01234 567 0
      url: hinweise.example.org
      mail: x@example.org
stadt-test:
  name: Stadt Teststadt
  code: STADT-TS
  city: Teststadt
  logo: kaputt.png
  tips: 0209 / 169 0
feuerwehr-test:
  name: Feuerwehr Teststadt
  code: FW-TS
  city: Teststadt
  logo: [wappen.png]
  tips:
    - text: Leitstelle
    - 112
""")
    a = AUTHORITIES
    errors = check_errors(site)
    assert {e.split(": error: ")[0] for e in errors} == {
        f"{a}:5", f"{a}:6", f"{a}:8", f"{a}:11", f"{a}:12", f"{a}:15", f"{a}:16", f"{a}:21", f"{a}:22", f"{a}:27",
        f"{a}:29", f"{a}:30"}
    assert errors == {
        f'{a}:5: error: type must be one of police, fire, city, other, not "polizei" (did you mean "police"?)',
        f'{a}:6: error: "fehlt.png" does not exist; paths are relative to content/authorities.yaml or to '
        "content/media/",
        f'{a}:8: error: phone "365 2010" lacks its area code; write it with the area code, like '
        '"0209 365 2010" (without one only 110, 112, 115 and 116 xxx work everywhere)',
        f'{a}:11: error: phone "Notruf 110" must be one telephone number, digits only, like "0209 365 2010" or '
        '"+49 209 365-2010"; words such as opening hours belong elsewhere (in a tip line, into "text")',
        f'{a}:12: error: "text" is required and must not be empty',
        f'{a}:15: error: "hinweise.example.org" must be an http(s) URL',
        f'{a}:16: error: unknown key "mail" in a tip line (allowed: phone, text, url)',
        f'{a}:21: error: image "kaputt.png": {_broken_png_message(site)}',
        f'{a}:22: error: "tips" must be a list (each entry starting with "- "), not a text',
        f'{a}:27: error: "logo" must be the path of an image, or a mapping of src and alt, not a list',
        f'{a}:29: error: "phone" is required and must not be empty',
        f"{a}:30: error: a tip line must be a mapping of phone, text, url, not a number",
    }


def _broken_png_message(site: Path) -> str:
    """The media layer's own words for an image that does not decode (not this test's business)."""
    try:
        inspect_image(site / "content" / "media" / "kaputt.png")
    except MediaError as exc:
        return str(exc)
    raise AssertionError("the broken PNG decoded")


def test_an_undiallable_phone_of_a_release_contact_is_an_error_with_its_line(tmp_path: Path) -> None:
    site = site_with(tmp_path, "polizei-test: {name: Polizei, code: POL-TS, city: T}\n")
    write_release(site, "2026-11-20-test", "title: Unfall\ndate: 2026-11-20T10:00:00+01:00\n"
                  "authority: polizei-test\ncontact:\n  name: Erika Muster\n  phone: 0209 365 2010 oder 2011\n")
    assert check_errors(site) == {
        'content/releases/2026-11-20-test.md:7: error: phone "0209 365 2010 oder 2011" must be one telephone '
        'number, digits only, like "0209 365 2010" or "+49 209 365-2010"; words such as opening hours belong '
        'elsewhere (in a tip line, into "text")'}


# --------------------------------------------------------------------------- content_language

def _release_and_page_languages(site: Path, front: str = "") -> tuple[str | None, str | None]:
    release_path = write_release(site, "2026-11-20-test", "title: Unfall\ndate: 2026-11-20T10:00:00+01:00\n"
                                 "authority: polizei-test\n" + front)
    pages = site / "content" / "pages"
    pages.mkdir(exist_ok=True)
    (pages / "impressum.md").write_text("---\ntitle: Impressum\n---\nText.\n", encoding="utf-8")
    settings = load_settings(site)
    authorities, _ = load_authorities(site, settings.content_language)
    release, problems = load_release(release_path, LoadContext(site=site, settings=settings,
                                                               authorities=authorities))
    assert problems == [] and release is not None
    loaded_pages, problems = load_pages(site, settings.content_language)
    assert problems == []
    return release.lang, loaded_pages[0].lang


@pytest.mark.parametrize(("settings", "front", "languages"), [
    ("", "", ("de", "de")),
    ('language = "en"\n', "", ("en", "en")),
    ('language = "en"\ncontent_language = "de"\n', "", ("de", "de")),
    ('content_language = "en"\n', "", ("en", "en")),
    ('language = "en"\ncontent_language = "de"\n', "lang: en\n", ("en", "de")),
], ids=["default", "english-site", "english-site-german-texts", "german-site-english-texts", "own-lang-wins"])
def test_releases_and_pages_are_in_the_content_language_unless_they_say_otherwise(
        tmp_path: Path, settings: str, front: str, languages: tuple[str, str]) -> None:
    site = minimal_site(tmp_path / "site", settings)
    assert _release_and_page_languages(site, front) == languages
    assert load_settings(site).content_language == languages[1]


def test_content_language_takes_the_languages_that_language_takes(tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site", 'language = "en"\ncontent_language = "fr"\n')
    with pytest.raises(BuildErrors) as raised:
        load_settings(site)
    assert [str(p) for p in raised.value.problems] == [
        'site.toml:5: error: content_language must be "de" or "en", not "fr"']
    assert check_errors(site) == {'site.toml:5: error: content_language must be "de" or "en", not "fr"'}


@pytest.fixture(scope="module")
def english_site_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An English site whose releases are German unless one says `lang: en`, built for real."""
    site = minimal_site(tmp_path_factory.mktemp("english") / "site", 'language = "en"\ncontent_language = "de"\n')
    write_release(site, "2026-11-20-unfall", "id: de-1\ntitle: Unfall\ndate: 2026-11-20T10:00:00+01:00\n"
                  "authority: polizei-test\n")
    write_release(site, "2026-11-21-crash", "id: en-1\ntitle: Crash\ndate: 2026-11-21T10:00:00+01:00\n"
                  "authority: polizei-test\nlang: en\n")
    out = site.parent / "out"
    result = run_pressroom("build", site, "-o", out, "--now", DEMO_NOW, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def test_an_english_site_with_german_releases_marks_them_german_in_its_feed_and_api(
        english_site_output: Path) -> None:
    out = english_site_output
    feed = json.loads((out / "feeds" / "feed.json").read_text(encoding="utf-8"))
    assert feed["language"] == "en"
    assert {item["id"].rsplit(":", 1)[1]: item.get("language") for item in feed["items"]} == {
        "de-1": "de", "en-1": None}
    api = out / "api" / "v1" / "releases"
    assert {name: json.loads((api / f"{name}.json").read_text(encoding="utf-8"))["language"]
            for name in ("2026-11-20-unfall", "2026-11-21-crash")} == {
        "2026-11-20-unfall": "de", "2026-11-21-crash": "en"}


def test_the_api_lists_each_office_with_its_type_and_tip_lines(english_site_output: Path) -> None:
    api = english_site_output / "api" / "v1"
    index = json.loads((api / "index.json").read_text(encoding="utf-8"))
    assert {o["id"]: (o["type"], o["tips"]) for o in index["offices"]} == {
        # the default text is in the content language, German here, not in the interface's
        "polizei-test": ("police", [{"text": "Notruf", "phone": "110", "tel": "tel:110", "url": None}]),
        "feuerwehr-test": ("fire", []),
    }
    police = json.loads((api / "offices" / "polizei-test.json").read_text(encoding="utf-8"))
    assert police["office"] == next(o for o in index["offices"] if o["id"] == "polizei-test")
    schema = json.loads((REPO / "schema" / "api-v1.schema.json").read_text(encoding="utf-8"))
    for document, part in ((index, "api_index"), (police, "listing")):
        jsonschema.Draft202012Validator({**schema, "$ref": f"#/$defs/{part}"}).validate(document)
    wrong = {**index, "offices": [{**index["offices"][0], "tips": [{"text": "x", "phone": "1", "tel": "110",
                                                                     "url": None}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/api_index"}).validate(wrong)
