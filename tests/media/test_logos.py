"""Authorities' logos are published like release photos – re-encoded without metadata, in the
few sizes the theme shows them in – and the pages name exactly the files the build wrote.
A logo that is not a harmless image, or lies outside content/, is an error at its line."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from lxml import html
from PIL import Image, PngImagePlugin

from generator.media.publish import metadata_left
from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

NOW = "2026-11-26T12:00:00+01:00"
AUTHORITIES = """\
polizei-test:
  name: Polizei Teststadt
  code: POL-TS
  city: Teststadt
  logo: logos/polizei.png
  contact: {email: presse@polizei.example.org}
stadt-test:
  name: Stadt Teststadt
  code: STADT-TS
  city: Teststadt
  logo: {src: media/logos/wappen.jpg, alt: Wappen der Stadt Teststadt}
  contact: {email: presse@stadt.example.org}
feuerwehr-test:
  name: Feuerwehr Teststadt
  code: FW-TS
  city: Teststadt
  contact: {email: presse@feuerwehr.example.org}
"""
SECRETS = (b"Geheime Kamera", b"Max Mustermann", b"Entwurf vom Grafikbuero")


def _png_with_metadata() -> bytes:
    image = Image.new("RGBA", (400, 200), (0, 75, 135, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Max Mustermann")
    info.add_text("Comment", "Entwurf vom Grafikbuero")
    exif = Image.Exif()
    exif[0x0110] = "Geheime Kamera"  # Model
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, exif=exif)
    return buffer.getvalue()


def _jpeg_with_metadata() -> bytes:
    image = Image.new("RGB", (300, 300), (200, 30, 40))
    exif = Image.Exif()
    exif[0x0110] = "Geheime Kamera"
    exif[0x013B] = "Max Mustermann"  # Artist
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"Entwurf vom Grafikbuero")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    site = minimal_site(tmp_path_factory.mktemp("logos") / "site")
    (site / "content" / "authorities.yaml").write_text(AUTHORITIES, encoding="utf-8")
    logos = site / "content" / "media" / "logos"
    logos.mkdir(parents=True)
    sources = {"polizei.png": _png_with_metadata(), "wappen.jpg": _jpeg_with_metadata()}
    for name, data in sources.items():
        assert any(secret in data for secret in SECRETS)
        (logos / name).write_bytes(data)
    write_release(site, "2026/2026-11-20-meldung", "id: pol-ts-1\ntitle: Eine Meldung\ndate: 2026-11-20T10:00\n"
                  "authority: polizei-test")
    out = site / "output"
    result = run_pressroom("build", site, "-o", out, "--now", NOW, "--quiet", "--no-search")
    assert result.returncode == 0, result.stderr
    return out, {name: hashlib.sha256(data).hexdigest()[:8] for name, data in sources.items()}


def _referenced(page: html.HtmlElement) -> set[str]:
    """Every address the page's logos name, in src and srcset."""
    found = set()
    for element in page.cssselect(".logo, .logo img, .logo source"):
        if element.get("src"):
            found.add(element.get("src"))
        for candidate in (element.get("srcset") or "").split(","):
            if candidate.strip():
                found.add(candidate.split()[0])
    return found


def test_exactly_the_logo_files_the_pages_name_are_published(built: tuple[Path, dict[str, str]]) -> None:
    out, digests = built
    police, city = digests["polizei.png"], digests["wappen.jpg"]
    # 400 × 200 in a 160 × 80 header box and a 96 × 32 list box; 300 × 300 in 80 × 80 and 32 × 32; each at 1x and 2x
    expected = {f"media/logos/polizei-{police}-logo-{w}.{ext}" for w in (64, 128, 160, 320) for ext in ("png", "webp")}
    expected |= {f"media/logos/wappen-{city}-logo-{w}.{ext}" for w in (32, 64, 80, 160) for ext in ("jpg", "webp")}
    published = {p.relative_to(out).as_posix() for p in (out / "media").rglob("*") if p.is_file()}
    assert published == expected
    named: set[str] = set()
    for path in ("index.html", "behoerden/polizei-test/index.html", "behoerden/stadt-test/index.html",
                 "behoerden/feuerwehr-test/index.html"):
        named |= _referenced(html.fromstring((out / path).read_bytes()))
    assert named == {"/" + p for p in expected}


def test_logo_files_carry_no_metadata(built: tuple[Path, dict[str, str]]) -> None:
    out, _ = built
    files = sorted((out / "media" / "logos").iterdir())
    assert files
    for path in files:
        data = path.read_bytes()
        assert metadata_left(data) == [], path.name
        assert not [s for s in SECRETS if s in data], path.name
        with Image.open(path) as image:
            assert not image.getexif(), path.name
            assert not {k for k in image.info if k not in ("icc_profile", "dpi", "gamma", "lossless", "loop",
                                                          "background", "duration", "jfif", "jfif_version",
                                                          "jfif_unit", "jfif_density", "progressive",
                                                          "progression")}, (path.name, image.info)


