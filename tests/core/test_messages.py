"""A Message is its English text everywhere a str is used, and its msgid and values where it is shown."""

from __future__ import annotations

import pickle

from generator.core.errors import Joined, Message, Problem, localized, suggestion

GERMAN = {
    'unknown key "%(key)s" in %(what)s%(hint)s': "%(what)s: unbekannte Angabe „%(key)s“%(hint)s",
    "the front matter": "Kopf",
    ' (did you mean "%(choice)s"?)': " (meinten Sie „%(choice)s“?)",
    "error": "Fehler",
}


def german(msgid: str) -> str:
    return GERMAN.get(msgid, msgid)


def typo() -> Problem:
    message = Message('unknown key "%(key)s" in %(what)s%(hint)s', key="titel", what=Message("the front matter"),
                      hint=suggestion("titel", ["title", "date"]))
    return Problem("content/releases/a.md", 3, message)


def test_a_message_is_its_english_text() -> None:
    problem = typo()
    assert problem.message == 'unknown key "titel" in the front matter (did you mean "title"?)'
    assert str(problem) == 'content/releases/a.md:3: error: unknown key "titel" in the front matter (did you mean ' \
                           '"title"?)'


def test_a_message_is_translated_with_its_values_in_the_order_of_the_translation() -> None:
    assert typo().shown(german) == "content/releases/a.md:3: Fehler: Kopf: unbekannte Angabe „titel“ (meinten Sie " \
                                   "„title“?)"


def test_a_message_keeps_its_msgid_across_processes() -> None:
    problem = typo()
    again = pickle.loads(pickle.dumps(problem))
    assert again == problem
    assert again.shown(german) == problem.shown(german)


def test_a_plain_text_stays_as_it_is() -> None:
    assert localized("the file is empty", german) == "the file is empty"
    assert localized(Message("error"), german) == "Fehler"


def test_joined_texts_are_each_translated_and_survive_pickling() -> None:
    words = {"author": "Autor", '%(what)s "%(value)s"': "%(what)s „%(value)s“"}
    named = Joined("; ", [Message('%(what)s "%(value)s"', what=Message("author"), value="M. Muster"),
                          Message('%(what)s "%(value)s"', what=Message("author"), value="K. Beispiel")])
    assert named == 'author "M. Muster"; author "K. Beispiel"'
    assert localized(pickle.loads(pickle.dumps(named)), lambda m: words.get(m, m)) == \
        "Autor „M. Muster“; Autor „K. Beispiel“"
