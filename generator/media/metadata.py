"""What a published document gives away in its metadata: authors, editors, the software that made it.

`pressroom check` warns about it (`attachment_problem`); the file is still published, as it is.
PDF is read with a plain scan of the bytes and of the compressed streams (where PDF 1.5
object streams keep the Info dictionary), office files through their property parts;
no PDF or office library needed.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from generator.core.errors import Joined, Message
from generator.media.strip import metadata_left

_INFO_ENTRY = re.compile(rb"/(Author|Creator|Producer)\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", re.DOTALL)
_XMP_ENTRY = re.compile(
    rb"<(dc:creator|pdf:Producer|xmp:CreatorTool)\b[^>]*>(.*?)</\1>|\b(pdf:Producer|xmp:CreatorTool)=\"([^\"]*)\"",
    re.DOTALL)
_TAG = re.compile(rb"<[^>]+>")
_STREAM = re.compile(rb"stream\r?\n")
_LITERAL_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_MAX_INFLATED = 4_000_000
_AUTHOR, _SOFTWARE, _PDF = Message("author"), Message("creating software"), Message("PDF software")
_NAMES = {"Author": _AUTHOR, "Creator": _SOFTWARE, "Producer": _PDF, "dc:creator": _AUTHOR, "pdf:Producer": _PDF,
          "xmp:CreatorTool": _SOFTWARE, "cp:lastModifiedBy": Message("last editor"), "meta:initial-creator": _AUTHOR}
_OFFICE_ENTRY = re.compile(rb"<(dc:creator|cp:lastModifiedBy|meta:initial-creator)\b[^>]*>([^<]*)</\1>")
_OFFICE_PROPERTIES = ("docProps/core.xml", "meta.xml")
_MAX_PROPERTIES = 1_000_000


def pdf_metadata(data: bytes) -> list[tuple[str, str]]:
    """(field, value) pairs naming a person or software in a PDF's Info dictionary or XMP.

    A plain scan of the bytes and of the compressed streams (where PDF 1.5
    object streams keep the Info dictionary); no PDF library needed.
    """
    found: list[tuple[str, str]] = []
    for chunk in (data, *inflated_streams(data)):
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


def inflated_streams(data: bytes) -> Iterator[bytes]:
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
            return Message('the attachment "%(src)s" is an image published as it is, with its metadata '
                           "(%(left)s: possibly GPS position, camera, author); list photos under images: "
                           "instead, where Pressroom removes it", src=site_path, left=", ".join(left))
        return None
    if not found:
        return None
    named = Joined("; ", (Message('%(what)s "%(value)s"', what=_NAMES[name], value=value) for name, value in found))
    return Message('the attachment "%(src)s" is published with metadata that names %(named)s; if that is not '
                   "meant to be public, remove it (in the document properties before exporting, or with "
                   "exiftool -all:all= FILE) and build again", src=site_path, named=named)
