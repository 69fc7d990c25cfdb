"""Phone numbers as German press offices print them become one `tel:` URI each (RFC 3966),
and what cannot be dialled is refused with a message that says how to write it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.phone import phone_problem, tel_uri

DIALLABLE = [
    # the notations of DIN 5008 and of real press releases
    ("0209 365 2010", "tel:+492093652010"),
    ("0209 / 365 2010", "tel:+492093652010"),
    ("0209/365-2010", "tel:+492093652010"),
    ("0209 365-2010", "tel:+492093652010"),
    ("(0209) 365-2010", "tel:+492093652010"),
    ("0209.365.2010", "tel:+492093652010"),
    ("02093652010", "tel:+492093652010"),
    ("+49 209 365-2010", "tel:+492093652010"),
    ("+49 209 3652010", "tel:+492093652010"),
    ("+49 (0) 209 365 2010", "tel:+492093652010"),
    ("+49 (0)209 3652010", "tel:+492093652010"),
    ("+49 0209 365 2010", "tel:+492093652010"),
    ("0049 209 365 2010", "tel:+492093652010"),
    ("tel:+492093652010", "tel:+492093652010"),
    ("TEL:0209 365 2010", "tel:+492093652010"),
    ("  0209 365 2010  ", "tel:+492093652010"),
    # switchboards and direct lines
    ("0209 365-0", "tel:+492093650"),
    ("01234 / 567-0", "tel:+4912345670"),
    ("030 4664-4664", "tel:+493046644664"),
    ("089 2910-0", "tel:+498929100"),
    # free and service numbers, mobile numbers
    ("0800 111 0 111", "tel:+498001110111"),
    ("0800 / 1 11 02 22", "tel:+498001110222"),
    ("0171 1234567", "tel:+491711234567"),
    ("+49 171 123 45 67", "tel:+491711234567"),
    # dashes and spaces from word processors
    ("0209 – 365 – 2010", "tel:+492093652010"),
    ("0209\u2011365\u20112010", "tel:+492093652010"),
    ("0209\u00a0365\u00a02010", "tel:+492093652010"),
    ("0209\u202f365\u202f2010", "tel:+492093652010"),
    ("0209\t365 2010", "tel:+492093652010"),
    # the short numbers that need no area code anywhere in Germany
    ("110", "tel:110"),
    ("112", "tel:112"),
    ("115", "tel:115"),
    ("116 117", "tel:116117"),
    ("116 000", "tel:116000"),
    ("116006", "tel:116006"),
    # other countries
    ("+43 1 31310-0", "tel:+431313100"),
    ("+31 20 559 9111", "tel:+31205599111"),
    ("0031 20 559 9111", "tel:+31205599111"),
    ("+1 212 555 0100", "tel:+12125550100"),
]

NOT_DIALLABLE = [
    "",
    "   ",
    "Notruf 110",
    "110 oder 112",
    "0209 365 2010 oder 2011",
    "0209 365 2010 (Mo–Fr 8–16 Uhr)",
    "0209 365 2010 App. 12",
    "0209 365 2010 Durchwahl 12",
    "0800-POLIZEI",
    "365 2010",  # no area code: another line in every town
    "3652010",
    "1",
    "19222",  # the old rescue number needs the area code from a mobile phone
    "0209 1",  # too short for any German number
    "0",
    "00",
    "+",
    "+0209 365 2010",
    "++49 209 365 2010",
    "+49 209 365 2010 1234 5678",  # longer than E.164 allows
    "0209 365 2010 #",
    "0209 / 99\"><script>alert(1)</script>",
    "javascript:alert(1)",
    "tel:",
    "\uff10\uff12\uff10\uff19 365 2010",  # full-width digits
    "\u0660\u0662\u0660\u0669 365 2010",  # Arabic-Indic digits
    "0209 365 2010;ext=12",
    "0209 (365) (2010",
]


@pytest.mark.parametrize(("written", "uri"), DIALLABLE, ids=[w for w, _ in DIALLABLE])
def test_a_written_number_becomes_one_global_tel_uri(written: str, uri: str) -> None:
    assert tel_uri(written) == uri
    assert phone_problem(written) is None


@pytest.mark.parametrize("written", NOT_DIALLABLE)
def test_what_is_not_one_dialable_number_has_no_uri_and_a_problem(written: str) -> None:
    assert tel_uri(written) is None
    assert phone_problem(written) is not None


def test_the_problem_says_how_to_write_the_number() -> None:
    assert phone_problem("365 2010") == (
        'phone "365 2010" lacks its area code; write it with the area code, like "0209 365 2010" '
        "(without one only 110, 112, 115 and 116 xxx work everywhere)")
    assert phone_problem("Notruf 110") == (
        'phone "Notruf 110" must be one telephone number, digits only, like "0209 365 2010" or '
        '"+49 209 365-2010"; words such as opening hours belong elsewhere (in a tip line, into "text")')
    assert phone_problem("0209 1") == (
        'phone "0209 1" is not a telephone number that can be dialled; write one number with its '
        'area code, like "0209 365 2010" or "+49 209 365-2010"')


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_none_or_a_uri_of_plain_digits(text: str) -> None:
    uri = tel_uri(text)
    assert uri is None or (uri.startswith("tel:") and uri[4:].lstrip("+").isascii()
                           and uri[4:].lstrip("+").isdigit() and len(uri) <= len("tel:+") + 15)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=2, max_value=9), st.text("0123456789", min_size=6, max_size=10),
       st.sampled_from([" ", " / ", "/", "-", " - "]))
def test_the_national_and_the_international_notation_give_the_same_uri(first: int, rest: str, gap: str) -> None:
    national = f"0{first}{rest[:2]}{gap}{rest[2:]}"
    international = f"+49 {first}{rest[:2]} {rest[2:]}"
    assert tel_uri(national) == tel_uri(international) == f"tel:+49{first}{rest}"
