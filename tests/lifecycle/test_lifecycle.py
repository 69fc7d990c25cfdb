"""The life of a release (SPEC §3): scheduled, draft, withdrawn, expired, corrected, moved.

A small site is written into tmp_path. Its scheduled, draft, withdrawn and appeal releases
carry unique marker words in every field a person could be named in; after each build no
output file (decompressed where compressed) and no output path may contain a hidden one.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import run_pressroom

BASE = "https://lc.example.org/"


def _sitemaps(out: Path) -> str:
    """The sitemap index and all its files, as one text."""
    return "".join(p.read_text(encoding="utf-8") for p in [out / "sitemap.xml", *sorted(out.glob("sitemaps/*.xml"))])


T1 = "2026-02-20T12:00:00+01:00"  # before the scheduled release
T2 = "2026-03-05T12:00:00+01:00"  # scheduled release out, appeal still running
T3 = "2026-03-20T12:00:00+01:00"  # after the appeal expired

SCHEDULED = "zzschedmarker"
DRAFT = "zzdraftmarker"
WITHDRAWN = "zzgonemarker"
APPEAL = "zzappealmarker"

AUTHORITY = """\
polizei-test:
  name: Polizei Teststadt
  code: POL-TS
  city: Teststadt
  contact:
    name: Pressestelle
    phone: 0209 / 365 2010
    email: presse@polizei-teststadt.example
"""


def _release(front: str, body: str = "Ein ganz gewöhnlicher Text.") -> str:
    return f"---\n{front.strip()}\n---\n\n{body}\n"


def _marked(marker: str, front: str) -> str:
    """A release that names `marker` in title, body, tags, places, contact and image file name."""
    return _release(f"""
title: Meldung über {marker.capitalize()}
authority: polizei-test
tags: [{marker.capitalize()}thema]
places: [{marker.capitalize()}platz]
contact: {{name: Herr {marker.capitalize()}, phone: "0209 / 555 {len(marker)}"}}
images:
  - {{src: {marker}-foto.jpg, alt: "Bild von {marker}", caption: "{marker} am Tatort", credit: "Foto {marker}"}}
  - {{src: geteilt.jpg, alt: Streifenwagen}}
{front.strip()}
""", f"Heute wurde **{marker.capitalize()}** gesehen. Wer kennt {marker}?")


RELEASES = {
    "2026-01-10-unfall-am-markt.md": _release("""
id: ts-2026-0110
title: Unfall am Markt
date: 2026-01-10T09:00:00+01:00
authority: polizei-test
tags: [Verkehr]
aliases: [/alt/unfall-markt/]
images:
  - {src: geteilt.jpg, alt: Streifenwagen am Markt}
updates:
  - {date: 2026-01-12T08:30:00+01:00, note: Die Uhrzeit des Unfalls wurde korrigiert.}
  - {date: 2026-01-20T10:00:00+01:00, note: Tippfehler behoben., major: false}
""", "Am Markt stießen zwei Autos zusammen."),
    "2026-01-15-nachtrag-unfall-am-markt.md": _release("""
id: ts-2026-0115
title: Nachtrag zum Unfall am Markt
date: 2026-01-15T09:00:00+01:00
authority: polizei-test
follows: ts-2026-0110
""", "Der Fahrer hat sich gemeldet."),
    "2026-01-20-meldung-b.md": _marked(WITHDRAWN, """
id: ts-2026-0120
date: 2026-01-20T09:00:00+01:00
withdrawn: {date: 2026-02-01T10:00:00+01:00, reason: Die Meldung enthielt fehlerhafte Angaben.}
"""),
    "2026-01-25-meldung-c.md": _marked(DRAFT, """
id: ts-2026-0125
date: 2026-01-25T09:00:00+01:00
draft: true
follows: ts-2026-0110
"""),
    "2026-02-10-meldung-d.md": _marked(APPEAL, """
id: ts-2026-0210
kind: appeal
date: 2026-02-10T09:00:00+01:00
expires: 2026-03-15T09:00:00+01:00
"""),
    "2026-02-12-nachtrag-zur-suche.md": _release("""
