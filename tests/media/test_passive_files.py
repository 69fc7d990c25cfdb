"""Only passive files are published: the type from bytes and name together, only from content/.

Every file here is real: PDFs and PNGs made with Pillow, office files written as the ZIP
archives Word and LibreOffice write, and the hostile files an attacker (or a hurried press
officer) would try. Bad input ends in `path:line: error`, exit 1, no traceback, and the
previous output untouched.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from generator.media.documents import check_attachment
from generator.media.formats import MediaError
from generator.media.sources import source_problem
from tests.conftest import run_pressroom

NOW = "2026-11-26T12:00:00+01:00"
OOXML_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def pdf(text: str = "Bilanz") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, "PDF", title=text)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 75, 135)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 75, 135)).save(buffer, "JPEG")
    return buffer.getvalue()


def ooxml(folder: str, extra: dict[str, bytes] | None = None, author: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", OOXML_TYPES)
        archive.writestr(f"{folder}/document.xml", "<document/>")
        if author:
            archive.writestr("docProps/core.xml", f'<cp:coreProperties xmlns:dc="x" xmlns:cp="y">'
                                                  f"<dc:creator>{author}</dc:creator></cp:coreProperties>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odf(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), f"application/vnd.oasis.opendocument.{kind}",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def ole2(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 64


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<script>alert(2)</script></svg>\n")

PASSIVE: dict[str, bytes] = {
    "bilanz.pdf": pdf(),
    "brief.docx": ooxml("word"),
    "tabelle.xlsx": ooxml("xl"),
    "folien.pptx": ooxml("ppt"),
    "text.odt": odf("text"),
    "tabelle.ods": odf("spreadsheet"),
    "alt.doc": ole2("WordDocument"),
    "alt.xls": ole2("Workbook"),
    "notiz.txt": "Straßensperrung bis Freitag.\n".encode(),
    "zahlen.csv": "Ort;Unfälle\nErle;12\n".encode("latin-1"),
    "plan.png": png(),
    "foto.JPEG": jpeg(),
    "o-ton.mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64,
    "video.mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64,
}

# name → (bytes, words the message must contain)
HOSTILE: dict[str, tuple[bytes, str]] = {
    "bericht.pdf": (HTML, "is an HTML page; a browser would run it"),
    "seite.html": (b"Nur Text.\n", '".html" files (HTML) are never published'),
    "grafik.svg": (SVG, "is an SVG image (which can carry script)"),
    "logo.png": (SVG, "is an SVG image"),
    "polyglott.pdf": (HTML + b"%PDF-1.4\n%%EOF\n", "is an HTML page"),
    "schwanz.pdf": (b"%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF\n", "with HTML markup in its first bytes"),
    "hinweis.txt": (b"Bitte beachten:\n\n<script>alert(1)</script>\n", "contains HTML or script markup"),
    "daten.xml": (b'<?xml version="1.0"?><daten/>', "is XML or other markup"),
    "skript.js": (b"(function(){ alert(1) })()\n", "is JavaScript"),
    "archiv.zip": (ooxml("misc").replace(b"[Content_Types].xml", b"[Content_Typez].xml"), "ZIP archives"),
    "makro.docx": (ooxml("word", {"word/vbaProject.bin": b"\x00" * 16}), "with macros"),
    "makro.doc": (ole2("WordDocument") + "_VBA_PROJECT".encode("utf-16-le"), "with macros"),
    "tabelle.docx": (ooxml("xl"), 'named as a Word document (".docx"), but it is an Excel workbook; rename it'),
    "foto.jpg": (png(), 'but it is a PNG image; rename it to end in ".png"'),
    "aktiv.pdf": (b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF",
                  "the PDF contains JavaScript"),
    "versteckt.pdf": (b"%PDF-1.4\n1 0 obj << /OpenAction << /S /J#61vaScript /JS (x) >> >> endobj\n%%EOF",
                      "the PDF contains JavaScript"),
    "start.pdf": (b"%PDF-1.4\n1 0 obj << /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj\n%%EOF",
                  "a Launch action"),
    "brief.rtf": (b"{\\rtf1\\ansi Hallo}", "RTF documents are not published"),
    "ohne-endung": (b"Text\n", "files without an extension are not published"),
    "utf16.txt": ("Hallo".encode("utf-16"), "UTF-16 text"),
    "binaer.txt": (b"MZ\x90\x00\x03\x00\x00\x00", "of a kind Pressroom does not know"),
    "leer.docx": (b"PK\x03\x04 kaputt", "a damaged ZIP archive"),
}


@pytest.mark.parametrize("name", sorted(PASSIVE))
def test_passive_documents_are_published(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(PASSIVE[name])
    assert check_attachment(path) != "application/octet-stream"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_active_or_contradicting_files_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    data, words = HOSTILE[name]
    path.write_bytes(data)
    with pytest.raises(MediaError) as caught:
        check_attachment(path)
    assert words in str(caught.value)


def test_the_refusals_say_what_to_do() -> None:
    paths = {"content/media/x.pdf": None, "content/releases/2026/foto.jpg": None, "content/a/b.csv": None,
             "site.toml": "only files under content/", "templates/base.html": "only files under content/",
             ".pressroom-cache/media/a.json": "only files under content/",
             "content/.git/config": '".git" is hidden', "content/media/.entwurf/a.pdf": '".entwurf" is hidden',
             "content/media/.~lock.a.docx#": "is hidden",
             "content/releases/2026/geheim.md": "source file of the site",
             "content/pages/impressum.md": "source file of the site",
             "content/authorities.yaml": "source file of the site"}
    for path, words in paths.items():
        found = source_problem(path)
        assert (found is None) if words is None else (found is not None and words in found), (path, found)


# --- real builds -------------------------------------------------------------------------

SITE_TOML = 'title = "Testpresse"\nbase_url = "https://presse.example.org/"\n'
AUTHORITIES = ("pol:\n  name: Polizei Teststadt\n  code: POL-TS\n  city: Teststadt\n  contact:\n"
               "    phone: '0209 365 2010'\n")


def release(attachments: list[str], images: list[str] = ()) -> str:  # type: ignore[assignment]
    lines = ["---", "title: Anlagen", "date: 2026-11-20T10:00:00+01:00", "authority: pol"]
    if images:
        lines.append("images:")
        for src in images:
            lines += [f'  - src: "{src}"', "    alt: Bild", "    credit: Polizei"]
    if attachments:
        lines.append("attachments:")
        for src in attachments:
            lines += [f'  - src: "{src}"', "    title: Anlage"]
    return "\n".join([*lines, "---", "", "Text.", ""])


def make_site(root: Path, files: dict[str, bytes]) -> Path:
    (root / "content" / "releases").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    (root / "content" / "authorities.yaml").write_text(AUTHORITIES, encoding="utf-8")
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def src_lines(text: str) -> dict[str, int]:
    return {m.group(1): text.count("\n", 0, m.start()) + 1
            for m in re.finditer(r'^  - src: "(.*)"$', text, re.MULTILINE)}


def build(site: Path, output: Path) -> tuple[int, str]:
    result = run_pressroom("build", site, "-o", output, "--now", NOW, "--quiet", "--no-search")
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("passive")
    files = {f"content/media/{name}": data for name, data in PASSIVE.items()}
    site = make_site(root / "site", files)
    (site / "content" / "releases" / "anlagen.md").write_text(release(sorted(PASSIVE)), encoding="utf-8")
    output = root / "output"
    code, text = build(site, output)
    assert code == 0, text
    return site, output


def test_a_build_refuses_every_hostile_file_at_its_line_and_keeps_the_site(built: tuple[Path, Path]) -> None:
    site, output = built
    before = tree(output)
    media = site / "content" / "media"
    for name, (data, _words) in HOSTILE.items():
        (media / name).write_bytes(data)
    (media / ".entwurf").mkdir()
    (media / ".entwurf" / "a.pdf").write_bytes(pdf())
    (site / "content" / "releases" / "2026").mkdir()
    (site / "content" / "releases" / "2026" / "geheim.md").write_text(
        "---\ntitle: Geheim\ndate: 2026-11-20\nauthority: pol\ndraft: true\n---\n\nEntwurf.\n", encoding="utf-8")
    (site / ".pressroom-cache").mkdir(exist_ok=True)
    (site / ".pressroom-cache" / "notiz.txt").write_bytes(b"Cache\n")
    places = {".entwurf/a.pdf": '".entwurf" is hidden', "../../site.toml": "only files under content/",
              "../../.pressroom-cache/notiz.txt": "only files under content/",
              "../releases/2026/geheim.md": "source file of the site"}
    hostile = release([*sorted(HOSTILE), *places], images=["foto.jpg"])
    path = site / "content" / "releases" / "feindlich.md"
    path.write_text(hostile, encoding="utf-8")
    try:
        code, text = build(site, output)
    finally:
        path.unlink()
    assert code == 1, text
    assert "Traceback" not in text
    lines = src_lines(hostile)
    errors = [line for line in text.splitlines() if ": error: " in line]
    wanted = {**{name: words for name, (_data, words) in HOSTILE.items()}, **places}
    image_line = hostile.splitlines().index('  - src: "foto.jpg"') + 1  # the image comes first
    found: dict[str, str] = {}
    for error in errors:
        match = re.match(r'content/releases/feindlich\.md:(\d+): error: (?:(?:attachment|image) )?"([^"]+)": (.*)',
                         error)
        assert match, error
        number, name, message = int(match.group(1)), match.group(2), match.group(3)
        if number == image_line:
            assert name == "foto.jpg" and 'rename the file to end in ".png"' in message, error
            continue
        assert lines[name] == number, error
        found[name] = message
    assert set(found) == set(wanted), sorted(set(found) ^ set(wanted))
    for name, words in wanted.items():
        assert words in found[name], (name, found[name])
    assert tree(output) == before, "a failed build changed the published site"


def test_the_passive_files_are_published_with_their_types(built: tuple[Path, Path]) -> None:
    _site, output = built
    import json

    api = json.loads((output / "api" / "v1" / "releases" / "anlagen.json").read_text(encoding="utf-8"))
    documents = {d["url"].rsplit("/", 1)[1]: d["mime"] for d in api["media"] if d["type"] == "document"}
    assert documents == {
        "alt.doc": "application/msword", "alt.xls": "application/vnd.ms-excel",
        "bilanz.pdf": "application/pdf",
        "brief.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "folien.pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "foto.JPEG": "image/jpeg", "notiz.txt": "text/plain", "o-ton.mp3": "audio/mpeg",
        "plan.png": "image/png", "tabelle.ods": "application/vnd.oasis.opendocument.spreadsheet",
        "tabelle.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text.odt": "application/vnd.oasis.opendocument.text", "video.mp4": "video/mp4", "zahlen.csv": "text/csv"}
    for name, data in PASSIVE.items():
        assert (output / "media" / name).read_bytes() == data, "published as it is"


def test_a_release_cached_before_the_rules_changed_is_checked_anew(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache written by an older Pressroom (one that let HTML through) must not carry it past the checks."""
    import datetime as dt

    from generator.build import loader
    from generator.build.pipeline import BuildOptions
    from generator.build.pipeline import build as build_in_process
    from generator.content import media_refs
    from generator.core.errors import BuildErrors

    site = make_site(tmp_path / "site", {"content/media/seite.html": HTML})
    (site / "content" / "releases" / "a.md").write_text(release(["seite.html"]), encoding="utf-8")
    options = BuildOptions(site=site, output=tmp_path / "out", now=dt.datetime.fromisoformat(NOW), quiet=True,
                           search=False)
    from generator.build import seal, stages

    with monkeypatch.context() as older:
        older.setattr(media_refs, "check_attachment", lambda path: "text/html")
        older.setattr(loader, "MEDIA_RULES", 0)
        for module in (loader, stages, seal):  # an older Pressroom is other code
            older.setattr(module, "code_key", lambda: "an older Pressroom")
        build_in_process(options)
    assert (tmp_path / "out" / "media" / "seite.html").is_file()
    with pytest.raises(BuildErrors) as caught:
        build_in_process(options)
    assert [p.message for p in caught.value.problems] == [
        "attachment \"seite.html\": the file is an HTML page; a browser would run it on the site's own address; "
        "publish the content as a release, or save it as PDF and attach that"]


