"""`pressroom init [DIR]`: a new site folder that builds at once, for a press office to fill in.

It writes site.toml, one authority, the four legal pages as German templates (their gaps
marked with FILL_IN: a build warns about them, `deploy` refuses them), a .gitignore and a
short README for the office. It never writes into a folder that has anything in it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.commands.speech import say
from generator.content.authorities import AUTHORITY_CODE
from generator.content.contacts import WEB_URL
from generator.content.placeholders import FILL_IN
from generator.content.settings import base_url_problem
from generator.core.errors import N_, Message, UsageError
from generator.core.slugs import slug as make_slug

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Answers:
    """What the new site needs to know about its authority."""

    name: str  # "Polizei Gelsenkirchen"
    code: str  # "POL-GE"
    city: str  # "Gelsenkirchen"
    base_url: str  # "https://presse.example.org/"
    email: str = ""
    phone: str = ""
    title: str = ""  # default: "Pressemitteilungen <name>"
    website: str = ""


# (flag, question asked on a terminal, required)
QUESTIONS: tuple[tuple[str, str, bool], ...] = (
    ("name", N_("Name of the authority, e.g. Polizei Gelsenkirchen"), True),
    ("code", N_("ots code, e.g. POL-GE"), True),
    ("city", N_("Place of the dateline, e.g. Gelsenkirchen"), True),
    ("base_url", N_("Address of the website, e.g. https://presse.example.org/"), True),
    ("email", N_("E-mail of the press office (inquiries)"), False),
    ("phone", N_("Phone of the press office (inquiries)"), False),
)

REQUIRED_FLAGS = Message("%(flags)s and --email or --phone", flags="--name, --code, --city, --base-url")


def answers_from(given: dict[str, str | None], ask: Callable[[str], str] | None) -> Answers:
    """The answers from the flags, asking for what is missing when `ask` (a terminal) is there."""
    values = {key: (value or "").strip() for key, value in given.items()}
    missing = [key for key, _, required in QUESTIONS if required and not values.get(key)]
    if not (values.get("email") or values.get("phone")):
        missing += ["email", "phone"]
    if missing and ask is None:
        raise UsageError(Message("init needs %(flags)s when it cannot ask (no terminal); missing: %(missing)s",
                                 flags=REQUIRED_FLAGS,
                                 missing=", ".join("--" + key.replace("_", "-") for key in missing)))
    if ask is not None:
        for key, question, _ in QUESTIONS:
            while not values.get(key) and key in missing:
                values[key] = _valid_answer(key, ask(f"{say(question)}: ").strip())
                if key in ("email", "phone"):
                    break
        if not (values.get("email") or values.get("phone")):
            raise UsageError(Message("the press office needs an e-mail address or a phone number for "
                                     '"Rückfragen bitte an:"; give --email or --phone'))
    problem = next((p for key in values if values[key] and (p := _problem(key, values[key]))), None)
    if problem is not None:
        raise UsageError(problem)
    return Answers(name=values["name"], code=values["code"], city=values["city"],
                   base_url=values["base_url"] if values["base_url"].endswith("/") else values["base_url"] + "/",
                   email=values.get("email", ""), phone=values.get("phone", ""),
                   title=values.get("title", ""), website=values.get("website", ""))


def _valid_answer(key: str, answer: str) -> str:
    problem = _problem(key, answer) if answer else None
    if problem is not None:
        print(f"  {say(problem)}", file=sys.stderr)
        return ""
    return answer


def _problem(key: str, value: str) -> str | None:
    if key == "code" and not AUTHORITY_CODE.match(value):
        return Message('--code "%(value)s" must be capitals and digits joined by "-", like POL-GE or FW-GE',
                       value=value)
    if key == "base_url":
        return base_url_problem(value)
    if key == "email" and not _EMAIL.match(value):
        return Message('--email "%(value)s" is not an e-mail address', value=value)
    if key == "website" and not WEB_URL.match(value):
        return Message('--website "%(value)s" must be an http(s) URL', value=value)
    if key in ("name", "city", "title", "phone") and any(c in value for c in "\n\r\t\\"):
        return Message("--%(key)s must be one line of plain text", key=key)
    return None


def refuse_non_empty(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(Message("%(folder)s is a file, not a folder; name a new or empty folder", folder=str(folder)))
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(Message("%(folder)s is not empty; init writes only into a new or empty folder, "
                                 "so that nothing is overwritten", folder=str(folder)))


def _q(text: str) -> str:
    """A double-quoted TOML or YAML string (JSON's escapes are valid in both)."""
    return json.dumps(text, ensure_ascii=False)


def write_site(folder: Path, answers: Answers) -> list[Path]:
    """Write the new site; returns the files written."""
    authority_id = make_slug(answers.name) or "pressestelle"
    title = answers.title or f"Pressemitteilungen {answers.name}"
    contact = [f"    email: {_q(answers.email)}"] if answers.email else []
    contact += [f"    phone: {_q(answers.phone)}"] if answers.phone else []
    website = [f"  website: {_q(answers.website)}"] if answers.website else []
    files = {
        "site.toml": (
            f"title = {_q(title)}\n"
            f"base_url = {_q(answers.base_url)}\n"
            'language = "de"\n'
            'timezone = "Europe/Berlin"\n'
            f"description = {_q('Pressemitteilungen der ' + answers.name)}\n"
            "\n"
            "# Wohin `pressroom deploy` die Website kopiert (rsync): ein Ordner oder benutzer@server:/pfad/\n"
            "# [deploy]\n"
            '# target = "presse@webserver:/var/www/presse/"\n'
        ),
        "content/authorities.yaml": (
            "# Die Behörden, die auf dieser Website Meldungen herausgeben.\n"
            "# Die Kennung links (nur a-z, 0-9 und -) steht bei jeder Meldung unter authority:.\n"
            f"{authority_id}:\n"
            f"  name: {_q(answers.name)}\n"
            f"  code: {_q(answers.code)}\n"
            f"  city: {_q(answers.city)}\n"
            + "".join(line + "\n" for line in website)
            + "  contact:\n"
            + "".join(line + "\n" for line in contact)
        ),
        "content/releases/.gitkeep": "",
        "content/media/.gitkeep": "",
        ".gitignore": "output/\n.pressroom-cache/\n",
        "README.md": _readme(answers, authority_id),
        **{f"content/pages/{slug}.md": text.format(name=answers.name, city=answers.city, fill=FILL_IN, br="  ",
                                                    email=answers.email or f"{FILL_IN}: E-Mail]",
                                                    phone=answers.phone or f"{FILL_IN}: Telefon]")
           for slug, text in LEGAL_PAGES.items()},
    }
    written: list[Path] = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    return written


def _readme(answers: Answers, authority_id: str) -> str:
    return f"""# Presseportal {answers.name}

Diese Website macht Pressroom aus den Textdateien in `content/`.
Die ausführliche Anleitung für die Pressestelle steht in `docs/pressestelle.md` im Pressroom-Paket.

## Zuerst

1. Füllen Sie die vier Seiten in `content/pages/` aus: Impressum, Datenschutz,
   Barrierefreiheit, Leichte Sprache. Jede Stelle mit `{FILL_IN} …]` braucht Ihre Angaben.
   Solange eine solche Stelle übrig ist, warnt `pressroom build`, und `pressroom deploy`
   veröffentlicht nichts.
2. Tragen Sie in `site.toml` unter `[deploy]` ein, wohin die Website kopiert wird.

## Jeden Tag

```
pressroom new --authority {authority_id} "Überschrift der Meldung"
pressroom serve      # Vorschau unter http://127.0.0.1:8000/
pressroom check      # prüfen
pressroom build      # die Website in output/ bauen
pressroom deploy     # output/ auf den Webserver kopieren
```

Eine neue Meldung ist ein Entwurf (`draft: true`). Löschen Sie diese Zeile, wenn der Text fertig ist.
"""


LEGAL_PAGES = {
    "impressum": """---
title: Impressum
description: Anbieterkennzeichnung nach § 5 DDG und § 18 MStV.
---

## Angaben gemäß § 5 DDG

{name}{br}
{fill}: Straße und Hausnummer]{br}
{fill}: Postleitzahl] {city}

**Vertreten durch:** {fill}: Name und Funktion der Behördenleitung]

## Kontakt

Telefon: {phone}{br}
E-Mail: {email}

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

{fill}: Name, Anschrift wie oben]

## Aufsichtsbehörde

{fill}: zuständige Aufsichtsbehörde]
""",
    "datenschutz": """---
title: Datenschutzerklärung
description: Wie diese Website mit personenbezogenen Daten umgeht.
---

## Verantwortliche Stelle

{name}, {fill}: Anschrift]

## Datenschutzbeauftragte oder Datenschutzbeauftragter

{fill}: Name und Kontakt der oder des Datenschutzbeauftragten]

## Welche Daten diese Website verarbeitet

Diese Website besteht aus festen Seiten. Sie setzt keine Cookies, lädt nichts von
anderen Servern und enthält keine Analyse- oder Werbedienste. Die Suche läuft ganz in
Ihrem Browser.

Beim Aufruf speichert der Webserver {fill}: was der Webserver protokolliert, zum Beispiel
IP-Adresse, Zeitpunkt und aufgerufene Adresse, und wie lange].

## Ihre Rechte

Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Einschränkung der
Verarbeitung sowie das Recht auf Beschwerde bei der Aufsichtsbehörde: {fill}: zuständige
Datenschutz-Aufsichtsbehörde].
""",
    "barrierefreiheit": """---
title: Erklärung zur Barrierefreiheit
description: Wie barrierefrei diese Website ist und wo Sie Mängel melden.
---

{name} ist bemüht, diese Website barrierefrei zugänglich zu machen, nach
{fill}: Landesgesetz, zum Beispiel dem Behindertengleichstellungsgesetz NRW] und der
BITV 2.0.

## Stand der Vereinbarkeit

Diese Website ist {fill}: vollständig oder teilweise] mit den Anforderungen vereinbar.
Die Erklärung beruht auf {fill}: Selbstbewertung oder Prüfung, mit Datum].

## Barrieren melden

Wenn Ihnen Barrieren auffallen, schreiben Sie an {email} oder rufen Sie an: {phone}.

## Schlichtungsverfahren

{fill}: zuständige Schlichtungsstelle mit Adresse]
""",
    "leichte-sprache": """---
title: Leichte Sprache
description: Informationen zu dieser Website in Leichter Sprache.
---

Das ist die Internet-Seite von: {name}.

Hier stehen Nachrichten.
Die Nachrichten heißen: Presse-Mitteilungen.

{fill}: Was die Behörde macht, in kurzen Sätzen]

## So erreichen Sie uns

E-Mail: {email}{br}
Telefon: {phone}
""",
}


__all__ = ["REQUIRED_FLAGS", "Answers", "answers_from", "refuse_non_empty", "write_site"]
