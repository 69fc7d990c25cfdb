"""Checks across files, after every file was read: duplicate ids, two things on one address,
`follows` to nowhere or in a circle."""

from __future__ import annotations

from pathlib import Path

from generator.core.errors import Message, Problem, suggestion
from generator.core.models import Release


def _key_line(site: Path, shown: str, key: str) -> int:
    """The line of a top-level front-matter key, for messages about cross-file checks."""
    try:
        lines = (site / shown).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    for number, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def check_together(site: Path, releases: list[Release]) -> list[Problem]:
    """Duplicate ids, `follows` to nowhere or in a circle. (Two owners of one address: build/addresses.py.)"""
    by_id: dict[str, Release] = {}
    problems = _duplicate_ids(site, releases, by_id)
    problems += _broken_follows(site, releases, by_id)
    return problems


def _duplicate_ids(site: Path, releases: list[Release], by_id: dict[str, Release]) -> list[Problem]:
    """Fills `by_id` with the first release of each id; a second one is a problem."""
    problems: list[Problem] = []
    for release in releases:
        first = by_id.setdefault(release.id, release)
        if first is not release:
            problems.append(Problem(release.source, _key_line(site, release.source, "id"),
                                    Message('the id "%(id)s" is already used by %(other)s; '
                                            "every release needs its own id", id=release.id, other=first.source)))
    return problems


def _broken_follows(site: Path, releases: list[Release], by_id: dict[str, Release]) -> list[Problem]:
    problems: list[Problem] = []
    for release in releases:
        if release.follows is None:
            continue
        if release.follows not in by_id:
            problems.append(Problem(release.source, _key_line(site, release.source, "follows"),
                                    Message('follows "%(id)s", but no release has that id%(hint)s',
                                            id=release.follows, hint=suggestion(release.follows, by_id))))
            continue
        seen = {release.id}
        current: Release | None = by_id[release.follows]
        while current is not None:
            if current.id in seen:
                problems.append(Problem(release.source, _key_line(site, release.source, "follows"),
                                        Message('"follows" forms a circle through "%(id)s"; '
                                                "a follow-up must name an earlier release", id=current.id)))
                break
            seen.add(current.id)
            current = by_id.get(current.follows) if current.follows else None
    return problems
