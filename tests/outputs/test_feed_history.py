"""Feeds that can be read in full and that forget (issue 18): JSON Feed pages along `next_url`,
RFC 6721 tombstones in the Atom feeds, and the API's list of withdrawn releases."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree

from tests.conftest import DEMO_NOW, run_pressroom
from tests.support.corpus import BERLIN, write_release, write_releases, write_site

BASE = "https://presse.example.org/"
TAG = "tag:presse.example.org,2000:"
ATOM = "{http://www.w3.org/2005/Atom}"
AT = "{http://purl.org/atompub/tombstones/1.0}"
POLICE = "polizei-gelsenkirchen"
FIRE = "feuerwehr-essen"


def build(site: Path, out: Path, now: str = DEMO_NOW) -> None:
    result = run_pressroom("build", site, "-o", out, "--now", now, "--quiet")
    assert result.returncode == 0, result.stderr


def local(out: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return out / url.removeprefix(BASE)


def json_walk(out: Path) -> list[tuple[Path, dict[str, Any]]]:
    """feeds/feed.json and every page along next_url, as a JSON Feed reader walks them."""
    pages: list[tuple[Path, dict[str, Any]]] = []
    path: Path | None = out / "feeds" / "feed.json"
    while path is not None:
        assert path not in [p for p, _ in pages], f"next_url loops at {path}"
        document = json.loads(path.read_text(encoding="utf-8"))
        pages.append((path, document))
        path = local(out, document["next_url"]) if "next_url" in document else None
    return pages


def tombstones(path: Path) -> list[tuple[str, str]]:
    """(ref, when) of every at:deleted-entry, in document order; each has nothing but the two."""
    root = etree.parse(str(path)).getroot()
    found = []
    for element in root.iter(f"{AT}deleted-entry"):
        assert element.getparent() is root
        assert sorted(element.attrib) == ["ref", "when"], element.attrib
        assert len(element) == 0 and not (element.text or "").strip()
        found.append((element.get("ref") or "", element.get("when") or ""))
    return found


# --- JSON Feed pages ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("paged")
    site, out = root / "site", root / "out"
    write_site(site, feed_items=5)
    write_releases(site, 230)
    build(site, out)
    return site, out


@pytest.mark.slow
def test_walking_next_url_reaches_every_published_release_once(paged_site: tuple[Path, Path]) -> None:
    out = paged_site[1]
    pages = json_walk(out)
    assert [p.relative_to(out).as_posix() for p, _ in pages] == [
        "feeds/feed.json", "feeds/archiv/3/feed.json", "feeds/archiv/2/feed.json", "feeds/archiv/1/feed.json"]
    assert [len(d["items"]) for _, d in pages] == [5, 25, 100, 100]
    ids = [item["id"] for _, d in pages for item in d["items"]]
    assert len(ids) == 230 and set(ids) == {f"{TAG}r{n:05d}" for n in range(1, 231)}
    dates = [item["date_published"] for _, d in pages for item in d["items"]]
    assert [dt.datetime.fromisoformat(d) for d in dates] == sorted(
        (dt.datetime.fromisoformat(d) for d in dates), reverse=True)  # newer to older, page after page
    for _, document in pages:
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert document["feed_url"] == f"{BASE}feeds/feed.json"  # pages of one feed
    # The same pages as the Atom archives: a JSON Feed reader and an Atom reader see the same history.
    for number in (1, 2, 3):
        atom = feedparser.parse((out / "feeds" / "archiv" / str(number) / "atom.xml").read_bytes())
        page = json.loads((out / "feeds" / "archiv" / str(number) / "feed.json").read_text(encoding="utf-8"))
        assert [e.id for e in atom.entries] == [i["id"] for i in page["items"]]


@pytest.mark.slow
def test_a_new_release_rewrites_no_full_json_feed_page(paged_site: tuple[Path, Path], tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(paged_site[0], site)
    shutil.copytree(paged_site[1], out)
    full = [out / "feeds" / "archiv" / str(n) / "feed.json" for n in (1, 2)]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in full}
    write_release(site, 231, POLICE, dt.datetime(2026, 11, 1, 8, tzinfo=BERLIN), ["Brand"])
    build(site, out)
    for path in full:
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before[path], path
    pages = json_walk(out)
    assert [len(d["items"]) for _, d in pages] == [5, 26, 100, 100]
    assert pages[0][1]["items"][0]["id"] == f"{TAG}r00231"


# --- tombstones -----------------------------------------------------------------------------

def _withdrawn(day: int) -> str:
    return f'withdrawn: {{date: "2026-03-{day:02d}T10:00:00+01:00", reason: "Zurückgezogen."}}\n'


@pytest.fixture(scope="module")
def forgetting_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Ten police releases (odd ones on fires, even ones on burglaries), four of them withdrawn on
    1–4 March; a fire brigade appeal that expired on 20 October and a fire brigade release
    withdrawn with a plain `withdrawn: true` in the build at 26 November, 12:00. feed_items = 3."""
    root = tmp_path_factory.mktemp("forgetting")
    site, out = root / "site", root / "out"
    write_site(site, feed_items=3)
    for n in range(1, 11):
        extra = _withdrawn(n - 1) if n in (2, 3, 4, 5) else ""
        write_release(site, n, POLICE, dt.datetime(2026, 1, n, 9, tzinfo=BERLIN), ["Brand" if n % 2 else "Einbruch"],
                      title=f"Geheimer Titel {n}" if extra else None, extra=extra)
    write_release(site, 11, FIRE, dt.datetime(2026, 10, 1, 9, tzinfo=BERLIN), ["Brand"], title="Geheimer Titel 11",
                  extra='kind: appeal\nexpires: "2026-10-20T18:00:00+02:00"\n')
    write_release(site, 12, FIRE, dt.datetime(2026, 10, 5, 9, tzinfo=BERLIN), ["Einbruch"], title="Geheimer Titel 12",
                  extra="withdrawn: true\n")
    build(site, out)
    return site, out


