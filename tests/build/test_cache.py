"""The persistent cache and parallel rendering: a cached build equals a cold one, byte for byte.

Each test builds a site, changes one kind of input, and builds again twice: once with the
cache of the first build (warm) and once cold (no cache, fresh output folder). The two must
be identical file for file, and the warm one must really have used the cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.build import loader, stages
from generator.build.cache import CACHE_DIR, DATABASE
from generator.build.loader import settings_key
from generator.build.pipeline import BuildOptions, BuildReport, build
from generator.core.models import Release, Settings
from tests.support.corpus import BERLIN, write_release, write_releases, write_site

NOW = dt.datetime(2026, 11, 1, tzinfo=BERLIN)
APPEAL_ENDS = dt.datetime(2026, 11, 10, tzinfo=BERLIN)
SCHEDULED = dt.datetime(2026, 11, 5, 9, tzinfo=BERLIN)


def make_site(root: Path) -> Path:
    site = root / "site"
    write_site(site)
    write_releases(site, 90, start=dt.datetime(2025, 1, 1, tzinfo=BERLIN), days=600)
    write_release(site, 500, "polizei-essen", dt.datetime(2026, 10, 20, 9, tzinfo=BERLIN), ["Fahndung"],
                  title="Vermisste Seniorin", extra=f"kind: appeal\nexpires: {APPEAL_ENDS.isoformat()}\n")
    write_release(site, 501, "polizei-essen", dt.datetime(2026, 10, 21, 9, tzinfo=BERLIN), ["Sicherheitskonferenz"],
                  title="Sicherheitskonferenz", extra="kind: conference-report\nevent:\n  name: Konferenz\n"
                  "  start: 2026-10-21T09:00:00+02:00\n  venue: Rathaus\n")
    write_release(site, 502, "feuerwehr-essen", SCHEDULED, ["Prävention"], title="Rauchmelder retten Leben")
    # What the build makes in its own process, keyed like every page: a page, a withdrawal
    # notice, an old address's redirect (with the conference report's calendar above).
    write_release(site, 503, "polizei-bochum", dt.datetime(2025, 6, 1, 9, tzinfo=BERLIN), ["Festnahme"],
                  title="Zurückgezogen", extra="withdrawn:\n  date: 2025-06-02T10:00:00+02:00\n  reason: Irrtum\n")
    write_release(site, 504, "polizei-bochum", dt.datetime(2025, 6, 3, 9, tzinfo=BERLIN), ["Festnahme"],
                  title="Umgezogen", extra="aliases: [/alt/umgezogen/]\n")
    (site / "content" / "pages").mkdir()
    (site / "content" / "pages" / "impressum.md").write_text("---\ntitle: Impressum\n---\n\nPresse (Test).\n",
                                                            encoding="utf-8")
    return site


def run(site: Path, output: Path, now: dt.datetime = NOW, cache: bool = True, jobs: int = 2,
        allow_removed: bool = False) -> BuildReport:
    return build(BuildOptions(site=site, output=output, now=now, quiet=True, search=False, cache=cache,
                              jobs=jobs, allow_removed=allow_removed))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The site of make_site after its first build (into out/, with its cache), made once per module."""
    root = tmp_path_factory.mktemp("first-build")
    report = run(make_site(root), root / "out")
    assert report.pages_reused == 0
    shutil.copytree(root / "site", root / "pristine-site", symlinks=True)
    shutil.copytree(root / "out", root / "pristine-out", symlinks=True)
    return root, report


def first_build(built: tuple[Path, BuildReport]) -> tuple[Path, Path, BuildReport]:
    """The built site for one test to change: the site with its cache and the first build's output,
    as that build left them and where (the cache knows files by their absolute paths).

    Restored with the files' times; that the restored cache is really used is proved by
    test_an_unchanged_rebuild_renders_nothing_and_rewrites_nothing."""
    root, report = built
    for name in ("site", "out"):
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.copytree(root / f"pristine-{name}", root / name, symlinks=True)
    # What an earlier test's builds kept beside the output (the spare and its state) belongs to
    # another tree than the restored one.
    for side in root.glob(".out.*"):
        shutil.rmtree(side) if side.is_dir() else side.unlink()
    return root / "site", root / "out", report


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_site(warm: Path, cold: Path) -> None:
    a, b = tree(warm), tree(cold)
    assert sorted(a) == sorted(b), set(a) ^ set(b)
    differing = [path for path in a if a[path] != b[path]]
    assert not differing, f"cached and uncached builds differ in {differing[:5]}"


