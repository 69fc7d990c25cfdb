"""Forgiving where it is safe (the ways people write dates), exact where it is not, with messages that fix."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.dates import DateFormatError, parse_datetime, zone
from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

BERLIN = zone("Europe/Berlin")
WINTER = dt.timezone(dt.timedelta(hours=1))


@pytest.mark.parametrize(("written", "meant"), [
    ("2026-12-01 8:00", dt.datetime(2026, 12, 1, 8, 0, tzinfo=WINTER)),
    ("2026-12-01T8:05", dt.datetime(2026, 12, 1, 8, 5, tzinfo=WINTER)),
    ("01.12.2026 08:00", dt.datetime(2026, 12, 1, 8, 0, tzinfo=WINTER)),
    ("1.12.2026 8:00", dt.datetime(2026, 12, 1, 8, 0, tzinfo=WINTER)),
    ("01.12.2026", dt.datetime(2026, 12, 1, 0, 0, tzinfo=WINTER)),
    ("1.7.2026, 14:30 Uhr", dt.datetime(2026, 7, 1, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
    ("2026-12-01 08:00", dt.datetime(2026, 12, 1, 8, 0, tzinfo=WINTER)),
    ("2026-12-01", dt.datetime(2026, 12, 1, 0, 0, tzinfo=WINTER)),
])
def test_the_forms_people_write_are_read(written: str, meant: dt.datetime) -> None:
    assert parse_datetime(written, BERLIN) == meant


@pytest.mark.parametrize(("written", "guess"), [
    ("2026/12/01 8.00", "2026-12-01 08:00"),
    ("1.12.26", "2026-12-01"),
    ("2026-12-1", "2026-12-01"),
    ("01.12.2026 8 Uhr", "2026-12-01 08:00"),
    ("1-12-2026 08:00", "2026-12-01 08:00"),
    ("gestern", None),
    ("12", None),
])
def test_anything_else_names_the_forms_and_the_nearest_one(written: str, guess: str | None) -> None:
    with pytest.raises(DateFormatError) as caught:
        parse_datetime(written, BERLIN)
    message = str(caught.value)
    assert message.endswith("write it like 2026-12-01 08:00, 01.12.2026 08:00, 2026-12-01 or "
                            "2026-12-01T08:00:00+01:00")
    if guess is None:
        assert "did you mean" not in message
    else:
        assert f"(did you mean {guess}?)" in message
        assert parse_datetime(guess, BERLIN)  # the guess itself is accepted


@pytest.mark.parametrize("written", ["32.12.2026", "30.02.2026 10:00", "2026-03-29 2:30"])
def test_dates_that_do_not_exist_stay_errors(written: str) -> None:
    with pytest.raises(DateFormatError):
        parse_datetime(written, BERLIN)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.-/:T +Uhr,Z", max_size=40) | st.text(max_size=30))
def test_any_text_is_a_date_or_a_date_error(text: str) -> None:
    try:
        parsed = parse_datetime(text, BERLIN)
    except DateFormatError as exc:
        guess = re.search(r"\(did you mean (.+?)\?\)", str(exc))
        if guess:  # a guess is always a form that is read (only the clock change can still refuse it)
            try:
                parse_datetime(guess[1], BERLIN)
            except DateFormatError as again:
                assert "in Europe/Berlin (clocks" in str(again)
    else:
        assert parsed.tzinfo is not None


def check(tmp_path: Path, front: str, settings: str = "") -> list[str]:
    site = minimal_site(tmp_path / "site", settings)
    write_release(site, "a", front)
    result = run_pressroom("check", site, "--now", "2026-11-26T12:00")
    assert result.returncode == 1
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def test_a_misspelt_required_key_is_one_error_with_the_suggestion(tmp_path: Path) -> None:
    assert check(tmp_path, "titel: Unfall\ndate: 2026-11-20\nauthority: polizei-test") == [
        'content/releases/a.md:2: error: unknown key "titel" in the front matter (did you mean "title"?)']


def test_an_authority_given_by_its_code_or_nearly_names_the_id_and_lists_the_few(tmp_path: Path) -> None:
    choices = "write the id, one of: feuerwehr-test (FW-TS), polizei-test (POL-TS)"
    for written, meant in (("POL-TS", "polizei-test (POL-TS)"), ("fw-ts", "feuerwehr-test (FW-TS)"),
                         ("polizei-tset", "polizei-test (POL-TS)")):
        assert check(tmp_path / written, f"title: T\ndate: 2026-11-20\nauthority: {written}") == [
            f'content/releases/a.md:4: error: unknown authority "{written}" (did you mean {meant}?); {choices}']
    assert check(tmp_path / "x", "title: T\ndate: 2026-11-20\nauthority: landratsamt") == [
        f'content/releases/a.md:4: error: unknown authority "landratsamt"; {choices}']


def test_a_too_long_appeal_names_the_latest_allowed_expires(tmp_path: Path) -> None:
    errors = check(tmp_path, "title: T\ndate: 2026-11-20 10:00\nauthority: polizei-test\nkind: appeal\n"
                   "expires: 2026-12-31", "appeal_max_days = 30\n")
    assert errors == ["content/releases/a.md:6: error: an appeal may run at most 30 days (appeal_max_days in "
                      "site.toml); set an earlier expires, at the latest expires: 2026-12-20 10:00"]
