"""Press photos as published: resized, upright, without hidden metadata, cached; bad files named."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageCms, ImageFile

from generator.build.pipeline import BuildOptions, build, check, decide, load_site
from generator.core.errors import BuildErrors
from generator.media import publish as media
from generator.render.views import ViewMaker
from tests.conftest import run_pressroom

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
SECRETS = (b"Canon", b"EOS R5", b"SN-4711-0815", b"2026:11:01", b"Gelsenkirchen-Geheim", b"Max Fotograf",
           b"secret comment", b"Photoshop 3.0", b"tEXt-Geheimnis")

# The four quarters of the camera's stored picture, turned 90° clockwise by orientation 6:
# stored top-left (red) is shown top-right, stored bottom-left (green) is shown top-left.
RED, BLUE, GREEN, YELLOW = (220, 20, 20), (20, 20, 220), (20, 200, 20), (230, 220, 20)


def camera_jpeg(path: Path, size: tuple[int, int] = (2400, 1200), orientation: int = 6,
                progressive: bool = False) -> bytes:
    """A photo as a camera writes it: EXIF with GPS, camera, serial and dates, XMP, IPTC, a
    comment, an sRGB profile, and orientation 6 (stored lying on its side)."""
    width, height = size
    image = Image.new("RGB", size)
    image.paste(RED, (0, 0, width // 2, height // 2))
    image.paste(BLUE, (width // 2, 0, width, height // 2))
    image.paste(GREEN, (0, height // 2, width // 2, height))
    image.paste(YELLOW, (width // 2, height // 2, width, height))
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "EOS R5"
    exif[0x0112] = orientation
    exif[0x0132] = "2026:11:01 08:15:00"
    details = exif.get_ifd(0x8769)
    details[0xA431] = "SN-4711-0815"
    details[0x9003] = "2026:11:01 08:15:00"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 12.5)
    gps[3] = "E"
    gps[4] = (7.0, 5.0, 44.0)
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
           b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Gelsenkirchen-Geheim">'
           b"<dc:creator><rdf:Seq><rdf:li>Max Fotograf</rdf:li></rdf:Seq></dc:creator>"
           b"</rdf:Description></rdf:RDF></x:xmpmeta>")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, exif=exif, xmp=xmp, comment=b"secret comment", icc_profile=srgb,
               progressive=progressive)
    data = buffer.getvalue()
    record = b"\x1c\x02\x50\x00\x0cMax Fotograf"  # IPTC By-line
    iptc = b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    iptc += b"\x00" * (len(iptc) % 2)
    data = data[:2] + b"\xff\xed" + struct.pack(">H", len(iptc) + 2) + iptc + data[2:]
    path.write_bytes(data)
    return data


def graphic_png(path: Path) -> None:
    """A small graphic with transparency and a text chunk."""
    from PIL import PngImagePlugin

    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (0, 0, 150, 200))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "tEXt-Geheimnis")
    image.save(path, "PNG", pnginfo=info)


SITE_TOML = """title = "Testpresse"
base_url = "https://presse.example.org/"
"""

AUTHORITIES = """polizei-test:
  name: Polizei Teststadt
  code: POL-TS
  city: Teststadt
  contact:
    phone: 0209 123
"""


def release_text(images: list[str], attachments: list[str] | None = None, extra: str = "") -> str:
    lines = ["---", "id: pol-ts-1", 'title: "Ein Foto"', "date: 2026-11-20T10:00:00+01:00",
             "authority: polizei-test", *extra.splitlines(), "images:"]
    for number, src in enumerate(images, start=1):
        lines += [f"  - src: {src}", f"    alt: Bild {number}", "    credit: Polizei Teststadt"]
    if attachments:
        lines.append("attachments:")
        for src in attachments:
            lines += [f"  - src: {src}", "    title: Anlage"]
    return "\n".join([*lines, "---", "", "Text der Meldung.", ""])


def make_site(root: Path, images: list[str], attachments: list[str] | None = None,
              settings: str = "") -> Path:
    (root / "content" / "releases").mkdir(parents=True)
    (root / "content" / "media").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML + settings, encoding="utf-8")
    (root / "content" / "authorities.yaml").write_text(AUTHORITIES, encoding="utf-8")
    (root / "content" / "releases" / "ein-foto.md").write_text(release_text(images, attachments),
                                                               encoding="utf-8")
    return root


def build_site(site: Path, output: Path) -> None:
    build(BuildOptions(site=site, output=output, now=NOW, quiet=True))


def src_line(release: Path, src: str, last: bool = False) -> int:
    lines = release.read_text(encoding="utf-8").splitlines()
    found = [n for n, line in enumerate(lines, start=1) if line.strip() == f"- src: {src}"]
    return found[-1] if last else found[0]


# --- reading published files back ----------------------------------------------


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the picture data."""
    assert data[:2] == b"\xff\xd8"
    markers, position = [], 2
    while position < len(data):
        assert data[position] == 0xFF
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: the rest is picture data
            return markers
        (length,) = struct.unpack(">H", data[position + 2:position + 4])
        position += 2 + length
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        chunks.append(data[position + 4:position + 8])
        position += 12 + length
    return chunks