def _body(site: Path) -> None:
    path = sorted((site / "content" / "releases").rglob("*.md"))[3]
    path.write_text(path.read_text(encoding="utf-8") + "\nEin neuer Absatz mit **Nachtrag**.\n", encoding="utf-8")


def _front_matter(site: Path) -> None:
    path = sorted((site / "content" / "releases").rglob("*.md"))[5]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('title: "Meldung', 'title: "Geänderte Meldung', 1), encoding="utf-8")


def _template(site: Path) -> None:
    folder = site / "templates"
    folder.mkdir(exist_ok=True)
    theme = Path(__file__).resolve().parents[2] / "templates" / "release.html"
    text = theme.read_text(encoding="utf-8")
    (folder / "release.html").write_text(text.replace("</article>", "<p>Eigene Vorlage</p></article>", 1),
                                         encoding="utf-8")


def _settings(site: Path) -> None:
    path = site / "site.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('title = "Presse (Test)"', 'title = "Presse Neu"'),
                    encoding="utf-8")


def _authority(site: Path) -> None:
    path = site / "content" / "authorities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Polizei Essen", "name: Polizeipräsidium Essen"),
                    encoding="utf-8")


def _deletion(site: Path) -> None:
    sorted((site / "content" / "releases").rglob("*.md"))[7].unlink()


def _image(site: Path) -> None:
    image = site / "content" / "media" / "foto.jpg"
    from PIL import Image

    with Image.open(image) as picture:
        picture.rotate(180).save(image, quality=80)


def _shadow(site: Path) -> None:
    """A photo put beside a release under the name of the content/media/ file it shows: a
    `src` is looked for beside the release first, so this is the photo the release means now."""
    release = next((site / "content" / "releases").rglob("*-meldung-00009.md"))
    from PIL import Image

    with Image.open(site / "content" / "media" / "foto.jpg") as picture:
        picture.rotate(90, expand=True).save(release.parent / "foto.jpg", quality=80)


def _edit(site: Path, path: str, old: str, new: str) -> None:
    file = site / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _page(site: Path) -> None:
    _edit(site, "content/pages/impressum.md", "Presse (Test).", "Presse (Test), Musterstraße 1.")


def _withdrawal(site: Path) -> None:
    _edit(site, "content/releases/2025/2025-06-01-meldung-00503.md", "reason: Irrtum", "reason: Verwechslung")


def _alias(site: Path) -> None:
    """The release moves to a new address: its old address's redirect now points there."""
    folder = site / "content" / "releases" / "2025"
    (folder / "2025-06-03-meldung-00504.md").rename(folder / "2025-06-03-umgezogen.md")


def _event(site: Path) -> None:
    _edit(site, "content/releases/2026/2026-10-21-meldung-00501.md", "venue: Rathaus", "venue: Stadthalle")


