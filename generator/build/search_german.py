"""German words for the search: the same normalizing, stemming and compound parts as search.js.

The search runs in the reader's browser over an index made here, so a word must become the
same term on both sides. `templates/static/search.js` holds the twin of every function below;
a browser test stems the whole vocabulary of a corpus on both sides and compares.

- `normalize`: lower case, "ß" → "ss", accents and umlauts taken off ("Brüche" → "bruche").
- `stem`: the Snowball German stemmer (snowballstem.org, the classic algorithm), so that
  "Einbruch", "Einbrüche" and "Einbruchs" are one term.
- `heads`: the possible last parts of a compound ("Wohnungseinbruch" → … "einbruch" …),
  each stemmed as a word of its own. Which of them is a real part is decided with the
  corpus' own words: a part counts when what comes before it is a word of the same index part
  ("Wohnung" + s + "einbruch": confirmed at build time), or when searching, when the query
  word also occurs on its own in a published release. So "Konferenz" finds
  "Sicherheitskonferenz" while "ferenz" finds nothing.
- `STOP_WORDS`: articles, pronouns, prepositions and the like; never indexed, dropped from a query.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

# Changes to anything here change the index: the version is part of each part's fingerprint.
VERSION = "3"
MAX_WORD = 40  # longer "words" are addresses, hashes or garbage
MIN_HEAD = 4  # a compound's last part has at least this many letters …
MIN_MODIFIER = 3  # … and what comes before it at least this many

_TOKEN = re.compile(r"[^\W_]+")
_ACCENTS = re.compile("[\u0300-\u036f]+")
_ASCII_WORD = re.compile(r"[a-z]+")
_VOWELS = frozenset("aeiouy")
_S_ENDING = frozenset("bdfghklmnrt")
_ST_ENDING = frozenset("bdfghklmnt")

_STOP_TEXT = """
aber alle allem allen aller alles als also am an andere anderen anderer anderes auch auf aus
bei beim bin bis bist da damit dann das dass dein deine dem den denn der des dessen deren dich
die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines
er es etwas euch euer eure für gegen hat hatte hatten hier hin ich ihm ihn ihnen ihr ihre ihrem
ihren ihrer ihres im in ins ist ja jede jedem jeden jeder jedes jene jenem jenen jener jenes kann
kein keine keinem keinen keiner man mein meine mich mir mit nach nicht noch nun nur ob oder ohne
sein seine seinem seinen seiner sich sie sind so solche sondern um und uns unser unsere unter vom
von vor war waren was weil welche welchem welchen welcher welches wenn wer wie wir wird wo zu zum
zur über
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def normalize(text: str) -> str:
    """Lower case without accents: "Einbrüche" → "einbruche", "Straße" → "strasse".

    Accents are the combining marks U+0300–U+036F after canonical decomposition (the same
    range in search.js): the marks of Latin, Greek and Cyrillic letters.
    """
    lowered = text.lower().replace("ß", "ss")
    if lowered.isascii():
        return lowered
    # The same, at a fraction of the time for a release's text (decomposing all of it was most
    # of the time its words took): first the accented letters of Latin-1, replaced by the ASCII
    # letter they decompose into – a German text is then mostly ASCII – and then each run of other
    # characters on its own. Decomposing does not reach across an ASCII character (it reorders
    # combining marks only, and an ASCII character is none), so run by run gives the same text.
    for letter, plain in _LATIN_1:
        lowered = lowered.replace(letter, plain)
    if lowered.isascii():
        return lowered
    return _NOT_ASCII.sub(_fold, lowered)


_LATIN_1 = [(letter, decomposed[0]) for letter in map(chr, range(0xE0, 0x100))
            if len(decomposed := unicodedata.normalize("NFD", letter)) > 1 and decomposed[0].isascii()
            and not _ACCENTS.sub("", decomposed[1:])]
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold(run: re.Match[str]) -> str:
    return _folded(run[0])


@lru_cache(maxsize=4096)
def _folded(run: str) -> str:
    return _ACCENTS.sub("", unicodedata.normalize("NFD", run))


NORMAL_STOP_WORDS = frozenset(normalize(word) for word in STOP_WORDS)


def words(text: str) -> list[str]:
    """The normalized words of a text, in order (stop words included)."""
    return [w for w in _tokens(normalize(text)) if len(w) <= MAX_WORD]


def word_counts(text: str) -> Counter[str]:
    """How often each normalized word is in a text (stop words included): `Counter(words(text))`,
    made without a Python step per word, as a release's text has some 300 of them."""
    counts = Counter(_tokens(normalize(text)))
    for word in [word for word in counts if len(word) > MAX_WORD]:
        del counts[word]
    return counts


# Every character but the letters and digits of ASCII, as a space: on ASCII text, splitting
# after this table gives the runs `_TOKEN` finds (alphanumeric, no "_"), at a third of the time.
_SPACES = str.maketrans({c: " " for c in range(128) if not chr(c).isalnum()})


