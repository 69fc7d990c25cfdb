"""`pressroom new`: a new release file with everything its kind needs, ready to write.

The file must pass `check` as written, so the skeleton holds only valid values
and puts the optional keys in YAML comments for the press officer to fill in.
It is a draft (`draft: true`): the next build does not publish it, and once the
line is removed, a placeholder sentence still in the text is an error.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.content.authorities import load_authorities
from generator.content.files import RELEASES_DIR, release_files
from generator.content.placeholders import OPENINGS, PLACEHOLDER_MARK
from generator.content.releases import unknown_authority
from generator.content.settings import load_settings
from generator.core.dates import iso
from generator.core.errors import BuildErrors, Message, UsageError, suggestion
from generator.core.models import Authority, Kind, Settings
from generator.core.slugs import slug as make_slug

# How long a new appeal runs unless the site allows less (appeal_max_days).
APPEAL_DAYS = 30

_ID_LINE = re.compile(r"""^id:\s*["']?([^"'\s#]+)""", re.MULTILINE)


@dataclass(frozen=True)
class NewRelease:
    path: Path  # the file written
    id: str


def kind_of(text: str) -> Kind:
    """The Kind named on the command line, or a usage error with a suggestion."""
    choices = [k.value for k in Kind]
    try:
        return Kind(text)
    except ValueError:
        raise UsageError(Message('unknown kind "%(kind)s"%(hint)s; use one of %(choices)s', kind=text,
                                 hint=suggestion(text, choices), choices=", ".join(choices))) from None


def authority_of(site: Path, authority_id: str | None) -> tuple[Authority, Settings]:
    """The authority and the settings, or a clear error naming the site's authorities."""
    settings = load_settings(site)
    authorities, problems = load_authorities(site)
    if problems:
        raise BuildErrors(problems)
    known = ", ".join(sorted(authorities))
    if authority_id is None:
        raise UsageError(Message("--authority is required; the authorities of this site are: %(known)s", known=known))
    authority = authorities.get(authority_id)
    if authority is None:
        raise UsageError(Message("%(problem)s (all: %(known)s)", problem=unknown_authority(authority_id, authorities),
                                 known=known))
    return authority, settings


def new_release(site: Path, authority: Authority, settings: Settings, kind: Kind, title: str,
                now: dt.datetime) -> NewRelease:
    """Write a new release file and return where; never overwrites anything."""
    title = " ".join(title.split())
    if not title:
        raise UsageError(Message('the title must not be empty, e.g. pressroom new --authority … "Unfall in Buer"'))
    # Whole minutes, so the release is already due when the same minute's build runs.
    date = now.astimezone(settings.tz).replace(second=0, microsecond=0)
    existing = release_files(site)
    release_id = _free_id(authority, date, _used_ids(site, existing))
    path = _free_path(site, date, title, existing)
    text = front_matter(release_id, title, date, authority, kind, settings) + "\n" + body_placeholder(kind, authority)
    path.parent.mkdir(parents=True, exist_ok=True)
    # "x" mode: a file that appeared since we looked is never overwritten.
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return NewRelease(path=path, id=release_id)


def _used_ids(site: Path, files: list[Path]) -> set[str]:
    """Every id in use, read leniently so that a broken file does not stop `new`."""
    used: set[str] = set()
    for path in files:
        used.add(path.relative_to(site / RELEASES_DIR).with_suffix("").as_posix())
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        used.update(match[1] for match in _ID_LINE.finditer(text))
    return used


def _free_id(authority: Authority, date: dt.datetime, used: set[str]) -> str:
    prefix = f"{authority.code.lower()}-{date:%Y-%m%d}-"
    numbers = [int(u[len(prefix):]) for u in used if u.startswith(prefix) and u[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _free_path(site: Path, date: dt.datetime, title: str, existing: list[Path]) -> Path:
    """content/releases/YYYY/YYYY-MM-DD-slug.md whose URL slug no other release has."""
    taken = {make_slug(p.stem) for p in existing}
    folder = site / RELEASES_DIR / f"{date:%Y}"
    base = f"{date:%Y-%m-%d}-{make_slug(title)}"
    # make_slug cuts at 80 characters; leave room for the counter so it stays distinct.
    base = make_slug(base)[:74].rstrip("-")
    counter = 1
    while True:
        stem = base if counter == 1 else f"{base}-{counter}"
        path = folder / f"{stem}.md"
        if make_slug(stem) not in taken and not path.exists():
            return path
        counter += 1


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _commented(pairs: list[tuple[str, str]]) -> list[str]:
    """Optional keys as YAML comments, their explanations aligned: remove the first "# " to use one."""
    width = max(len(key) for key, _ in pairs) + 2
    return [f"# {key.ljust(width)}# {note}" for key, note in pairs]


def front_matter(release_id: str, title: str, date: dt.datetime, authority: Authority, kind: Kind,
                 settings: Settings) -> str:
    lines = [
        "---",
        f"id: {release_id}",
        f"title: {_quoted(title)}",
        f"date: {iso(date)}",
        f"authority: {authority.id}",
        f"kind: {kind.value}",
        "# Ein Entwurf wird nicht veröffentlicht. Löschen Sie die nächste Zeile, wenn die Meldung fertig ist.",
        "draft: true",
    ]
    if kind is Kind.APPEAL:
        days = min(APPEAL_DAYS, settings.appeal_max_days)
        lines += [
            f"# Ab diesem Zeitpunkt ist die Fahndung offline (höchstens {settings.appeal_max_days} Tage).",
            f"expires: {iso(date + dt.timedelta(days=days))}",
        ]
    lines += [
        *_commented([
            (f"location: {authority.city}", "Ort der Ortszeile, wenn nicht " + authority.city),
            ("tags: [Thema, Weiteres Thema]", "Themen"),
            ("places: [Stadtteil, Straße]", "Orte in dieser Meldung"),
            ("summary: Ein bis zwei Sätze.", "Kurzfassung für Listen, Feeds und Suche"),
        ]),
    ]
    if kind is Kind.CONFERENCE_REPORT:
        notes = [
            (f"name: {_quoted(title)}", "Name der Veranstaltung"),
            (f"start: {iso(date)}", "Beginn"),
            (f"# end: {iso(date + dt.timedelta(hours=2))}", "Ende (zum Verwenden das erste # löschen)"),
            ('venue: ""', "Ort, z. B. Polizeipräsidium"),
            ("participants: []", "Teilnehmende, z. B. [Stadt Gelsenkirchen, Zoll]"),
            ("agenda: []", "Themen, z. B. [Sicherheitslage, Verkehr]"),
        ]
        width = max(len(key) for key, _ in notes) + 2
        lines += ["event:", *(f"  {key.ljust(width)}# {note}" for key, note in notes)]
    lines.append("---")
    return "\n".join(lines) + "\n"


AuthorityType = Literal["police", "fire", "city", "other"]

# The ots code's first part says what kind of authority issues a release: POL-GE, FW-GE, STADT-GE.
_TYPES: dict[str, AuthorityType] = {"POL": "police", "BPOL": "police", "KPOL": "police", "LKA": "police",
                                    "FW": "fire", "FF": "fire", "BF": "fire",
                                    "STADT": "city", "KREIS": "city", "GEM": "city", "LK": "city"}


def authority_type(authority: Authority) -> AuthorityType:
    """Police, fire brigade or city administration, read from the ots code's prefix."""
    return _TYPES.get(authority.code.split("-", 1)[0], "other")


def tips_line(authority: Authority) -> str:
    """The appeal's closing line: who takes tips, at which number, fitting the authority."""
    reach = authority.contact.phone or authority.contact.email
    kind = authority_type(authority)
    if kind == "police":
        if reach:
            return (f"Hinweise nimmt die {authority.name} unter {reach} entgegen, "
                    "in dringenden Fällen über den Notruf 110.")
        return f"Hinweise nimmt die {authority.name} über den Notruf 110 oder jede Polizeidienststelle entgegen."
    if kind == "fire":
        where = f" unter {reach}" if reach else ""
        return f"Hinweise nimmt die {authority.name}{where} entgegen. Im Notfall wählen Sie die 112."
    if kind == "city":
        where = f" unter {reach}" if reach else ""
        return f"Hinweise nimmt die {authority.name}{where} entgegen."
    return f"Hinweise an: {authority.name}" + (f", {reach}." if reach else ".")


def body_placeholder(kind: Kind, authority: Authority) -> str:
    ending = f"**Wer hat etwas gesehen?** {tips_line(authority)}\n" if kind is Kind.APPEAL else ""
    return (
        f"{OPENINGS[kind]}\n\n"
        f"{PLACEHOLDER_MARK} Die Ortszeile (zum Beispiel \"{authority.city} (ots)\") "
        "und den Block \"Rückfragen bitte an:\" setzt Pressroom selbst davor und darunter.\n"
        + (f"\n{ending}" if ending else "")
    )


__all__ = ["APPEAL_DAYS", "NewRelease", "authority_of", "authority_type", "kind_of", "new_release", "tips_line"]
