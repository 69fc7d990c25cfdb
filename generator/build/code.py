"""The key of the code that makes a site: Pressroom's own source and the libraries it renders with.

`__version__` alone is not enough: a site built from a checkout gets new code with every pull
while the version stays. Every cached decision (the seal, the release entries, the output keys)
rests on this key too, so new code means a real build.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from pathlib import Path

import generator
from generator.core.digest import digest

# What renders, parses or encodes a site; a new version of one may write other bytes.
LIBRARIES = ("jinja2", "markdown", "python-frontmatter", "feedgen", "babel", "nh3", "python-slugify", "pyyaml",
             "pillow", "lxml", "markupsafe")


@cache
def code_key() -> str:
    package = Path(generator.__file__).parent
    parts: list[str | bytes] = [generator.__version__]
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".js", ".json", ".css", ".html", ".po", ".mo", ".txt"):
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    for name in LIBRARIES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    return digest(*parts)