id: ts-2026-0212
title: Gesuchte Person wohlbehalten angetroffen
date: 2026-02-12T09:00:00+01:00
authority: polizei-test
follows: ts-2026-0210
""", "Die Suche ist beendet. Vielen Dank für die Hinweise."),
    "2026-03-01-meldung-e.md": _marked(SCHEDULED, """
id: ts-2026-0301
date: 2026-03-01T10:00:00+01:00
follows: ts-2026-0110
"""),
}


def _jpeg(path: Path, colour: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())


def write_site(root: Path, releases: dict[str, str] | None = None, settings: str = "") -> Path:
    (root / "content" / "releases").mkdir(parents=True)
    (root / "content" / "media").mkdir()
    (root / "site.toml").write_text(f'title = "Presse Teststadt"\nbase_url = "{BASE}"\n{settings}', encoding="utf-8")
    (root / "content" / "authorities.yaml").write_text(AUTHORITY, encoding="utf-8")
    for name, text in (RELEASES if releases is None else releases).items():
        (root / "content" / "releases" / name).write_text(text, encoding="utf-8")
    _jpeg(root / "content" / "media" / "geteilt.jpg", "blue")
    for colour, marker in (("red", SCHEDULED), ("green", DRAFT), ("yellow", WITHDRAWN), ("white", APPEAL)):
        _jpeg(root / "content" / "media" / f"{marker}-foto.jpg", colour)
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site")


def build(site: Path, out: Path, now: str, *extra: str) -> None:
    result = run_pressroom("build", site, "-o", out, "--now", now, "--quiet", *extra)
    assert result.returncode == 0, result.stderr


# --- reading the whole output -----------------------------------------------------------------


def decompressed(data: bytes) -> bytes:
    """The bytes, with every gzip or zlib layer taken off (pagefind's .pf_* files are gzip)."""
    for _ in range(4):
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif data[:1] == b"\x78" and len(data) > 2 and (data[0] * 256 + data[1]) % 31 == 0:
            try:
                data = zlib.decompress(data)
            except zlib.error:
                return data
        else:
            return data
    return data


def output_texts(out: Path) -> Iterator[tuple[str, str]]:
    """(path relative to the output, its text, lower-cased) for every file of the output."""
    for path in sorted(out.rglob("*")):
        if path.is_file():
            yield path.relative_to(out).as_posix(), decompressed(path.read_bytes()).decode("utf-8", "replace").lower()


def leaks(out: Path, markers: list[str]) -> list[str]:
    found = []
    for name, text in output_texts(out):
        for marker in markers:
            if marker in name.lower():
                found.append(f"path {name} contains {marker}")
            if marker in text:
                found.append(f"{name} contains {marker}")
    return found


def page(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


# --- the helper itself can fail -----------------------------------------------------------------


def test_the_leak_finder_sees_inside_compressed_files(tmp_path: Path) -> None:
    (tmp_path / "a.pf_fragment").write_bytes(gzip.compress(b"pagefind_dcd{\"t\":\"ZZgoneMARKER\"}"))
    (tmp_path / "zzdraftmarker-x.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "b.txt").write_text("nothing", encoding="utf-8")
    assert leaks(tmp_path, [WITHDRAWN, DRAFT]) == ["a.pf_fragment contains zzgonemarker",
                                                  "path zzdraftmarker-x.jpg contains zzdraftmarker"]


# --- three moments ------------------------------------------------------------------------------


def test_the_same_site_at_three_moments(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    notice = "meldung/2026-01-20-meldung-b/"
    appeal = "meldung/2026-02-10-meldung-d/"
    scheduled = "meldung/2026-03-01-meldung-e/"

    build(site, out, T1)
    assert leaks(out, [SCHEDULED, DRAFT, WITHDRAWN]) == []
    assert not (out / scheduled).exists()
    assert APPEAL in page(out, appeal).lower()  # published: the marker finder does find what is there
    assert APPEAL in page(out, "").lower(), "a running appeal is on the home page"
    _assert_notice(out, notice, "1. Februar 2026", "Die Meldung enthielt fehlerhafte Angaben.")

    build(site, out, T2)
    assert leaks(out, [DRAFT, WITHDRAWN]) == []
    assert SCHEDULED in page(out, scheduled).lower()
    assert f"{BASE}{scheduled}" in _sitemaps(out)
    assert APPEAL in page(out, appeal).lower()

    build(site, out, T3)
    assert leaks(out, [DRAFT, WITHDRAWN, APPEAL]) == []
    _assert_notice(out, appeal, "15. März 2026", None)
    _assert_notice(out, notice, "1. Februar 2026", "Die Meldung enthielt fehlerhafte Angaben.")
    for path in (notice, appeal):
        assert f"{BASE}{path}" not in _sitemaps(out)
    withdrawn = (out / "_server" / "withdrawn.txt").read_text(encoding="utf-8").split()
    assert withdrawn == [f"{BASE}{notice}", f"{BASE}{appeal}"]
    # The follow-up of the expired appeal stays, but no longer names or links it.
    followup = page(out, "meldung/2026-02-12-nachtrag-zur-suche/")
    assert appeal not in followup


def test_scheduled_drafts_and_withdrawn_leave_no_trace_even_with_drafts_and_a_base_path(
        site: Path, tmp_path: Path) -> None:
    """A `--drafts` preview shows the draft, but never the scheduled or withdrawn releases."""
    out = tmp_path / "out"
    build(site, out, T1, "--drafts", "--base-url", "https://lc.example.org/presse/")
    assert leaks(out, [SCHEDULED, WITHDRAWN]) == []
    draft = page(out, "meldung/2026-01-25-meldung-c/")
    assert '<meta name="robots" content="noindex">' in draft
    for name in ("feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json", "sitemap.xml"):
        if (out / name).exists():
            assert DRAFT not in (out / name).read_text(encoding="utf-8").lower(), name
    assert DRAFT not in _sitemaps(out).lower()


def _assert_notice(out: Path, path: str, date_text: str, reason: str | None) -> None:
    html = page(out, path)
    assert '<meta name="robots" content="noindex">' in html
    assert date_text in html
    assert "Polizei Teststadt" in html
    assert "presse@polizei-teststadt.example" in html, "the authority's press office stays reachable"
    if reason:
        assert reason in html
    assert "<img" not in html
    assert "Streifenwagen" not in html


def test_media_of_a_withdrawn_release_are_copied_only_when_a_published_one_uses_them(
        site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, T3)
    # Published photos are renamed variants: <name>-<hash8>-<width>.<ext>
    media = sorted({p.name.rsplit("-", 2)[0] for p in (out / "media").rglob("*") if p.is_file()})
    assert media == ["geteilt", f"{SCHEDULED}-foto"]


# --- updates and follow-ups ---------------------------------------------------------------------


def test_updates_are_listed_and_the_newest_major_one_is_the_updated_time(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, T1)
    html = page(out, "meldung/2026-01-10-unfall-am-markt/")
    updates = html.split('<section class="updates"', 1)[1].split("</section>", 1)[0]
    assert updates.index("Tippfehler behoben.") < updates.index("Die Uhrzeit des Unfalls wurde korrigiert.")
    assert 'datetime="2026-01-12T08:30:00+01:00"' in html.split("<article", 1)[1].split("</header>", 1)[0]
    sitemap = _sitemaps(out)
    assert (f"<loc>{BASE}meldung/2026-01-10-unfall-am-markt/</loc><lastmod>2026-01-12T08:30:00+01:00</lastmod>"
            in sitemap), "a minor correction does not move the updated time"


def test_a_follow_up_and_its_original_link_each_other(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, T1)
    original = page(out, "meldung/2026-01-10-unfall-am-markt/")
    followup = page(out, "meldung/2026-01-15-nachtrag-unfall-am-markt/")
    label = re.search(r'<p class="follows">(.*?)</p>', followup, re.S)
    assert label is not None
    assert 'href="/meldung/2026-01-10-unfall-am-markt/"' in label[1]
    assert "POL-TS: Unfall am Markt" in label[1]
    notice = re.search(r'<aside class="notice-followup".*?</aside>', original, re.S)
    assert notice is not None
    assert re.findall(r'href="([^"]+)"', notice[0]) == ["/meldung/2026-01-15-nachtrag-unfall-am-markt/"], \
        "the scheduled and the draft follow-up are not announced yet"
    build(site, out, T2)
    notice = re.search(r'<aside class="notice-followup".*?</aside>', page(out, "meldung/2026-01-10-unfall-am-markt/"),
                       re.S)
    assert notice is not None
    assert re.findall(r'href="([^"]+)"', notice[0]) == ["/meldung/2026-01-15-nachtrag-unfall-am-markt/",
                                                        "/meldung/2026-03-01-meldung-e/"]


# --- aliases and server files ---------------------------------------------------------------------


def test_aliases_and_withdrawals_are_written_for_servers(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, T1)
    target = f"{BASE}meldung/2026-01-10-unfall-am-markt/"
    redirect = page(out, "alt/unfall-markt/")
    assert 'http-equiv="refresh" content="0; url=/meldung/2026-01-10-unfall-am-markt/"' in redirect
    assert f'<link rel="canonical" href="{target}">' in redirect
    assert (out / "_server" / "redirects.txt").read_text(encoding="utf-8") == f"{BASE}alt/unfall-markt/ {target}\n"
    nginx = (out / "_server" / "nginx.conf").read_text(encoding="utf-8")
    assert f"location = /alt/unfall-markt/ {{ return 301 {target}; }}" in nginx
    assert ("location = /meldung/2026-01-20-meldung-b/ { error_page 410 /meldung/2026-01-20-meldung-b/index.html; "
            "return 410; }") in nginx
    assert "location ^~ /_server/ { return 404; }" in nginx
    apache = (out / "_server" / "apache.conf").read_text(encoding="utf-8")
    assert f"RedirectMatch 301 ^/alt/unfall-markt(/|/index\\.html)?$ {target}" in apache
    assert "RedirectMatch 410 ^/meldung/2026-01-20-meldung-b/?$" in apache
    assert "/alt/unfall-markt/ /meldung/2026-01-10-unfall-am-markt/ 301" in (out / "_redirects").read_text(
        encoding="utf-8")
    assert "_server" not in _sitemaps(out)
    assert "Disallow: /_server/" in (out / "robots.txt").read_text(encoding="utf-8")


# --- never lose a link --------------------------------------------------------------------------


def test_a_vanishing_address_fails_the_build_until_an_alias_or_allow_removed(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, T2)
    releases = site / "content" / "releases"
    original = releases / "2026-01-15-nachtrag-unfall-am-markt.md"
    text = original.read_text(encoding="utf-8")
    original.unlink()
    before = (out / "index.html").read_bytes()

    failed = run_pressroom("build", site, "-o", out, "--now", T2)
    assert failed.returncode == 1
    url = f"{BASE}meldung/2026-01-15-nachtrag-unfall-am-markt/"
    line = next(n for n, t in enumerate((out / "_server" / "published.txt").read_text().splitlines(), 1)
                if t.startswith("meldung/2026-01-15-nachtrag-unfall-am-markt/"))
    assert f"{out / '_server' / 'published.txt'}:{line}: error: {url} " in failed.stderr
    assert "aliases: [/meldung/2026-01-15-nachtrag-unfall-am-markt/]" in failed.stderr
    assert "withdrawn" in failed.stderr and "--allow-removed" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert (out / "index.html").read_bytes() == before, "a failed build writes nothing"
    assert run_pressroom("check", site, "-o", out, "--now", T2).returncode == 1

    # Renamed, with the old address as an alias: the link is kept.
    renamed = releases / "2026-01-15-fahrer-meldet-sich.md"
    renamed.write_text(text.replace("follows:", "aliases: [/meldung/2026-01-15-nachtrag-unfall-am-markt/]\nfollows:"),
                       encoding="utf-8")
    build(site, out, T2)
    assert "url=/meldung/2026-01-15-fahrer-meldet-sich/" in page(out, "meldung/2026-01-15-nachtrag-unfall-am-markt/")

    # Deleted for good, on purpose.
    renamed.unlink()
    assert run_pressroom("build", site, "-o", out, "--now", T2, "--quiet").returncode == 1
    build(site, out, T2, "--allow-removed")
    assert not (out / "meldung" / "2026-01-15-fahrer-meldet-sich").exists()
    build(site, out, T2)  # the manifest forgot them: the next build passes without the option


def test_a_release_that_becomes_a_draft_is_reported_with_its_state(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, T2)
    path = site / "content" / "releases" / "2026-01-15-nachtrag-unfall-am-markt.md"
    path.write_text(path.read_text(encoding="utf-8").replace("follows:", "draft: true\nfollows:"), encoding="utf-8")
    failed = run_pressroom("build", site, "-o", out, "--now", T2)
    assert failed.returncode == 1
    assert "it is draft now" in failed.stderr


def test_a_withdrawal_keeps_the_address(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, T2)
    path = site / "content" / "releases" / "2026-01-15-nachtrag-unfall-am-markt.md"
    path.write_text(path.read_text(encoding="utf-8").replace("follows:", "withdrawn: true\nfollows:"),
                    encoding="utf-8")
    build(site, out, T2)
    html = page(out, "meldung/2026-01-15-nachtrag-unfall-am-markt/")
    assert '<meta name="robots" content="noindex">' in html
    assert "Der Fahrer hat sich gemeldet" not in html


# --- when the site changes next -------------------------------------------------------------------


@pytest.mark.parametrize(("now", "expected"), [
    (T1, "2026-03-01T10:00:00+01:00\n"),  # the scheduled release
    (T2, "2026-03-15T09:00:00+01:00\n"),  # the appeal must come down on time
    (T3, ""),
])
def test_next_prints_only_the_next_due_time_and_writes_nothing(site: Path, tmp_path: Path, now: str,
                                                              expected: str) -> None:
    out = tmp_path / "out"
    result = run_pressroom("build", site, "-o", out, "--now", now, "--next")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert not out.exists()


def test_every_build_says_what_is_due_next(site: Path, tmp_path: Path) -> None:
    result = run_pressroom("build", site, "-o", tmp_path / "out", "--now", T1)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "next due: 2026-03-01T10:00:00+01:00 (scheduled release ts-2026-0301)"


# --- bad input -------------------------------------------------------------------------------------

_GOOD = {"2026-01-10-a.md": _release("""
id: a
title: A
date: 2026-01-10T09:00:00+01:00
authority: polizei-test
""")}


def _errors(tmp_path: Path, releases: dict[str, str], settings: str = "") -> str:
    site = write_site(tmp_path / "bad", {**_GOOD, **releases}, settings)
    result = run_pressroom("check", site, "--now", T1)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    return result.stderr


def _one(front: str) -> dict[str, str]:
    return {"2026-01-11-b.md": _release(f"title: B\ndate: 2026-01-11T09:00:00+01:00\nauthority: polizei-test\n{front}")}


@pytest.mark.parametrize(("front", "line", "words"), [
    ("expires: 2026-01-01", 5, '"expires" must be after "date"'),
    ("withdrawn: {date: 2026-01-12, grund: falsch}", 5, 'unknown key "grund" in withdrawn'),
    ("aliases: [/meldung/2026-01-10-a/]", 5, "meldung/2026-01-10-a/ is already the address of"),
    ("aliases: [https://example.com/x/]", 5, "must be a path on this site"),
    ("aliases: [/alt/../../x/]", 5, "must be a path on this site"),
    ("aliases: [/meldungen/]", 5, "would replace a page the site makes itself"),
    ("kind: appeal\nexpires: 2026-05-01", 6, "an appeal may run at most 90 days"),
    ("kind: appeal", 5, 'an appeal needs "expires"'),
])
def test_bad_lifecycle_input_is_a_clear_error(tmp_path: Path, front: str, line: int, words: str) -> None:
    stderr = _errors(tmp_path, _one(front))
    assert f"content/releases/2026-01-11-b.md:{line}: error: " in stderr
    assert words in stderr


def test_appeal_max_days_comes_from_site_toml(tmp_path: Path) -> None:
    stderr = _errors(tmp_path, _one("kind: appeal\nexpires: 2026-01-25"), "appeal_max_days = 7\n")
    assert "content/releases/2026-01-11-b.md:6: error: an appeal may run at most 7 days" in stderr


def test_follows_in_a_circle_is_an_error(tmp_path: Path) -> None:
    releases = {
        "2026-01-11-b.md": _release("id: b\ntitle: B\ndate: 2026-01-11\nauthority: polizei-test\nfollows: c"),
        "2026-01-12-c.md": _release("id: c\ntitle: C\ndate: 2026-01-12\nauthority: polizei-test\nfollows: b"),
    }
    stderr = _errors(tmp_path, releases)
    assert 'content/releases/2026-01-11-b.md:6: error: "follows" forms a circle' in stderr
    assert 'content/releases/2026-01-12-c.md:6: error: "follows" forms a circle' in stderr


# --- a real nginx, where one is installed ---------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_answers_410_with_the_notice_and_301_for_aliases(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, T3)
    port = _free_port()
    run = tmp_path / "nginx"
    run.mkdir()
    temp = " ".join(f"{name}_temp_path {run / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, nginx's workers would run as nobody, who may not read pytest's private tmp folders.
    user = "user root;" if os.geteuid() == 0 else ""
    (run / "nginx.conf").write_text(f"""{user} daemon off; pid {run / 'nginx.pid'}; error_log {run / 'error.log'};
events {{}}
http {{ access_log off; {temp}
  server {{ listen 127.0.0.1:{port}; root {out}; error_page 404 /404.html;
           include {out / '_server' / 'nginx.conf'}; }} }}
""", encoding="utf-8")
    server = subprocess.Popen(["nginx", "-c", str(run / "nginx.conf"), "-p", str(run)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        answers = {path: _get(port, path) for path in (
            "/meldung/2026-02-10-meldung-d/", "/meldung/2026-01-20-meldung-b", "/alt/unfall-markt/",
            "/_server/published.txt", "/meldung/2026-01-10-unfall-am-markt/")}
    finally:
        server.terminate()
        server.wait(timeout=10)
    status, _, body = answers["/meldung/2026-02-10-meldung-d/"]
    assert status == 410 and "15. März 2026" in body and APPEAL not in body.lower()
    assert answers["/meldung/2026-01-20-meldung-b"][0] == 410
    assert answers["/alt/unfall-markt/"][:2] == (301, f"{BASE}meldung/2026-01-10-unfall-am-markt/")
    assert answers["/_server/published.txt"][0] == 404
    assert answers["/meldung/2026-01-10-unfall-am-markt/"][0] == 200


def _get(port: int, path: str) -> tuple[int, str | None, str]:
    import http.client
    import time

    for _ in range(50):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.getheader("Location"), response.read().decode("utf-8", "replace")
        except ConnectionRefusedError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise AssertionError(f"nginx did not answer on port {port}")


def test_a_plain_withdrawal_keeps_the_date_of_the_first_build_that_took_it_down(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, T1)
    path = site / "content" / "releases" / "2026-01-15-nachtrag-unfall-am-markt.md"
    path.write_text(path.read_text(encoding="utf-8").replace("follows:", "withdrawn: true\nfollows:"),
                    encoding="utf-8")
    build(site, out, "2026-02-22T08:00:00+01:00")
    build(site, out, T3)
    html = page(out, "meldung/2026-01-15-nachtrag-unfall-am-markt/")
    assert "22. Februar 2026" in html
    assert "2026-02-22T08:00:00+01:00" in (out / "_server" / "published.txt").read_text(encoding="utf-8")
