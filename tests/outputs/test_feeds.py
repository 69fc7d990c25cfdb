"""The feeds as aggregators read them (SPEC §5, issue #3), with feedparser as the aggregator."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build.pipeline import decide, load_site
from generator.core.models import Authority, Release, State
from generator.core.slugs import slug
from generator.lifecycle.catalog import Catalog
from generator.outputs.feeds import ARCHIVE_SIZE, Channel, plan
from tests.conftest import DEMO_NOW, REPO, run_pressroom
from tests.support.corpus import BERLIN, write_release, write_releases, write_site

BASE = "https://presse.example.org/"
EXAMPLE = Path(__file__).parents[1] / "data" / "ots-release-gelsenkirchen-2019.txt"
CONFERENCE = "2019-04-29-eine-konferenz-fuer-die-sicherheit-in-gelsenkirchen"
RFC822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]\d{2}:\d{2}$")
TOMBSTONE = re.compile(r'<at:deleted-entry ref="[^"]*" when="[^"]*"/>')
URL_ATTRIBUTE = re.compile(r'\b(?:href|src)="([^"]*)"')


# --- helpers -----------------------------------------------------------------------------------

def feed_paths(out: Path) -> list[Path]:
    return sorted(p for name in ("rss.xml", "atom.xml") for p in out.rglob(name))


def parse(path: Path) -> Any:
    return feedparser.parse(path.read_bytes())


def local(out: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return out / url.removeprefix(BASE)


def link(parsed: Any, rel: str) -> str | None:
    found = [entry.href for entry in parsed.feed.get("links", []) if entry.rel == rel]
    assert len(found) <= 1, (rel, found)
    return found[0] if found else None


def walk(out: Path, start: Path, cache: dict[Path, Any] | None = None) -> Iterator[tuple[Path, Any]]:
    """The subscription document, then every archive document along prev-archive."""
    path: Path | None = start
    seen = set()
    while path is not None:
        assert path not in seen, f"prev-archive loops at {path}"
        seen.add(path)
        parsed = cache[path] if cache is not None and path in cache else parse(path)
        yield path, parsed
        previous = link(parsed, "prev-archive")
        path = local(out, previous) if previous else None


def walked_ids(out: Path, start: Path, cache: dict[Path, Any] | None = None) -> list[str]:
    return [entry.id for _, parsed in walk(out, start, cache) for entry in parsed.entries]


def raw_tag(document: bytes, tag: str) -> list[str]:
    return [m.decode() for m in re.findall(rb"<" + tag.encode() + rb"(?: [^>]*)?>([^<]*)</", document)]


def build(site: Path, out: Path, now: str = DEMO_NOW) -> None:
    result = run_pressroom("build", site, "-o", out, "--now", now, "--quiet")
    assert result.returncode == 0, result.stderr


def copy_demo(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "site.toml", target / "site.toml")
    shutil.copytree(REPO / "content", target / "content")
    return target


def catalog_of(site: Path) -> Catalog:
    return decide(load_site(site), dt.datetime.fromisoformat(DEMO_NOW), drafts=False)


# --- the demo site -------------------------------------------------------------------------------

def test_every_demo_feed_is_well_formed(demo_output: Path) -> None:
    paths = feed_paths(demo_output)
    assert local(demo_output, BASE + "feeds/rss.xml") in paths
    assert len(paths) >= 2 * (1 + 3 + 10)  # site, three authorities, topics and places
    for path in paths:
        parsed = parse(path)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        # rel="self" names the document's own address
        assert local(demo_output, link(parsed, "self") or "") == path
    document = json.loads((demo_output / "feeds" / "feed.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == BASE + "feeds/feed.json"


def test_site_feed_items_have_the_wire_shape(demo_output: Path) -> None:
    catalog = catalog_of(REPO)
    for name in ("rss.xml", "atom.xml"):
        parsed = parse(demo_output / "feeds" / name)
        shown = catalog.published
        assert [e.id for e in parsed.entries] == [f"tag:presse.example.org,2000:{r.id}" for r in shown]
        assert [e.title for e in parsed.entries] == [f"{r.authority.code}: {r.title}" for r in shown]
        assert [e.link for e in parsed.entries] == [f"{BASE}meldung/{r.slug}/" for r in shown]
        for entry, release in zip(parsed.entries, catalog.published, strict=True):
            assert entry.summary.startswith(f"{release.location} (ots) – "), entry.summary
            assert entry.author_detail.name == release.authority.name
            assert [t.term for t in entry.get("tags", [])] == list(release.tags)
            content = entry.content[0].value
            assert content.startswith(f"<p>{release.location} (ots) – ")
            assert "Rückfragen bitte an:" in content
            origin = (f"Original-Content von: {release.authority.name}, "
                      "übermittelt durch Presseportal Gelsenkirchen")
            assert content.rstrip().endswith(f"<p>{origin}</p>")
            for url in URL_ATTRIBUTE.findall(content):
                assert url.startswith(("https://", "http://", "mailto:", "tel:")), url
        # the newest item's time, its newest major update included, never the build clock
        newest = max(r.updated for r in catalog.published)
        assert dt.datetime(*parsed.feed.updated_parsed[:6], tzinfo=dt.UTC) == newest


def test_dates_carry_numeric_offsets_and_guids_are_not_permalinks(demo_output: Path) -> None:
    rss = (demo_output / "feeds" / "rss.xml").read_bytes()
    dates = raw_tag(rss, "pubDate") + raw_tag(rss, "lastBuildDate")
    assert len(dates) == 9
    assert all(RFC822.match(d) for d in dates), dates
    guids = re.findall(rb"<guid ([^>]*)>tag:presse\.example\.org,2000:", rss)
    assert guids == [b'isPermaLink="false"'] * 8
    atom = (demo_output / "feeds" / "atom.xml").read_bytes()
    stamps = raw_tag(atom, "updated") + raw_tag(atom, "published")
    assert len(stamps) == 1 + 8 + 8
    assert all(RFC3339.match(s) for s in stamps), stamps


def test_a_minor_update_does_not_move_the_item_but_a_major_one_does(demo_output: Path) -> None:
    entry = next(e for e in parse(demo_output / "feeds" / "atom.xml").entries
                 if e.id.endswith(":stadt-ge-2021-0607-1") or "Cranger" in e.title)
    # 2021-06-08 was minor, 2021-07-20 major
    assert entry.updated == "2021-07-20T12:00:00+02:00"
    assert entry.published.startswith("2021-06-07")


def test_first_image_is_the_enclosure(demo_output: Path) -> None:
    # The enclosure is the largest published variant (metadata removed), not the original upload.
    variant = max((demo_output / "media").glob("streifenwagen-verkehrskontrolle-*.jpg"),
                  key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    for name in ("rss.xml", "atom.xml"):
        parsed = parse(demo_output / "feeds" / name)
        entry = next(e for e in parsed.entries if "Verkehrsunfallbilanz" in e.title)
        assert entry.enclosures == [{"href": f"{BASE}media/{variant.name}",
                                     "type": "image/jpeg", "length": str(variant.stat().st_size)}]
        page = next(e for e in entry.links if e.rel == "alternate")
        assert page.href.endswith("verkehrsunfallbilanz-2024/")


def test_no_unpublished_release_reaches_any_feed(demo_output: Path) -> None:
    everything = load_site(REPO).releases
    catalog = catalog_of(REPO)
    hidden = [r for r in everything if catalog.states[r.id] is not State.PUBLISHED]
    assert {catalog.states[r.id] for r in hidden} == {State.DRAFT, State.SCHEDULED, State.WITHDRAWN}
    for path in [*feed_paths(demo_output), demo_output / "feeds" / "feed.json"]:
        # A withdrawn release may be named by its tombstone (id and time); nothing else of it.
        text = TOMBSTONE.sub("", path.read_text(encoding="utf-8"))
        for release in hidden:
            assert f":{release.id}<" not in text and f':{release.id}"' not in text, (path, release.id)
            assert release.title not in text, (path, release.title)


def test_json_feed_mirrors_the_site_feed(demo_output: Path) -> None:
    document = json.loads((demo_output / "feeds" / "feed.json").read_text(encoding="utf-8"))
    atom = parse(demo_output / "feeds" / "atom.xml")
    assert [i["id"] for i in document["items"]] == [e.id for e in atom.entries]
    assert [i["title"] for i in document["items"]] == [e.title for e in atom.entries]
    for item in document["items"]:
        assert RFC3339.match(item["date_published"]) and RFC3339.match(item["date_modified"])
        urls = URL_ATTRIBUTE.findall(item["content_html"])
        assert urls and all(u.startswith(("https://", "mailto:", "tel:")) for u in urls)
        assert re.match(r"^.+ \(ots\) – ", item["summary"])
    cranger = next(i for i in document["items"] if "Cranger" in i["title"])
    assert cranger["date_modified"] == "2021-07-20T12:00:00+02:00"


def test_pages_link_the_feeds_that_fit_them(demo_output: Path) -> None:
    alternate = re.compile(r'<link rel="alternate" type="application/(?:rss\+xml|atom\+xml|feed\+json)"[^>]*'
                           r'href="/([^"]+)"')
    pages = list(demo_output.rglob("*.html"))
    for page in pages:
        for target in alternate.findall(page.read_text(encoding="utf-8")):
            assert (demo_output / target).is_file(), (page, target)
    topic = (demo_output / "themen" / "brand" / "index.html").read_text(encoding="utf-8")
    assert 'type="application/rss+xml" title="Brand (RSS)" href="/themen/brand/rss.xml"' in topic
    assert re.search(r'class="subscribe">.*<a href="/themen/brand/rss.xml">', topic)
    release = (demo_output / "meldung" / CONFERENCE / "index.html").read_text(encoding="utf-8")
    linked = alternate.findall(release)
    assert "feeds/rss.xml" in linked and "feeds/atom.xml" in linked
    assert "behoerden/polizei-gelsenkirchen/rss.xml" in linked
    assert '<a href="/behoerden/polizei-gelsenkirchen/rss.xml">' in release


# --- the plain-text rendition --------------------------------------------------------------------

def test_plain_text_rendition_has_the_shape_of_the_wire(demo_output: Path) -> None:
    ours = (demo_output / "meldung" / CONFERENCE / "meldung.txt").read_text(encoding="utf-8")
    # The example's first line (" date 2019-04 Polizei Gelsenkirchen") is a page header from
    # where it was captured, not part of the release.
    example = EXAMPLE.read_text(encoding="utf-8").split("\n", 2)[2]
    head, body_and_tail = ours.split("\n\n", 2)[:2], ours.split("\n\n", 2)[2]
    assert head == ["POL-GE: Eine Konferenz für die Sicherheit in Gelsenkirchen", "Gelsenkirchen (ots)"]
    assert example.startswith("\n\n".join(head) + "\n\n")
    body, tail = body_and_tail.split("\n\nRückfragen bitte an:", 1)
    example_body, example_tail = example.split("\n\n", 2)[2].split("\n\nRückfragen bitte an:", 1)
    # the same words; the demo's author gave the long first paragraph more breaks
    assert body.split() == example_body.split()
    ours_origin = "übermittelt durch Presseportal Gelsenkirchen"
    assert tail.rstrip("\n") == example_tail.replace("übermittelt durch news aktuell", ours_origin)
    assert "\n\n\n\nPolizei Gelsenkirchen\n\nTorsten Sziesze\n\nTelefon: 0209 / 365 2010\n\n" in tail


# --- changes across builds -----------------------------------------------------------------------

def test_guid_survives_a_retitle_and_a_rename_with_alias(tmp_path: Path) -> None:
    site = copy_demo(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    before = {e.id: e for e in parse(out / "feeds" / "atom.xml").entries}
    source = site / "content" / "releases" / "2019" / f"{CONFERENCE}.md"
    text = source.read_text(encoding="utf-8").replace(
        "title: Eine Konferenz für die Sicherheit in Gelsenkirchen",
        f"title: Erste Sicherheitskonferenz in Gelsenkirchen\naliases: [/meldung/{CONFERENCE}/]")
    source.unlink()
    (source.parent / "2019-04-29-erste-sicherheitskonferenz.md").write_text(text, encoding="utf-8")
    build(site, out)
    for name in ("atom.xml", "rss.xml"):
        after = {e.id: e for e in parse(out / "feeds" / name).entries}
        assert after.keys() == before.keys()
        entry = after["tag:presse.example.org,2000:pol-ge-2019-0429-1"]
        assert entry.title == "POL-GE: Erste Sicherheitskonferenz in Gelsenkirchen"
        assert entry.link == f"{BASE}meldung/2019-04-29-erste-sicherheitskonferenz/"
    assert (out / "meldung" / CONFERENCE / "index.html").is_file()  # the alias


def test_updates_move_the_item_only_when_major(tmp_path: Path) -> None:
    site = copy_demo(tmp_path / "site")
    out = tmp_path / "out"
    source = site / "content" / "releases" / "2019" / f"{CONFERENCE}.md"
    original = source.read_text(encoding="utf-8")

    def with_update(major: bool) -> tuple[Any, Any, dict[str, Any]]:
        source.write_text(original.replace(
            "kind: conference-report\n",
            "kind: conference-report\nupdates:\n  - date: 2026-11-25T09:30:00+01:00\n"
            f"    note: Teilnehmerliste ergänzt.\n    major: {str(major).lower()}\n"), encoding="utf-8")
        build(site, out)
        atom, rss = parse(out / "feeds" / "atom.xml"), parse(out / "feeds" / "rss.xml")
        document = json.loads((out / "feeds" / "feed.json").read_text(encoding="utf-8"))
        item = next(i for i in document["items"] if i["id"].endswith(":pol-ge-2019-0429-1"))
        entry = next(e for e in atom.entries if e.id.endswith(":pol-ge-2019-0429-1"))
        return atom, entry, {"item": item, "rss": rss}

    atom, entry, more = with_update(major=False)
    assert entry.updated == "2019-04-29T16:05:00+02:00"
    assert more["item"]["date_modified"] == "2019-04-29T16:05:00+02:00"
    assert atom.feed.updated == "2026-11-20T14:30:00+01:00"  # the newest release
    assert "Teilnehmerliste ergänzt." in entry.content[0].value

    atom, entry, more = with_update(major=True)
    assert entry.id == "tag:presse.example.org,2000:pol-ge-2019-0429-1"
    assert entry.updated == "2026-11-25T09:30:00+01:00"
    assert more["item"]["date_modified"] == "2026-11-25T09:30:00+01:00"
    assert atom.feed.updated == "2026-11-25T09:30:00+01:00"
    assert more["rss"].feed.updated == "Wed, 25 Nov 2026 09:30:00 +0100"


def test_websub_hub_is_announced_and_drafts_stay_out_even_when_rendered(tmp_path: Path) -> None:
    site = copy_demo(tmp_path / "site")
    with (site / "site.toml").open("a", encoding="utf-8") as handle:
        handle.write('websub_hub = "https://hub.example.net/"\n')
    out = tmp_path / "out"
    result = run_pressroom("build", site, "-o", out, "--now", DEMO_NOW, "--quiet", "--drafts")
    assert result.returncode == 0, result.stderr
    drafts = [r for r in load_site(site).releases if r.draft]
    assert drafts and all((out / "meldung" / r.slug / "index.html").is_file() for r in drafts)
    for path in [*feed_paths(out), out / "feeds" / "feed.json"]:
        text = path.read_text(encoding="utf-8")
        assert not any(f":{r.id}<" in text or f':{r.id}"' in text for r in drafts), path
    for path in (out / "feeds" / "rss.xml", out / "behoerden" / "polizei-gelsenkirchen" / "atom.xml"):
        assert link(parse(path), "hub") == "https://hub.example.net/"
    document = json.loads((out / "feeds" / "feed.json").read_text(encoding="utf-8"))
    assert document["hubs"] == [{"type": "WebSub", "url": "https://hub.example.net/"}]


def test_hostile_titles_bodies_and_tags_stay_escaped(tmp_path: Path) -> None:
    site = copy_demo(tmp_path / "site")
    title = 'Feuer & Flamme <script>alert("x")</script> \'Zitat\' 🚒 <b>fett</b>'
    body = ('Text mit <script>alert(1)</script> und <img src="x" onerror="alert(2)"> und '
            '<a href="javascript:alert(3)">Link</a> und <iframe src="https://evil.example"></iframe>.\n\n'
            '[relativ](../andere-meldung/) und [Wurzel](/meldungen/).')
    write_release(site, 1, "polizei-gelsenkirchen", dt.datetime(2026, 11, 24, 10, tzinfo=BERLIN),
                  ["Feuer/Wehr & Ümläute"], title=title, body=body)
    out = tmp_path / "out"
    build(site, out)
    topic = out / "themen" / "feuer-wehr-uemlaeute"
    assert (topic / "rss.xml").is_file() and (topic / "atom.xml").is_file()
    for path in [*feed_paths(out), out / "feeds" / "feed.json"]:
        raw = path.read_bytes()
        assert b"<script" not in raw.lower() and b"<iframe" not in raw.lower() and b"<b>" not in raw, path
    for path in (out / "feeds" / "rss.xml", out / "feeds" / "atom.xml", topic / "rss.xml"):
        parsed = parse(path)
        assert parsed.bozo == 0
        entry = next(e for e in parsed.entries if e.id.endswith(":r00001"))
        assert entry.title == f"POL-GE: {title}"
        content = entry.content[0].value
        for bad in ("<script", "onerror", "javascript:", "<iframe"):
            assert bad not in content, (path, bad)
        assert 'href="https://presse.example.org/meldung/andere-meldung/"' in content
        assert 'href="https://presse.example.org/meldungen/"' in content
        assert [t.term for t in entry.tags] == ["Feuer/Wehr & Ümläute"]
    item = json.loads((out / "feeds" / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert item["title"] == f"POL-GE: {title}"


def test_unchanged_feeds_keep_bytes_and_mtime_across_builds(tmp_path: Path) -> None:
    site = copy_demo(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    files = [*feed_paths(out), out / "feeds" / "feed.json"]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in files}
    build(site, out)  # a second build, swapped in atomically
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in files} == before
    elsewhere = tmp_path / "elsewhere"
    build(site, elsewhere)
    for path in files:
        assert (elsewhere / path.relative_to(out)).read_bytes() == before[path][0]


# --- a large site: archives ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("large")
    site, out = root / "site", root / "out"
    write_site(site)
    write_releases(site, 500)
    build(site, out)
    return site, out


@pytest.fixture(scope="module")
def large_parsed(large_site: tuple[Path, Path]) -> dict[Path, Any]:
    # The tests of the large site read the documents' structure (well-formedness, entries, ids, dates,
    # links, tags), never an entry's HTML, so feedparser need not sanitize 5,000 bodies (a third of the time).
    return {path: feedparser.parse(path.read_bytes(), sanitize_html=False, resolve_relative_uris=False)
            for path in feed_paths(large_site[1])}


@pytest.mark.slow
def test_every_feed_of_a_large_site_is_well_formed(large_parsed: dict[Path, Any]) -> None:
    assert len(large_parsed) > 100
    for path, parsed in large_parsed.items():
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))


@pytest.mark.slow
def test_subscription_and_archive_documents(large_site: tuple[Path, Path],
                                            large_parsed: dict[Path, Any]) -> None:
    out = large_site[1]
    for name in ("rss.xml", "atom.xml"):
        documents = list(walk(out, out / "feeds" / name, large_parsed))
        assert [len(parsed.entries) for _, parsed in documents] == [20, 80, 100, 100, 100, 100]
        for position, (path, parsed) in enumerate(documents):
            raw = path.read_bytes()
            published = [e.published_parsed for e in parsed.entries]
            assert published == sorted(published, reverse=True)  # newest first in every document
            if position == 0:
                assert b"fh:archive" not in raw and link(parsed, "current") is None
                continue
            assert b"<fh:archive/>" in raw
            assert link(parsed, "current") == f"{BASE}feeds/{name}"
            number = 6 - position
            assert path == out / "feeds" / "archiv" / str(number) / name
            newer = None if number == 5 else f"{BASE}feeds/archiv/{number + 1}/{name}"
            assert link(parsed, "next-archive") == newer
        oldest_current = documents[0][1].entries[-1].published_parsed
        assert documents[1][1].entries[0].published_parsed <= oldest_current


@pytest.mark.slow
def test_walking_prev_archive_yields_every_release_once(large_site: tuple[Path, Path],
                                                        large_parsed: dict[Path, Any]) -> None:
    out = large_site[1]
    everything = {f"tag:presse.example.org,2000:r{n:05d}" for n in range(1, 501)}
    cache = large_parsed
    for name in ("rss.xml", "atom.xml"):
        site_walk = walked_ids(out, out / "feeds" / name, cache)
        assert len(site_walk) == 500 and set(site_walk) == everything
    topics_of = {e.id: {t.term for t in e.tags}
                 for _, p in walk(out, out / "feeds" / "atom.xml", cache) for e in p.entries}
    by_authority: list[str] = []
    for folder in sorted(p for p in (out / "behoerden").iterdir() if p.is_dir()):
        for name in ("rss.xml", "atom.xml"):
            ids = walked_ids(out, folder / name, cache)
            assert len(ids) == len(set(ids)), folder
        by_authority += walked_ids(out, folder / "atom.xml", cache)
    assert sorted(by_authority) == sorted(everything)
    topics = sorted(p for p in (out / "themen").iterdir() if p.is_dir())
    assert len(topics) == 8
    for folder in topics:
        expected = {i for i, tags in topics_of.items() if folder.name in {slug(t) for t in tags}}
        assert expected, folder
        for name in ("rss.xml", "atom.xml"):
            ids = walked_ids(out, folder / name, cache)
            assert len(ids) == len(set(ids)) and set(ids) == expected, folder


@pytest.mark.slow
def test_full_archive_documents_never_change(large_site: tuple[Path, Path], tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(large_site[0], site)
    shutil.copytree(large_site[1], out)
    archives = sorted(out.rglob("archiv/*/*.xml"))
    full = [p for p in archives if b'rel="next-archive"' in p.read_bytes()]
    assert len(full) >= 8
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in archives}
    subscription = (out / "feeds" / "rss.xml").read_bytes()
    write_release(site, 501, "polizei-essen", dt.datetime(2026, 11, 1, 8, tzinfo=BERLIN), ["Brand"])
    build(site, out)
    for path in full:
        assert (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino) == before[path], path
    assert (out / "feeds" / "rss.xml").read_bytes() != subscription
    newest_archive = parse(out / "feeds" / "archiv" / "5" / "atom.xml")
    assert len(newest_archive.entries) == 81


# --- the archive plan ----------------------------------------------------------------------------

def _releases(count: int) -> list[Release]:
    authority = Authority("a", "A", "A", "Stadt")
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    return [Release(source=f"r{n}.md", id=f"r{n:04d}", slug=f"r{n}", title=f"T{n}",
                    date=start + dt.timedelta(hours=n), authority=authority, body="")
            for n in range(count)]


def test_a_withdrawal_changes_only_the_archive_page_that_held_the_release() -> None:
    oldest_first = _releases(3 * ARCHIVE_SIZE + 30)
    newest_first = tuple(reversed(oldest_first))
    before = plan(Channel("feeds/", "t", "d", BASE, newest_first), 20)
    assert [len(p) for p in before.archives] == [100, 100, 100, 10]
    gone = oldest_first[150]
    remaining = tuple(r for r in newest_first if r is not gone)
    after = plan(Channel("feeds/", "t", "d", BASE, remaining, (gone,)), 20)
    assert after.current == before.current
    assert after.archives[0] == before.archives[0] and after.archives[2:] == before.archives[2:]
    assert after.archives[1] == tuple(r for r in before.archives[1] if r is not gone)


def test_a_full_archive_page_is_followed_by_a_page_at_once() -> None:
    newest_first = tuple(reversed(_releases(ARCHIVE_SIZE + 20)))
    layout = plan(Channel("feeds/", "t", "d", BASE, newest_first), 20)
    assert [len(p) for p in layout.archives] == [100, 0]
    assert plan(Channel("feeds/", "t", "d", BASE, newest_first[:20]), 20).archives == ()


def _plan_by_sorting(channel: Channel, feed_items: int, size: int = ARCHIVE_SIZE) -> tuple[tuple[Release, ...], ...]:
    """The archive pages as the plan's rule states them, slot by slot, for every channel alike."""
    if len(channel.releases) <= feed_items:
        return ()
    slots = sorted((*channel.releases, *channel.withdrawn), key=lambda r: (r.date, r.id))
    shown = {r.id for r in channel.releases}
    cut = next(i for i, r in enumerate(slots) if r.id == channel.releases[feed_items - 1].id)
    return tuple(tuple(reversed([r for r in slots[start:min(start + size, cut)] if r.id in shown]))
                 for start in range(0, cut // size * size + 1, size))


@given(count=st.integers(0, 260), feed_items=st.integers(1, 40), size=st.integers(1, 60),
       gone=st.sets(st.integers(0, 259), max_size=12))
@settings(max_examples=150, deadline=None)
def test_the_plan_of_any_channel_follows_its_rule(count: int, feed_items: int, size: int, gone: set[int]) -> None:
    oldest_first = _releases(count)
    withdrawn = tuple(r for n, r in enumerate(oldest_first) if n in gone)
    published = tuple(r for n, r in reversed(list(enumerate(oldest_first))) if n not in gone)
    for channel in (Channel("feeds/", "t", "d", BASE, published, withdrawn),
                    Channel("feeds/", "t", "d", BASE, published)):
        layout = plan(channel, feed_items, size)
        assert layout.current == published[:feed_items]
        assert layout.archives == _plan_by_sorting(channel, feed_items, size)
