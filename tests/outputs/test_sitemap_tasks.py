"""The sitemap as the build makes it: keyed tasks that give the bytes of the sequences as
`sitemap_documents` cuts them, and a rebuild that makes only the sitemap files whose releases
changed (the build keeps a file whose key is unchanged without making it)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

import pytest

from generator.build import plan
from generator.build.pipeline import BuildOptions, build
from generator.core import urls
from generator.core.models import Authority, Kind, Release, Settings, Update, Withdrawal
from generator.core.paging import archive_chunk, archive_pages
from generator.lifecycle.catalog import Catalog, make_catalog
from generator.outputs import sitemap
from generator.outputs.data import OutputData
from generator.outputs.files import Content, Task
from generator.outputs.sitemap import Entry, robots, sitemap_documents, sitemap_tasks
from tests.support.corpus import BERLIN, write_release, write_releases, write_site

NOW = dt.datetime(2026, 11, 1, tzinfo=BERLIN)
UTC = dt.UTC
SUMMER = dt.timezone(dt.timedelta(hours=2))


# --- the same bytes as the sequences cut by `sitemap_documents` ------------------------------

def reference(catalog: Catalog, data: OutputData, page_slugs: Sequence[str]) -> list[tuple[str, str]]:
    """The sitemap by its definition: each listing page's lastmod the newest `updated` of all its
    releases, every release in its slot oldest first, cut by `sitemap_documents`."""
    per_page = data.settings.per_page
    pages = [Entry("", catalog.published[0].updated if catalog.published else None)]

    def listing(path: str, releases: Sequence[Release]) -> None:
        pages.append(Entry(path, max((r.updated for r in releases[:per_page]), default=None)))
        pages.extend(Entry(urls.numbered(path, n), max(r.updated for r in archive_chunk(releases, per_page, n)))
                     for n in range(1, archive_pages(len(releases), per_page) + 1))

    listing(urls.RELEASES, catalog.published)
    for index_path, members in ((urls.AUTHORITIES, catalog.authorities), (urls.TOPICS, catalog.topics),
                                (urls.PLACES, catalog.places), (urls.YEARS, catalog.years)):
        pages.append(Entry(index_path, max((g.releases[0].updated for g in members if g.releases), default=None)))
        for group in members:
            listing(group.path, group.releases)
    pages += [*(Entry(urls.page(s), None) for s in page_slugs), Entry(urls.SEARCH, None)]
    shown = {r.id for r in catalog.published}
    slots = sorted((*catalog.published, *catalog.withdrawn), key=lambda r: (r.date, r.id))
    releases = [Entry(urls.release(r.slug), r.updated) if r.id in shown else None for r in slots]
    return [("robots.txt", robots(data)),
            *sitemap_documents(pages, releases, data, sitemap.MAX_URLS, sitemap.MAX_BYTES)]


AUTHORITIES = [Authority("polizei-essen", "Polizei Essen", "POL-E", "Essen"),
               Authority("feuerwehr-bochum", "Feuerwehr Bochum", "FW-BO", "Bochum"),
               Authority("polizei-leer", "Polizei Leer", "POL-LER", "Leer")]  # without a release


def release(number: int, when: dt.datetime, updates: tuple[Update, ...] = (), withdrawn: Withdrawal | None = None,
            kind: Kind = Kind.PRESS_RELEASE, expires: dt.datetime | None = None) -> Release:
    tags = (("Brand", "Einbruch", "Verkehr")[number % 3], "Zeugen & Hinweise") if number % 4 else ()
    return Release(source=f"content/releases/r{number}.md", id=f"r{number:03d}", slug=f"meldung-{number:03d}",
                   title=f"Meldung {number}", date=when, authority=AUTHORITIES[number % 2], body="Text.",
                   tags=tags, places=("Essen",) if number % 5 == 0 else (), updates=updates, withdrawn=withdrawn,
                   kind=kind, expires=expires)


def tricky_catalog() -> Catalog:
    """Releases over three years, some updated since (one of them past every later release),
    some of equal times written with other offsets, withdrawn ones, an expired appeal."""
    start = dt.datetime(2024, 3, 1, 9, 0, tzinfo=BERLIN)
    releases = [release(n, start + dt.timedelta(days=11 * n, minutes=n)) for n in range(70)]
    releases[5] = release(5, releases[5].date, updates=(Update(dt.datetime(2026, 10, 1, tzinfo=UTC), "neu"),))
    releases[9] = release(9, releases[9].date, updates=(Update(releases[9].date + dt.timedelta(hours=1), "klein",
                                                                 major=False),))
    releases[30] = release(30, releases[30].date, updates=(Update(releases[31].date.astimezone(UTC), "gleich"),))
    # Equal instants, other offsets: `max` keeps the first of them, so must the sitemap.
    releases[40] = release(40, releases[41].date.astimezone(UTC))
    releases[42] = release(42, releases[43].date.astimezone(SUMMER))
    releases[12] = release(12, releases[12].date, withdrawn=Withdrawal(dt.datetime(2025, 1, 1, tzinfo=UTC), "falsch"))
    releases[60] = release(60, releases[60].date, withdrawn=Withdrawal())
    releases[61] = release(61, releases[61].date, kind=Kind.APPEAL, expires=dt.datetime(2026, 6, 1, tzinfo=UTC))
    return make_catalog(releases, AUTHORITIES, NOW)


def made(tasks: Sequence[Task]) -> list[tuple[str, str]]:
    texts: list[tuple[str, Content]] = [(task.path, task.make()) for task in tasks]
    return [(path, text) for path, text in texts if isinstance(text, str)]


@pytest.mark.parametrize(("max_urls", "max_bytes"), [(50_000, 50 * 1024 * 1024), (7, 50 * 1024 * 1024), (8, 700),
                                                     (64, 2_000)])
def test_the_tasks_give_the_bytes_of_the_definition(monkeypatch: pytest.MonkeyPatch, max_urls: int,
                                                    max_bytes: int) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", max_urls)
    monkeypatch.setattr(sitemap, "MAX_BYTES", max_bytes)
    catalog = tricky_catalog()
    assert len(catalog.withdrawn) == 3 and any(r.updates for r in catalog.published)
    for base_url in ("https://presse.example.org/", "https://example.org/a&b/" + "x" * 300 + "/"):
        data = OutputData(Settings(title="Presse", base_url=base_url, per_page=4), {})
        tasks = sitemap_tasks(catalog, data, ["impressum", "datenschutz"])
        expected = reference(catalog, data, ["impressum", "datenschutz"])
        assert made(tasks) == expected
        assert [task.path for task in tasks] == [path for path, _ in expected]


def test_an_empty_site_has_a_sitemap_of_its_own_pages() -> None:
    data = OutputData(Settings(title="Presse", base_url="https://presse.example.org/"), {})
    catalog = make_catalog((), AUTHORITIES, NOW)
    assert made(sitemap_tasks(catalog, data, [])) == reference(catalog, data, [])


# --- a rebuild makes only the files whose releases changed --------------------------------------

RELEASES = 30
PER_FILE = 8  # so the 30 releases fill four files of fixed slots: 8, 8, 8 and 6


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sitemap, "MAX_URLS", PER_FILE)
    root = tmp_path / "site"
    write_site(root)
    write_releases(root, RELEASES, start=dt.datetime(2024, 1, 1, tzinfo=BERLIN), days=600)
    return root


def run(site: Path, output: Path, cache: bool = True) -> None:
    build(BuildOptions(site=site, output=output, now=NOW, quiet=True, jobs=1, search=False, cache=cache))


def recording(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sitemap files the builds from now on make (`jobs=1`: they are made in this process)."""
    seen: list[str] = []
    real = plan.sitemap_tasks

    def counted(make: Callable[[], Content], path: str) -> Content:
        seen.append(path)
        return make()

    def tasks(catalog: Catalog, data: OutputData, page_slugs: Iterable[str]) -> list[Task]:
        return [Task(t.path, t.key, partial(counted, t.make, t.path)) for t in real(catalog, data, page_slugs)]

    monkeypatch.setattr(plan, "sitemap_tasks", tasks)
    return seen


