"""Media links are percent-encoded in every output; the media store (entries in the build cache,
variants as files) trusts nothing it reads back; one MIME table, and media stays below render and content."""

from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import sqlite3
from pathlib import Path

import feedparser
from PIL import Image

from generator.build.cache import CACHE_DIR, DATABASE, Cache
from generator.core import mime
from generator.media.store import MediaStore
from tests.conftest import REPO, run_pressroom
from tests.media.test_passive_files import NOW, build, make_site, pdf, release, tree

ODD = "Bericht 2026 (final) #2.pdf"
UMLAUT = "ä.pdf"
PHOTO = "Einsätze 2026/Foto 1.jpg"


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_file_names_give_working_valid_urls_everywhere(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {f"content/media/{ODD}": pdf(), f"content/media/{UMLAUT}": pdf("ä"),
                                         f"content/media/{PHOTO}": photo()})
    (site / "content" / "releases" / "namen.md").write_text(release([ODD, UMLAUT], images=[PHOTO]),
                                                             encoding="utf-8")
    output = tmp_path / "output"
    code, text = build(site, output)
    assert code == 0, text
    odd, umlaut = "media/Bericht%202026%20%28final%29%20%232.pdf", "media/%C3%A4.pdf"
    assert (output / "media" / ODD).read_bytes() == (site / "content" / "media" / ODD).read_bytes()
    assert (output / "media" / UMLAUT).is_file()
    photos = sorted(p.name for p in (output / "media" / "Einsätze 2026").iterdir())
    assert photos and all(re.fullmatch(r"foto-1-[0-9a-f]{8}-\d+\.(jpg|webp)", n) for n in photos), photos
    folder = "media/Eins%C3%A4tze%202026/"

    page = (output / "meldung" / "namen" / "index.html").read_text(encoding="utf-8")
    assert f'href="/{odd}"' in page and f'href="/{umlaut}"' in page
    images = re.findall(r'(?:src|srcset)="([^"]+)"', page)
    media_links = [u for part in images for u in re.findall(r"/media/\S+", part)]
    assert media_links and all(u.startswith("/" + folder) for u in media_links), media_links

    base = "https://presse.example.org/"
    api = json.loads((output / "api" / "v1" / "releases" / "namen.json").read_text(encoding="utf-8"))
    assert {m["url"] for m in api["media"] if m["type"] == "document"} == {base + odd, base + umlaut}
    assert all(m["url"].startswith(base + folder) for m in api["media"] if m["type"] != "document")
    feed = json.loads((output / "feeds" / "feed.json").read_text(encoding="utf-8"))
    [item] = feed["items"]
    assert {a["url"] for a in item["attachments"]} == {base + odd, base + umlaut}
    assert item["image"].startswith(base + folder)
    rss = feedparser.parse((output / "feeds" / "rss.xml").read_bytes())
    [entry] = rss.entries
    assert {e["href"] for e in entry.enclosures} <= {u for u in re.findall(r'"(https://[^"]+)"', page)} | {
        m["url"] for m in api["media"]}
    assert f'href="{base}{odd}"' in entry.content[0].value
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    article = next(x for x in (ld if isinstance(ld, list) else [ld]) if "image" in x)
    assert all(u.startswith(base + folder) for u in article["image"]), article["image"]
    for link in re.findall(r'href="/(media/[^"]+)"', page):
        assert re.fullmatch(r"[A-Za-z0-9/._~%-]+", link), link  # nothing a URL must not contain raw


def _media_rows(site: Path) -> dict[str, object]:
    with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
        return dict(db.execute("SELECT key, value FROM media").fetchall())


