"""Attachments: which files may be published as they are, and what their metadata gives away.

An attachment is copied to the site unchanged and served from the authority's own
address, so a file a browser would run there — HTML, XHTML, SVG, XML with a style
sheet, JavaScript — must never get through, whatever it is called. The type is decided
from the bytes and the name together: the bytes must be one of the passive document
types below, and the name's extension must say the same type, because the server picks
the Content-Type by the extension. Everything else is refused with what to do instead.

The checks are plain signature tests of the first bytes and, for the office formats,
of the ZIP directory (read with `zipfile`, which never extracts anything): small enough
to read in one sitting, with no dependency to keep up to date.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.core import mime
from generator.media.formats import MediaError
from generator.media.strip import metadata_left

# Bump when what may be published changes: a build cache keyed by it then loads every release
# anew, so a release cached by an older Pressroom cannot carry a now-refused file past the checks.
RULES_VERSION = 1
HEAD = 64 * 1024  # enough for every signature and for a markup test of the start

# What an allowed file is, by its extension, as the message names it.
PASSIVE = {
    ".pdf": "a PDF document",
    ".docx": "a Word document", ".xlsx": "an Excel workbook",
    ".pptx": "a PowerPoint presentation",
    ".odt": "an OpenDocument text", ".ods": "an OpenDocument spreadsheet",
    ".odp": "an OpenDocument presentation",
    ".doc": "a Word 97–2003 document", ".xls": "an Excel 97–2003 workbook",
    ".ppt": "a PowerPoint 97–2003 presentation",
    ".txt": "plain text", ".csv": "a CSV table",
    ".jpg": "a JPEG image", ".jpeg": "a JPEG image", ".png": "a PNG image", ".webp": "a WebP image",
    ".mp3": "an MP3 recording", ".mp4": "an MP4 video",
}
# The ones a press office may try, with why they are refused and what to do instead.
REFUSED = {
    ".html": "HTML", ".htm": "HTML", ".xhtml": "XHTML", ".shtml": "HTML", ".svg": "SVG", ".svgz": "SVG",
    ".xml": "XML", ".xsl": "XML", ".js": "JavaScript", ".mjs": "JavaScript", ".json": "JSON",
    ".css": "CSS", ".swf": "Flash", ".php": "PHP",
}
_ACTIVE_ADVICE = ("a browser would run it on the site's own address; publish the content as a release, "
                  "or save it as PDF and attach that")
_RTF_ADVICE = ("RTF files can carry embedded objects that have been used to attack Word; save the "
               "document as PDF (or docx) and attach that")
_ZIP_ADVICE = ("an archive can hold anything, and Pressroom cannot vouch for what is inside; attach the "
               "documents one by one (PDF, office files, images)")

_OOXML_PARTS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
_ODF_TYPES = {".odt": b"application/vnd.oasis.opendocument.text",
              ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
              ".odp": b"application/vnd.oasis.opendocument.presentation"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4A ",
               b"dash", b"3gp4", b"3gp5", b"qt  "}
# What makes text a page to a browser (the WHATWG sniffing patterns and their friends).
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|math|object|embed|style|meta|link|"
                     rb"h1|div|table|a\s|img|form|base)", re.IGNORECASE)


@dataclass(frozen=True)
class Sniffed:
    """What the bytes of a file are, by their signature."""

    kind: str  # an extension of PASSIVE, or "html", "zip", "rtf", "gif", "binary" …
    name: str  # as a message names it


def check_attachment(path: Path) -> str:
    """The MIME type an attachment is published with; raises MediaError when it may not be."""
    try:
        with path.open("rb") as stream:
            head = stream.read(HEAD)
    except OSError as exc:
        raise MediaError(f"the file cannot be read: {exc.strerror or exc}") from None
    extension = mime.extension(path.name)
    found = sniff(head, path, extension)
    # Text is searched whole below; any other file must not look like a page where browsers sniff.
    if found.kind in _ACTIVE or (found.kind != ".txt" and _POLYGLOT.search(head[:1024])):
        name = found.name if found.kind in _ACTIVE else f"{found.name} with HTML markup in its first bytes"
        raise MediaError(f"the file is {name}; {_ACTIVE_ADVICE}")
    if extension in REFUSED:
        raise MediaError(f'"{extension}" files ({REFUSED[extension]}) are never published as attachments; '
                         f"{_ACTIVE_ADVICE}")
    if extension == ".rtf" or found.kind == "rtf":
        raise MediaError(f"RTF documents are not published; {_RTF_ADVICE}")
    if extension == ".zip" or (found.kind == "zip" and extension not in PASSIVE):
        raise MediaError(f"ZIP archives are not published; {_ZIP_ADVICE}")
    if extension not in PASSIVE:
        ending = f'"{extension}" files' if extension else "files without an extension"
        raise MediaError(f"{ending} are not published as attachments; Pressroom publishes {_allowed()}. "
                         "Save the file in one of these formats, named with its extension")
    if found.kind == "macros":
        raise MediaError(f"the file is {found.name}; save it without macros (as docx, xlsx, pptx, or as PDF) "
                         "and attach that")
    if _same(found.kind) != _same(extension):
        raise MediaError(_contradiction(extension, found))
    if found.kind == ".txt":
        _check_text(path)
    elif found.kind == ".pdf":
        _check_pdf(path)
    return mime.of(path.name)


_ACTIVE = ("html", "svg", "xml", "script")
_POLYGLOT = re.compile(rb"<\s*(?:html|script|svg|!doctype|iframe|body)\b", re.IGNORECASE)


def _same(kind: str) -> str:
    """Extensions that name one type of bytes: .jpeg is .jpg, a CSV table is plain text."""
    return {".jpeg": ".jpg", ".csv": ".txt"}.get(kind, kind)


def _allowed() -> str:
    names = sorted({e.lstrip(".").upper() for e in PASSIVE} - {"JPEG"})
    return ", ".join(names[:-1]) + " and " + names[-1]


def _contradiction(extension: str, found: Sniffed) -> str:
    said = PASSIVE[extension]
    if found.kind in PASSIVE:
        return (f'the file is named as {said} ("{extension}"), but it is {found.name}; rename it to end in '
                f'"{_same(found.kind)}" and change its src to match')
    return (f'the file is named as {said} ("{extension}"), but its bytes are {found.name}; export or save '
            f'it again as {said} ("{extension}")')


# --- what the bytes are ---------------------------------------------------------------


def sniff(head: bytes, path: Path, extension: str = "") -> Sniffed:
    """The type of a file by its first bytes (and, for ZIP and OLE files, by their directory).

    `extension` only breaks a tie: an Excel file with a Word document embedded is a workbook."""
    if head.startswith(b"%PDF-"):
        return Sniffed(".pdf", "a PDF document")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(".jpg", "a JPEG image")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(".png", "a PNG image")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Sniffed(".webp", "a WebP image")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("gif", "a GIF image")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(head, path)
    if head.startswith(_OLE2):
        return _ole_kind(path, extension)
    if head.startswith(b"{\\rtf"):
        return Sniffed("rtf", "an RTF document")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Sniffed("utf16", "UTF-16 text (plain text attachments are UTF-8 or Latin-1; save it as UTF-8)")
    if head.startswith(b"ID3") or (len(head) > 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
                                   and head[1] & 0x06 != 0):
        return Sniffed(".mp3", "an MP3 recording")
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return Sniffed(".mp4", "an MP4 video")
    return _text_kind(head)


def _text_kind(head: bytes) -> Sniffed:
    if b"\x00" in head:
        return Sniffed("binary", "of a kind Pressroom does not know")
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n\x0c")
    lowered = text[:1024].lower()
    if lowered.startswith(b"<svg") or (lowered.startswith(b"<?xml") and b"<svg" in lowered):
        return Sniffed("svg", "an SVG image (which can carry script)")
    if _MARKUP.match(text):
        return Sniffed("html", "an HTML page")
    if lowered.startswith(b"<"):
        return Sniffed("xml", "XML or other markup (which a browser may show as a page)")
    if re.match(rb"(?:#!|\(function|function\s*\w*\s*\(|['\"]use strict['\"])", text):
        return Sniffed("script", "JavaScript")
    return Sniffed(".txt", "plain text")


def _zip_kind(head: bytes, path: Path) -> Sniffed:
    # ODF stores "mimetype" first and uncompressed, so its type is right after the local header.
    if head[30:38] == b"mimetype":
        for extension, kind in _ODF_TYPES.items():
            if head[38:38 + len(kind)] == kind:
                return _checked_zip(path, extension, PASSIVE[extension])
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return Sniffed("damaged", "a damaged ZIP archive")
    if "[Content_Types].xml" in names:
        for extension, folder in _OOXML_PARTS.items():
            if any(n.startswith(folder) for n in names):
                return _checked_zip(path, extension, PASSIVE[extension])
    return Sniffed("zip", "a ZIP archive")


def _checked_zip(path: Path, extension: str, name: str) -> Sniffed:
    """An office file whose ZIP directory reads, without macros."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return Sniffed("damaged", f"{name}, but damaged")
    if any(n.lower().endswith("vbaproject.bin") or n.startswith(("Basic/", "Scripts/")) for n in names):
        return Sniffed("macros", f"{name} with macros (which run when it is opened)")
    return Sniffed(extension, name)


