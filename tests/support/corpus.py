"""A deterministic synthetic site of many releases, for tests that need volume (standard library only)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
CITIES = [("gelsenkirchen", "Gelsenkirchen", "GE"), ("essen", "Essen", "E"), ("bochum", "Bochum", "BO"),
          ("muenster", "Münster", "MS")]
BODIES = [("polizei", "Polizei", "POL"), ("feuerwehr", "Feuerwehr", "FW")]
TAGS = ["Verkehrsunfall", "Einbruch", "Brand", "Festnahme", "Zeugenaufruf", "Prävention", "Großveranstaltung",
        "Öffentlicher Nahverkehr"]
WORDS = ["Die", "Polizei", "sucht", "Zeugen", "nach", "einem", "Einbruch", "in", "ein", "Einfamilienhaus",
         "am", "Dienstagabend", "Feuerwehr", "war", "mit", "zwölf", "Einsatzkräften", "vor", "Ort", "Niemand",
         "wurde", "verletzt", "Ermittlungen", "dauern", "an"]
IMAGE = Path(__file__).resolve().parents[2] / "content" / "media" / "streifenwagen-verkehrskontrolle.jpg"


def authority_ids() -> list[str]:
    return [f"{body}-{city}" for city, _, _ in CITIES for body, _, _ in BODIES]


def write_site(root: Path, feed_items: int = 20, extra_settings: str = "") -> None:
    (root / "content" / "releases").mkdir(parents=True, exist_ok=True)
    (root / "content" / "media").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(IMAGE, root / "content" / "media" / "foto.jpg")
    (root / "site.toml").write_text(
        f'title = "Presse (Test)"\nbase_url = "https://presse.example.org/"\nfeed_items = {feed_items}\n'
        f"{extra_settings}", encoding="utf-8")
    lines = []
    for city_id, city, code in CITIES:
        for body_id, body, prefix in BODIES:
            lines += [f"{body_id}-{city_id}:", f"  name: {body} {city}", f"  code: {prefix}-{code}",
                      f"  city: {city}", "  contact:", "    phone: 0209 / 365 2010",
                      f"    email: presse.{city_id}@{body_id}.example.org"]
    (root / "content" / "authorities.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_releases(root: Path, count: int, seed: int = 7, start_number: int = 1,
                   start: dt.datetime = dt.datetime(2020, 1, 1, tzinfo=BERLIN), days: int = 2000) -> None:
    """`count` releases numbered from `start_number`, with dates spread from `start` over `days`."""
    rng = random.Random(seed)
    authorities = authority_ids()
    for number in range(start_number, start_number + count):
        write_release(root, number, rng.choice(authorities),
                      start + dt.timedelta(minutes=rng.randrange(days * 24 * 60)),
                      sorted(set(rng.sample(TAGS, rng.randint(1, 3)))), rng)


def write_release(root: Path, number: int, authority: str, when: dt.datetime, tags: list[str],
                  rng: random.Random | None = None, title: str | None = None, extra: str = "",
                  body: str | None = None) -> Path:
    rng = rng or random.Random(number)
    when = when.replace(second=0, microsecond=0).astimezone(BERLIN)
    paragraphs = (" ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))) + "."
                  for _ in range(rng.randint(1, 3)))
    text = body if body is not None else "\n\n".join(paragraphs)
    image = "images:\n  - src: foto.jpg\n    alt: Ein Streifenwagen\n" if number % 9 == 0 else ""
    path = root / "content" / "releases" / f"{when:%Y}" / f"{when:%Y-%m-%d}-meldung-{number:05d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\n"
        f"id: r{number:05d}\n"
        f'title: "{(title or f"Meldung Nummer {number}").replace(chr(34), chr(92) + chr(34))}"\n'
        f"date: {when.isoformat()}\n"
        f"authority: {authority}\n"
        "tags: [" + ", ".join(f'"{t}"' for t in tags) + "]\n"
        f"{image}{extra}"
        "---\n\n" + text + "\n", encoding="utf-8")
    return path
