"""Which files of the site folder an image or attachment may name at all.

Only the press office's own material is published: files under `content/`. Never the
release and page sources (a draft's text would leak before its time), nor anything
hidden — the build cache `.pressroom-cache`, `.git`, editor and system files — nor
`site.toml` or the templates, which lie outside `content/` anyway.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from generator.core.errors import Message

CONTENT = "content/"
SOURCE_FOLDERS = ("content/releases/", "content/pages/")
SOURCE_FILES = ("content/authorities.yaml",)


def source_problem(site_path: str) -> str | None:
    """Why the file at `site_path` (relative to the site folder, with "/", after following
    links) may not be published, or None when it may."""
    parts = PurePosixPath(site_path).parts
    if not site_path.startswith(CONTENT) or ".." in parts:
        return Message("only files under content/ are published; move the file to content/media/ and give its "
                       "path relative to it")
    hidden = next((p for p in parts if p.startswith(".")), None)
    if hidden is not None:
        return Message('"%(name)s" is hidden (its name starts with "."), and hidden files and folders are never '
                       "published; move the file to content/media/", name=hidden)
    if site_path in SOURCE_FILES or (site_path.startswith(SOURCE_FOLDERS)
                                     and site_path.lower().endswith((".md", ".markdown"))):
        return Message("this is a source file of the site, which is never published as a file; attach a PDF "
                       "of the text instead, or link to the release")
    return None