R = {n: f"{TAG}r{n:05d}" for n in range(1, 13)}
WHEN = {2: "2026-03-01T10:00:00+01:00", 3: "2026-03-02T10:00:00+01:00", 4: "2026-03-03T10:00:00+01:00",
        5: "2026-03-04T10:00:00+01:00", 11: "2026-10-20T18:00:00+02:00", 12: "2026-11-26T12:00:00+01:00"}


def stones(*numbers: int, when: dict[int, str] = WHEN) -> list[tuple[str, str]]:
    return [(R[n], when[n]) for n in numbers]


def test_each_atom_feed_names_its_newest_withdrawals_and_expiries(forgetting_site: tuple[Path, Path]) -> None:
    out = forgetting_site[1]
    # The window: the feed's feed_items (3) most recent withdrawals and expiries, newest first.
    assert tombstones(out / "feeds" / "atom.xml") == stones(12, 11, 5)
    assert tombstones(out / "behoerden" / POLICE / "atom.xml") == stones(5, 4, 3)  # r2 has dropped out
    assert tombstones(out / "behoerden" / FIRE / "atom.xml") == stones(12, 11)
    assert tombstones(out / "themen" / "brand" / "atom.xml") == stones(11, 5, 3)
    assert tombstones(out / "themen" / "einbruch" / "atom.xml") == stones(12, 4, 2)
    assert tombstones(out / "orte" / "gelsenkirchen" / "atom.xml") == stones(5, 4, 3)
    with_stones = {p.relative_to(out).as_posix() for p in out.rglob("*.xml") if b"deleted-entry" in p.read_bytes()}
    assert with_stones == {"feeds/atom.xml", f"behoerden/{POLICE}/atom.xml", f"behoerden/{FIRE}/atom.xml",
                           "themen/brand/atom.xml", "themen/einbruch/atom.xml", "orte/gelsenkirchen/atom.xml"}
    # RSS has no tombstones; nothing of a withdrawn release but its id is in any feed.
    for path in [*out.rglob("*.xml"), *out.rglob("feed.json")]:
        text = path.read_text(encoding="utf-8")
        assert "Geheimer Titel" not in text and "Zurückgezogen" not in text, path