def assert_clean(path: Path) -> None:
    data = path.read_bytes()
    for secret in SECRETS:
        assert secret not in data, f"{path.name} still contains {secret!r}"
    with Image.open(path) as image:
        assert not image.getexif(), path.name
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "Author"):
            assert key not in image.info, f"{path.name} has {key}"
    assert media.metadata_left(data) == []
    if path.suffix == ".jpg":
        markers = jpeg_markers(data)
        assert 0xE1 not in markers and 0xED not in markers and 0xFE not in markers, (path.name, markers)
    elif path.suffix == ".webp":
        assert b"EXIF" not in data and b"XMP " not in data
    elif path.suffix == ".png":
        assert not {b"eXIf", b"tEXt", b"iTXt", b"zTXt"} & set(png_chunks(data))


def colour_at(image: Image.Image, x: float, y: float) -> tuple[int, ...]:
    pixel = image.convert("RGB").getpixel((int(image.width * x), int(image.height * y)))
    assert isinstance(pixel, tuple)
    return pixel


def near(found: tuple[int, ...], wanted: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(found, wanted, strict=True))


# --- the tests -----------------------------------------------------------------


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bytes]:
    root = tmp_path_factory.mktemp("photos")
    site = make_site(root / "site", ["Foto Einsatz.jpg", "grafik.png"], ["bericht.pdf"],
                     settings="publish_originals = true\n")
    source = camera_jpeg(site / "content" / "media" / "Foto Einsatz.jpg")
    graphic_png(site / "content" / "media" / "grafik.png")
    (site / "content" / "media" / "bericht.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 245_000 + b"\n%%EOF\n")
    output = root / "output"
    build_site(site, output)
    return site, output, source


def test_every_variant_is_upright_resized_and_without_metadata(photo_site: tuple[Path, Path, bytes]) -> None:
    _site, output, source = photo_site
    files = sorted(p.name for p in (output / "media").iterdir())
    photos = [name for name in files if name.startswith("foto-einsatz-")]
    stems = {name[:len("foto-einsatz-") + 8] for name in photos}
    assert len(stems) == 1 and re.fullmatch(r"foto-einsatz-[0-9a-f]{8}", next(iter(stems))), photos
    stem = next(iter(stems))
    # Shown upright, the photo is 1200 wide: 1600 would be an upscale, so 1200 is the largest.
    assert sorted(photos) == sorted([f"{stem}-{w}.{ext}" for w in (480, 960, 1200) for ext in ("jpg", "webp")]
                                    + [f"{stem}.jpg"])
    srgb = Image.open(io.BytesIO(source)).info["icc_profile"]
    for name in photos:
        path = output / "media" / name
        assert_clean(path)
        with Image.open(path) as image:
            width = 1200 if name == f"{stem}.jpg" else int(name.rsplit("-", 1)[1].split(".")[0])
            assert image.size == (width, width * 2), name
            assert image.info.get("icc_profile") == srgb, f"{name} lost its colour profile"
            assert near(colour_at(image, 0.25, 0.25), GREEN), name
            assert near(colour_at(image, 0.75, 0.25), RED), name
            assert near(colour_at(image, 0.25, 0.75), YELLOW), name
            assert near(colour_at(image, 0.75, 0.75), BLUE), name
    graphics = [name for name in files if name.startswith("grafik-")]
    graphic = graphics[0][:len("grafik-") + 8]
    assert sorted(graphics) == sorted([f"{graphic}-300.png", f"{graphic}-300.webp", f"{graphic}.png"])
    for name in graphics:
        assert_clean(output / "media" / name)
        with Image.open(output / "media" / name) as image:
            assert image.size == (300, 200) and image.mode == "RGBA"
            pixel = image.getpixel((250, 100))
            assert isinstance(pixel, tuple) and pixel[3] == 0, "transparency kept"
    assert "Foto Einsatz.jpg" not in files and "grafik.png" not in files


def test_the_release_page_offers_sizes_and_reserves_the_space(photo_site: tuple[Path, Path, bytes]) -> None:
    _site, output, _source = photo_site
    page = (output / "meldung" / "ein-foto" / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', page)
    images = re.findall(r"<img [^>]+>", page)
    assert len(sources) == 2 and len(images) == 2
    assert [part.split()[1] for part in sources[0][0].split(", ")] == ["480w", "960w", "1200w"]
    first, second = images
    assert re.search(r'srcset="/media/foto-einsatz-[0-9a-f]{8}-480\.jpg 480w, [^"]+-960\.jpg 960w, '
                     r'[^"]+-1200\.jpg 1200w"', first)
    assert 'src="/media/foto-einsatz-' in first and '-960.jpg"' in first
    assert 'width="1200" height="2400"' in first and 'sizes="' in first
    assert "loading" not in first, "the first image is on the first screen"
    assert 'width="300" height="200"' in second and 'loading="lazy"' in second
    assert "(PDF, 245 KB)" in page


def test_feeds_and_metadata_get_a_published_variant(photo_site: tuple[Path, Path, bytes]) -> None:
    site, output, _source = photo_site
    loaded = load_site(site)
    catalog = decide(loaded, NOW, drafts=False)
    index = media.publish_media(site, loaded.settings, catalog.published)
    views = ViewMaker(loaded.settings, catalog, {}, media=index)
    published = views.published_image(catalog.published[0])
    assert published is not None
    assert re.fullmatch(r"https://presse\.example\.org/media/foto-einsatz-[0-9a-f]{8}-1200\.jpg",
                        published.url)
    assert published.mime == "image/jpeg" and (published.width, published.height) == (1200, 2400)
    assert published.length == (output / published.url.removeprefix("https://presse.example.org/")).stat().st_size
    files = views.published_files(catalog.published[0])
    assert {f.mime for f in files} == {"image/jpeg", "image/webp", "image/png"}
    assert all((output / f.url.removeprefix("https://presse.example.org/")).is_file() for f in files)


def test_a_rebuild_takes_the_variants_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site", ["foto.jpg"])
    camera_jpeg(site / "content" / "media" / "foto.jpg", (1000, 700))
    calls: list[int] = []
    encode: Callable[..., Any] = media._encode

    def counting(*args: Any) -> Any:
        calls.append(1)
        return encode(*args)

    monkeypatch.setattr(media, "_encode", counting)
    build_site(site, tmp_path / "out")
    assert len(calls) == 1
    first = sorted(p.name for p in (tmp_path / "out" / "media").iterdir())
    assert len(first) == 4, "480, 700 (upright, its own width), JPEG + WebP, no original"
    build_site(site, tmp_path / "out")
    assert len(calls) == 1, "the second build resized again"
    assert sorted(p.name for p in (tmp_path / "out" / "media").iterdir()) == first
    assert (site / ".pressroom-cache" / "media").is_dir()

    camera_jpeg(site / "content" / "media" / "foto.jpg", (1000, 600))  # the photo is replaced
    build_site(site, tmp_path / "out")
    assert len(calls) == 2
    replaced = sorted(p.name for p in (tmp_path / "out" / "media").iterdir())
    assert not set(replaced) & set(first), "a replaced photo must get new URLs"


def test_check_does_not_decode_a_photo_a_build_already_made(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site", ["foto.jpg"])
    camera_jpeg(site / "content" / "media" / "foto.jpg", (1000, 700))
    build_site(site, tmp_path / "out")

    def no_decoding(self: object) -> None:
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    check(site, NOW)
    with pytest.raises(AssertionError, match="decoded"):
        media.inspect_image(site / "content" / "media" / "foto.jpg")  # without the cache's mark


def test_an_upright_original_keeps_its_picture_data_bit_for_bit(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["original.jpg"], settings="publish_originals = true\n")
    source = camera_jpeg(site / "content" / "media" / "original.jpg", (900, 600), orientation=1,
                         progressive=True)
    (site / "content" / "media" / "original.jpg").write_bytes(source + b"MPF-Vorschau: Max Fotograf")
    build_site(site, tmp_path / "out")
    [original] = [p for p in (tmp_path / "out" / "media").iterdir()
                  if re.fullmatch(r"original-\w{8}\.jpg", p.name)]
    assert_clean(original)
    published = original.read_bytes()
    scans = source[source.index(b"\xff\xda"):]
    assert published.endswith(scans), "the picture data must be untouched"
    with Image.open(original) as image, Image.open(io.BytesIO(source)) as camera:
        assert image.size == (900, 600) and image.info["icc_profile"] == camera.info["icc_profile"]
        assert image.tobytes() == camera.tobytes()


def test_a_photo_with_a_preview_picture_is_published_as_one_clean_jpeg(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["kamera.jpg"], settings="publish_originals = true\n")
    main, preview = Image.new("RGB", (800, 600), RED), Image.new("RGB", (160, 120), BLUE)
    main.save(site / "content" / "media" / "kamera.jpg", "MPO", save_all=True, append_images=[preview])
    with Image.open(site / "content" / "media" / "kamera.jpg") as camera:
        assert camera.format == "MPO"
    build_site(site, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out" / "media").iterdir())
    assert len(names) == 5 and all(name.endswith((".jpg", ".webp")) for name in names), names
    for name in names:
        assert_clean(tmp_path / "out" / "media" / name)
        data = (tmp_path / "out" / "media" / name).read_bytes()
        assert b"MPF" not in data and (name.endswith(".webp") or data.count(b"\xff\xd8") == 1), name
        with Image.open(tmp_path / "out" / "media" / name) as image:
            assert near(colour_at(image, 0.5, 0.5), RED)


def test_a_withdrawn_release_keeps_its_photos_unpublished(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["oeffentlich.jpg"])
    camera_jpeg(site / "content" / "media" / "oeffentlich.jpg", (600, 400))
    camera_jpeg(site / "content" / "media" / "zurueckgezogen.jpg", (640, 400))
    text = release_text(["zurueckgezogen.jpg"], extra="withdrawn: true").replace("pol-ts-1", "pol-ts-2")
    (site / "content" / "releases" / "zurueck.md").write_text(text, encoding="utf-8")
    build_site(site, tmp_path / "out")
    names = [p.name for p in (tmp_path / "out" / "media").iterdir()]
    assert names and all(name.startswith("oeffentlich-") for name in names)


def bad_images(media_dir: Path) -> dict[str, str]:
    """Each bad file, and the words its message must contain."""
    (media_dir / "kein-bild.jpg").write_text("Dies ist ein Text, kein Foto.", encoding="utf-8")
    whole = camera_jpeg(media_dir / "ganz.jpg", (800, 600))
    (media_dir / "abgeschnitten.jpg").write_bytes(whole[: len(whole) // 2])
    Image.new("1", (8000, 7000)).save(media_dir / "riesig.png")  # 56 megapixels
    Image.new("1", (12000, 9000)).save(media_dir / "bombe.png")  # 108: Pillow's hard limit
    Image.new("RGB", (40, 30), "red").save(media_dir / "alt.bmp")
    return {
        "kein-bild.jpg": "not an image",
        "abgeschnitten.jpg": "damaged or incomplete",
        "riesig.png": "more than 50 megapixels",
        "bombe.png": "more than 50 megapixels",
        "alt.bmp": "BMP images cannot be published; save the picture as JPEG",
    }


def test_bad_images_are_named_with_their_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", [])
    expected = bad_images(site / "content" / "media")
    release = site / "content" / "releases" / "ein-foto.md"
    release.write_text(release_text(list(expected)), encoding="utf-8")
    with pytest.raises(BuildErrors) as caught:
        check(site, NOW)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == len(expected), messages
    for name, words in expected.items():
        line = src_line(release, name)
        wanted = f'content/releases/ein-foto.md:{line}: error: image "{name}": '
        assert any(m.startswith(wanted) and words in m for m in messages), (name, messages)


def test_the_command_reports_a_bad_image_without_a_traceback(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["abgeschnitten.jpg"])
    whole = camera_jpeg(tmp_path / "ganz.jpg", (800, 600))
    (site / "content" / "media" / "abgeschnitten.jpg").write_bytes(whole[: len(whole) * 2 // 3])
    result = run_pressroom("build", site, "-o", tmp_path / "out", "--now", NOW.isoformat())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r'content/releases/ein-foto\.md:\d+: error: image "abgeschnitten\.jpg": the image is '
                     r"damaged or incomplete", result.stderr), result.stderr
    assert not (tmp_path / "out").exists()


def test_a_webp_photo_is_offered_in_its_own_sizes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["foto.webp"], settings="publish_originals = true\n")
    noise = Image.effect_noise((1000, 500), 60).convert("RGB")
    noise.save(site / "content" / "media" / "foto.webp", quality=90)
    build_site(site, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out" / "media").iterdir())
    stem = names[-1].removesuffix(".webp")
    assert names == [f"{stem}-1000.webp", f"{stem}-480.webp", f"{stem}-960.webp", f"{stem}.webp"]
    original = tmp_path / "out" / "media" / names[-1]
    assert original.stat().st_size > (tmp_path / "out" / "media" / names[0]).stat().st_size, "full quality"
    page = (tmp_path / "out" / "meldung" / "ein-foto" / "index.html").read_text(encoding="utf-8")
    assert "<picture>" not in page
    assert re.search(r'<img src="[^"]+-960\.webp" srcset="[^"]+-480\.webp 480w, [^"]+ 960w, '
                     r'[^"]+ 1000w" sizes=', page)


# --- attachments -------------------------------------------------------------------


def pdf_with(info: bytes, compressed: bool = False, xmp: bytes = b"") -> bytes:
    body = b"%PDF-1.5\n1 0 obj << /Type /Catalog >> endobj\n"
    if compressed:
        stream = zlib.compress(b"7 0 " + info)
        body += b"2 0 obj << /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n" % len(stream)
        body += stream + b"\nendstream\nendobj\n"
    else:
        body += b"7 0 obj " + info + b" endobj\n"
    if xmp:
        body += b"3 0 obj << /Type /Metadata /Subtype /XML >>\nstream\n" + xmp + b"\nendstream\nendobj\n"
    return body + b"trailer << /Root 1 0 R /Info 7 0 R >>\n%%EOF\n"


def test_the_metadata_check_finds_what_cameras_write(tmp_path: Path) -> None:
    camera = camera_jpeg(tmp_path / "camera.jpg")
    assert media.metadata_left(camera) == ["IPTC", "EXIF/XMP", "JPEG comment"]
    graphic_png(tmp_path / "grafik.png")
    assert media.metadata_left((tmp_path / "grafik.png").read_bytes()) == ["PNG chunk tEXt"]
    with Image.open(io.BytesIO(camera)) as image:
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", exif=image.info["exif"], xmp=image.info["xmp"])
    assert media.metadata_left(buffer.getvalue()) == ["WebP chunk EXIF", "WebP chunk XMP"]


def test_pdf_metadata_is_found_in_plain_hex_compressed_and_xmp_form() -> None:
    plain = pdf_with(rb"<< /Author (Max \(Mustermann\)) /Producer (Microsoft\256 Word) /Title (Bilanz) >>")
    assert media.pdf_metadata(plain) == [("Author", "Max (Mustermann)"), ("Producer", "Microsoft® Word")]
    utf16 = "Jörg Schmidt".encode("utf-16-be").hex().upper().encode()
    assert media.pdf_metadata(pdf_with(b"<< /Author <FEFF" + utf16 + b"> >>")) == [("Author", "Jörg Schmidt")]
    compressed = pdf_with(b"<< /Creator (Writer) >>", compressed=True)
    assert media.pdf_metadata(compressed) == [("Creator", "Writer")]
    xmp = (b'<rdf:Description pdf:Producer="LibreOffice 7.6"><dc:creator><rdf:Seq>'
           b"<rdf:li>Erika Muster</rdf:li></rdf:Seq></dc:creator></rdf:Description>")
    assert media.pdf_metadata(pdf_with(b"<< >>", xmp=xmp)) == [("pdf:Producer", "LibreOffice 7.6"),
                                                                ("dc:creator", "Erika Muster")]
    assert media.pdf_metadata(pdf_with(b"<< /Title (Bilanz) /Author () >>")) == []


@pytest.mark.parametrize(("size", "language", "text"), [
    (245_000, "de", "245 KB"), (300, "de", "1 KB"), (999_600, "de", "1,0 MB"), (1_234_567, "de", "1,2 MB"),
    (1_234_567, "en", "1.2 MB")])
def test_attachment_sizes_read_like_a_person_would_write_them(size: int, language: str, text: str) -> None:
    from generator.render.formatting import size_text as _size_text

    assert _size_text(size, language) == text


def test_a_pdf_that_names_its_author_gives_a_warning_at_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["foto.jpg"], ["sauber.pdf", "bilanz.pdf", "brief.docx", "foto.jpg"])
    camera_jpeg(site / "content" / "media" / "foto.jpg", (600, 400))
    (site / "content" / "media" / "sauber.pdf").write_bytes(pdf_with(b"<< /Title (Bilanz) >>"))
    (site / "content" / "media" / "bilanz.pdf").write_bytes(pdf_with(b"<< /Author (Max Mustermann) >>"))
    with zipfile.ZipFile(site / "content" / "media" / "brief.docx", "w") as docx:  # a real one, without author
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")
    result = run_pressroom("check", site, "--now", "2026-11-26T12:00:00+01:00")
    assert result.returncode == 0, result.stderr
    problems = [line for line in result.stderr.splitlines() if "warning: the attachment" in line]
    release = site / "content" / "releases" / "ein-foto.md"
    assert [str(p) for p in problems] == [
        f'content/releases/ein-foto.md:{src_line(release, "bilanz.pdf")}: warning: the attachment '
        '"content/media/bilanz.pdf" is published with metadata that names author "Max Mustermann"; if that '
        "is not meant to be public, remove it (in the document properties before exporting, or with "
        "exiftool -all:all= FILE) and build again",
        f'content/releases/ein-foto.md:{src_line(release, "foto.jpg", last=True)}: warning: the attachment '
        '"content/media/foto.jpg" is an image published as it is, with its metadata (IPTC, EXIF/XMP, '
        "JPEG comment: possibly GPS position, camera, author); list photos under "
        "images: instead, where Pressroom removes it"]


@pytest.mark.browser
def test_a_phone_loads_a_small_webp_and_a_wide_screen_a_large_one(
        photo_site: tuple[Path, Path, bytes]) -> None:
    from tests.support.browser import chromium_available, chromium_browser, serve_directory

    if not chromium_available():
        pytest.skip("Chromium, Playwright or axe-core is missing")
    _site, output, _source = photo_site
    with serve_directory(output) as base, chromium_browser() as browser:
        for width, scale, wanted in ((360, 1, "-480.webp"), (1280, 2, "-1200.webp")):
            context = browser.new_context(viewport={"width": width, "height": 700}, device_scale_factor=scale)
            page = context.new_page()
            page.goto(base + "meldung/ein-foto/")
            chosen = page.eval_on_selector("figure img", "img => img.currentSrc")
            box = page.eval_on_selector("figure img", "img => [img.clientWidth, img.clientHeight]")
            context.close()
            assert chosen.endswith(wanted), (width, chosen)
            assert box[0] <= width and abs(box[1] - 2 * box[0]) <= 2, box


def test_the_demo_publishes_its_photo_only_as_clean_variants(demo_output: Path) -> None:
    published = sorted(p.name for p in (demo_output / "media").iterdir())
    assert "streifenwagen-verkehrskontrolle.jpg" not in published
    photos = [name for name in published if name.startswith("streifenwagen-verkehrskontrolle-")]
    assert [name.rsplit("-", 1)[1] for name in photos] == ["1600.jpg", "1600.webp", "480.jpg", "480.webp",
                                                            "960.jpg", "960.webp"]
    for name in photos:
        assert_clean(demo_output / "media" / name)
