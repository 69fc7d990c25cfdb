"""Where Pressroom's own files are: the built-in theme and the API's schema, installed or in the repository."""

from __future__ import annotations

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
