"""A real feed reader, newsboat, subscribed to the site's Atom feed while a release is withdrawn.

Newsboat (2.21, Debian) does not implement RFC 6721: its Atom parser reads title, subtitle,
link, updated and entry, nothing else, and it keeps every item it once saw in its cache. So the
tombstone does not remove its copy. What the feed must still achieve with it: the withdrawn
item is not offered as new or updated content, and the reload shows the feed's real news.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_pressroom
from tests.support.corpus import BERLIN, write_release, write_site

NEWSBOAT = shutil.which("newsboat")
TAG = "tag:presse.example.org,2000:"
POLICE = "polizei-gelsenkirchen"

pytestmark = pytest.mark.skipif(
    NEWSBOAT is None, reason="newsboat is not installed: `make test-deps` as root, or `apt-get install newsboat`")


def build(site: Path, out: Path, now: str) -> None:
    result = run_pressroom("build", site, "-o", out, "--now", now, "--quiet")
    assert result.returncode == 0, result.stderr


class Newsboat:
    """newsboat with its own URL list, configuration, cache and home, run without a terminal."""

    def __init__(self, root: Path, feed: Path) -> None:
        self.root = root
        (root / "home").mkdir(parents=True)
        (root / "urls").write_text(feed.as_uri() + "\n", encoding="utf-8")
        (root / "config").write_text("", encoding="utf-8")
        self.cache = root / "cache.db"

    def run(self, *commands: str) -> str:
        assert NEWSBOAT is not None
        result = subprocess.run(
            [NEWSBOAT, "-u", str(self.root / "urls"), "-C", str(self.root / "config"), "-c", str(self.cache),
             "-x", *commands], env={**os.environ, "HOME": str(self.root / "home")},
            capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def items(self) -> dict[str, tuple[str, bool, bool]]:
        """What newsboat holds: guid → (title, unread, deleted)."""
        with sqlite3.connect(self.cache) as db:
            rows = db.execute("SELECT guid, title, unread, deleted FROM rss_item").fetchall()
        return {guid: (title, bool(unread), bool(deleted)) for guid, title, unread, deleted in rows}

    def read_everything(self) -> None:
        """As a reader who has read every item (newsboat's own "mark all read")."""
        with sqlite3.connect(self.cache) as db:
            db.execute("UPDATE rss_item SET unread = 0")


def test_newsboat_does_not_offer_a_withdrawn_release_again(tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site)
    for n in range(1, 6):
        write_release(site, n, POLICE, dt.datetime(2026, 1, n, 9, tzinfo=BERLIN), ["Brand"])
    build(site, out, "2026-11-26T12:00:00+01:00")
    reader = Newsboat(tmp_path / "newsboat", out / "feeds" / "atom.xml")
    assert reader.run("reload", "print-unread") == "5 unread articles"
    assert {g: t for g, (t, _, _) in reader.items().items()} == {
        f"{TAG}r{n:05d}": f"POL-GE: Meldung Nummer {n}" for n in range(1, 6)}
    reader.read_everything()

    # Withdraw r3 and publish r6; rebuild; reload.
    path = next((site / "content" / "releases" / "2026").glob("*-meldung-00003.md"))
    path.write_text(path.read_text(encoding="utf-8").replace(
        "---\n\n", 'withdrawn: {date: "2026-11-26T13:00:00+01:00", reason: "Irrtum."}\n---\n\n', 1), encoding="utf-8")
    write_release(site, 6, POLICE, dt.datetime(2026, 11, 26, 9, tzinfo=BERLIN), ["Brand"])
    build(site, out, "2026-11-26T14:00:00+01:00")
    atom = (out / "feeds" / "atom.xml").read_text(encoding="utf-8")
    assert f'<at:deleted-entry ref="{TAG}r00003" when="2026-11-26T13:00:00+01:00"/>' in atom
    assert "Meldung Nummer 3" not in atom

    # The reader's view: only the new release is new; the withdrawn one is not offered again.
    assert reader.run("reload", "print-unread") == "1 unread articles"
    held = reader.items()
    assert held[f"{TAG}r00006"] == ("POL-GE: Meldung Nummer 6", True, False)
    assert {g for g, (_, unread, _) in held.items() if unread} == {f"{TAG}r00006"}
    # What newsboat does with the tombstone: nothing. It keeps its read copy, unchanged. If this
    # fails because newsboat dropped or hid the item, it has learnt RFC 6721: say so in the README.
    assert held[f"{TAG}r00003"] == ("POL-GE: Meldung Nummer 3", False, False), \
        "newsboat changed how it treats a withdrawn entry; update the README's list of readers"
    assert set(held) == {f"{TAG}r{n:05d}" for n in range(1, 7)}