def test_a_poisoned_media_cache_changes_nothing_but_the_build_time(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/media/foto.jpg": photo()})
    (site / "content" / "releases" / "foto.md").write_text(release([], images=["foto.jpg"]), encoding="utf-8")
    (tmp_path / "secret.txt").write_text("geheim", encoding="utf-8")
    code, text = build(site, tmp_path / "clean")
    assert code == 0, text
    cache = site / CACHE_DIR / "media"
    keys = sorted(_media_rows(site))
    assert len(keys) == 2, "one entry per encoding job: JPEG and WebP"
    assert not list(cache.glob("*.json")), "the entries are rows of the build cache, not files"
    poisons: list[str | bytes] = [
        b"\x80\x04\x95pickle",  # not text at all
        "[[480, 360, \"../../../secret.txt\"]]",  # the old shape, naming a file outside
        json.dumps({"version": 2, "key": "0" * 32, "variants": [[480, 360, 10]]}),
        '{"version": 2, "key": "KEY", "variants": [[480, 360, 1]]}',  # a size that does not match
        '{"version": 2, "key": "KEY", "variants": [[true, 360, 100]]}',
        '{"version": 2, "key": "KEY", "variants": [[480, 360, 100]], "pad": "' + "x" * 70_000 + '"}',
        "[" * 100_000,
    ]
    for number, poison in enumerate(poisons):
        with sqlite3.connect(site / CACHE_DIR / DATABASE) as db:
            db.executemany("UPDATE media SET value = ? WHERE key = ?",
                           [(poison.replace("KEY", key) if isinstance(poison, str) else poison, key)
                            for key in keys])
        output = tmp_path / f"out{number}"
        code, text = build(site, output)
        assert code == 0, text
        assert tree(output) == tree(tmp_path / "clean"), poison[:80]
        assert all(b"geheim" not in p.read_bytes() for p in output.rglob("*") if p.is_file())
        assert sorted(_media_rows(site)) == keys, "each poisoned entry was a miss and is written again"
    # A variant file swapped for a link to another file is a miss too.
    key = keys[0]
    variant = next(cache.glob(f"{key}-*"))
    size = variant.stat().st_size
    variant.unlink()
    secret = tmp_path / "gross.txt"
    secret.write_bytes(b"\xff\xd8\xff" + b"g" * (size - 3))
    variant.symlink_to(secret)
    entries = Cache(site / CACHE_DIR)
    try:
        assert entries.media_entry(key) is not None
        assert MediaStore(cache, entries).variants(key, variant.suffix.lstrip(".")) is None
    finally:
        entries.close()


def test_without_the_cache_no_variant_is_kept(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/media/foto.jpg": photo()})
    (site / "content" / "releases" / "foto.md").write_text(release([], images=["foto.jpg"]), encoding="utf-8")
    cold = run_pressroom("build", site, "-o", tmp_path / "cold", "--now", NOW, "--quiet", "--no-search", "--no-cache")
    assert cold.returncode == 0, cold.stdout + cold.stderr
    assert not list((site / CACHE_DIR / "media").glob("*-*.*")), "--no-cache neither uses nor updates the cache"
    code, text = build(site, tmp_path / "warm")
    assert code == 0, text
    assert tree(tmp_path / "cold") == tree(tmp_path / "warm")
    assert len(_media_rows(site)) == 2


class _Entries:
    def __init__(self) -> None:
        self.rows: dict[str, str] = {}

    def media_entry(self, key: str) -> str | None:
        return self.rows.get(key)

    def keep_media_entry(self, key: str, entry: str) -> None:
        self.rows[key] = entry


def test_the_store_keeps_and_validates(tmp_path: Path) -> None:
    entries = _Entries()
    store = MediaStore(tmp_path / "cache", entries)
    key = hashlib.sha256(b"x").hexdigest()[:32]
    kept = store.keep(key, "png", [(10, 5, b"\x89PNG\r\n\x1a\nabc")])
    assert kept == [(10, 5, tmp_path / "cache" / f"{key}-10.png", 11)]
    assert set(entries.rows) == {key}
    assert store.variants(key, "png") == kept
    assert store.variants(key, "jpg") is None, "another format's signature"
    assert store.variants("../" + key[3:], "png") is None
    assert MediaStore(None).variants(key, "png") is None
    assert MediaStore(None).keep(key, "png", [(1, 1, b"a")]) == [(1, 1, b"a", 1)]
    assert MediaStore(tmp_path / "other").keep(key, "png", [(1, 1, b"a")]) == [(1, 1, b"a", 1)]
    assert not (tmp_path / "other").exists(), "without entries to describe them, no files"


def test_one_mime_table_and_no_machine_lookup() -> None:
    for path in (REPO / "generator").rglob("*.py"):
        tree_ = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree_) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree_) if isinstance(n, ast.ImportFrom)}
        assert "mimetypes" not in imported, path
    assert mime.of("pagefind/pagefind.de_1.pf_meta") == "application/octet-stream"
    assert mime.of("Bericht.PDF") == "application/pdf"
    assert mime.content_type("feeds/rss.xml") == "application/xml; charset=utf-8"
    assert mime.content_type("media/foto.jpg") == "image/jpeg"
    assert mime.of("x.unbekannt") == "application/octet-stream"


def test_the_preview_serves_types_from_the_table() -> None:
    from generator.commands.serve import _PreviewHandler

    handler = _PreviewHandler.__new__(_PreviewHandler)
    assert handler.guess_type("/out/pagefind/wasm.de.pagefind") == "application/octet-stream"
    assert handler.guess_type("/out/meldung/x/meldung.txt") == "text/plain; charset=utf-8"
    assert handler.guess_type("/out/static/a.js") == "text/javascript; charset=utf-8"


def test_media_imports_neither_render_nor_content() -> None:
    for path in (REPO / "generator" / "media").glob("*.py"):
        tree_ = ast.parse(path.read_text(encoding="utf-8"))
        modules = {n.module or "" for n in ast.walk(tree_) if isinstance(n, ast.ImportFrom)}
        modules |= {a.name for n in ast.walk(tree_) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in modules if m.startswith(("generator.render", "generator.content"))}, path
