"""The placeholder sentences that `pressroom new` writes into a skeleton's body.

They live here, below the commands, because a release that is no longer a draft must not
still contain them: reading such a release is an error (see releases.py), so a skeleton
never goes live by accident, while `check` only reminds the writer of a draft.
"""

from __future__ import annotations

from generator.core.models import Kind

# The sentence of every skeleton: the surest sign that the text was not written yet.
PLACEHOLDER_MARK = "Ersetzen Sie diesen Text durch Ihre Meldung."

# The opening question of each kind's skeleton.
OPENINGS = {
    Kind.PRESS_RELEASE: "Was ist wann und wo passiert? Schreiben Sie das Wichtigste in den ersten Absatz.",
    Kind.APPEAL: "Wen oder was suchen Sie? Beschreiben Sie die Person und wo sie zuletzt gesehen wurde.",
    Kind.CONFERENCE_REPORT: "Worum ging es bei der Veranstaltung, wer war dabei, was wurde vereinbart?",
}

PLACEHOLDERS: tuple[str, ...] = (PLACEHOLDER_MARK, *OPENINGS.values())


def placeholder_line(body: str) -> tuple[int, str] | None:
    """(index of the body line, the sentence) of the first placeholder sentence in `body`, or None."""
    if not any(sentence in body for sentence in PLACEHOLDERS):
        return None
    for index, line in enumerate(body.split("\n")):
        for sentence in PLACEHOLDERS:
            if sentence in line:
                return index, sentence
    return None  # a sentence broken across lines: not the skeleton's own text any more


# What `pressroom init` writes where an office must fill in its own details (legal pages, README).
# A page still containing it builds, with a warning, so a new site can be previewed at once;
# `deploy` refuses to publish it.
FILL_IN = "[BITTE AUSFÜLLEN"


__all__ = ["FILL_IN", "OPENINGS", "PLACEHOLDERS", "PLACEHOLDER_MARK", "placeholder_line"]
