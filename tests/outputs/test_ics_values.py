"""iCalendar values of any text: a parameter never breaks out of its quotes, a TEXT value reads back."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.text import strip_control
from generator.outputs.ics import parameter, text

# RFC 5545 3.1: QSAFE-CHAR (inside quotes) and SAFE-CHAR (unquoted).
QSAFE = re.compile(r'[^"\x00-\x08\x0a-\x1f\x7f]*')
SAFE = re.compile(r'[^";:,\x00-\x08\x0a-\x1f\x7f]*')
ANY_TEXT = (st.text(st.characters(codec="utf-8"), max_size=40)
            | st.text(alphabet=':;,"\\\r\n\t\x07\ufffe aä', max_size=20))


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_a_parameter_value_is_quoted_or_safe(value: str) -> None:
    made = parameter(value)
    if made.startswith('"'):
        assert made.endswith('"') and len(made) >= 2 and QSAFE.fullmatch(made[1:-1])
        assert any(c in made[1:-1] for c in ":;,")
    else:
        assert SAFE.fullmatch(made)
    assert "\ufffe" not in made and "\x07" not in made


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,n])", lambda m: "\n" if m[1] == "n" else m[1], value)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_a_text_value_reads_back_without_control_characters(value: str) -> None:
    made = text(value)
    assert "\n" not in made and "\r" not in made
    assert re.fullmatch(r"(?:[^\\;,]|\\[\\;,n])*", made)  # every special character escaped
    assert _unescape(made) == strip_control(value.replace("\r\n", "\n").replace("\r", "\n"))


def test_the_escapes_named_in_the_rfc() -> None:
    assert text('Saal "Europa"; 2. OG, Nord\\Süd\nZweite Zeile') == \
        'Saal "Europa"\\; 2. OG\\, Nord\\\\Süd\\nZweite Zeile'
    assert parameter('Polizei "Nord"; Wache') == '"Polizei Nord; Wache"'
    assert parameter("Polizei Nord") == "Polizei Nord"
    assert parameter("Zeile 1\nZeile 2\x07") == "Zeile 1 Zeile 2"
