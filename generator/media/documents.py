"""Attachments: which files may be published as they are.

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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.core import mime
from generator.core.errors import Message
from generator.media.formats import MediaError
from generator.media.metadata import inflated_streams

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
_ACTIVE_ADVICE = Message("a browser would run it on the site's own address; publish the content as a release, "
                         "or save it as PDF and attach that")
_RTF_ADVICE = Message("RTF files can carry embedded objects that have been used to attack Word; save the "
                      "document as PDF (or docx) and attach that")
_ZIP_ADVICE = Message("an archive can hold anything, and Pressroom cannot vouch for what is inside; attach the "
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
        raise MediaError(Message("the file cannot be read: %(problem)s", problem=str(exc.strerror or exc))) from None
    extension = mime.extension(path.name)
    found = sniff(head, path, extension)
    # Text is searched whole below; any other file must not look like a page where browsers sniff.
    if found.kind in _ACTIVE or (found.kind != ".txt" and _POLYGLOT.search(head[:1024])):
        name = found.name if found.kind in _ACTIVE else Message("%(kind)s with HTML markup in its first bytes",
                                                                kind=found.name)
        raise MediaError(Message("the file is %(kind)s; %(advice)s", kind=name, advice=_ACTIVE_ADVICE))
    if extension in REFUSED:
        raise MediaError(Message('"%(extension)s" files (%(kind)s) are never published as attachments; %(advice)s',
                                 extension=extension, kind=REFUSED[extension], advice=_ACTIVE_ADVICE))
    if extension == ".rtf" or found.kind == "rtf":
        raise MediaError(Message("RTF documents are not published; %(advice)s", advice=_RTF_ADVICE))
    if extension == ".zip" or (found.kind == "zip" and extension not in PASSIVE):
        raise MediaError(Message("ZIP archives are not published; %(advice)s", advice=_ZIP_ADVICE))
    if extension not in PASSIVE:
        ending = Message('"%(extension)s" files', extension=extension) if extension else Message(
            "files without an extension")
        raise MediaError(Message("%(files)s are not published as attachments; Pressroom publishes %(allowed)s. "
                                 "Save the file in one of these formats, named with its extension", files=ending,
                                 allowed=_allowed()))
    if found.kind == "macros":
        raise MediaError(Message("the file is %(kind)s; save it without macros (as docx, xlsx, pptx, or as PDF) "
                                 "and attach that", kind=found.name))
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
    return Message("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def _contradiction(extension: str, found: Sniffed) -> str:
    said = PASSIVE[extension]
    if found.kind in PASSIVE:
        return Message('the file is named as %(said)s ("%(extension)s"), but it is %(kind)s; rename it to end in '
                       '"%(wanted)s" and change its src to match', said=said, extension=extension, kind=found.name,
                       wanted=_same(found.kind))
    return Message('the file is named as %(said)s ("%(extension)s"), but its bytes are %(kind)s; export or save '
                   'it again as %(said)s ("%(extension)s")', said=said, extension=extension, kind=found.name)


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
        raise MediaError(Message("the file cannot be read: %(problem)s", problem=str(exc.strerror or exc))) from None
    if b"\x00" in data:
        raise MediaError(Message("the file contains NUL bytes, so it is not plain text; save it again as text "
                                 "(UTF-8)"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # Latin-1 decodes any byte; text from Windows has no C1 control characters but € and quotes.
        if re.search(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]", data):
            raise MediaError(Message("the file is neither UTF-8 nor Latin-1 text; save it again as text "
                                     "(UTF-8)")) from None
    if re.search(rb"<\s*(?:script|html|svg|iframe|object|embed|!doctype)", data, re.IGNORECASE):
        raise MediaError(Message("the text contains HTML or script markup, which a browser may run; remove it, or "
                                 "save the document as PDF and attach that"))


def _check_pdf(path: Path) -> None:
    """A PDF that runs script or starts programs when opened is not a passive document."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MediaError(Message("the file cannot be read: %(problem)s", problem=str(exc.strerror or exc))) from None
    found = sorted({name for chunk in (data, *inflated_streams(data)) for name in _active_names(chunk)})
    if found:
        raise MediaError(Message("the PDF contains %(what)s, which runs when it is opened; export it "
                                 "again without scripts or form actions (e.g. print it to PDF)",
                                 what=" and ".join(found)))


_PDF_NAME = re.compile(rb"/([A-Za-z#][A-Za-z0-9#]{3,30})")
_ACTIVE_PDF = {b"JavaScript": "JavaScript", b"Launch": "a Launch action", b"RichMedia": "embedded media (Flash)"}


def _active_names(chunk: bytes) -> Iterator[str]:
    for match in _PDF_NAME.finditer(chunk):
        name = match.group(1)
        if b"#" in name:  # names may spell letters as #xx, e.g. /J#61vaScript
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)
        if name in _ACTIVE_PDF:
            yield _ACTIVE_PDF[name]
