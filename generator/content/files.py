"""The files of a site folder: where they are, their names, their text, their front matter."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from frontmatter.default_handlers import YAMLHandler

from generator.content.yaml_source import UNSAFE_CHARACTER, YamlRefused, YamlSource, YamlSyntaxError, describe_character
from generator.core.errors import Message, Problem

AUTHORITIES_FILE = "content/authorities.yaml"
RELEASES_DIR = "content/releases"
PAGES_DIR = "content/pages"
MEDIA_DIR = "content/media"


class FileProblem(Exception):
    """A file that cannot be read as a whole; its problems say why."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = list(problems)

    @property
    def problem(self) -> Problem:
        return self.problems[0]


def release_files(site: Path) -> list[Path]:
    """Every release file under content/releases/, in a stable order (a walk with plain strings:
    a large archive has tens of thousands)."""
    folder = site / RELEASES_DIR
    found: list[Path] = []
    for here, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(Path(here, name) for name in files if name.endswith(".md") and not name.startswith("."))
    return sorted(found)


def page_files(site: Path) -> list[Path]:
    return sorted(p for p in (site / PAGES_DIR).glob("*.md") if not hidden(Path(p.name)))


def hidden(path: Path) -> bool:
    """Editors' lock and backup files (".#x.md", macOS "._x.md") and hidden folders are not content."""
    return any(part.startswith(".") for part in path.parts)


_ESCAPED = re.compile(r"[\udc80-\udcff]|" + UNSAFE_CHARACTER.pattern)


def shown_name(path: Path, site: Path) -> str:
    """The path relative to the site folder as messages show it: bytes that are not UTF-8 and
    control characters written as escapes (\\xff, \\u0001), so that a message never carries them."""
    text = path.relative_to(site).as_posix()

    def escape(match: re.Match[str]) -> str:
        code = ord(match[0])
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return _ESCAPED.sub(escape, text)


def name_problem(path: Path, site: Path) -> Problem | None:
    """A file name (or folder name) that is not UTF-8 or holds a control character, which no
    address, feed or message can carry as it is; or None."""
    text = path.relative_to(site).as_posix()
    shown = shown_name(path, site)
    try:
        os.fsencode(text).decode("utf-8")
    except UnicodeDecodeError:
        return Problem(shown, 1, Message("the file name (or a folder name in its path) is not UTF-8; rename it "
                                         "using letters, digits and \"-\""))
    found = UNSAFE_CHARACTER.search(text)
    if found is not None:
        return Problem(shown, 1, Message("the file name (or a folder name in its path) contains the invisible "
                                         "character %(character)s; rename it using letters, digits and \"-\"",
                                         character=describe_character(found[0])))
    return None


def read_text(path: Path, shown: str, data: bytes | None = None) -> str:
    """The file (or `data`, its bytes as already read) as text, or a problem for empty and non-UTF-8 files."""
    if data is None:
        data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem(Problem(shown, line, Message("the file is not UTF-8 text; save it as UTF-8"))) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        raise FileProblem(Problem(shown, 1, Message(
            "the file is empty; a release needs front matter between --- lines")))
    return text


_HANDLER = YAMLHandler()


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(front matter, body, line of the body's first line)."""
    if not _HANDLER.detect(text):
        raise FileProblem(Problem(shown, 1, Message("no front matter: the file must start with a line '---', "
                                                    "then keys like 'title: …', then another '---'")))
    try:
        fm, body = _HANDLER.split(text)
    except ValueError:
        raise FileProblem(Problem(shown, 1, Message(
            "the front matter is not closed: add a line '---' after it"))) from None
    body_line = 3 + fm.count("\n") + (1 if fm else 0)
    return fm, body, body_line


def load_yaml(source: YamlSource, shown: str) -> Any:
    """The value of a YAML document, or a FileProblem with every line that stops it."""
    try:
        return source.load()
    except YamlSyntaxError as exc:
        raise FileProblem(Problem(shown, exc.line, exc.message)) from None
    except YamlRefused as exc:
        raise FileProblem(*(Problem(shown, line, message) for line, message in exc.refused)) from None


def read_front_matter(path: Path, site: Path, raw: bytes | None = None) -> tuple[YamlSource, Any, str]:
    """(source, value, Markdown body) of a release or page file (whose bytes may be given as `raw`);
    raises FileProblem."""
    problem = name_problem(path, site)
    if problem is not None:
        raise FileProblem(problem)
    shown = path.relative_to(site).as_posix()
    text = read_text(path, shown, raw)
    fm, body, _ = split_front_matter(text, shown)
    source = YamlSource(path, fm)  # fm starts with the rest of the first "---" line
    return source, load_yaml(source, shown), body
