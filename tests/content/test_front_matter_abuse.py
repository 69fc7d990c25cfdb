"""Front matter cannot be abused: whatever a release, page or authorities.yaml holds, loading answers
with a model or with `path:line: error` problems that say what to fix – never with a traceback.

Each class of attack is tested on real files in a temporary site folder; one real
`python -m generator check` per class proves the whole path to the user."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.content.authorities import load_authorities
from generator.content.pages import load_pages
from generator.content.releases import LoadContext, load_release
from generator.content.settings import load_settings
from generator.core.errors import BuildErrors, Problem
from tests.conftest import DEMO_NOW, run_pressroom
from tests.support.sites import AUTHORITIES, minimal_site

RELEASE = "content/releases/2026-11-20-test.md"
HEAD = "title: Unfall\ndate: 2026-11-20T10:00:00+01:00\nauthority: polizei-test\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return minimal_site(tmp_path / "site")


def load(site: Path, front: str, name: str = RELEASE) -> tuple[object, list[Problem]]:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\nText.\n", encoding="utf-8")
    authorities, problems = load_authorities(site)
    assert not problems
    return load_release(path, LoadContext(site=site, settings=load_settings(site), authorities=authorities))


def errors(site: Path, front: str) -> set[str]:
    release, problems = load(site, front)
    assert release is None
    return {str(p) for p in problems}


def check_fails(site: Path, *expected: str) -> str:
    """`python -m generator check` exits 1 with exactly these `path:line: error` lines, no traceback."""
    result = run_pressroom("check", site, "--now", DEMO_NOW)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    found = {line for line in result.stderr.splitlines() if ": error: " in line}
    assert found == set(expected), result.stderr
    return result.stderr


# --------------------------------------------------------------------------- duplicate keys

def test_a_duplicate_key_names_the_key_and_both_lines(site: Path) -> None:
    assert errors(site, HEAD + "title: Zweiter Titel\n") == {
        f'{RELEASE}:5: error: the key "title" appears twice, on lines 2 and 5; keep one of them'}


def test_duplicate_keys_in_nested_mappings_are_found_too(site: Path) -> None:
    front = HEAD + "contact:\n  phone: '1'\n  phone: '2'\nextra:\n  a: 1\n  b: 2\n  a: 3\n"
    assert errors(site, front) == {
        f'{RELEASE}:7: error: the key "phone" appears twice, on lines 6 and 7; keep one of them',
        f'{RELEASE}:11: error: the key "a" appears twice, on lines 9 and 11; keep one of them'}


def test_a_duplicate_key_in_authorities_yaml(site: Path) -> None:
    (site / "content" / "authorities.yaml").write_text(AUTHORITIES + "polizei-test:\n  name: X\n", encoding="utf-8")
    authorities, problems = load_authorities(site)
    assert {str(p) for p in problems} == {
        'content/authorities.yaml:14: error: the key "polizei-test" appears twice, on lines 1 and 14; '
        "keep one of them"}
    assert authorities == {}


def test_a_duplicate_key_in_a_page(site: Path) -> None:
    (site / "content" / "pages").mkdir()
    (site / "content" / "pages" / "impressum.md").write_text("---\ntitle: A\ntitle: B\n---\nText\n",
                                                           encoding="utf-8")
    pages, problems = load_pages(site)
    assert pages == []
    assert {str(p) for p in problems} == {
        'content/pages/impressum.md:3: error: the key "title" appears twice, on lines 2 and 3; keep one of them'}


def test_duplicate_keys_end_to_end(site: Path) -> None:
    load(site, HEAD + "date: 2026-11-21\n")
    check_fails(site, f'{RELEASE}:5: error: the key "date" appears twice, on lines 3 and 5; keep one of them')


# --------------------------------------------------------------------------- anchors, aliases, tags

ANCHOR = 'the anchor "&{}" is not allowed: YAML anchors and aliases are refused in front matter; write the value out'
ALIAS = 'the alias "*{}" is not allowed: YAML anchors and aliases are refused in front matter; write the value out'


def test_anchors_and_aliases_are_refused(site: Path) -> None:
    front = HEAD + "tags: &t [Verkehr]\nplaces: *t\n"
    assert errors(site, front) == {f"{RELEASE}:5: error: " + ANCHOR.format("t"),
                                   f"{RELEASE}:6: error: " + ALIAS.format("t")}


def test_a_billion_laughs_is_refused_at_once(site: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 12)]
    front = HEAD + "extra:\n" + "".join(f"  {line}\n" for line in lines)
    start = time.monotonic()
    found = errors(site, front)
    assert time.monotonic() - start < 2
    assert f"{RELEASE}:6: error: " + ANCHOR.format("a0") in found
    assert f"{RELEASE}:17: error: " + ALIAS.format("a10") in found
    assert len(found) == 12 + 11  # every anchor, every line of aliases (one message a line and name)


def test_an_anchor_alone_and_in_authorities_yaml_is_refused(site: Path) -> None:
    (site / "content" / "authorities.yaml").write_text(AUTHORITIES.replace("  contact:\n", "  contact: &c\n", 1),
                                                       encoding="utf-8")
    _, problems = load_authorities(site)
    assert {str(p) for p in problems} == {"content/authorities.yaml:5: error: " + ANCHOR.format("c")}


def test_an_ampersand_or_asterisk_in_text_is_no_anchor(site: Path) -> None:
    release, problems = load(site, HEAD + 'summary: "Müller & Söhne *dringend*"\ntags: [A&B, "*"]\n')
    assert problems == [] and release is not None


@pytest.mark.parametrize(("value", "tag"), [("!!binary aGFsbG8=", "!!binary"), ("!!set {a}", "!!set"),
                                            ("!!timestamp 2019-01-01", "!!timestamp"), ("!custom x", "!custom"),
                                            ("!!python/object:os.system x", "!!python/object:os.system")])
def test_yaml_types_beyond_text_numbers_lists_and_mappings_are_refused(site: Path, value: str, tag: str) -> None:
    assert errors(site, HEAD + f"extra: {{x: {value}}}\n") == {
        f'{RELEASE}:5: error: the YAML type "{tag}" is not allowed; front matter holds text, numbers, '
        "true/false, lists and mappings (remove the tag)"}


def test_a_merge_key_is_refused(site: Path) -> None:
    assert errors(site, HEAD + 'extra: {? !!merge "<<" : {title: X}}\n') == {
        f'{RELEASE}:5: error: merge keys ("<<") are not allowed; write each key out'}


def test_anchors_end_to_end(site: Path) -> None:
    load(site, HEAD + "tags: &t [Verkehr]\nplaces: *t\n")
    check_fails(site, f"{RELEASE}:5: error: " + ANCHOR.format("t"), f"{RELEASE}:6: error: " + ALIAS.format("t"))


# --------------------------------------------------------------------------- characters

def _character(code: str, name: str) -> str:
    return f"the text contains the invisible character {code} ({name}); delete it (retype the text around it)"


@pytest.mark.parametrize(("escape", "code", "name"), [
    ("\\0", "U+0000", "a NUL byte"),
    ("\\x01", "U+0001", "a control character"),
    ("\\e", "U+001B", "a control character"),
    ("\\r", "U+000D", "a control character"),
    ("\\x7f", "U+007F", "a control character"),
    ("\\x96", "U+0096", "a control character; often a Windows-1252 dash or quote saved wrongly"),
    ("\\uFFFE", "U+FFFE", "not a character"),
    ("\\uFFFF", "U+FFFF", "not a character"),
])
def test_control_characters_are_refused_in_any_text(site: Path, escape: str, code: str, name: str) -> None:
    front = HEAD + f'summary: "a{escape}b"\nplaces: [Erle, "x{escape}"]\nextra:\n  deep: {{list: ["{escape}"]}}\n'
    message = _character(code, name)
    assert errors(site, front) == {f"{RELEASE}:5: error: {message}", f"{RELEASE}:6: error: {message}",
                                   f"{RELEASE}:8: error: {message}"}


def test_control_characters_in_keys_are_refused(site: Path) -> None:
    assert errors(site, HEAD + 'extra: {"k\\0": 1}\n') == {f"{RELEASE}:5: error: " + _character("U+0000", "a NUL byte")}


def test_a_duplicate_key_with_a_control_character_is_named_printably(site: Path) -> None:
    assert errors(site, HEAD + 'extra:\n  "k\\0": 1\n  "k\\0": 2\n') == {
        f"{RELEASE}:6: error: " + _character("U+0000", "a NUL byte"),
        f"{RELEASE}:7: error: " + _character("U+0000", "a NUL byte"),
        f'{RELEASE}:7: error: the key "k\\u0000" appears twice, on lines 6 and 7; keep one of them'}


def test_tab_and_newline_stay_allowed(site: Path) -> None:
    release, problems = load(site, HEAD + 'summary: "eins\\tzwei\\ndrei"\n')
    assert problems == [] and release is not None


def test_a_lone_surrogate_escape_is_an_error_with_its_line(site: Path) -> None:
    found = errors(site, HEAD + 'summary: "\\ud800"\n')
    assert len(found) == 1 and next(iter(found)).startswith(f"{RELEASE}:5: error: this is not valid YAML")


def test_control_characters_end_to_end(site: Path) -> None:
    load(site, HEAD + 'summary: "\\0"\n')
    check_fails(site, f"{RELEASE}:5: error: " + _character("U+0000", "a NUL byte"))


# --------------------------------------------------------------------------- numbers and dates

DIGITS = "a number with more than 18 digits; if it is a text such as a file number, put it in quotes"


@pytest.mark.parametrize("number", ["1" * 5000, "1" * 19, "-" + "9" * 19, "0x" + "f" * 5000, "0b" + "1" * 100,
                                    "1:" * 3000 + "1"])
def test_numbers_too_long_to_convert_are_refused(site: Path, number: str) -> None:
    assert errors(site, HEAD + f"id: {number}\n") == {f"{RELEASE}:5: error: {DIGITS}"}


@pytest.mark.parametrize("number", ["1.0e+999999", ".inf", "-.inf", ".nan"])
def test_numbers_that_are_not_finite_are_refused(site: Path, number: str) -> None:
    assert errors(site, HEAD + f"extra: {{n: {number}}}\n") == {
        f'{RELEASE}:5: error: the number "{number[:20]}" is too large or not a number; write a smaller number, '
        "or put it in quotes if it is a text"}


def test_numbers_of_18_digits_and_quoted_long_numbers_stay_allowed(site: Path) -> None:
    release, problems = load(site, HEAD + f"extra: {{a: {'9' * 18}, b: '{'1' * 5000}', c: 1.5e300}}\n")
    assert problems == [] and release is not None


@pytest.mark.parametrize(("date", "year"), [("0001-01-01", 1), ("1899-12-31T23:59", 1899),
                                            ("2201-01-01T00:00:00+01:00", 2201), ("9999-12-31T23:59:59-12:00", 9999),
                                            ("9999-12-31", 9999)])
def test_dates_outside_1900_to_2200_are_refused(site: Path, date: str, year: int) -> None:
    assert errors(site, HEAD + f"expires: {date}\n") == {
        f'{RELEASE}:5: error: "expires": "{date}" lies in the year {year}; a date must be between 1900 and 2200 '
        "(is the year mistyped?)"}


def test_numbers_and_dates_end_to_end(site: Path) -> None:
    load(site, HEAD.replace("2026-11-20T10", "0219-11-20T10") + f"id: {'1' * 5000}\n")
    check_fails(site, f"{RELEASE}:5: error: {DIGITS}")
    load(site, HEAD.replace("2026-11-20T10", "0219-11-20T10"))
    check_fails(site, f'{RELEASE}:3: error: "date": "0219-11-20T10:00:00+01:00" lies in the year 219; a date must '
                "be between 1900 and 2200 (is the year mistyped?)")


# --------------------------------------------------------------------------- file names

NOT_UTF8 = 'the file name (or a folder name in its path) is not UTF-8; rename it using letters, digits and "-"'


def _control_name(code: str) -> str:
    return (f"the file name (or a folder name in its path) contains the invisible character {code} "
            '(a control character); rename it using letters, digits and "-"')


def _write_bytes_name(folder: Path, name: bytes, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(os.path.join(os.fsencode(folder), name), "w", encoding="utf-8") as stream:
        stream.write(text)


def test_file_names_that_are_not_utf8_or_hold_control_characters(site: Path) -> None:
    text = f"---\n{HEAD}---\nText.\n"
    releases = site / "content" / "releases"
    _write_bytes_name(releases, b"2026-11-20-caf\xe9.md", text)
    _write_bytes_name(releases, b"2026-11-20-a\x1b[2Jb.md", text)
    _write_bytes_name(releases / os.fsdecode(b"ordner\x07"), b"2026-11-20-c.md", text)
    _write_bytes_name(site / "content" / "pages", b"impressum\xff.md", "---\ntitle: I\n---\nText\n")
    stderr = check_fails(site,
                         f"content/releases/2026-11-20-caf\\xe9.md:1: error: {NOT_UTF8}",
                         f"content/releases/2026-11-20-a\\u001b[2Jb.md:1: error: {_control_name('U+001B')}",
                         f"content/releases/ordner\\u0007/2026-11-20-c.md:1: error: {_control_name('U+0007')}",
                         f"content/pages/impressum\\xff.md:1: error: {NOT_UTF8}")
    assert "\x1b" not in stderr and "\x07" not in stderr
    build = run_pressroom("build", site, "-o", site / "output", "--now", DEMO_NOW)
    assert build.returncode == 1 and "Traceback" not in build.stderr, build.stderr
    assert not (site / "output").exists()


# --------------------------------------------------------------------------- e-mail addresses

@pytest.mark.parametrize(("email", "character"), [("presse@polizei.de?bcc=spion@example.org", "?"),
                                                  ("presse@polizei.de,spion@example.org", ","),
                                                  ("presse@polizei.de;spion@example.org", ";"),
                                                  ("presse@polizei.de%2Cspion@example.org", "%"),
                                                  ("presse@polizei.de&cc=x", "&"), ("presse#x@polizei.de", "#")])
def test_an_email_that_adds_recipients_or_headers_is_refused(site: Path, email: str, character: str) -> None:
    message = (f'"{email}" is not one e-mail address: "{character}" could add recipients or mail headers to the '
               "mailto: link; write a single address like presse@polizei.example.org")
    assert errors(site, HEAD + f"contact: {{email: '{email}'}}\n") == {f"{RELEASE}:5: error: {message}"}
    (site / "content" / "authorities.yaml").write_text(
        AUTHORITIES.replace("presse@feuerwehr.example.org", f"'{email}'"), encoding="utf-8")
    _, problems = load_authorities(site)
    assert {str(p) for p in problems} == {f"content/authorities.yaml:13: error: {message}"}


@pytest.mark.parametrize("email", ["presse(at)polizei.de", "a@b@c.de", "presse@polizei", "pres se@polizei.de",
                                   "presse@polizei.de\\"])
def test_what_is_not_one_address_is_refused(site: Path, email: str) -> None:
    found = errors(site, HEAD + f"contact: {{email: '{email}'}}\n")
    assert len(found) == 1
    assert next(iter(found)).startswith(f'{RELEASE}:5: error: "{email}" is not an e-mail address')


def test_plain_addresses_stay_allowed(site: Path) -> None:
    release, problems = load(site, HEAD + "contact: {email: vorname.nachname+presse@stadt-köln.de}\n")
    assert problems == [] and release is not None


def test_email_end_to_end(site: Path) -> None:
    load(site, HEAD + "contact: {email: 'presse@polizei.de?bcc=spion@example.org'}\n")
    check_fails(site, f'{RELEASE}:5: error: "presse@polizei.de?bcc=spion@example.org" is not one e-mail address: '
                '"?" could add recipients or mail headers to the mailto: link; write a single address like '
                "presse@polizei.example.org")


# --------------------------------------------------------------------------- site.toml

def _settings_errors(site: Path, toml: str) -> set[str]:
    (site / "site.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(BuildErrors) as caught:
        load_settings(site)
    return {str(p) for p in caught.value.problems}


PATH_MESSAGE = ("site.toml:2: error: base_url contains {} in its path, which would break the generated server "
                'configuration; use only a-z, A-Z, 0-9, "-", ".", "_", "~" and "/" there')


@pytest.mark.parametrize(("path", "named"), [
    ("a b/", "a space"), ('a\\"b/', "a double quote"), ("a'b/", "\"'\""), ("a;b/", '";"'), ("a{b}/", '"{"'),
    ("a#b/", '"#"'), ("a?b/", '"?"'), ("a\\\\b/", '"\\"'), ("a$b/", '"$"'), ("ä/", '"ä"'), ("a%20b/", '"%"'),
    ("a\\tb/", "the invisible character U+0009"),
])
def test_base_url_path_characters_that_break_server_configs(site: Path, path: str, named: str) -> None:
    toml = f'title = "T"\nbase_url = "https://presse.example.org/{path}"\n'
    assert _settings_errors(site, toml) == {PATH_MESSAGE.format(named)}


def test_base_url_hosts_with_user_or_odd_characters(site: Path) -> None:
    assert _settings_errors(site, 'title = "T"\nbase_url = "https://user:pw@presse.example.org/"\n') == {
        'site.toml:2: error: base_url: its host may contain only letters, digits, "-" and "." (and a port, '
        'like :8080) ("@" is not); write a name with umlauts in its xn-- form'}


def test_plain_base_urls_stay_allowed(site: Path) -> None:
    for url in ("https://presse.example.org/", "http://localhost:8000/", "https://xn--mnchen-3ya.de/presse/polizei_1/",
                "https://[::1]:8080/a~b/"):
        (site / "site.toml").write_text(f'title = "T"\nbase_url = "{url}"\n', encoding="utf-8")
        assert load_settings(site).base_url == url


def test_control_characters_in_site_toml(site: Path) -> None:
    assert _settings_errors(site, 'title = "T\\u0000"\nbase_url = "https://presse.example.org/"\n'
                            '[extra]\nfooter = ["ok", "\\u001b[31m"]\n') == {
        'site.toml:1: error: "title": ' + _character("U+0000", "a NUL byte"),
        'site.toml:3: error: "extra": ' + _character("U+001B", "a control character")}


@pytest.mark.parametrize(("command", "now"), [("build", DEMO_NOW), ("check", "2026-11-26T12:00"), ("check", None)])
def test_a_timezone_typo_is_a_site_toml_error_also_with_now(site: Path, command: str, now: str | None) -> None:
    (site / "site.toml").write_text((site / "site.toml").read_text().replace("Europe/Berlin", "Europe/Berln"),
                                    encoding="utf-8")
    args = [command, site, *(["-o", site / "output"] if command == "build" else []),
            *(["--now", now] if now else [])]
    result = run_pressroom(*args)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        'site.toml:3: error: "Europe/Berln" is not an IANA time zone name such as "Europe/Berlin" '
        '(did you mean "Europe/Berlin"?)']


@pytest.mark.parametrize("zone", ["Europe", "../../etc/passwd", "x" * 5000, ""])
def test_timezones_that_name_folders_or_paths(site: Path, zone: str) -> None:
    found = _settings_errors(site, f'title = "T"\nbase_url = "https://p.example.org/"\ntimezone = "{zone}"\n')
    assert len(found) == 1
    assert next(iter(found)).startswith(f'site.toml:3: error: "{zone}" is not an IANA time zone name')


def test_base_url_end_to_end(site: Path) -> None:
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://presse.example.org/a;b/"\n', encoding="utf-8")
    check_fails(site, PATH_MESSAGE.format('";"'))