def test_the_authority_page_shows_its_logo_beside_its_heading(built: tuple[Path, dict[str, str]]) -> None:
    out, digests = built
    page = html.fromstring((out / "behoerden/polizei-test/index.html").read_bytes())
    (head,) = page.cssselect(".authority-head")
    (img,) = head.cssselect("img")
    # The name is the heading right beside it: the logo adds nothing a reader must hear (WCAG H2).
    assert (img.get("alt"), img.get("width"), img.get("height")) == ("", "160", "80")
    assert head.cssselect("h1")[0].text_content() == "Polizei Teststadt"
    police = digests["polizei.png"]
    assert img.get("src") == f"/media/logos/polizei-{police}-logo-160.png"
    assert img.get("srcset") == (f"/media/logos/polizei-{police}-logo-160.png 1x, "
                                 f"/media/logos/polizei-{police}-logo-320.png 2x")
    (source,) = head.cssselect("source")
    assert (source.get("type"), source.get("srcset")) == (
        "image/webp", f"/media/logos/polizei-{police}-logo-160.webp 1x, /media/logos/polizei-{police}-logo-320.webp 2x")
    # Its files have the sizes the page promises.
    for candidate in img.get("srcset").split(", "):
        address, density = candidate.split()
        with Image.open(out / address.lstrip("/")) as image:
            assert image.size == (160 * int(density[0]), 80 * int(density[0]))
    plain = html.fromstring((out / "behoerden/feuerwehr-test/index.html").read_bytes())
    assert not plain.cssselect(".authority-head, .logo") and plain.cssselect("h1")[0].text_content() == \
        "Feuerwehr Teststadt"


def test_the_home_page_lists_authorities_with_their_logos(built: tuple[Path, dict[str, str]]) -> None:
    out, digests = built
    page = html.fromstring((out / "index.html").read_bytes())
    (section,) = page.cssselect("section.by-authority")
    entries = []
    for item in section.cssselect("li"):
        link = item.cssselect("a")[0]
        img = link.cssselect("img")
        entries.append((re.sub(r"\s+", " ", link.text_content()).strip(),
                        (img[0].get("alt"), img[0].get("width"), img[0].get("height"), img[0].get("src"))
                        if img else None))
    assert entries == [
        ("Feuerwehr Teststadt", None),
        ("Polizei Teststadt", ("", "64", "32", f"/media/logos/polizei-{digests['polizei.png']}-logo-64.png")),
        ("Stadt Teststadt", ("", "32", "32", f"/media/logos/wappen-{digests['wappen.jpg']}-logo-32.jpg")),
    ]


# --------------------------------------------------------------------------- refused logos

def test_a_hostile_logo_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site")
    logos = site / "content" / "media" / "logos"
    logos.mkdir(parents=True)
    (logos / "getarnt.png").write_bytes(b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script>\n")
    (logos / "wappen.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n')
    Image.new("RGB", (64, 64)).save(tmp_path / "draussen.png")  # a real image, but not the site's
    (site / "content" / "authorities.yaml").write_text("""\
polizei-test:
  name: Polizei Teststadt
  code: POL-TS
  city: Teststadt
  logo: logos/getarnt.png
  contact: {email: presse@polizei.example.org}
stadt-test:
  name: Stadt Teststadt
  code: STADT-TS
  city: Teststadt
  logo: {src: ../site.toml, alt: Wappen}
feuerwehr-test:
  name: Feuerwehr Teststadt
  code: FW-TS
  city: Teststadt
  logo: ../../../draussen.png
kreis-test:
  name: Kreis Teststadt
  code: KREIS-TS
  city: Teststadt
  logo: logos/wappen.svg
""", encoding="utf-8")
    write_release(site, "2026/2026-11-20-meldung", "title: Eine Meldung\ndate: 2026-11-20T10:00\n"
                  "authority: polizei-test")
    out = tmp_path / "out"
    result = run_pressroom("build", site, "-o", out, "--now", NOW, "--quiet", "--no-search")
    assert result.returncode == 1
    assert not out.exists()
    a = "content/authorities.yaml"
    not_an_image = ("the file is not an image Pressroom can read (JPEG, PNG or WebP); if it is a photo in "
                    "another format (HEIC, RAW …), export it as JPEG")
    assert {line for line in result.stderr.splitlines() if ": error: " in line} == {
        f'{a}:5: error: image "logos/getarnt.png": {not_an_image}',
        f'{a}:11: error: "../site.toml": only files under content/ are published; move the file to '
        "content/media/ and give its path relative to it",
        f'{a}:16: error: "../../../draussen.png" leaves the site folder; put the file under content/media/ and give '
        "its path relative to it",
        f'{a}:21: error: image "logos/wappen.svg": {not_an_image}',
    }


def test_a_replaced_logo_is_published_anew_by_a_cached_build(tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site")
    (site / "content" / "authorities.yaml").write_text(AUTHORITIES, encoding="utf-8")
    logos = site / "content" / "media" / "logos"
    logos.mkdir(parents=True)
    (logos / "polizei.png").write_bytes(_png_with_metadata())
    (logos / "wappen.jpg").write_bytes(_jpeg_with_metadata())
    write_release(site, "2026/2026-11-20-meldung", "id: pol-ts-1\ntitle: Eine Meldung\ndate: 2026-11-20T10:00\n"
                  "authority: polizei-test")
    out, fresh = site / "output", tmp_path / "fresh"
    assert run_pressroom("build", site, "-o", out, "--now", NOW, "--quiet", "--no-search").returncode == 0
    Image.new("RGB", (200, 200), (0, 120, 60)).save(logos / "polizei.png")  # a new logo, square now
    warm = run_pressroom("build", site, "-o", out, "--now", NOW, "--quiet", "--no-search")
    cold = run_pressroom("build", site, "-o", fresh, "--now", NOW, "--quiet", "--no-search", "--no-cache")
    assert warm.returncode == cold.returncode == 0, warm.stderr + cold.stderr

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert tree(out) == tree(fresh)
    digest = hashlib.sha256((logos / "polizei.png").read_bytes()).hexdigest()[:8]
    head = html.fromstring((out / "behoerden/polizei-test/index.html").read_bytes()).cssselect(".authority-head img")[0]
    assert (head.get("src"), head.get("width"), head.get("height")) == (
        f"/media/logos/polizei-{digest}-logo-80.png", "80", "80")
