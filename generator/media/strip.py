"""Metadata out of image files: cutting it from a JPEG without decoding, and proving none is left."""

from __future__ import annotations

from generator.core.errors import Message
from generator.media.formats import MediaError

_SOI, _EOI = b"\xff\xd8", b"\xff\xd9"
# Application segments that describe the picture, not its author or place: kept.
_KEEP = {0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}
_JPEG_METADATA = {0xE1: "EXIF/XMP", 0xED: "IPTC", 0xFE: "JPEG comment"}


def metadata_left(data: bytes) -> list[str]:
    """The metadata containers still in a published image file (empty when it is clean).

    Reads only the container structure: JPEG header segments, PNG chunks, WebP chunks.
    """
    found: list[str] = []
    if data.startswith(_SOI):
        position = 2
        while position + 4 <= len(data) and data[position] == 0xFF and data[position + 1] != 0xDA:
            marker = data[position + 1]
            payload = data[position + 4:position + 2 + int.from_bytes(data[position + 2:position + 4], "big")]
            if (marker in (0xE1, 0xED, 0xFE) or (0xE3 <= marker <= 0xEF and marker != 0xEE)
                    or (marker == 0xE2 and not payload.startswith(_KEEP[0xE2]))):
                found.append(_JPEG_METADATA.get(marker, f"JPEG APP{marker - 0xE0}"))
            elif marker == 0xE0 and payload.startswith(b"JFIF\x00") and payload[12:14] != b"\x00\x00":
                found.append("JFIF thumbnail")
            position += 2 + len(payload) + 2
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        position = 8
        while position + 8 <= len(data):
            kind = data[position + 4:position + 8]
            if kind in (b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"):
                found.append(f"PNG chunk {kind.decode()}")
            position += 12 + int.from_bytes(data[position:position + 4], "big")
    elif data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        position = 12
        while position + 8 <= len(data):
            kind = data[position:position + 4]
            if kind in (b"EXIF", b"XMP "):
                found.append(f"WebP chunk {kind.decode().strip()}")
            size = int.from_bytes(data[position + 4:position + 8], "little")
            position += 8 + size + (size & 1)
    return list(dict.fromkeys(found))


def checked(data: bytes) -> bytes:
    """Only a file without metadata leaves this package, whatever a Pillow version does."""
    left = metadata_left(data)
    if left:
        raise MediaError(Message("Pressroom could not remove %(what)s from the image; please report this",
                                 what=", ".join(left)))
    return data


def strip_jpeg(data: bytes) -> bytes:
    """The same JPEG picture data with every metadata segment removed.

    Kept: the tables and frames, the colour profile (APP2 ICC_PROFILE), Adobe's
    colour transform flag (APP14) and a JFIF header without its thumbnail.
    Gone: EXIF and XMP (APP1), IPTC (APP13), comments, every other APPn, and
    whatever follows the end of the image (MPF preview images).
    """
    if not data.startswith(_SOI):
        raise ValueError("no JPEG start marker")
    parts, position = [_SOI], 2
    while position + 1 < len(data):
        if data[position] != 0xFF:
            raise ValueError(f"no JPEG marker at byte {position}")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            return b"".join([*parts, _EOI])
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            parts.append(data[position:position + 2])
            position += 2
            continue
        end = position + 2 + int.from_bytes(data[position + 2:position + 4], "big")
        if end > len(data):
            raise ValueError("a segment runs past the end of the file")
        payload = data[position + 4:end]
        metadata = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if marker == 0xE0 and payload.startswith(b"JFIF\x00") and len(payload) >= 14:
            parts.append(b"\xff\xe0\x00\x10" + payload[:12] + b"\x00\x00")  # no thumbnail
        elif not metadata or (marker in _KEEP and payload.startswith(_KEEP[marker])):
            parts.append(data[position:end])
        position = end
        if marker == 0xDA:  # picture data up to the next marker that is not a restart or a stuffed 0xFF
            position = _scan_end(data, position, parts)
    raise ValueError("the image has no end marker; the file is incomplete")


def _scan_end(data: bytes, position: int, parts: list[bytes]) -> int:
    """Append the entropy-coded picture data that starts at `position`; returns where it ends."""
    scan = position
    while True:
        scan = data.index(b"\xff", scan)
        if scan + 1 >= len(data):
            raise ValueError("the picture data has no end")
        following = data[scan + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            scan += 2
            continue
        if following == 0xFF:
            scan += 1
            continue
        break
    parts.append(data[position:scan])
    return scan