def _tokens(normal: str) -> list[str]:
    if normal.isascii():
        return normal.translate(_SPACES).split()
    return _TOKEN.findall(normal)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball German on a normalized word; words with digits or other scripts stay as they are."""
    if not _ASCII_WORD.fullmatch(word):
        return word
    chars = list(word)
    # Prelude: u and y between vowels count as consonants (marked upper case).
    for i in range(1, len(chars) - 1):
        if chars[i] in "uy" and chars[i - 1] in _VOWELS and chars[i + 1] in _VOWELS:
            chars[i] = chars[i].upper()
    s = "".join(chars)
    p1, p2 = _regions(s)

    def ends(suffixes: tuple[str, ...]) -> str | None:
        for suffix in suffixes:  # longest first
            if s.endswith(suffix):
                return suffix
        return None

    # Step 1
    found = ends(("ern", "em", "er", "en", "es", "e", "s"))
    if found is not None and len(s) - len(found) >= p1:
        if found in ("em", "ern", "er"):
            s = s[: -len(found)]
        elif found in ("e", "en", "es"):
            s = s[: -len(found)]
            if s.endswith("niss"):
                s = s[:-1]
        elif len(s) >= 2 and s[-2] in _S_ENDING:
            s = s[:-1]
    # Step 2
    found = ends(("est", "en", "er", "st"))
    if found is not None and len(s) - len(found) >= p1:
        if found != "st":
            s = s[: -len(found)]
        elif len(s) >= 3 and s[-3] in _ST_ENDING and len(s) - 3 >= 3:
            s = s[:-2]
    # Step 3 (d-suffixes)
    found = ends(("isch", "lich", "heit", "keit", "end", "ung", "ig", "ik"))
    if found is not None and len(s) - len(found) >= p2:
        start = len(s) - len(found)
        if found in ("end", "ung"):
            s = s[:start]
            if s.endswith("ig") and not s.endswith("eig") and len(s) - 2 >= p2:
                s = s[:-2]
        elif found in ("ig", "ik", "isch"):
            if not s[:start].endswith("e"):
                s = s[:start]
        elif found in ("lich", "heit"):
            s = s[:start]
            if (s.endswith("er") or s.endswith("en")) and len(s) - 2 >= p1:
                s = s[:-2]
        else:  # keit
            s = s[:start]
            if s.endswith("lich") and len(s) - 4 >= p2:
                s = s[:-4]
            elif s.endswith("ig") and len(s) - 2 >= p2:
                s = s[:-2]
    return s.lower()


def _regions(s: str) -> tuple[int, int]:
    """R1 and R2 of Snowball (R1 at least 3 letters in); both at the end if there are none."""
    end = len(s)
    if len(s) < 3:
        return end, end

    def after_vowel_consonant(start: int) -> int:
        i = start
        while i < end and s[i] not in _VOWELS:
            i += 1
        while i < end and s[i] in _VOWELS:
            i += 1
        return i + 1 if i < end else end

    r1 = after_vowel_consonant(0)
    r2 = after_vowel_consonant(r1) if r1 < end else end
    return max(r1, 3), r2


@lru_cache(maxsize=200_000)
def splits(word: str) -> tuple[tuple[str, str], ...]:
    """(modifier, stem of the last part) for every possible split of a normalized compound, longest part first."""
    if not _ASCII_WORD.fullmatch(word) or len(word) < MIN_MODIFIER + MIN_HEAD:
        return ()
    own = stem(word)
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i in range(MIN_MODIFIER, len(word) - MIN_HEAD + 1):
        modifier, head = word[:i], word[i:]
        if not _VOWELS.intersection(modifier) or not _VOWELS.intersection(head):
            continue
        part = stem(head)
        if part != own and len(part) >= MIN_HEAD - 1 and part not in seen:
            seen.add(part)
            found.append((modifier, part))
    return tuple(found)


def heads(word: str) -> tuple[str, ...]:
    """The stems of every possible last part of a normalized compound word, longest first."""
    return tuple(part for _, part in splits(word))


# The linking letters between the parts of a compound ("Wohnung-s-einbruch", "Straße-n-bahn").
_LINKS = ("", "s", "es", "n", "en", "er", "e")


def modifier_is_a_word(modifier: str, vocabulary: frozenset[str] | set[str]) -> bool:
    """Whether the first part of a split, without a linking letter, is a word of the vocabulary (stems)."""
    for link in _LINKS:
        if link and not modifier.endswith(link):
            continue
        base = modifier[: len(modifier) - len(link)]
        if len(base) >= MIN_MODIFIER and base not in NORMAL_STOP_WORDS and stem(base) in vocabulary:
            return True
    return False


def terms(text: str) -> list[str]:
    """The index terms of a text: the stems of its words, without stop words."""
    return [stem(w) for w in words(text) if w not in NORMAL_STOP_WORDS]
