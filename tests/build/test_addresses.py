"""Every address has exactly one owner (issue 13): a second claim is a `path:line` error naming both."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.build.addresses import Addresses, Owner, normal
from generator.build.pipeline import load_site
from generator.build.staging import Staging, StagingBug
from generator.core.errors import BuildErrors, Problem
from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

BASE = "date: 2026-04-30T10:00:00+02:00\nauthority: polizei-test\n"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def site_with(root: Path, releases: dict[str, str], pages: dict[str, str] | None = None,
              media: tuple[str, ...] = ()) -> Path:
    site = minimal_site(root / "site")
    for number, (name, front) in enumerate(releases.items(), start=1):
        write_release(site, name, f"id: pol-{number}\ntitle: Meldung {number}\n{BASE}{front}")
    for name, text in (pages or {}).items():
        page = site / "content" / "pages" / f"{name}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\ntitle: {text}\n---\n\nText.\n", encoding="utf-8")
    for name in media:
        (site / "content" / "media").mkdir(parents=True, exist_ok=True)
        (site / "content" / "media" / name).write_bytes(PDF + name.encode())
    return site


def problems(site: Path) -> list[Problem]:
    with pytest.raises(BuildErrors) as caught:
        load_site(site)
    return caught.value.problems


A = "2026/2026-04-30-unfall"
B = "2026/2026-04-30-brand"

CASES: dict[str, tuple[dict[str, str], dict[str, str], tuple[str, ...], str, int, str]] = {
    # name: releases, pages, media, file, line, message
    "an alias that is another release's address": (
        {A: "", B: "aliases: [/meldung/2026-04-30-unfall/]\n"}, {}, (), B, 6,
        f"/meldung/2026-04-30-unfall/ is already the address of content/releases/{A}.md:1 "
        "(its release page)"),
    "the same, percent-encoded": (
        {A: "", B: "aliases: ['/meldung/2026-04-30-%75nfall/']\n"}, {}, (), B, 6,
        f"is already the address of content/releases/{A}.md:1 (its release page)"),
    "the same, in capitals and as index.html": (
        {A: "", B: "aliases: [/Meldung/2026-04-30-UNFALL/index.html]\n"}, {}, (), B, 6,
        f"is already the address of content/releases/{A}.md:1 (its release page)"),
    "an alias inside another release's folder": (
        {A: "", B: "aliases:\n  - /alt/brand/\n  - /meldung/2026-04-30-unfall/meldung.txt\n"}, {}, (), B, 8,
        f"/meldung/2026-04-30-unfall/meldung.txt lies inside a folder that belongs to content/releases/{A}.md:1 "
        "(its release page)"),
    "an alias on a site feed, in capitals": (
        {B: "aliases: [/Feeds/rss.xml]\n"}, {}, (), B, 6,
        "/Feeds/rss.xml lies inside a folder that belongs to the site's own pages"),
    "an alias below a file the site writes": (
        {B: "aliases: [/Robots.txt/alt/]\n"}, {}, (), B, 6, "is already the address of the site's own pages"),
    "an alias that decodes to a parent folder": (
        {B: "aliases: ['/alt/%2e%2e/%2e%2e/x/']\n"}, {}, (), B, 6, "does not name a file of this site once decoded"),
    "two releases with one alias": (
        {A: "aliases: [/alt/meldung/]\n", B: "aliases: [/alt/meldung/]\n"}, {}, (), A, 6,
        f"/alt/meldung/ is already the address of content/releases/{B}.md:6 (an alias)"),
    "an alias listed twice, spelt differently": (
        {B: "aliases:\n  - /alt/a/\n  - /Alt/A/index.html\n"}, {}, (), B, 8,
        f"is already the address of content/releases/{B}.md:7 (an alias)"),
    "an alias that is the release's own address": (
        {B: "aliases: [/meldung/2026-04-30-brand/]\n"}, {}, (), B, 6,
        f"is already the address of content/releases/{B}.md:1 (its release page)"),
    "an alias on a page": (
        {B: "aliases: [/impressum/]\n"}, {"impressum": "Impressum"}, (), B, 6,
        "is already the address of content/pages/impressum.md:1 (its page)"),
    "an alias inside a page's folder": (
        {B: "aliases: [/impressum/alt/]\n"}, {"impressum": "Impressum"}, (), B, 6,
        "lies inside a folder that belongs to content/pages/impressum.md:1 (its page)"),
    "two releases whose slugs differ only in case": (
        {A: "", "2027/2026-04-30-Unfall": ""}, {}, (), "2027/2026-04-30-Unfall", 1,
        f"/meldung/2026-04-30-unfall/ is already the address of content/releases/{A}.md:1 (its release page)"),
    "two attachments whose names differ only in case": (
        {A: "attachments:\n  - src: Bericht.pdf\n    title: Bericht\n",
         B: "attachments:\n  - src: bericht.pdf\n    title: Bericht\n"}, {}, ("Bericht.pdf", "bericht.pdf"), A, 7,
        f"/media/Bericht.pdf is already the address of content/releases/{B}.md:7 (an attachment)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_second_claim_names_both_owners(tmp_path: Path, case: str) -> None:
    releases, pages, media, file, line, message = CASES[case]
    site = site_with(tmp_path, releases, pages, media)
    found = problems(site)
    assert [(p.path, p.line) for p in found] == [(f"content/releases/{file}.md", line)], found
    assert message in found[0].message, found[0].message
    assert found[0].severity == "error"


def test_a_page_on_a_listing_address_is_refused(tmp_path: Path) -> None:
    found = problems(site_with(tmp_path, {B: ""}, {"meldungen": "Alle"}))
    assert [(p.path, p.line) for p in found] == [("content/pages/meldungen.md", 1)]


def test_one_attachment_shown_by_two_releases_is_one_owner(tmp_path: Path) -> None:
    site = site_with(tmp_path, {A: "attachments:\n  - src: bericht.pdf\n    title: Bericht\n",
                                B: "attachments:\n  - src: bericht.pdf\n    title: Bericht\n"},
                     media=("bericht.pdf",))
    assert len(load_site(site).releases) == 2


def test_old_addresses_and_aliases_in_the_own_folder_are_fine(tmp_path: Path) -> None:
    site = site_with(tmp_path, {A: "aliases: [/alt/unfall/, /meldung/unfall-alt/, /meldung/2026-04-30-unfall/v1/]\n",
                                B: "aliases: [/alt/brand.html]\n"})
    assert len(load_site(site).releases) == 2


def test_the_build_reports_it_and_leaves_the_site(tmp_path: Path) -> None:
    site = site_with(tmp_path, {A: "", B: ""})
    out = tmp_path / "out"
    assert run_pressroom("build", site, "-o", out, "--no-search", "--quiet").returncode == 0
    before = {p: hashlib.sha256(p.read_bytes()).digest() for p in out.rglob("*") if p.is_file()}
    (site / "content" / "releases" / f"{B}.md").write_text(
        f"---\nid: pol-2\ntitle: Brand\n{BASE}aliases: ['/meldung/2026-04-30-unfall/meldung.txt']\n---\n\nText.\n",
        encoding="utf-8")
    for command in ("build", "check"):
        result = run_pressroom(command, site, "-o", out, *(("--no-search",) if command == "build" else ()))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"content/releases/{B}.md:6: error: /meldung/2026-04-30-unfall/meldung.txt lies inside" \
            in result.stderr, result.stderr
    assert {p: hashlib.sha256(p.read_bytes()).digest() for p in out.rglob("*") if p.is_file()} == before


def test_claims_are_compared_as_a_server_sees_them() -> None:
    assert normal("/Meldung/X/") == normal("meldung/x/index.html") == normal("/meldung/%78/") \
        == "meldung/x/index.html"
    assert normal("") == "index.html"


def test_staging_refuses_a_second_write_and_an_unclaimed_one(tmp_path: Path) -> None:
    addresses = Addresses(tmp_path)
    addresses.claim_folder("meldung/x/", Owner("release", "x", "content/releases/x.md"))
    with Staging(tmp_path / "out", addresses) as staging:
        staging.write("meldung/x/index.html", "eins")
        for path in ("meldung/x/index.html", "Meldung/X/index.html", "meldung/%78/index.html"):
            with pytest.raises(StagingBug, match="twice"):
                staging.write(path, "zwei")
        with pytest.raises(StagingBug, match="no page, release or section claimed"):
            staging.write("meldung/y/index.html", "drei")
        for path in ("../x", "/etc/x", "meldung//x", "meldung/./x"):
            with pytest.raises(StagingBug, match="outside its output folder"):
                staging.write(path, "vier")
    assert not (tmp_path / "out").exists()


def test_the_demo_writes_each_file_once_and_only_claimed_ones(demo_output: Path) -> None:
    """The demo (built by the real command, with Staging's checks) has every file the registry expects."""
    files = [p.relative_to(demo_output).as_posix() for p in demo_output.rglob("*") if p.is_file()]
    assert len({normal(f) for f in files}) == len(files)
    assert any(f.startswith("meldung/") and f.endswith("/meldung.txt") for f in files)
