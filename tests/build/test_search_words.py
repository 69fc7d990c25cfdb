"""The search's words are made in shortcuts (Latin-1 letters replaced, other runs decomposed one
by one, ASCII split by a table, words counted at once): each gives exactly what the plain rule
gives – decompose the whole lower-cased text, take the accents off, find the runs of letters and
digits – or the index would not be the one search.js expects."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from generator.build import search_german as german

TEXTS = [
    "",
    "Einbrüche in Kellerräume – „Zeugen“ gesucht (5 000 €, § 243 StGB)",
    "Straße, STRASSE, Maßnahme, ẞ",
    "Café, naïve, Ærø, Åse, Øresund, ñandú, Çelik",
    "a\u0308rger u\u0308ber o\u0308l",  # already decomposed, as some editors save it
    "é\u0323 ä\u0301x o\u0308\u0323\u0301",  # a precomposed letter followed by more marks
    "x\u1dc0y a\u093cb \u05d0\u05b7",  # marks outside U+0300–U+036F stay and end a word
    "ΑΣ.Β ΟΔΟΣ. ΣΊΣΥΦΟΣ",  # the final sigma depends on what follows: lower case the whole
    "İstanbul ǅemal ﬁnal K Ω",
    "snake_case under_score __init__ a_b",
    "x" * 41 + " kurz " + "y" * 40 + " " + "ü" * 41,
    "Tab\there\nnew\x0bline\x1c\x1fsep 日本語 テキスト",
]


def plain_normalize(text: str) -> str:
    return re.sub("[\u0300-\u036f]+", "", unicodedata.normalize("NFD", text.lower().replace("ß", "ss")))


def plain_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", plain_normalize(text)) if len(w) <= german.MAX_WORD]


@pytest.mark.parametrize("text", TEXTS)
def test_words_are_those_of_the_plain_rule(text: str) -> None:
    assert german.normalize(text) == plain_normalize(text)
    assert german.words(text) == plain_words(text)
    assert german.word_counts(text) == Counter(plain_words(text))


def test_every_latin_1_letter_with_an_accent_and_mark_after_it_is_as_decomposed() -> None:
    letters = "".join(map(chr, range(0xC0, 0x100)))
    for mark in ("", "\u0301", "\u0323", "\u1dc0"):
        text = mark.join(letters) + mark + " " + " ".join(f"{c}{mark}x" for c in letters)
        assert german.normalize(text) == plain_normalize(text)