def _ole_kind(path: Path, extension: str) -> Sniffed:
    """Word, Excel or PowerPoint 97–2003 by the stream names in the compound file."""
    try:
        data = path.read_bytes()
    except OSError:
        return Sniffed("damaged", "an unreadable Office 97–2003 file")
    if "_VBA_PROJECT".encode("utf-16-le") in data:
        return Sniffed("macros", "an Office 97–2003 file with macros (which run when it is opened)")
    streams = ((".doc", "WordDocument"), (".xls", "Workbook"), (".xls", "Book"), (".ppt", "PowerPoint Document"))
    present = [kind for kind, stream in streams if stream.encode("utf-16-le") in data]
    if present:
        kind = extension if extension in present else present[0]
        return Sniffed(kind, PASSIVE[kind])
    return Sniffed("ole", "an Office 97–2003 compound file of an unknown kind")


def _check_text(path: Path) -> None:
    """Plain text must stay plain everywhere in it: no NUL, no markup a browser would act on."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MediaError(f"the file cannot be read: {exc.strerror or exc}") from None
    if b"\x00" in data:
        raise MediaError("the file contains NUL bytes, so it is not plain text; save it again as text (UTF-8)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # Latin-1 decodes any byte; text from Windows has no C1 control characters but € and quotes.
        if re.search(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]", data):
            raise MediaError("the file is neither UTF-8 nor Latin-1 text; save it again as text (UTF-8)") from None
    if re.search(rb"<\s*(?:script|html|svg|iframe|object|embed|!doctype)", data, re.IGNORECASE):
        raise MediaError("the text contains HTML or script markup, which a browser may run; remove it, or "
                         "save the document as PDF and attach that")


def _check_pdf(path: Path) -> None:
    """A PDF that runs script or starts programs when opened is not a passive document."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MediaError(f"the file cannot be read: {exc.strerror or exc}") from None
    found = sorted({name for chunk in (data, *_inflated_streams(data)) for name in _active_names(chunk)})
    if found:
        raise MediaError(f"the PDF contains {' and '.join(found)}, which runs when it is opened; export it "
                         "again without scripts or form actions (e.g. print it to PDF)")


