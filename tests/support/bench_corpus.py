"""The shared benchmark corpus, made buildable: `python -m tests.support.bench_corpus N DIR`.

`../shared/bench/make_corpus.py` writes conference reports without the `event` that the
content format requires for them, so Pressroom (rightly) refuses the corpus as it comes.
This writes it where `compare.py --workdir DIR` looks for it (`DIR/ours-N`) and gives each
conference report an event, so that `compare.py` builds the same releases as its peers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

MAKE_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "bench" / "make_corpus.py"  # beside the clone


def give_conference_reports_an_event(site: Path) -> None:
    for path in sorted((site / "content" / "releases").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "kind: conference-report" in text and "\nevent:" not in text:
            date = re.search(r"(?m)^date: (\S+)", text)
            assert date is not None, path
            event = (f"kind: conference-report\nevent:\n  name: Sicherheitskonferenz\n  start: {date[1]}\n"
                     "  venue: Rathaus\n  participants: [Polizei, Stadt]\n  agenda: [Lage, Ausblick]")
            path.write_text(text.replace("kind: conference-report", event, 1), encoding="utf-8")


def make(releases: int, site: Path) -> Path:
    if not (site / "site.toml").is_file():
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--releases", str(releases), "--out", str(site)],
                       check=True, stdout=subprocess.DEVNULL)
        give_conference_reports_an_event(site)
    return site


if __name__ == "__main__":
    count, workdir = int(sys.argv[1]), Path(sys.argv[2])
    print(make(count, workdir / f"ours-{count}"))
