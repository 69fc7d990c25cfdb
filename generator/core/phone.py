"""Telephone numbers as press offices write them, and as `tel:` links (RFC 3966) dial them.

German offices write the same number in many ways: "0209 / 365 2010", "(0209) 365-2010",
"+49 (0) 209 365 2010", "0049 209 3652010". A link must carry one global number,
"tel:+492093652010", so that a phone abroad or with a foreign SIM reaches the same line.
The short numbers that work anywhere in Germany without an area code (110, 112, 115, 116 xxx)
stay as they are: "tel:110". RFC 3966 would have a local number carry a `phone-context`, but
every phone dials "tel:110" as the emergency number, and a context would only confuse them.
"""

from __future__ import annotations

import re

from generator.core.errors import Message

# What separates groups of digits in print: spaces of every width, "/", ".", hyphens and dashes.
_SEPARATORS = re.compile(r"[\s/.\-\u2010-\u2015\u2212]+")
_TRUNK_ZERO = re.compile(r"^(\+\d{1,3})\(0\)")  # "+49 (0) 209 …": the 0 is dialled only inside the country
_AREA_PARENS = re.compile(r"\((\d+)\)")  # "(0209) 365 2010"
_DIGITS = re.compile(r"^\+?[0-9]+$")
# The numbers that reach the same service from every German line without an area code:
# 110 police, 112 fire brigade and ambulance, 115 public administration, 116 xxx the European
# helplines (116 000 missing children, 116 006 victims of crime, 116 117 on-call doctors …).
_SHORT = re.compile(r"^(110|112|115|116[0-9]{3})$")
GERMANY = "49"
# E.164: at most 15 digits with the country code. A German national number (without its 0)
# has an area code of 2 to 5 digits and a subscriber number of at least 3.
_MAX_DIGITS = 15
_MIN_NATIONAL = 5


def tel_uri(number: str, country: str = GERMANY) -> str | None:
    """The `tel:` URI of one written telephone number, or None if it is not one dialable number.

    A number starting with 0 is national (of `country`), with 00 or + international; without
    either only the short service numbers are accepted, because a local number without its
    area code reaches a different line in each town. Words, extensions ("Durchwahl", "App."),
    letters and two numbers in one text are not a number.
    """
    text = number.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    text = _SEPARATORS.sub("", text)
    text = _TRUNK_ZERO.sub(r"\1", text)
    text = _AREA_PARENS.sub(r"\1", text)
    if not _DIGITS.match(text):
        return None
    if _SHORT.match(text):
        return f"tel:{text}"
    if text.startswith("+"):
        digits = text[1:]
    elif text.startswith("00"):
        digits = text[2:]
    elif text.startswith("0"):
        digits = country + text[1:]
    else:
        return None
    if digits.startswith(GERMANY + "0") and country == GERMANY:
        digits = GERMANY + digits[3:]  # "+49 0209 …": the trunk 0 written after the country code
    # A country code never starts with 0; the shortest German number is the shortest anywhere.
    if digits.startswith("0") or not len(GERMANY) + _MIN_NATIONAL <= len(digits) <= _MAX_DIGITS:
        return None
    return f"tel:+{digits}"


def phone_problem(number: str) -> str | None:
    """Why `number` cannot become a `tel:` link, in the words of an error message, or None."""
    if tel_uri(number) is not None:
        return None
    digits = re.sub(r"[^0-9]", "", number)
    if re.search(r"[^\W\d_]", number):
        return Message('phone "%(number)s" must be one telephone number, digits only, like "0209 365 2010" or '
                       '"+49 209 365-2010"; words such as opening hours belong elsewhere (in a tip line, into "text")',
                       number=number)
    if digits and not number.strip().startswith(("0", "+")):
        return Message('phone "%(number)s" lacks its area code; write it with the area code, like "0209 365 2010" '
                       "(without one only 110, 112, 115 and 116 xxx work everywhere)", number=number)
    return Message('phone "%(number)s" is not a telephone number that can be dialled; write one number with its '
                   'area code, like "0209 365 2010" or "+49 209 365-2010"', number=number)
