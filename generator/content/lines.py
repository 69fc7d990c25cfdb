"""Lines in a release's front matter, for messages that later stages (media) give about it."""

from __future__ import annotations

from pathlib import Path

from generator.content.files import FileProblem, read_text, split_front_matter
from generator.content.yaml_source import Key, YamlSource


def front_matter_line(site: Path, release_source: str, *keys: Key) -> int:
    """The line of a front-matter value, e.g. ("images", 0, "src"); 1 when the file cannot be read."""
    path = site / release_source
    try:
        front_matter, _body, _ = split_front_matter(read_text(path, release_source), release_source)
    except (OSError, FileProblem):
        return 1
    # The front matter text starts with the rest of the opening "---" line.
    return YamlSource(path, front_matter, first_line=1).line_of(*keys)