def test_check_warns_when_an_office_file_names_its_author(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/media/brief.docx": ooxml("word", author="Erika Muster"),
                                         "content/media/sauber.docx": ooxml("word")})
    text = release(["sauber.docx", "brief.docx"])
    (site / "content" / "releases" / "a.md").write_text(text, encoding="utf-8")
    result = run_pressroom("check", site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: the attachment" in line]
    assert warnings == [
        f'content/releases/a.md:{src_lines(text)["brief.docx"]}: warning: the attachment "content/media/brief.docx" '
        'is published with metadata that names author "Erika Muster"; if that is not meant to be public, remove '
        "it (in the document properties before exporting, or with exiftool -all:all= FILE) and build again"]


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300), head=st.sampled_from([b"", b"%PDF-", b"PK\x03\x04", b"\xff\xd8\xff", b"<",
                                                            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"ID3"]),
       name=st.sampled_from(["a.pdf", "a.docx", "a.odt", "a.doc", "a.txt", "a.csv", "a.jpg", "a.png", "a.mp3",
                             "a.mp4", "a.html", "a.svg", "a", "a.zip"]))
def test_any_bytes_are_either_refused_with_a_message_or_passive(data: bytes, head: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(head + data)
        try:
            kind = check_attachment(path)
        except MediaError as exc:
            assert str(exc) and "Traceback" not in str(exc)
            return
    assert name.rsplit(".", 1)[-1] in {"pdf", "docx", "odt", "doc", "txt", "csv", "jpg", "png", "mp3", "mp4"}
    assert kind not in ("text/html", "image/svg+xml", "application/xml", "text/javascript")
    assert not re.search(rb"<\s*(script|html|svg|!doctype)", (head + data)[:1024], re.IGNORECASE)