_PDF_NAME = re.compile(rb"/([A-Za-z#][A-Za-z0-9#]{3,30})")
_ACTIVE_PDF = {b"JavaScript": "JavaScript", b"Launch": "a Launch action", b"RichMedia": "embedded media (Flash)"}


def _active_names(chunk: bytes) -> Iterator[str]:
    for match in _PDF_NAME.finditer(chunk):
        name = match.group(1)
        if b"#" in name:  # names may spell letters as #xx, e.g. /J#61vaScript
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)
        if name in _ACTIVE_PDF:
            yield _ACTIVE_PDF[name]


# --- metadata a document gives away -----------------------------------------------------

_INFO_ENTRY = re.compile(rb"/(Author|Creator|Producer)\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", re.DOTALL)
_XMP_ENTRY = re.compile(
    rb"<(dc:creator|pdf:Producer|xmp:CreatorTool)\b[^>]*>(.*?)</\1>|\b(pdf:Producer|xmp:CreatorTool)=\"([^\"]*)\"",
    re.DOTALL)
_TAG = re.compile(rb"<[^>]+>")
_STREAM = re.compile(rb"stream\r?\n")
_LITERAL_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_MAX_INFLATED = 4_000_000
_NAMES = {"Author": "author", "Creator": "creating software", "Producer": "PDF software",
          "dc:creator": "author", "pdf:Producer": "PDF software", "xmp:CreatorTool": "creating software",
          "cp:lastModifiedBy": "last editor", "meta:initial-creator": "author"}
