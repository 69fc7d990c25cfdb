"""The one table of file types Pressroom ships: extension → MIME type.

Python's `mimetypes` reads the machine's `/etc/mime.types` (and on Windows the
registry), so the same site would get different types — in the API, the JSON
feed, the preview server — on different machines. Every type Pressroom names
comes from here instead: the files a build writes (pages, feeds, API, calendar,
search index) and the attachments and images it publishes. Which of these a
press office may attach is decided in `generator.media.documents`, not here.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from types import MappingProxyType

UNKNOWN = "application/octet-stream"

TYPES = MappingProxyType({
    # What a build writes.
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".ics": "text/calendar",
    ".txt": "text/plain",
    ".conf": "text/plain",
    # The search index (Pagefind): compressed binary chunks and its WebAssembly.
    ".pf_meta": UNKNOWN,
    ".pf_fragment": UNKNOWN,
    ".pf_index": UNKNOWN,
    ".pf_filter": UNKNOWN,
    ".pagefind": UNKNOWN,
    ".wasm": "application/wasm",
    # Images.
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
    ".ico": "image/vnd.microsoft.icon",
    # Documents, sound and video.
    ".pdf": "application/pdf",
    ".csv": "text/csv",
    ".rtf": "application/rtf",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".zip": "application/zip",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    # Fonts, should a theme bring its own.
    ".woff2": "font/woff2",
    ".woff": "font/woff",
})

# Pressroom writes these itself, always in UTF-8; a server or the preview may say so.
_UTF8 = frozenset({"text/html", "text/css", "text/javascript", "text/calendar", "text/plain",
                   "application/xml", "application/rss+xml", "application/atom+xml"})


def extension(name: str) -> str:
    """".pdf" for "Bericht 2026.PDF"; "" without an extension."""
    return PurePosixPath(name).suffix.lower()


def of(name: str) -> str:
    """The MIME type of a file, by its extension; application/octet-stream when unknown."""
    return TYPES.get(extension(name), UNKNOWN)


def content_type(name: str) -> str:
    """The Content-Type header for a file a build wrote: the type, with the charset for text."""
    kind = of(name)
    return f"{kind}; charset=utf-8" if kind in _UTF8 else kind