def sitemap_of(output: Path) -> dict[str, bytes]:
    files = [output / "robots.txt", output / "sitemap.xml", *sorted((output / "sitemaps").iterdir())]
    return {f.relative_to(output).as_posix(): f.read_bytes() for f in files}


def holding(output: Path, slug: str) -> str:
    """The sitemap file that lists the release."""
    found = [path for path, text in sitemap_of(output).items()
             if path.startswith("sitemaps/meldungen-") and f"/meldung/{slug}/<".encode() in text]
    assert len(found) == 1
    return found[0]


def oldest(site: Path, position: int) -> Path:
    """The release file `position` places from the oldest (the names start with the date)."""
    return sorted((site / "content" / "releases").rglob("*.md"), key=lambda p: p.name)[position]


def rebuilt(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            change: Callable[[], None]) -> tuple[set[str], dict[str, bytes], dict[str, bytes]]:
    """(the sitemap files the rebuild made, the sitemap before, the sitemap after); the rebuild's
    sitemap is byte for byte a cold build's."""
    out = tmp_path / "out"
    run(site, out)
    before = sitemap_of(out)
    seen = recording(monkeypatch)
    change()
    run(site, out)
    rebuild = set(seen)
    after = sitemap_of(out)
    run(site, tmp_path / "cold", cache=False)
    assert sitemap_of(tmp_path / "cold") == after, "the cached rebuild's sitemap differs from a cold build's"
    return rebuild, before, after


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