def test_feedparser_reads_the_feeds_with_tombstones(forgetting_site: tuple[Path, Path]) -> None:
    out = forgetting_site[1]
    for path in (out / "feeds" / "atom.xml", out / "behoerden" / FIRE / "atom.xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert parsed.namespaces["at"] == "http://purl.org/atompub/tombstones/1.0"
        assert "at_deleted-entry" in parsed.feed  # feedparser sees the element, not its attributes
    site = feedparser.parse((out / "feeds" / "atom.xml").read_bytes())
    assert [e.id for e in site.entries] == [R[10], R[9], R[8]]
    # A feed whose releases all went still says when it last changed: the newest withdrawal.
    fire = feedparser.parse((out / "behoerden" / FIRE / "atom.xml").read_bytes())
    assert fire.entries == [] and fire.feed.updated == WHEN[12]
    assert site.feed.updated == WHEN[12]


def test_a_tombstone_keeps_its_time_and_leaves_the_window_when_newer_ones_come(
        forgetting_site: tuple[Path, Path], tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(forgetting_site[0], site)
    shutil.copytree(forgetting_site[1], out)
    later = "2026-11-27T08:00:00+01:00"
    # Withdraw r10 (police, burglaries) now: the oldest police tombstone drops out of the window.
    path = next((site / "content" / "releases" / "2026").glob("*-meldung-00010.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("---\n\n", "withdrawn: true\n---\n\n", 1),
                    encoding="utf-8")
    build(site, out, later)
    when = {**WHEN, 10: later}
    assert tombstones(out / "behoerden" / POLICE / "atom.xml") == stones(10, 5, 4, when=when)
    assert tombstones(out / "feeds" / "atom.xml") == stones(10, 12, 11, when=when)  # r12 keeps its first time
    withdrawn = json.loads((out / "api" / "v1" / "withdrawn.json").read_text(encoding="utf-8"))
    assert withdrawn["withdrawn"][:2] == [{"id": "r00010", "withdrawn": later}, {"id": "r00012", "withdrawn": WHEN[12]}]


@pytest.mark.slow
def test_archive_documents_and_rss_carry_no_tombstones(paged_site: tuple[Path, Path], tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(paged_site[0], site)
    shutil.copytree(paged_site[1], out)
    old = next((site / "content" / "releases").rglob("*-meldung-00001.md"))
    old.write_text(old.read_text(encoding="utf-8").replace("---\n\n", _withdrawn(5) + "---\n\n", 1), encoding="utf-8")
    build(site, out)
    with_stones = {p.relative_to(out).parts[0] + "/" + p.name for p in out.rglob("*.xml")
                   if b"deleted-entry" in p.read_bytes()}
    assert with_stones <= {"feeds/atom.xml", "behoerden/atom.xml", "themen/atom.xml", "orte/atom.xml"}
    assert tombstones(out / "feeds" / "atom.xml") == [(f"{TAG}r00001", "2026-03-05T10:00:00+01:00")]
    for archive in out.rglob("archiv/*/atom.xml"):
        assert tombstones(archive) == [], archive
    ids = [item["id"] for _, d in json_walk(out) for item in d["items"]]
    assert len(ids) == 229 and f"{TAG}r00001" not in ids


def test_the_api_lists_every_withdrawn_id_with_its_time(forgetting_site: tuple[Path, Path]) -> None:
    out = forgetting_site[1]
    document = json.loads((out / "api" / "v1" / "withdrawn.json").read_text(encoding="utf-8"))
    assert document == {"total": 6, "withdrawn": [{"id": f"r{n:05d}", "withdrawn": WHEN[n]}
                                                  for n in (12, 11, 5, 4, 3, 2)]}
    index = json.loads((out / "api" / "v1" / "index.json").read_text(encoding="utf-8"))
    assert index["links"]["withdrawn"] == f"{BASE}api/v1/withdrawn.json"