CHANGES: dict[str, Callable[[Path], None]] = {
    "body": _body, "front matter": _front_matter, "template": _template, "settings": _settings,
    "authority": _authority, "deletion": _deletion, "image": _image, "page": _page, "withdrawal": _withdrawal,
    "alias": _alias, "event": _event, "shadowed image": _shadow,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_cached_build_after_a_change_equals_a_cold_one(built: tuple[Path, BuildReport], tmp_path: Path,
                                                        change: str) -> None:
    site, out, first = first_build(built)
    assert first.pages_reused == 0
    CHANGES[change](site)
    warm = run(site, out, allow_removed=True)
    run(site, tmp_path / "cold", cache=False, allow_removed=True)
    assert warm.pages_rendered > 0, "the change was not noticed"
    if change not in ("template", "settings"):  # those change every page
        assert warm.pages_reused > 0, "the cache was not used"
    assert_same_site(out, tmp_path / "cold")


def test_time_passing_publishes_and_withdraws_in_a_cached_build_as_in_a_cold_one(built: tuple[Path, BuildReport],
                                                                                tmp_path: Path) -> None:
    site, out, _ = first_build(built)
    assert b"Rauchmelder" not in b"".join(tree(out).values())
    for later in (SCHEDULED + dt.timedelta(minutes=1), APPEAL_ENDS + dt.timedelta(hours=1)):
        report = run(site, out, now=later)
        run(site, tmp_path / "cold", now=later, cache=False)
        assert report.pages_reused > 0
        assert_same_site(out, tmp_path / "cold")
    everything = b"".join(tree(out).values())
    assert b"Rauchmelder" in everything  # published when its time came
    assert b"Vermisste Seniorin" not in everything  # gone when the appeal ended


def test_an_unchanged_rebuild_renders_nothing_and_rewrites_nothing(built: tuple[Path, BuildReport]) -> None:
    site, out, first = first_build(built)
    page = next((out / "meldung").rglob("index.html"))
    before = page.stat()
    again = run(site, out)
    assert again.pages_rendered == 0 and again.pages_reused == first.pages_rendered
    assert again.files_written == 0
    after = page.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_an_edit_rewrites_only_the_files_that_show_it(built: tuple[Path, BuildReport]) -> None:
    site, out, first = first_build(built)
    _body(site)
    again = run(site, out)
    assert 0 < again.pages_rendered < first.pages_rendered // 5
    assert again.files_written < (first.files_written + first.files_kept) // 5


def test_an_edit_builds_the_feed_item_of_that_release_only(built: tuple[Path, BuildReport], tmp_path: Path,
                                                           feed_items_built: list[Release]) -> None:
    """The feed documents that hold the edited release are made again, with the other releases'
    items as the first build made them (kept in the cache); cold, every item is built."""
    site, out, _ = first_build(built)
    feed_items_built.clear()  # whatever the first build built
    _body(site)
    edited = sorted((site / "content" / "releases").rglob("*.md"))[3]
    report = run(site, out)
    assert report.pages_rendered > 0
    assert [r.source for r in feed_items_built] == [edited.relative_to(site).as_posix()]
    feed_items_built.clear()
    run(site, tmp_path / "cold", cache=False)
    built_for = [r.source for r in feed_items_built]
    assert len(built_for) == len(set(built_for)) > 90
    assert_same_site(out, tmp_path / "cold")


def test_a_rebuild_into_an_emptied_output_makes_the_pages_in_the_workers(built: tuple[Path, BuildReport],
                                                                        tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache kept, the output gone (a CI job that keeps only the cache): the cache's record
    of the output no longer holds, and the workers make every page – the build process makes
    none of them one by one."""
    site, out, first = first_build(built)
    shutil.rmtree(out)
    made_here: list[str] = []
    real = stages.make_now

    def counting(task: Any) -> bytes:
        made_here.append(task.path)
        return real(task)

    monkeypatch.setattr(stages, "make_now", counting)
    again = run(site, out)
    assert made_here == []
    assert again.pages_rendered == first.pages_rendered
    run(site, tmp_path / "cold", cache=False)
    assert_same_site(out, tmp_path / "cold")


def release_reads(site: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the release files of `site` read from now on, in this process."""
    read: list[str] = []
    real = Path.read_bytes

    def reading(path: Path) -> bytes:
        if path.suffix == ".md" and (site / "content" / "releases") in path.parents:
            read.append(path.name)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", reading)
    return read


def test_a_rebuild_reads_only_the_release_files_that_changed(built: tuple[Path, BuildReport],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    site, out, _ = first_build(built)
    monkeypatch.setattr(loader, "RACY_NS", 0)  # the copies were made just now (the window: next test)
    run(site, out)  # the restored copies are other files (inodes, change times): read once more
    _body(site)
    edited = sorted((site / "content" / "releases").rglob("*.md"))[3]
    read = release_reads(site, monkeypatch)
    report = run(site, out)
    assert read == [edited.name]
    assert report.pages_rendered > 0


def test_a_file_written_moments_ago_is_read_again_even_with_its_stamp_unchanged(
        built: tuple[Path, BuildReport], monkeypatch: pytest.MonkeyPatch) -> None:
    """Within the file system's time granularity a second write may leave the stamp as it was:
    a stamp taken so soon after a write is not kept, and the file is read again next time."""
    site, out, _ = first_build(built)
    monkeypatch.setattr(loader, "RACY_NS", 3_600 * 10**9)  # every file is "just written"
    run(site, out)
    read = release_reads(site, monkeypatch)
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        db.execute("DELETE FROM seals")  # else nothing at all is read
    run(site, out)
    assert len(read) == len(list((site / "content" / "releases").rglob("*.md")))
    monkeypatch.setattr(loader, "RACY_NS", 0)
    for _ in range(2):  # the first keeps the stamps, the second trusts them
        read.clear()
        with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
            db.execute("DELETE FROM seals")
        run(site, out)
    assert read == []


def test_a_release_rewritten_with_its_old_size_and_time_is_read_again(built: tuple[Path, BuildReport],
                                                                     tmp_path: Path) -> None:
    """A stamp (size, times, inode) vouches for a file's bytes only while nothing wrote to it: a
    restore or `touch -d` can give back the modification time, never the change time."""
    site, out, _ = first_build(built)
    run(site, out)
    path = sorted((site / "content" / "releases").rglob("*.md"))[3]
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace('title: "Meldung', 'title: "Meldunx', 1)
    assert changed != text and len(changed.encode()) == len(text.encode())
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    run(site, out)
    run(site, tmp_path / "cold", cache=False)
    assert b"Meldunx" in b"".join(tree(out).values())
    assert_same_site(out, tmp_path / "cold")


def test_a_hand_edited_output_file_is_made_again(built: tuple[Path, BuildReport]) -> None:
    site, out, _ = first_build(built)
    page = next((out / "meldung").rglob("index.html"))
    original = page.read_bytes()
    page.write_bytes(b"defaced")
    run(site, out)
    assert page.read_bytes() == original


def test_a_deleted_output_folder_is_made_again_in_full(built: tuple[Path, BuildReport], tmp_path: Path) -> None:
    site, out, first = first_build(built)
    shutil.rmtree(out)
    again = run(site, out)
    assert again.pages_rendered == first.pages_rendered and again.pages_reused == 0
    run(site, tmp_path / "cold", cache=False)
    assert_same_site(out, tmp_path / "cold")


def test_a_corrupt_cache_is_discarded_with_a_note(built: tuple[Path, BuildReport], tmp_path: Path) -> None:
    site, out, _ = first_build(built)
    database = site / CACHE_DIR / DATABASE
    for leftover in database.parent.glob(DATABASE + "-*"):
        leftover.unlink()
    database.write_bytes(b"this is not a database" * 100)
    report = run(site, out)
    assert any("discarded" in note for note in report.notes), report.notes
    run(site, tmp_path / "cold", cache=False)
    assert_same_site(out, tmp_path / "cold")
    assert run(site, out).pages_rendered == 0  # the new cache works


def test_a_cache_of_another_version_is_emptied(built: tuple[Path, BuildReport]) -> None:
    site, out, _ = first_build(built)
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        db.execute("UPDATE meta SET value = '0.0.0-other' WHERE name = 'version'")
    report = run(site, out)
    assert any("another Pressroom version" in note for note in report.notes), report.notes
    assert report.pages_reused == 0


def test_the_cli_reports_cache_notes_and_never_a_traceback(tmp_path: Path) -> None:
    from tests.conftest import run_pressroom

    site = make_site(tmp_path)
    (site / CACHE_DIR).mkdir()
    (site / CACHE_DIR / DATABASE).write_bytes(os.urandom(4096))
    result = run_pressroom("build", site, "--now", NOW.isoformat(), "--no-search")
    assert result.returncode == 0, result.stderr
    assert "note: the cache" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def two_jobs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """make_site built cold with two jobs, once per module: the site and its output."""
    root = tmp_path_factory.mktemp("two-jobs")
    site = make_site(root)
    run(site, root / "two", cache=False, jobs=2)
    return site, root / "two"


@pytest.mark.parametrize("jobs", [1, 3])
def test_output_is_identical_for_every_number_of_jobs(two_jobs: tuple[Path, Path], tmp_path: Path,
                                                      jobs: int) -> None:
    site, two = two_jobs
    run(site, tmp_path / "other", cache=False, jobs=jobs)
    assert_same_site(tmp_path / "other", two)


def test_the_settings_key_names_every_field_and_each_value_with_its_type() -> None:
    base = Settings(title="Presse", base_url="https://presse.example.org/", extra={"banner": "Hinweis", "n": 1})
    assert settings_key(base) == settings_key(Settings(title="Presse", base_url="https://presse.example.org/",
                                                       extra={"n": 1, "banner": "Hinweis"}))
    # `extra` is not compared by the model, but templates may show it: it is in the key.
    assert settings_key(base) != settings_key(dataclasses.replace(base, extra={"banner": "Anders", "n": 1}))
    assert settings_key(base) != settings_key(dataclasses.replace(base, per_page=21))
    # TOML values JSON has no word for keep a stable key of their own, apart from their text.
    values = [dt.date(2024, 1, 1), "2024-01-01", {"date": "2024-01-01"}, ["date", "2024-01-01"],
              dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dt.time(10, 30), 1, 1.0, float("nan"), True]
    keys = [settings_key(dataclasses.replace(base, extra={"since": value})) for value in values]
    assert keys == [settings_key(dataclasses.replace(base, extra={"since": value})) for value in values]
    assert len(set(keys)) == len(values)