_OFFICE_ENTRY = re.compile(rb"<(dc:creator|cp:lastModifiedBy|meta:initial-creator)\b[^>]*>([^<]*)</\1>")
_OFFICE_PROPERTIES = ("docProps/core.xml", "meta.xml")
_MAX_PROPERTIES = 1_000_000


def pdf_metadata(data: bytes) -> list[tuple[str, str]]:
    """(field, value) pairs naming a person or software in a PDF's Info dictionary or XMP.

    A plain scan of the bytes and of the compressed streams (where PDF 1.5
    object streams keep the Info dictionary); no PDF library needed.
    """
    found: list[tuple[str, str]] = []
    for chunk in (data, *_inflated_streams(data)):
        for match in _INFO_ENTRY.finditer(chunk):
            found.append((match.group(1).decode(), _pdf_string(match.group(2))))
        for match in _XMP_ENTRY.finditer(chunk):
            name, value = ((match.group(1), match.group(2)) if match.group(1)
                           else (match.group(3), match.group(4)))
            found.append((name.decode(), _TAG.sub(b" ", value).decode("utf-8", "replace")))
    return _distinct(found)


def office_metadata(path: Path) -> list[tuple[str, str]]:
    """(field, value) pairs naming a person in an OOXML (docProps/core.xml) or ODF (meta.xml) file."""
    found: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for name in _OFFICE_PROPERTIES:
                if name in archive.namelist() and archive.getinfo(name).file_size <= _MAX_PROPERTIES:
                    for match in _OFFICE_ENTRY.finditer(archive.read(name)):
                        found.append((match.group(1).decode(), _xml_text(match.group(2))))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError):
        return []
    return _distinct(found)


def _distinct(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    result = []
    for name, value in found:
        text = " ".join(value.split())
        if text and (name, text) not in result:
            result.append((name, text))
    return result


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _inflated_streams(data: bytes) -> Iterator[bytes]:
    budget = _MAX_INFLATED
    for match in _STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[match.end():match.end() + budget], budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        yield chunk


def _pdf_string(token: bytes) -> str:
    if token.startswith(b"<"):
        raw = bytes.fromhex("".join(token[1:-1].decode("ascii").split()).ljust(2, "0"))
    else:
        raw = re.sub(rb"\\([0-7]{1,3}|.)", _unescape, token[1:-1], flags=re.DOTALL)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code[:1].isdigit():
        return bytes([int(code, 8) & 0xFF])
    return _LITERAL_ESCAPES.get(code, code if code != b"\n" else b"")


def attachment_problem(source: Path, site_path: str) -> str | None:
    """What an attachment would publish that its author may not mean to, or None."""
    try:
        data = source.read_bytes()
    except OSError:
        return None
    if data.startswith(b"%PDF") or site_path.lower().endswith(".pdf"):
        found = pdf_metadata(data)
    elif data.startswith(b"PK\x03\x04"):
        found = office_metadata(source)
    else:
        left = metadata_left(data)
        if left:
            return (f'the attachment "{site_path}" is an image published as it is, with its metadata '
                    f"({', '.join(left)}: possibly GPS position, camera, author); list photos under images: "
                    "instead, where Pressroom removes it")
        return None
    if not found:
        return None
    named = "; ".join(f'{_NAMES[name]} "{value}"' for name, value in found)
    return (f'the attachment "{site_path}" is published with metadata that names {named}; if that is not '
            "meant to be public, remove it (in the document properties before exporting, or with "
            "exiftool -all:all= FILE) and build again")