FILES = {f"sitemaps/meldungen-{n}.xml" for n in range(1, 5)}


def always(sitemap: dict[str, bytes]) -> set[str]:
    """The index and the files of the site's own pages, which are made with every change of a
    release (every release is on the listings' pages)."""
    return {"sitemap.xml", *(p for p in sitemap if p.startswith("sitemaps/seiten-"))}


def test_an_edit_makes_only_the_sitemap_file_that_holds_the_release(site: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    victim = oldest(site, 10)

    def edit() -> None:
        victim.write_text(victim.read_text(encoding="utf-8") + "\nNachtrag: ein neuer Satz.\n", encoding="utf-8")

    rebuild, before, after = rebuilt(site, tmp_path, monkeypatch, edit)
    assert holding(tmp_path / "out", victim.stem) == "sitemaps/meldungen-2.xml"
    assert rebuild == {"sitemaps/meldungen-2.xml", *always(after)}
    assert after == before  # a new sentence is no update: no time changed


def test_an_update_makes_and_changes_the_file_that_holds_the_release(site: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    victim = oldest(site, 20)

    def update() -> None:
        text = victim.read_text(encoding="utf-8").replace(
            "---\n\n", "updates:\n  - date: 2026-10-30T10:00:00+01:00\n    note: Neue Lage.\n---\n\n", 1)
        victim.write_text(text, encoding="utf-8")

    rebuild, before, after = rebuilt(site, tmp_path, monkeypatch, update)
    assert rebuild == {"sitemaps/meldungen-3.xml", *always(after)}
    assert _changed(before, after) - always(after) == {"sitemaps/meldungen-3.xml"}
    assert "sitemap.xml" in _changed(before, after)  # the newest time of two of its files
    assert b"<lastmod>2026-10-30T10:00:00+01:00</lastmod>" in after["sitemaps/meldungen-3.xml"]


def test_a_new_release_makes_only_the_last_file_and_the_index(site: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    added: list[Path] = []

    def add() -> None:
        added.append(write_release(site, 9000, "polizei-essen", NOW - dt.timedelta(hours=1), ["Verkehr"]))

    rebuild, before, after = rebuilt(site, tmp_path, monkeypatch, add)
    assert rebuild == {"sitemaps/meldungen-4.xml", *always(after)}
    assert _changed(before, after) - always(after) == {"sitemaps/meldungen-4.xml"}
    assert "sitemap.xml" in _changed(before, after)
    assert holding(tmp_path / "out", added[0].stem) == "sitemaps/meldungen-4.xml"


def test_a_withdrawal_makes_only_the_file_whose_slot_it_empties(site: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    victim = oldest(site, 3)

    def withdraw() -> None:
        victim.write_text(victim.read_text(encoding="utf-8").replace("---\n\n", "withdrawn: true\n---\n\n", 1),
                          encoding="utf-8")

    rebuild, before, after = rebuilt(site, tmp_path, monkeypatch, withdraw)
    assert rebuild == {"sitemaps/meldungen-1.xml", *always(after)}
    # The listings' pages move up; the newest times stay, and with them the index.
    pages = _changed(before, after) - {"sitemaps/meldungen-1.xml"}
    assert pages and pages < always(after) - {"sitemap.xml"}
    listed = re.findall(rb"<loc>([^<]*)</loc>", after["sitemaps/meldungen-1.xml"])
    assert len(listed) == PER_FILE - 1 and not [u for u in listed if victim.stem.encode() in u]
    # Its slot stays: the later files list what they listed.
    assert {p: after[p] for p in FILES - {"sitemaps/meldungen-1.xml"}} == {
        p: before[p] for p in FILES - {"sitemaps/meldungen-1.xml"}}


def test_a_back_dated_release_moves_the_later_slots_and_makes_their_files(site: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    earliest = oldest(site, 0).name[:10]

    def add() -> None:
        when = dt.datetime.fromisoformat(earliest).replace(tzinfo=BERLIN) - dt.timedelta(days=2)
        write_release(site, 9001, "feuerwehr-essen", when, ["Brand"])

    rebuild, before, after = rebuilt(site, tmp_path, monkeypatch, add)
    assert rebuild == FILES | always(after)
    assert _changed(before, after) - always(after) == FILES
    first = re.findall(rb"<loc>([^<]*)</loc>", after["sitemaps/meldungen-1.xml"])[0]
    assert b"meldung-09001" in first
