"""Where Pressroom's own files are: the built-in theme and the API's schema, installed or in the repository."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import generator

SCHEMA_FILE = "api-v1.schema.json"


def theme_folder() -> Path:
    """The built-in theme: inside the installed package, or the repository's `templates/`."""
    package = Path(generator.__file__).parent
    installed = package / "theme"
    return installed if (installed / "base.html").is_file() else package.parent / "templates"


def schema_path() -> Path:
    """The JSON Schema: inside the installed package, or the repository's `schema/`."""
    package = Path(generator.__file__).parent
    installed = package / "schema" / SCHEMA_FILE
    return installed if installed.is_file() else package.parent / "schema" / SCHEMA_FILE


def walk(root: Path | str) -> Iterator[tuple[str, list[str]]]:
    """Each folder under `root` with its file names, both sorted, following linked folders as
    Jinja and the theme's static files do, each real folder once (a link back up ends there)."""
    seen: set[str] = set()
    for here, folders, files in os.walk(root, followlinks=True):
        real = os.path.realpath(here)
        if real in seen:
            folders.clear()
            continue
        seen.add(real)
        folders.sort()
        yield here, sorted(files)
